/**
 * Owns the dashboard's Identities pages: the list (status filter, search by external_ref, archived
 * toggle, pages) and an identity's page — its status, personal data exactly as the API shows it
 * (decrypted, filtered by the organisation's `api_pii_fields`), its sessions, tags and flag state —
 * with flag/unflag and archive/restore for admins and reviewers (viewers get 403). Everything goes
 * through core/identities with the operator's scope, so another organisation's identity is a 404.
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import type { SessionRow } from "../../../core/db/database.ts";
import { parseOrThrow } from "../../../core/validation.ts";
import { IDENTITY_STATUSES } from "../../../core/identities/status.ts";
import { flagSchema } from "../../../core/identities/input.ts";
import type { IdentityDto } from "../../../core/identities/dto.ts";
import { findIdentity, listIdentityRows, listIdentitySessions } from "../../../core/identities/repository.ts";
import {
  archiveIdentity,
  flagIdentity,
  presentIdentities,
  presentIdentity,
  restoreIdentity,
  unflagIdentity,
} from "../../../core/identities/service.ts";
import { type DashboardContext, type DashboardEnv, operatorScope } from "../env.ts";
import { csrfField, DashboardPage } from "../layout.tsx";
import { operatorPrincipal } from "../operator_principal.ts";
import {
  DataTable,
  FieldError,
  type FieldErrors,
  formatTime,
  Notice,
  noticeFor,
  pageFromQuery,
  Pager,
  readForm,
} from "./forms.tsx";
import { label, StatusBadge } from "./verifications/list_view.tsx";
import { attempt, canReview, type Refusal, requireReview } from "./actions.ts";

const NOTICES: Record<string, string> = {
  flagged: "The identity is flagged.",
  unflagged: "The flag was removed.",
  archived: "The identity is archived: lists leave it out unless you include archived ones.",
  restored: "The identity is restored.",
};

/** An identity's sessions shown on its page, newest first. */
const SESSIONS_SHOWN = 50;

interface ListFilters {
  status: string;
  q: string;
  archived: boolean;
}

function listFilters(c: DashboardContext): ListFilters {
  const status = c.req.query("status") ?? "";
  return {
    status: (IDENTITY_STATUSES as readonly string[]).includes(status) ? status : "",
    q: (c.req.query("q") ?? "").trim().slice(0, 255),
    archived: c.req.query("archived") === "1",
  };
}

const when = (value: string | null) => (value ? formatTime(new Date(value)) : "—");

function IdentityBadge({ status }: { status: string }) {
  return <span class={`badge identity-${status}`} data-identity-status={status}>{label(status)}</span>;
}

function FilterForm({ filters }: { filters: ListFilters }) {
  return (
    <form method="get" action="/dashboard/identities" class="filters" role="search" data-form="filters">
      <label>
        Status
        <select name="status">
          <option value="">Any</option>
          {IDENTITY_STATUSES.map((s) => <option key={s} value={s} selected={filters.status === s}>{label(s)}</option>)}
        </select>
      </label>
      <label>
        Search
        <input type="search" name="q" value={filters.q} placeholder="External reference or identity ID" />
      </label>
      <label class="checkbox">
        <input type="checkbox" name="archived" value="1" checked={filters.archived} />
        Include archived
      </label>
      <button type="submit">Filter</button>
      {filters.status || filters.q || filters.archived ? <a href="/dashboard/identities">Clear</a> : null}
    </form>
  );
}

function IdentitiesTable({ identities }: { identities: IdentityDto[] }) {
  if (identities.length === 0) return <p data-empty>No identities match.</p>;
  return (
    <DataTable
      name="identities"
      headings={["Identity", "External ref", "Status", "Sessions", "Flag", "Last verified", "Created"]}
    >
      {identities.map((identity) => (
        <tr data-identity-id={identity.id}>
          <td>
            <a href={`/dashboard/identities/${identity.id}`}>{identity.id}</a>
          </td>
          <td>{identity.external_ref ?? "—"}</td>
          <td>
            <IdentityBadge status={identity.status} />
            {identity.archived_at ? <span class="badge archived">archived</span> : null}
          </td>
          <td>{identity.session_count}</td>
          <td>{identity.is_flagged ? <span class="badge flagged" data-flagged>flagged</span> : "—"}</td>
          <td>{when(identity.last_verified_at)}</td>
          <td>{when(identity.created_at)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** A PII value as text: nested values (the address) as "key: value" pairs. */
function piiText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => `${label(k)}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(", ") || "—";
  }
  return String(value);
}

function Personal({ identity }: { identity: IdentityDto }) {
  const entries = Object.entries(identity.extracted_data);
  return (
    <section aria-labelledby="pii-title" data-section="pii">
      <h2 id="pii-title">Personal data</h2>
      {entries.length === 0
        ? <p>No personal data (or none the organisation's API PII fields allow).</p>
        : (
          <dl class="details">
            {entries.map(([key, value]) => (
              <>
                <dt>{label(key)}</dt>
                <dd data-pii={key}>{piiText(value)}</dd>
              </>
            ))}
          </dl>
        )}
      <p class="hint">Shown as the API shows it: only the fields in Settings → API PII fields.</p>
    </section>
  );
}

function Sessions({ sessions, total }: { sessions: SessionRow[]; total: number }) {
  return (
    <section aria-labelledby="sessions-title" data-section="sessions">
      <h2 id="sessions-title">Sessions ({total})</h2>
      {sessions.length === 0
        ? <p>No sessions.</p>
        : (
          <DataTable name="sessions" headings={["Session", "Status", "Created", "Completed"]}>
            {sessions.map((s) => (
              <tr data-session-id={s.id}>
                <td>
                  <a href={`/dashboard/verifications/${s.id}`}>{s.id}</a>
                </td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
                <td>{formatTime(s.created_at)}</td>
                <td>{formatTime(s.completed_at)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      {total > sessions.length ? <p class="hint">The {sessions.length} most recent are shown.</p> : null}
    </section>
  );
}

function Actions({ c, identity, errors }: {
  c: DashboardContext;
  identity: IdentityDto;
  errors?: FieldErrors;
}) {
  if (!canReview(c) || identity.status === "redacted" || identity.status === "merged") return null;
  const base = `/dashboard/identities/${identity.id}`;
  return (
    <section aria-labelledby="actions-title" data-section="actions">
      <h2 id="actions-title">Actions</h2>
      <div class="actions">
        {identity.is_flagged
          ? (
            <form method="post" action={`${base}/unflag`}>
              {csrfField(c)}
              <button type="submit" data-action="unflag">Remove flag</button>
            </form>
          )
          : (
            <form method="post" action={`${base}/flag`} data-form="flag">
              {csrfField(c)}
              <label>
                Reason
                <input type="text" name="reason" maxlength={500} required />
              </label>
              <FieldError errors={errors} field="reason" />
              <button type="submit" data-action="flag">Flag</button>
            </form>
          )}
        {identity.archived_at
          ? (
            <form method="post" action={`${base}/restore`}>
              {csrfField(c)}
              <button type="submit" data-action="restore">Restore</button>
            </form>
          )
          : (
            <form method="post" action={`${base}/archive`}>
              {csrfField(c)}
              <button type="submit" class="danger" data-action="archive">Archive</button>
            </form>
          )}
      </div>
    </section>
  );
}

function IdentityDetail({ identity }: { identity: IdentityDto }) {
  return (
    <section aria-labelledby="identity-title" data-section="identity">
      <h2 id="identity-title">Identity</h2>
      <dl class="details">
        <dt>Identity ID</dt>
        <dd>
          <code>{identity.id}</code>
        </dd>
        <dt>External ref</dt>
        <dd>{identity.external_ref ?? "—"}</dd>
        <dt>Status</dt>
        <dd>
          <IdentityBadge status={identity.status} />
        </dd>
        <dt>Flag</dt>
        <dd data-flag-state={identity.is_flagged ? "flagged" : "not_flagged"}>
          {identity.is_flagged
            ? `Flagged ${when(identity.flagged_at)}${identity.flag_reason ? `: ${identity.flag_reason}` : ""}`
            : "Not flagged"}
        </dd>
        <dt>Archived</dt>
        <dd>{identity.archived_at ? when(identity.archived_at) : "No"}</dd>
        <dt>Tags</dt>
        <dd data-tags>
          {identity.tags.length ? identity.tags.map((tag) => <span key={tag} class="badge tag">{tag}</span>) : "—"}
        </dd>
        <dt>Country</dt>
        <dd>{identity.country ?? "—"}</dd>
        <dt>Latest session</dt>
        <dd>
          {identity.latest_session_id
            ? <a href={`/dashboard/verifications/${identity.latest_session_id}`}>{identity.latest_session_id}</a>
            : "—"}
        </dd>
        <dt>Face match / age check</dt>
        <dd>
          {identity.face_match_passed === null ? "—" : identity.face_match_passed ? "passed" : "failed"} /{" "}
          {identity.age_check_passed === null ? "—" : identity.age_check_passed ? "passed" : "failed"}
        </dd>
        {identity.merged_into
          ? (
            <>
              <dt>Merged into</dt>
              <dd>
                <a href={`/dashboard/identities/${identity.merged_into}`}>{identity.merged_into}</a>
              </dd>
            </>
          )
          : null}
        {identity.legal_hold
          ? (
            <>
              <dt>Legal hold</dt>
              <dd>Yes</dd>
            </>
          )
          : null}
        <dt>First verified</dt>
        <dd>{when(identity.first_verified_at)}</dd>
        <dt>Last verified</dt>
        <dd>{when(identity.last_verified_at)}</dd>
        <dt>Created</dt>
        <dd>{when(identity.created_at)}</dd>
      </dl>
    </section>
  );
}

export function identitiesPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();
  const scopeOf = (c: DashboardContext) => operatorScope(c.get("operator"));

  app.get("/identities", async (c) => {
    const scope = scopeOf(c);
    const filters = listFilters(c);
    const { page, limit, offset } = pageFromQuery(c);
    const { rows, hasMore } = await listIdentityRows(deps.db, scope, {
      status: filters.status ? [filters.status] : undefined,
      q: filters.q || undefined,
      includeArchived: filters.archived,
    }, { kind: "offset", limit, offset });
    const identities = await presentIdentities(deps, deps.db, scope, rows);
    return c.html(
      <DashboardPage c={c} title="Identities" active="identities">
        <FilterForm filters={filters} />
        <IdentitiesTable identities={identities} />
        <Pager c={c} page={page} hasMore={hasMore} />
      </DashboardPage>,
    );
  });

  async function renderIdentity(
    c: DashboardContext,
    idOrRef: string,
    state: Refusal = {},
    status: 200 | 409 | 422 = 200,
  ) {
    const scope = scopeOf(c);
    const row = await findIdentity(deps.db, scope, idOrRef);
    const [identity, sessions] = await Promise.all([
      presentIdentity(deps, scope, row),
      listIdentitySessions(deps.db, scope, row.id, { limit: SESSIONS_SHOWN, offset: 0 }),
    ]);
    const notice = noticeFor(c, NOTICES);
    return c.html(
      <DashboardPage c={c} title={`Identity ${identity.external_ref ?? identity.id}`} active="identities">
        <p>
          <a href="/dashboard/identities">← All identities</a>
        </p>
        {notice ? <Notice>{notice}</Notice> : null}
        {state.problem ? <Notice kind="error">{state.problem}</Notice> : null}
        <Actions c={c} identity={identity} errors={state.errors} />
        <IdentityDetail identity={identity} />
        <Personal identity={identity} />
        <Sessions sessions={sessions.rows} total={sessions.total} />
      </DashboardPage>,
      status,
    );
  }

  app.get("/identities/:id", (c) => renderIdentity(c, c.req.param("id")));

  /** An identity action as the operator; a refusal (redacted, merged, no reason) is shown on the page. */
  function action(path: string, run: (c: DashboardContext, id: string) => Promise<{ id: string }>, notice: string) {
    app.post(`/identities/:id/${path}`, async (c) => {
      requireReview(c);
      const id = c.req.param("id");
      let changed = id;
      const refused = await attempt(async () => {
        changed = (await run(c, id)).id;
      }, (refusal, status) => renderIdentity(c, id, refusal, status));
      return refused ?? c.redirect(`/dashboard/identities/${changed}?notice=${notice}`, 303);
    });
  }

  action("flag", async (c, id) => {
    const form = await readForm(c);
    // Found first, so another organisation's identity is a 404 rather than a form error.
    await findIdentity(deps.db, scopeOf(c), id);
    const { reason } = parseOrThrow(flagSchema, { reason: form.text("reason") });
    // The principal's keyId is the operator's user id, so flagged_by records who flagged.
    return await flagIdentity(deps, operatorPrincipal(c.get("operator"), ["identities:write"]), id, reason);
  }, "flagged");
  action("unflag", (c, id) => unflagIdentity(deps, scopeOf(c), id), "unflagged");
  action("archive", (c, id) => archiveIdentity(deps, scopeOf(c), id), "archived");
  action("restore", (c, id) => restoreIdentity(deps, scopeOf(c), id), "restored");

  return app;
}
