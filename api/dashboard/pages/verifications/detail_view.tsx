/**
 * Owns the session page: Session Details, Result, Checks by category, Documents (signed URLs,
 * never inline data), Risk, Workflow (version and node path), Webhooks (delivery history with
 * Retry) and the actions the operator's role allows, with the erasure's confirmation step.
 */
import type {
  SessionResultRow,
  SessionRow,
  WebhookAttemptRow,
  WebhookDeliveryRow,
} from "../../../../core/db/database.ts";
import type { toSessionDto } from "../../../../core/sessions/dto.ts";
import type { toDocumentDto } from "../../../../core/documents/dto.ts";
import type { assessRisk } from "../../../../core/risk/assessment.ts";
import type { toRunDto } from "../../../../core/verification/runs.ts";
import type { NodeResult } from "../../../../core/workflows/graph.ts";
import type { DashboardContext } from "../../env.ts";
import { csrfField } from "../../layout.tsx";
import { formatTime, Notice } from "../forms.tsx";
import { CheckGroups } from "./checks.tsx";
import { label, StatusBadge } from "./list_view.tsx";

export interface SessionActions {
  expire: boolean;
  resume: boolean;
  reprocess: boolean;
  retryWebhooks: boolean;
  /** Admins: the data-subject export download, the erasure (after confirmation), the legal hold. */
  export: boolean;
  redact: boolean;
  legalHold: boolean;
}

export interface DetailModel {
  session: ReturnType<typeof toSessionDto>;
  result: SessionResultRow | undefined;
  /** null: past the sensitive-data window, so no links are issued. */
  documents: ReturnType<typeof toDocumentDto>[] | null;
  risk: Awaited<ReturnType<typeof assessRisk>>;
  run: ReturnType<typeof toRunDto> | null;
  deliveries: { row: WebhookDeliveryRow; attempts: WebhookAttemptRow[] }[];
  /** What the operator may do here; all false for viewers. */
  actions: SessionActions;
  notice: string | null;
  problem: string | null;
}

const iso = (value: string | null) => (value ? formatTime(new Date(value)) : "—");

function Row({ name, children }: { name: string; children?: unknown }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children ?? "—"}</dd>
    </>
  );
}

function ActionForm({ c, path, name, text, danger }: {
  c: DashboardContext;
  path: string;
  name: string;
  text: string;
  danger?: boolean;
}) {
  return (
    <form method="post" action={path}>
      {csrfField(c)}
      <button type="submit" class={danger ? "danger" : undefined} data-action={name}>{text}</button>
    </form>
  );
}

function Actions({ c, model }: { c: DashboardContext; model: DetailModel }) {
  const { actions, session } = model;
  if (!Object.values(actions).some(Boolean)) return null;
  const base = `/dashboard/verifications/${session.id}`;
  return (
    <section aria-labelledby="actions-title" data-section="actions">
      <h2 id="actions-title">Actions</h2>
      <div class="actions">
        {actions.expire ? <ActionForm c={c} path={`${base}/expire`} name="expire" text="Expire" danger /> : null}
        {actions.resume
          ? <ActionForm c={c} path={`${base}/resume`} name="resume" text="Resume (new capture link)" />
          : null}
        {actions.reprocess ? <ActionForm c={c} path={`${base}/reprocess`} name="reprocess" text="Reprocess" /> : null}
        {actions.export
          ? (
            <a class="button secondary" href={`${base}/export`} download data-action="export">
              Export (JSON)
            </a>
          )
          : null}
        {actions.redact ? <a class="button danger" href={`${base}/redact`} data-action="redact">Redact…</a> : null}
      </div>
      {actions.legalHold ? <LegalHoldForm c={c} model={model} /> : null}
    </section>
  );
}

function LegalHoldForm({ c, model }: { c: DashboardContext; model: DetailModel }) {
  const { session } = model;
  const path = `/dashboard/verifications/${session.id}/legal-hold`;
  return session.legal_hold
    ? (
      <form method="post" action={path} data-form="legal-hold">
        {csrfField(c)}
        <input type="hidden" name="legal_hold" value="release" />
        <button type="submit" class="secondary" data-action="release-hold">Release legal hold</button>
      </form>
    )
    : (
      <form method="post" action={path} data-form="legal-hold" class="inline">
        {csrfField(c)}
        <input type="hidden" name="legal_hold" value="set" />
        <label>
          Legal hold reason <input type="text" name="reason" maxlength={500} placeholder="e.g. case 2024-118" />
        </label>{" "}
        <button type="submit" class="secondary" data-action="set-hold">Set legal hold</button>
      </form>
    );
}

/** The confirmation step before erasure: what goes, what stays, and a hold that would refuse it. */
export function RedactConfirmation({ c, session, hold }: {
  c: DashboardContext;
  session: SessionRow;
  hold: "session" | "identity" | null;
}) {
  const back = `/dashboard/verifications/${session.id}`;
  if (session.retention_status === "redacted") {
    return (
      <>
        <p>This session's personal data was already redacted.</p>
        <p>
          <a href={back}>← Back to the session</a>
        </p>
      </>
    );
  }
  return (
    <>
      <p>
        <a href={back}>← Back to the session</a>
      </p>
      <p>
        Redacting <code>{session.id}</code>
        {session.external_ref ? <>(external ref {session.external_ref})</> : null}{" "}
        permanently erases its personal data: applicant details, extracted fields, documents and images, face data, case
        notes and the copies in webhook payloads. The session's id, status, result and audit trail stay. This cannot be
        undone.
      </p>
      {hold
        ? (
          <Notice kind="error">
            {hold === "session"
              ? `The session is under legal hold${
                session.legal_hold_reason ? ` (${session.legal_hold_reason})` : ""
              }: redaction will be refused until the hold is released.`
              : "The session belongs to an identity under legal hold: redaction will be refused until that hold is released."}
          </Notice>
        )
        : null}
      <form method="post" action={`${back}/redact`} data-form="redact">
        {csrfField(c)}
        <input type="hidden" name="confirm" value="redact" />
        <button type="submit" class="danger" data-action="confirm-redact">Permanently redact</button>{" "}
        <a href={back}>Cancel</a>
      </form>
    </>
  );
}

function SessionDetails({ model }: { model: DetailModel }) {
  const s = model.session;
  return (
    <section aria-labelledby="details-title" data-section="details">
      <h2 id="details-title">Session Details</h2>
      <dl class="details">
        <Row name="Session ID">
          <code>{s.id}</code>
        </Row>
        <Row name="Status">
          <StatusBadge status={s.status} />
        </Row>
        <Row name="Environment">{s.environment}</Row>
        <Row name="External ref">{s.external_ref}</Row>
        <Row name="Country">{s.country}</Row>
        <Row name="IP address">{s.consent_ip}</Row>
        <Row name="Document type">{s.document_type ? label(s.document_type) : null}</Row>
        <Row name="Created">{iso(s.created_at)}</Row>
        <Row name="Started">{iso(s.started_at)}</Row>
        <Row name="Completed">{iso(s.completed_at)}</Row>
        <Row name="Expired">{iso(s.expired_at)}</Row>
        <Row name="Capture link expires">{iso(s.token_expires_at)}</Row>
        <Row name="Retention status">{s.retention_status}</Row>
        <Row name="Legal hold">
          {s.legal_hold
            ? (
              <span data-legal-hold="on">
                On since {iso(s.legal_hold_set_at)}
                {s.legal_hold_reason ? `: ${s.legal_hold_reason}` : ""}
              </span>
            )
            : <span data-legal-hold="off">Off</span>}
        </Row>
        {s.case_id
          ? (
            <Row name="Review case">
              <a href={`/dashboard/review/${s.case_id}`}>{s.case_id}</a> ({label(s.case_status ?? "")})
            </Row>
          )
          : null}
        {s.capture_url
          ? (
            <Row name="Capture URL">
              <input id="detail-capture-url" type="text" readonly value={s.capture_url} data-capture-url />
              <button type="button" data-action="copy" data-copy-target="detail-capture-url">Copy</button>
            </Row>
          )
          : null}
      </dl>
    </section>
  );
}

function Result({ result }: { result: SessionResultRow | undefined }) {
  return (
    <section aria-labelledby="result-title" data-section="result">
      <h2 id="result-title">Result</h2>
      {result
        ? (
          <dl class="details">
            <Row name="Outcome">
              <span class={`badge result-${result.status}`} data-result={result.status}>{label(result.status)}</span>
            </Row>
            <Row name="Face match score">
              {result.face_match_score === null
                ? null
                : `${result.face_match_score.toFixed(2)}${
                  result.face_match_passed === null ? "" : result.face_match_passed ? " (passed)" : " (failed)"
                }`}
            </Row>
            <Row name="Age check">
              {result.age_check_passed === null ? null : result.age_check_passed ? "Passed" : "Failed"}
            </Row>
            {result.rejection_reason ? <Row name="Rejection reason">{result.rejection_reason}</Row> : null}
            <Row name="Processing">{result.processing_mode}</Row>
            <Row name="Decided">{formatTime(result.created_at)}</Row>
          </dl>
        )
        : <p>No result yet.</p>}
    </section>
  );
}

function Checks({ result }: { result: SessionResultRow | undefined }) {
  return (
    <section aria-labelledby="checks-title" data-section="checks">
      <h2 id="checks-title">Checks</h2>
      <CheckGroups checkResults={result?.check_results} />
    </section>
  );
}

function Documents({ documents }: { documents: DetailModel["documents"] }) {
  return (
    <section aria-labelledby="documents-title" data-section="documents">
      <h2 id="documents-title">Documents</h2>
      {documents === null
        ? <p>The documents are past the sensitive-data window.</p>
        : documents.length === 0
        ? <p>No documents uploaded.</p>
        : (
          <ul class="documents">
            {documents.map((d) => (
              <li data-document={d.doc_type}>
                <a href={d.url} target="_blank" rel="noopener">
                  {d.thumbnail_url
                    ? <img src={d.thumbnail_url} alt={label(d.doc_type)} loading="lazy" />
                    : <span>{d.mime_type === "application/pdf" ? "PDF" : "Open"}</span>}
                </a>
                <span>{label(d.doc_type)}</span>
                {d.document_type ? <span>{label(d.document_type)}</span> : null}
              </li>
            ))}
          </ul>
        )}
      {documents?.length
        ? <p class="hint">Links expire after {documents[0].expires_in} s; reload for new ones.</p>
        : null}
    </section>
  );
}

function Risk({ risk }: { risk: DetailModel["risk"] }) {
  return (
    <section aria-labelledby="risk-title" data-section="risk">
      <h2 id="risk-title">Risk</h2>
      <dl class="details">
        <Row name="Risk level">
          <span class={`badge risk-${risk.risk_level}`} data-risk-level={risk.risk_level}>{risk.risk_level}</span>
        </Row>
        <Row name="Risk score">{String(risk.risk_score)}</Row>
        {risk.blocked_by.length ? <Row name="Blocked by">{risk.blocked_by.join(", ")}</Row> : null}
      </dl>
      {risk.signals.length
        ? (
          <ul>
            {risk.signals.map((s) => (
              <li data-signal={s.signal}>
                {s.signal} ({s.category}, +{s.weight}): {s.detail}
              </li>
            ))}
          </ul>
        )
        : <p>No risk signals.</p>}
    </section>
  );
}

function Workflow({ model }: { model: DetailModel }) {
  const { run, session } = model;
  const path = (run?.node_results ?? []) as NodeResult[];
  return (
    <section aria-labelledby="workflow-title" data-section="workflow">
      <h2 id="workflow-title">Workflow</h2>
      <dl class="details">
        <Row name="Workflow">
          {session.workflow_id
            ? <a href={`/dashboard/workflows/${session.workflow_id}`}>{session.workflow_id}</a>
            : null}
        </Row>
        {run
          ? (
            <>
              <Row name="Version">{run.workflow_version === null ? null : `v${run.workflow_version}`}</Row>
              <Row name="Run">{`${run.status}${run.final_status ? ` → ${label(run.final_status)}` : ""}`}</Row>
              <Row name="Trigger">{run.trigger}</Row>
            </>
          )
          : null}
      </dl>
      {run
        ? (
          <ol class="node-path" data-node-path>
            {path.map((step) => (
              <li data-node={step.node}>
                {step.node}
                {step.policy ? ` (${step.policy})` : ""}
                {step.result ? `: ${step.result}` : ""}
              </li>
            ))}
          </ol>
        )
        : (
          <p>
            {session.environment === "sandbox"
              ? "Sandbox sessions are decided by presets, not by a workflow run."
              : "No workflow run yet."}
          </p>
        )}
    </section>
  );
}

function Webhooks({ c, model }: { c: DashboardContext; model: DetailModel }) {
  return (
    <section aria-labelledby="webhooks-title" data-section="webhooks">
      <h2 id="webhooks-title">Webhooks</h2>
      {model.deliveries.length === 0
        ? <p>No webhook deliveries for this session.</p>
        : (
          <table class="data-table" data-table="deliveries">
            <thead>
              <tr>
                <th>Event</th>
                <th>Endpoint</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Last response</th>
                <th>Created</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {model.deliveries.map(({ row, attempts }) => (
                <tr data-delivery-id={row.id}>
                  <td>{row.event_type}</td>
                  <td>{row.url}</td>
                  <td>
                    <span class={`badge delivery-${row.status}`}>{row.status}</span>
                  </td>
                  <td>{attempts.length || row.attempt_count}</td>
                  <td>{row.last_status_code ?? row.last_error ?? "—"}</td>
                  <td>{formatTime(row.created_at)}</td>
                  <td>
                    {model.actions.retryWebhooks && row.status === "failed" && !row.is_test
                      ? (
                        <form
                          method="post"
                          action={`/dashboard/verifications/${model.session.id}/webhooks/${row.id}/retry`}
                        >
                          {csrfField(c)}
                          <button type="submit" data-action="retry-delivery">Retry</button>
                        </form>
                      )
                      : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}

export function SessionDetail({ c, model }: { c: DashboardContext; model: DetailModel }) {
  return (
    <>
      <p>
        <a href="/dashboard/verifications">← All verifications</a>
      </p>
      {model.notice ? <Notice>{model.notice}</Notice> : null}
      {model.problem ? <Notice kind="error">{model.problem}</Notice> : null}
      <Actions c={c} model={model} />
      <SessionDetails model={model} />
      <Result result={model.result} />
      <Checks result={model.result} />
      <Documents documents={model.documents} />
      <Risk risk={model.risk} />
      <Workflow model={model} />
      <Webhooks c={c} model={model} />
      <script src="/dashboard/static/verifications.js" defer></script>
      <script type="module" src="/dashboard/static/copy.js"></script>
    </>
  );
}
