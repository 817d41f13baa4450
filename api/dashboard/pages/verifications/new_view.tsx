/**
 * Owns the "+ New Verification" form (in its dialog on the list, or as the /verifications/new page
 * without JavaScript) and the "Verification Created" dialog with the capture URL, its Copy button,
 * the QR code, View Session and Create Another.
 */
import type { Child } from "hono/jsx";
import type { DashboardContext } from "../../env.ts";
import { csrfField } from "../../layout.tsx";
import { ErrorSummary, FieldError, type FieldErrors, Notice } from "../forms.tsx";

export interface WorkflowChoice {
  id: string;
  name: string;
  isDefault: boolean;
}

export interface NewVerificationValues {
  external_ref: string;
  applicant_name: string;
  applicant_email: string;
  send_email: boolean;
  workflow_id: string;
}

export interface NewVerificationProps {
  c: DashboardContext;
  workflows: WorkflowChoice[];
  invitesOn: boolean;
  values?: Partial<NewVerificationValues>;
  errors?: FieldErrors;
}

export const INVITES_OFF_REASON =
  "Email invites are off: no SMTP server is configured (VERIFA_SMTP_URL). Copy the capture URL instead.";

type TextName = "external_ref" | "applicant_name" | "applicant_email";

/** A labelled text input with its error; `children` sit beside the input (the Generate button). */
function TextField({ name, label, type = "text", maxlength, values, errors, children }: {
  name: TextName;
  label: string;
  type?: "text" | "email";
  maxlength: number;
  values: Partial<NewVerificationValues>;
  errors?: FieldErrors;
  children?: Child;
}) {
  const id = `nv-${name.replaceAll("_", "-")}`;
  return (
    <>
      <label for={id}>{label}</label>
      <div class="input-with-button">
        <input id={id} name={name} type={type} maxlength={maxlength} value={values[name] ?? ""} autocomplete="off" />
        {children}
      </div>
      <FieldError errors={errors} field={name} />
    </>
  );
}

export function NewVerificationForm({ c, workflows, invitesOn, values = {}, errors }: NewVerificationProps) {
  const selected = values.workflow_id || workflows.find((w) => w.isDefault)?.id || "";
  return (
    <form method="post" action="/dashboard/verifications" class="new-verification" data-form="new-verification">
      {csrfField(c)}
      <ErrorSummary errors={errors} />
      <TextField name="external_ref" label="External Reference" values={values} errors={errors} maxlength={255}>
        {/* Without JavaScript this posts the form back with a generated reference filled in. */}
        <button type="submit" name="generate" value="1" formnovalidate data-action="generate-ref">Generate</button>
      </TextField>
      <TextField name="applicant_name" label="Applicant Name" values={values} errors={errors} maxlength={255} />
      <TextField
        name="applicant_email"
        label="Applicant Email"
        type="email"
        values={values}
        errors={errors}
        maxlength={254}
      />

      <label class="checkbox">
        <input
          type="checkbox"
          name="send_email"
          value="1"
          checked={invitesOn && values.send_email === true}
          disabled={!invitesOn}
          aria-describedby={invitesOn ? undefined : "nv-invites-off"}
          data-field="send_email"
        />
        Email invite to applicant
      </label>
      {invitesOn ? null : <p id="nv-invites-off" class="hint" data-invites-off>{INVITES_OFF_REASON}</p>}
      <FieldError errors={errors} field="send_email" />

      <label for="nv-workflow">Workflow</label>
      <select id="nv-workflow" name="workflow_id">
        {workflows.map((w) => (
          <option value={w.id} selected={w.id === selected}>{w.isDefault ? `${w.name} (default)` : w.name}</option>
        ))}
      </select>
      <FieldError errors={errors} field="workflow_id" />

      <div class="form-actions">
        <button type="submit" class="primary" data-action="create-verification">Create Verification</button>
      </div>
    </form>
  );
}

/** The dialog the list page carries; JavaScript opens it from the "+ New Verification" link. */
export function NewVerificationDialog(props: NewVerificationProps) {
  return (
    <dialog id="new-verification-dialog" aria-labelledby="new-verification-title">
      <h2 id="new-verification-title">New Verification</h2>
      <NewVerificationForm {...props} />
      <form method="dialog">
        <button type="submit" data-action="close-dialog">Cancel</button>
      </form>
    </dialog>
  );
}

export type InviteOutcome = "sent" | "failed" | null;

export interface CreatedProps {
  sessionId: string;
  /** null once capture has closed (expired, decided): the page then says so. */
  captureUrl: string | null;
  qrCodeDataUrl: string | null;
  invite: InviteOutcome;
}

/** Rendered `open`, so it shows without JavaScript; the script reopens it as a modal. */
export function VerificationCreatedDialog({ sessionId, captureUrl, qrCodeDataUrl, invite }: CreatedProps) {
  return (
    <dialog
      id="verification-created-dialog"
      open
      aria-labelledby="verification-created-title"
      data-session-id={sessionId}
    >
      <h2 id="verification-created-title">Verification Created</h2>
      {invite === "sent" ? <Notice>The invite was emailed to the applicant.</Notice> : null}
      {invite === "failed"
        ? <Notice kind="error">The invite could not be sent; copy the capture URL below and send it yourself.</Notice>
        : null}
      {captureUrl
        ? (
          <>
            <label for="created-capture-url">Capture URL</label>
            <div class="input-with-button">
              <input id="created-capture-url" type="text" readonly value={captureUrl} data-capture-url />
              <button type="button" data-action="copy" data-copy-target="created-capture-url">Copy</button>
            </div>
            {qrCodeDataUrl
              ? <img class="qr-code" src={qrCodeDataUrl} width={256} height={256} alt="QR code of the capture URL" />
              : null}
          </>
        )
        : <p>Capture is no longer open for this session; resume it from the session page for a new link.</p>}
      <div class="form-actions">
        <a class="button" href={`/dashboard/verifications/${sessionId}`} data-action="view-session">View Session</a>
        <a class="button" href="/dashboard/verifications/new" data-action="open-new-verification">Create Another</a>
      </div>
    </dialog>
  );
}
