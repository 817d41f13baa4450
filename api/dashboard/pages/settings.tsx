/**
 * Owns the dashboard's Settings page: the organisation's retention, `api_pii_fields`, image URL
 * expiry, capture window, dual review and risk signal actions, read and changed through
 * core/orgs/settings_service.ts (the same validation as PATCH /api/v1/settings, its errors shown
 * next to each field). Everyone may look; only an admin may change. Operators follow the API's
 * retention rule: a change that brings erasure closer waits 24 hours unless the admin ticks the
 * confirmation box, and a waiting change is shown with the moment it takes effect.
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import { HARD_BLOCK_SIGNALS, SIGNAL_ACTIONS } from "../../../core/risk/assessment.ts";
import {
  API_PII_FIELDS,
  getSettingsView,
  parseSettingsPatch,
  RISK_SIGNAL_NAMES,
  type SettingsView,
  toSettingsDto,
  updateOrgSettings,
} from "../../../core/orgs/settings_service.ts";
import type { PendingChanges } from "../../../core/orgs/settings.ts";
import type { DashboardContext, DashboardEnv } from "../env.ts";
import { csrfField, DashboardPage } from "../layout.tsx";
import {
  canManage,
  ErrorSummary,
  FieldError,
  type FieldErrors,
  fieldErrorsOf,
  Notice,
  noticeFor,
  type PostedForm,
  readForm,
  requireManage,
} from "./forms.tsx";

const NOTICES: Record<string, string> = { saved: "Settings saved." };

/** The number inputs, with the ranges settings_service.ts enforces (repeated here only as input hints). */
const NUMBER_INPUTS = {
  data_retention_days: {
    label: "Delete sessions after (days)",
    hint: "Days after completion before full deletion, 1–3650. Empty keeps them.",
    min: 1,
    max: 3650,
  },
  sensitive_data_retention_days: {
    label: "Stop serving personal data and documents after (days)",
    hint: "1–3650, not more than the deletion period. Empty keeps serving them.",
    min: 1,
    max: 3650,
  },
  capture_token_ttl_minutes: {
    label: "Capture window (minutes)",
    hint: "How long each new capture link stays valid, 5–1440. Empty is the default, 20.",
    min: 5,
    max: 1440,
  },
  image_url_expiry_seconds: {
    label: "Document image URL expiry (seconds)",
    hint: "Lifetime of signed document URLs, 60–86400. Empty is the default, 300.",
    min: 60,
    max: 86400,
  },
} as const;
type NumberField = keyof typeof NUMBER_INPUTS;
const NUMBER_FIELDS = Object.keys(NUMBER_INPUTS) as NumberField[];

function defaultAction(signal: string): string {
  return HARD_BLOCK_SIGNALS.has(signal) ? "block" : "flag";
}

/** An empty box is null (back to the default); a number goes through as one; anything else as typed, for the schema to refuse by name. */
function numberField(raw: string): number | string | null {
  if (raw === "") return null;
  return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
}

/**
 * The whole form as a settings patch. A signal left at its default action is sent as null, so the
 * organisation keeps overrides only for the signals it changed.
 */
function patchFromForm(form: PostedForm): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const name of NUMBER_FIELDS) patch[name] = numberField(form.text(name));
  patch.auto_redact_on_retention_expiry = form.has("auto_redact_on_retention_expiry");
  if (form.has("confirm_retention_reduction")) patch.confirm_retention_reduction = true;
  patch.dual_review = form.has("dual_review");
  patch.api_pii_fields = form.text("api_pii_mode") === "selected" ? form.all("api_pii_fields") : null;
  patch.risk_signal_actions = Object.fromEntries(RISK_SIGNAL_NAMES.map((signal) => {
    const chosen = form.text(`signal.${signal}`) || defaultAction(signal);
    return [signal, chosen === defaultAction(signal) ? null : chosen];
  }));
  return patch;
}

/** What the inputs show: the saved settings, or what was just posted when it was refused. */
interface FormValues {
  numbers: Record<string, string>;
  autoRedact: boolean;
  dualReview: boolean;
  piiFields: string[] | null;
  actions: Record<string, string>;
}

/**
 * A setting with a change waiting shows the waiting value, so saving the form as shown keeps that
 * change (and its grace) instead of cancelling it.
 */
function valuesFromSettings(view: SettingsView): FormValues {
  const dto = toSettingsDto(view);
  const shown = (name: string) => name in view.pending ? view.pending[name].value : dto[name as keyof typeof dto];
  return {
    numbers: Object.fromEntries(NUMBER_FIELDS.map((name) => [name, shown(name) === null ? "" : String(shown(name))])),
    autoRedact: shown("auto_redact_on_retention_expiry") === true,
    dualReview: dto.dual_review,
    piiFields: dto.api_pii_fields,
    actions: dto.risk_signal_actions,
  };
}

function valuesFromForm(form: PostedForm): FormValues {
  return {
    numbers: Object.fromEntries(NUMBER_FIELDS.map((name) => [name, form.text(name)])),
    autoRedact: form.has("auto_redact_on_retention_expiry"),
    dualReview: form.has("dual_review"),
    piiFields: form.text("api_pii_mode") === "selected" ? form.all("api_pii_fields") : null,
    actions: Object.fromEntries(
      RISK_SIGNAL_NAMES.map((s) => [s, form.text(`signal.${s}`) || defaultAction(s)]),
    ),
  };
}

/** The changes waiting out their grace, each with the moment it takes effect. */
function PendingNotice({ pending }: { pending: PendingChanges }) {
  const entries = Object.entries(pending);
  if (!entries.length) return null;
  return (
    <div class="notice" data-pending-changes>
      <p>Waiting to take effect (a change that brings erasure closer waits 24 hours unless confirmed):</p>
      <ul>
        {entries.map(([name, change]) => (
          <li data-pending={name}>
            <code>{name}</code> → <code>{JSON.stringify(change.value)}</code> from{" "}
            <time datetime={change.effective_at}>{change.effective_at}</time>
          </li>
        ))}
      </ul>
    </div>
  );
}

function NumberInput({ name, values, errors, disabled }: {
  name: NumberField;
  values: FormValues;
  errors?: FieldErrors;
  disabled: boolean;
}) {
  const { label, hint, min, max } = NUMBER_INPUTS[name];
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <input
        id={name}
        name={name}
        type="number"
        min={min}
        max={max}
        step={1}
        value={values.numbers[name]}
        disabled={disabled}
        aria-describedby={`${name}-hint`}
      />
      <small id={`${name}-hint`}>{hint}</small>
      <FieldError errors={errors} field={name} />
    </div>
  );
}

export function settingsPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();

  function render(c: DashboardContext, values: FormValues, pending: PendingChanges, errors?: FieldErrors) {
    const manage = canManage(c);
    const notice = noticeFor(c, NOTICES);
    const disabled = !manage;
    const field = { values, errors, disabled };
    return c.html(
      <DashboardPage c={c} title="Settings" active="settings">
        <p>
          Organisation-wide: sandbox and live share these settings. {manage ? "" : "Only an admin can change them."}
        </p>
        {notice ? <Notice>{notice}</Notice> : null}
        <ErrorSummary errors={errors} title="The settings were not saved" />
        <PendingNotice pending={pending} />
        <form method="post" action="/dashboard/settings" class="stacked settings-form">
          {csrfField(c)}
          <fieldset>
            <legend>Retention</legend>
            <NumberInput name="data_retention_days" {...field} />
            <NumberInput name="sensitive_data_retention_days" {...field} />
            <label class="checkbox">
              <input
                type="checkbox"
                name="auto_redact_on_retention_expiry"
                value="true"
                checked={values.autoRedact}
                disabled={disabled}
              />{" "}
              Redact personal data and documents automatically when retention expires
            </label>
            <FieldError errors={errors} field="auto_redact_on_retention_expiry" />
            <label class="checkbox">
              <input type="checkbox" name="confirm_retention_reduction" value="true" disabled={disabled} />{" "}
              Apply a shorter retention or auto-redaction now, not after 24 hours (sessions past the new window may be
              erased at the next sweep)
            </label>
          </fieldset>

          <fieldset>
            <legend>Capture and documents</legend>
            <NumberInput name="capture_token_ttl_minutes" {...field} />
            <NumberInput name="image_url_expiry_seconds" {...field} />
          </fieldset>

          <fieldset>
            <legend>Personal data in API results and webhooks (api_pii_fields)</legend>
            <label class="checkbox">
              <input
                type="radio"
                name="api_pii_mode"
                value="all"
                checked={values.piiFields === null}
                disabled={disabled}
              />{" "}
              Every extracted field
            </label>
            <label class="checkbox">
              <input
                type="radio"
                name="api_pii_mode"
                value="selected"
                checked={values.piiFields !== null}
                disabled={disabled}
              />{" "}
              Only the fields ticked below
            </label>
            <div class="checkbox-grid">
              {API_PII_FIELDS.map((name) => (
                <label class="checkbox">
                  <input
                    type="checkbox"
                    name="api_pii_fields"
                    value={name}
                    checked={values.piiFields?.includes(name) ?? false}
                    disabled={disabled}
                  />{" "}
                  {name}
                </label>
              ))}
            </div>
            <FieldError errors={errors} field="api_pii_fields" prefix />
          </fieldset>

          <fieldset>
            <legend>Review</legend>
            <label class="checkbox">
              <input type="checkbox" name="dual_review" value="true" checked={values.dualReview} disabled={disabled} />
              {" "}
              Dual review: a case needs two reviewers (the first decision is a recommendation)
            </label>
            <FieldError errors={errors} field="dual_review" />
          </fieldset>

          <fieldset>
            <legend>Risk signal actions</legend>
            <p>
              <em>ignore</em> leaves a signal out of the risk score, <em>flag</em> counts it, <em>block</em>{" "}
              makes the session critical and fails risk_assessment.
            </p>
            <table class="data-table" data-table="risk-signals">
              <thead>
                <tr>
                  <th>Signal</th>
                  <th>Action</th>
                  <th>Default</th>
                </tr>
              </thead>
              <tbody>
                {RISK_SIGNAL_NAMES.map((signal) => (
                  <tr data-signal={signal}>
                    <td>
                      <label for={`signal-${signal}`}>{signal}</label>
                    </td>
                    <td>
                      <select id={`signal-${signal}`} name={`signal.${signal}`} disabled={disabled}>
                        {SIGNAL_ACTIONS.map((a) => (
                          <option value={a} selected={(values.actions[signal] ?? defaultAction(signal)) === a}>
                            {a}
                          </option>
                        ))}
                      </select>
                      <FieldError errors={errors} field={`risk_signal_actions.${signal}`} />
                    </td>
                    <td>{defaultAction(signal)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FieldError errors={errors} field="risk_signal_actions" />
          </fieldset>
          {manage ? <button type="submit" class="primary" data-action="save-settings">Save settings</button> : null}
        </form>
      </DashboardPage>,
      errors ? 422 : 200,
    );
  }

  app.get("/settings", async (c) => {
    const view = await getSettingsView(deps.db, c.get("operator").orgId, deps.clock());
    return render(c, valuesFromSettings(view), view.pending);
  });

  app.post("/settings", async (c) => {
    requireManage(c);
    const form = await readForm(c);
    const operator = c.get("operator");
    try {
      const patch = parseSettingsPatch(patchFromForm(form));
      await updateOrgSettings(deps.db, operator.orgId, patch, deps.clock(), {
        actor: { type: "operator", id: operator.userId },
        requestId: c.get("requestId") ?? null,
      });
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      const { pending } = await getSettingsView(deps.db, operator.orgId, deps.clock());
      return render(c, valuesFromForm(form), pending, errors);
    }
    return c.redirect("/dashboard/settings?notice=saved", 303);
  });

  return app;
}
