/**
 * Owns the dashboard's Developers pages: API keys (list, create with the secret shown once,
 * revoke) and webhooks (endpoints, create, an endpoint's deliveries with every attempt, send a
 * test event, rotate the signing secret — shown once — and retry a failed delivery). Keys and
 * endpoints belong to the operator's organisation and environment; core does every read and
 * write with that scope, so another organisation's key, endpoint or delivery is a 404.
 */
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { CoreDeps } from "../../../core/deps.ts";
import type { ApiKeyRow, WebhookAttemptRow, WebhookDeliveryRow } from "../../../core/db/database.ts";
import { AppError, validationError } from "../../../core/errors.ts";
import { parseOrThrow } from "../../../core/validation.ts";
import { createApiKey, type KeyKind, listApiKeys, revokeApiKey } from "../../../core/orgs/api_keys.ts";
import { ALL_SCOPES, DEFAULT_SCOPES, PUBLISHABLE_SCOPES } from "../../../core/orgs/scopes.ts";
import {
  createEndpoint,
  createEndpointSchema,
  deleteEndpoint,
  findEndpoint,
  listEndpoints,
  rotateSecret,
  ROTATION_GRACE_MS,
  updateEndpoint,
} from "../../../core/webhooks/endpoints.ts";
import { retryDelivery, sendTestEvent } from "../../../core/webhooks/delivery.ts";
import { assertRetryable, findDelivery, listAttempts, listDeliveries } from "../../../core/webhooks/deliveries.ts";
import { WEBHOOK_EVENT_TYPES } from "../../../core/webhooks/event_types.ts";
import { type DashboardContext, type DashboardEnv, operatorScope } from "../env.ts";
import { csrfField, DashboardPage } from "../layout.tsx";
import {
  canManage,
  DataTable,
  ErrorSummary,
  FieldError,
  type FieldErrors,
  fieldErrorsOf,
  formatTime,
  Notice,
  noticeFor,
  pageFromQuery,
  Pager,
  type PostedForm,
  readForm,
  requireManage,
} from "./forms.tsx";

const KEY_NOTICES: Record<string, string> = {
  revoked: "The key was revoked: it no longer authenticates.",
};
const WEBHOOK_NOTICES: Record<string, string> = {
  retried: "The delivery was queued for another attempt.",
  enabled: "The endpoint is enabled again; its failure count was reset.",
  disabled: "The endpoint is disabled: nothing is sent to it until it is enabled again.",
  deleted: "The endpoint was deleted. Its delivery history is kept.",
};

/** A secret shown on this one response only: never cached, with a copy button. */
function SecretOnce({ c, label, secret, children }: {
  c: DashboardContext;
  label: string;
  secret: string;
  children?: Child;
}) {
  c.header("Cache-Control", "no-store");
  return (
    <section class="secret-once" aria-labelledby="secret-title">
      <h2 id="secret-title">{label}</h2>
      <Notice kind="info">
        Copy it now: this is the only time it is shown. Only a hash (or, for webhook secrets, an encrypted copy used for
        signing) is kept.
      </Notice>
      <p class="secret-row">
        <code id="secret-value" class="secret" data-secret>{secret}</code>{" "}
        <button type="button" data-copy-target="secret-value" data-action="copy">Copy</button>
      </p>
      {children}
      <script type="module" src="/dashboard/static/copy.js"></script>
    </section>
  );
}

function keyStatus(row: ApiKeyRow, now: Date): string {
  if (row.revoked_at) return `Revoked ${formatTime(row.revoked_at)}`;
  if (row.expires_at && row.expires_at <= now) return `Expired ${formatTime(row.expires_at)}`;
  return row.expires_at ? `Active until ${formatTime(row.expires_at)}` : "Active";
}

interface NewKeyInput {
  kind: KeyKind;
  label: string | null;
  scopes: string[];
  expiresAt: Date | null;
}

/** The create-key form, checked field by field (the API's own rules: known scopes, a future expiry). */
function parseNewKey(form: PostedForm, now: Date): NewKeyInput {
  const errors: FieldErrors = {};
  const kind = form.text("type") || "secret";
  if (kind !== "secret" && kind !== "publishable") errors.type = "must be secret or publishable";
  const label = form.text("label");
  if (label.length > 255) errors.label = "must be at most 255 characters";
  const scopes = [...new Set(form.all("scopes"))];
  if (kind === "secret") {
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
    if (unknown.length) errors.scopes = `${unknown.join(", ")} is not a known scope`;
    else if (scopes.length === 0) errors.scopes = "choose at least one scope";
  }
  let expiresAt: Date | null = null;
  const expires = form.text("expires_on");
  if (expires) {
    // The key works through the whole chosen day (UTC).
    expiresAt = /^\d{4}-\d{2}-\d{2}$/.test(expires) ? new Date(`${expires}T23:59:59.999Z`) : new Date(NaN);
    if (Number.isNaN(expiresAt.getTime())) errors.expires_on = "must be a date";
    else if (expiresAt <= now) errors.expires_on = "must be in the future";
  }
  if (Object.keys(errors).length) throw validationError(errors);
  return {
    kind: kind as KeyKind,
    label: label || null,
    scopes: kind === "publishable" ? [...PUBLISHABLE_SCOPES] : scopes,
    expiresAt,
  };
}

function deliveryOutcome(row: WebhookDeliveryRow): string {
  if (row.status === "succeeded") return `Delivered (HTTP ${row.last_status_code})`;
  const reason = row.last_error ?? (row.last_status_code ? `HTTP ${row.last_status_code}` : "no response");
  return `${row.status === "failed" ? "Failed" : "Not delivered yet"}: ${reason}`;
}

export function developersPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();

  // ---- API keys ----

  async function renderKeys(c: DashboardContext, form: { errors?: FieldErrors; values?: PostedForm } = {}) {
    const scope = operatorScope(c.get("operator"));
    const { page, limit, offset } = pageFromQuery(c);
    const { rows, total } = await listApiKeys(deps.db, scope, { limit, offset });
    const now = deps.clock();
    const notice = noticeFor(c, KEY_NOTICES);
    const manage = canManage(c);
    const chosenScopes = form.values ? form.values.all("scopes") : [...DEFAULT_SCOPES];
    return c.html(
      <DashboardPage c={c} title="API keys" active="api-keys">
        <p>
          Keys of the <strong>{scope.environment}</strong>{" "}
          environment. A key's secret is shown once, when it is created; revoking a key is permanent.
        </p>
        {notice ? <Notice>{notice}</Notice> : null}
        <table class="data-table" data-table="api-keys">
          <thead>
            <tr>
              <th>Prefix</th>
              <th>Label</th>
              <th>Type</th>
              <th>Scopes</th>
              <th>Last used</th>
              <th>Created</th>
              <th>Status</th>
              {manage ? <th></th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const active = !row.revoked_at && !(row.expires_at && row.expires_at <= now);
              return (
                <tr data-key-id={row.id}>
                  <td>
                    <code>{row.key_prefix}…</code>
                  </td>
                  <td>{row.label ?? ""}</td>
                  <td>{row.kind}</td>
                  <td>{row.scopes.join(", ")}</td>
                  <td>{row.last_used_at ? formatTime(row.last_used_at) : "Never"}</td>
                  <td>{formatTime(row.created_at)}</td>
                  <td>{keyStatus(row, now)}</td>
                  {manage
                    ? (
                      <td>
                        {active
                          ? (
                            <form method="post" action={`/dashboard/developers/api-keys/${row.id}/revoke`}>
                              {csrfField(c)}
                              <button type="submit" class="danger" data-action="revoke-key">Revoke</button>
                            </form>
                          )
                          : null}
                      </td>
                    )
                    : null}
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 ? <p>No API keys in this environment.</p> : null}
        <Pager c={c} page={page} hasMore={offset + rows.length < total} />
        {manage
          ? (
            <section aria-labelledby="new-key-title">
              <h2 id="new-key-title">Create a key</h2>
              <ErrorSummary errors={form.errors} />
              <form method="post" action="/dashboard/developers/api-keys" class="stacked">
                {csrfField(c)}
                <label>
                  Label <input type="text" name="label" maxlength={255} value={form.values?.text("label") ?? ""} />
                </label>
                <FieldError errors={form.errors} field="label" />
                <fieldset>
                  <legend>Type</legend>
                  <label>
                    <input
                      type="radio"
                      name="type"
                      value="secret"
                      checked={(form.values?.text("type") || "secret") === "secret"}
                    />{" "}
                    Secret key (server side, the scopes below)
                  </label>
                  <label>
                    <input
                      type="radio"
                      name="type"
                      value="publishable"
                      checked={form.values?.text("type") === "publishable"}
                    />{" "}
                    Publishable key (browsers; can only create sessions)
                  </label>
                </fieldset>
                <FieldError errors={form.errors} field="type" />
                <fieldset>
                  <legend>Scopes (secret keys)</legend>
                  {ALL_SCOPES.map((s) => (
                    <label class="checkbox">
                      <input type="checkbox" name="scopes" value={s} checked={chosenScopes.includes(s)} /> {s}
                    </label>
                  ))}
                </fieldset>
                <FieldError errors={form.errors} field="scopes" />
                <label>
                  Expires on (optional){" "}
                  <input type="date" name="expires_on" value={form.values?.text("expires_on") ?? ""} />
                </label>
                <FieldError errors={form.errors} field="expires_on" />
                <button type="submit" class="primary" data-action="create-key">Create key</button>
              </form>
            </section>
          )
          : null}
      </DashboardPage>,
      form.errors ? 422 : 200,
    );
  }

  app.get("/developers/api-keys", (c) => renderKeys(c));

  app.post("/developers/api-keys", async (c) => {
    requireManage(c);
    const operator = c.get("operator");
    const form = await readForm(c);
    let input: NewKeyInput;
    try {
      input = parseNewKey(form, deps.clock());
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      return await renderKeys(c, { errors, values: form });
    }
    // An operator is not an API key: an admin may grant any scope, to a key of the environment
    // being viewed, and nothing else is minted along the way.
    const { row, secret } = await createApiKey(deps.db, operator.orgId, {
      environment: operator.environment,
      kind: input.kind,
      label: input.label,
      scopes: input.scopes,
      expiresAt: input.expiresAt,
    });
    return c.html(
      <DashboardPage c={c} title="API key created" active="api-keys">
        <SecretOnce c={c} label={`Secret for ${row.label ?? row.key_prefix}`} secret={secret}>
          <dl class="details" data-key-id={row.id}>
            <dt>Prefix</dt>
            <dd>
              <code>{row.key_prefix}…</code>
            </dd>
            <dt>Environment</dt>
            <dd>{row.environment}</dd>
            <dt>Type</dt>
            <dd>{row.kind}</dd>
            <dt>Scopes</dt>
            <dd>{row.scopes.join(", ")}</dd>
            <dt>Expires</dt>
            <dd>{row.expires_at ? formatTime(row.expires_at) : "Never"}</dd>
          </dl>
          <p>
            Send it as the <code>X-API-Key</code> header. <a href="/dashboard/developers/api-keys">Back to API keys</a>
          </p>
        </SecretOnce>
      </DashboardPage>,
      201,
    );
  });

  app.post("/developers/api-keys/:id/revoke", async (c) => {
    requireManage(c);
    await revokeApiKey(deps.db, operatorScope(c.get("operator")), c.req.param("id"), deps.clock());
    return c.redirect("/dashboard/developers/api-keys?notice=revoked", 303);
  });

  // ---- Webhooks ----

  async function renderEndpoints(c: DashboardContext, form: { errors?: FieldErrors; values?: PostedForm } = {}) {
    const scope = operatorScope(c.get("operator"));
    const { page, limit, offset } = pageFromQuery(c);
    const { rows, total } = await listEndpoints(deps.db, scope, { limit, offset });
    const manage = canManage(c);
    const notice = noticeFor(c, WEBHOOK_NOTICES);
    const chosen = form.values ? form.values.all("enabled_events") : ["*"];
    return c.html(
      <DashboardPage c={c} title="Webhooks" active="webhooks">
        <p>
          Endpoints of the <strong>{scope.environment}</strong>{" "}
          environment. Every delivery is signed with the endpoint's secret (Standard Webhooks headers).
        </p>
        {notice ? <Notice>{notice}</Notice> : null}
        <DataTable name="webhook-endpoints" headings={["URL", "Label", "Events", "Status", "Created"]}>
          {rows.map((row) => (
            <tr data-endpoint-id={row.id}>
              <td>
                <a href={`/dashboard/developers/webhooks/${row.id}`}>{row.url}</a>
              </td>
              <td>{row.label ?? ""}</td>
              <td>{row.enabled_events.includes("*") ? "All events" : row.enabled_events.join(", ")}</td>
              <td>{row.enabled ? "Enabled" : `Disabled${row.disabled_reason ? `: ${row.disabled_reason}` : ""}`}</td>
              <td>{formatTime(row.created_at)}</td>
            </tr>
          ))}
        </DataTable>
        {rows.length === 0 ? <p>No webhook endpoints in this environment.</p> : null}
        <Pager c={c} page={page} hasMore={offset + rows.length < total} />
        {manage
          ? (
            <section aria-labelledby="new-endpoint-title">
              <h2 id="new-endpoint-title">Add an endpoint</h2>
              <ErrorSummary errors={form.errors} />
              <form method="post" action="/dashboard/developers/webhooks" class="stacked">
                {csrfField(c)}
                <label>
                  URL{" "}
                  <input
                    type="url"
                    name="url"
                    required
                    maxlength={2048}
                    placeholder="https://example.com/webhooks/verifa"
                    value={form.values?.text("url") ?? ""}
                  />
                </label>
                <FieldError errors={form.errors} field="url" />
                <label>
                  Label <input type="text" name="label" maxlength={255} value={form.values?.text("label") ?? ""} />
                </label>
                <FieldError errors={form.errors} field="label" />
                <fieldset>
                  <legend>Events</legend>
                  <label class="checkbox">
                    <input type="checkbox" name="enabled_events" value="*" checked={chosen.includes("*")} />{" "}
                    All events (including ones added later)
                  </label>
                  {Object.entries(WEBHOOK_EVENT_TYPES).filter(([type]) => type !== "webhook.test").map((
                    [type, description],
                  ) => (
                    <label class="checkbox" title={description}>
                      <input type="checkbox" name="enabled_events" value={type} checked={chosen.includes(type)} />{" "}
                      {type}
                    </label>
                  ))}
                </fieldset>
                <FieldError errors={form.errors} field="enabled_events" prefix />
                <button type="submit" class="primary" data-action="create-endpoint">Add endpoint</button>
              </form>
            </section>
          )
          : null}
      </DashboardPage>,
      form.errors ? 422 : 200,
    );
  }

  app.get("/developers/webhooks", (c) => renderEndpoints(c));

  app.post("/developers/webhooks", async (c) => {
    requireManage(c);
    const form = await readForm(c);
    const events = form.all("enabled_events");
    try {
      const input = parseOrThrow(createEndpointSchema, {
        url: form.text("url"),
        label: form.text("label") || null,
        // "All events" wins over a list; nothing ticked is also every event (as in the API).
        enabled_events: events.includes("*") || events.length === 0 ? ["*"] : events,
      });
      const { row, secret } = await createEndpoint(deps, operatorScope(c.get("operator")), input);
      return c.html(
        <DashboardPage c={c} title="Webhook endpoint added" active="webhooks">
          <SecretOnce c={c} label={`Signing secret for ${row.url}`} secret={secret}>
            <p>
              Verify each delivery's <code>webhook-signature</code> header with this secret.{" "}
              <a href={`/dashboard/developers/webhooks/${row.id}`} data-endpoint-id={row.id}>Go to the endpoint</a>
            </p>
          </SecretOnce>
        </DashboardPage>,
        201,
      );
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      return await renderEndpoints(c, { errors, values: form });
    }
  });

  async function renderEndpoint(c: DashboardContext, id: string, problem?: string) {
    const scope = operatorScope(c.get("operator"));
    const endpoint = await findEndpoint(deps.db, scope, id);
    const { page, limit, offset } = pageFromQuery(c);
    const { rows, total } = await listDeliveries(deps.db, scope, { endpointId: endpoint.id }, { limit, offset });
    const attempts = new Map<string, WebhookAttemptRow[]>();
    for (const a of await listAttempts(deps.db, rows.map((r) => r.id))) {
      attempts.set(a.delivery_id, [...(attempts.get(a.delivery_id) ?? []), a]);
    }
    const manage = canManage(c);
    const notice = noticeFor(c, WEBHOOK_NOTICES);
    // After "Send test event" the redirect names the test delivery; it is read back in scope.
    const testId = c.req.query("test");
    const found = testId ? await findDelivery(deps.db, scope, testId).catch(() => null) : null;
    const test = found?.endpoint_id === endpoint.id ? found : null;
    const base = `/dashboard/developers/webhooks/${endpoint.id}`;
    const now = deps.clock();
    return c.html(
      <DashboardPage c={c} title={`Webhook endpoint: ${endpoint.label ?? endpoint.url}`} active="webhooks">
        <p>
          <a href="/dashboard/developers/webhooks">← All endpoints</a>
        </p>
        {notice ? <Notice>{notice}</Notice> : null}
        {problem ? <Notice kind="error">{problem}</Notice> : null}
        {test
          ? (
            <Notice kind={test.status === "succeeded" ? "success" : "error"}>
              <span data-test-result={test.status}>Test event: {deliveryOutcome(test)}</span>
            </Notice>
          )
          : null}
        <dl class="details" data-endpoint-id={endpoint.id}>
          <dt>URL</dt>
          <dd>{endpoint.url}</dd>
          <dt>Status</dt>
          <dd>
            {endpoint.enabled
              ? "Enabled"
              : `Disabled${endpoint.disabled_reason ? `: ${endpoint.disabled_reason}` : ""}`}
          </dd>
          <dt>Events</dt>
          <dd>{endpoint.enabled_events.includes("*") ? "All events" : endpoint.enabled_events.join(", ")}</dd>
          <dt>Consecutive failures</dt>
          <dd>{endpoint.consecutive_failures}</dd>
          <dt>API version</dt>
          <dd>{endpoint.api_version}</dd>
          {endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now ? <dt>Rotation</dt> : null}
          {endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now
            ? <dd>The previous secret also signs until {formatTime(endpoint.previous_secret_expires_at)}.</dd>
            : null}
        </dl>
        {manage
          ? (
            <div class="actions">
              <form method="post" action={`${base}/test`}>
                {csrfField(c)}
                <button type="submit" data-action="send-test">Send test event</button>
              </form>
              <form method="post" action={`${base}/rotate-secret`}>
                {csrfField(c)}
                <button type="submit" data-action="rotate-secret">Rotate secret</button>
              </form>
              <form method="post" action={`${base}/${endpoint.enabled ? "disable" : "enable"}`}>
                {csrfField(c)}
                <button type="submit" data-action={endpoint.enabled ? "disable" : "enable"}>
                  {endpoint.enabled ? "Disable" : "Enable"}
                </button>
              </form>
              <form method="post" action={`${base}/delete`}>
                {csrfField(c)}
                <button type="submit" class="danger" data-action="delete-endpoint">Delete</button>
              </form>
            </div>
          )
          : null}
        <section aria-labelledby="deliveries-title">
          <h2 id="deliveries-title">Deliveries</h2>
          <table class="data-table" data-table="deliveries">
            <thead>
              <tr>
                <th>Created</th>
                <th>Event</th>
                <th>Session</th>
                <th>Status</th>
                <th>Outcome</th>
                <th>Attempts</th>
                {manage ? <th></th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr data-delivery-id={d.id} data-status={d.status}>
                  <td>{formatTime(d.created_at)}</td>
                  <td>
                    {d.event_type}
                    {d.is_test ? " (test)" : ""}
                  </td>
                  <td>{d.session_id ? <a href={`/dashboard/verifications/${d.session_id}`}>{d.session_id}</a> : ""}</td>
                  <td>{d.status}</td>
                  <td>{deliveryOutcome(d)}</td>
                  <td>
                    <details>
                      <summary>{d.attempt_count} attempt{d.attempt_count === 1 ? "" : "s"}</summary>
                      <ol class="attempts">
                        {(attempts.get(d.id) ?? []).map((a) => (
                          <li data-attempt={a.attempt_number}>
                            {formatTime(a.started_at)}, {a.duration_ms} ms:{" "}
                            {a.status_code !== null ? `HTTP ${a.status_code}` : "no response"}
                            {a.error ? ` (${a.error})` : ""}
                            {a.response_excerpt ? <pre>{a.response_excerpt}</pre> : null}
                          </li>
                        ))}
                      </ol>
                    </details>
                  </td>
                  {manage
                    ? (
                      <td>
                        {d.status === "failed" && !d.is_test
                          ? (
                            <form method="post" action={`/dashboard/developers/webhooks/deliveries/${d.id}/retry`}>
                              {csrfField(c)}
                              <button type="submit" data-action="retry-delivery">Retry</button>
                            </form>
                          )
                          : null}
                      </td>
                    )
                    : null}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p>No deliveries yet.</p> : null}
          <Pager c={c} page={page} hasMore={offset + rows.length < total} />
        </section>
      </DashboardPage>,
      problem ? 409 : 200,
    );
  }

  app.get("/developers/webhooks/:id", (c) => renderEndpoint(c, c.req.param("id")));

  app.post("/developers/webhooks/:id/test", async (c) => {
    requireManage(c);
    const endpoint = await findEndpoint(deps.db, operatorScope(c.get("operator")), c.req.param("id"));
    const result = await sendTestEvent(deps, endpoint);
    return c.redirect(`/dashboard/developers/webhooks/${endpoint.id}?test=${result.delivery_id}`, 303);
  });

  app.post("/developers/webhooks/:id/rotate-secret", async (c) => {
    requireManage(c);
    const { row, secret } = await rotateSecret(deps, operatorScope(c.get("operator")), c.req.param("id"));
    const graceEnds = new Date(row.updated_at.getTime() + ROTATION_GRACE_MS);
    return c.html(
      <DashboardPage c={c} title="Signing secret rotated" active="webhooks">
        <SecretOnce c={c} label={`New signing secret for ${row.url}`} secret={secret}>
          <p>
            Deliveries are signed with both the new and the previous secret until{" "}
            {formatTime(graceEnds)}, so the receiver can switch over.{" "}
            <a href={`/dashboard/developers/webhooks/${row.id}`}>Back to the endpoint</a>
          </p>
        </SecretOnce>
      </DashboardPage>,
    );
  });

  for (const [path, enabled] of [["enable", true], ["disable", false]] as const) {
    app.post(`/developers/webhooks/:id/${path}`, async (c) => {
      requireManage(c);
      const row = await updateEndpoint(deps, operatorScope(c.get("operator")), c.req.param("id"), { enabled });
      return c.redirect(`/dashboard/developers/webhooks/${row.id}?notice=${path}d`, 303);
    });
  }

  app.post("/developers/webhooks/:id/delete", async (c) => {
    requireManage(c);
    await deleteEndpoint(deps, operatorScope(c.get("operator")), c.req.param("id"));
    return c.redirect("/dashboard/developers/webhooks?notice=deleted", 303);
  });

  app.post("/developers/webhooks/deliveries/:id/retry", async (c) => {
    requireManage(c);
    const delivery = await findDelivery(deps.db, operatorScope(c.get("operator")), c.req.param("id"));
    try {
      assertRetryable(delivery);
    } catch (error) {
      if (error instanceof AppError && error.code === "conflict") {
        return await renderEndpoint(c, delivery.endpoint_id, error.detail);
      }
      throw error;
    }
    await retryDelivery(deps, delivery);
    return c.redirect(`/dashboard/developers/webhooks/${delivery.endpoint_id}?notice=retried`, 303);
  });

  return app;
}
