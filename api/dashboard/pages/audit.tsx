/**
 * Owns the dashboard's Audit log page: the organisation's tamper-evident, hash-chained audit rows
 * (core/audit/query.ts, as `GET /api/v1/events` reads them) for the environment being viewed plus
 * the organisation-wide rows (sign-ins, users, settings), newest first, with the API's filters
 * (action, with `prefix.*`; actor; target; dates; free text) and paging. Each row shows its place
 * in the chain (sequence number and abbreviated hash); `deno task verify-audit` proves the chain.
 * Rows hold ids, counts and field names, never personal data, so they are shown as they are.
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import type { AuditLogRow } from "../../../core/db/database.ts";
import { type AuditFilters, listAuditEvents } from "../../../core/audit/query.ts";
import { type DashboardContext, type DashboardEnv, operatorScope } from "../env.ts";
import { DashboardPage } from "../layout.tsx";
import { reviewerNames } from "./actions.ts";
import { DataTable, formatTime, Notice, pageFromQuery, Pager } from "./forms.tsx";

const PAGE_SIZE = 50;
/** Dotted names, optionally ending in `*` for a prefix (`dashboard.*`), as the API accepts. */
const ACTION = /^[a-z0-9_.-]+\*?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_TEXT = 200;
/** Where a target's own page is, for the types that have one. */
const TARGET_PAGES: Record<string, string> = {
  session: "/dashboard/verifications/",
  case: "/dashboard/review/",
  identity: "/dashboard/identities/",
  workflow: "/dashboard/workflows/",
  list: "/dashboard/lists/",
  webhook: "/dashboard/developers/webhooks/",
};

interface FilterValues {
  action: string;
  actor: string;
  target: string;
  from: string;
  to: string;
  q: string;
}

function filterValues(c: DashboardContext): FilterValues {
  const text = (name: string) => (c.req.query(name) ?? "").trim().slice(0, MAX_TEXT);
  return {
    action: text("action"),
    actor: text("actor"),
    target: text("target"),
    from: text("from"),
    to: text("to"),
    q: text("q"),
  };
}

/** The query's filters for core, and what was ignored as malformed (shown, never a 500). */
function toFilters(values: FilterValues): { filters: AuditFilters; problems: string[] } {
  const problems: string[] = [];
  const filters: AuditFilters = {};
  if (values.action) {
    const actions = values.action.split(",").map((a) => a.trim()).filter(Boolean);
    const bad = actions.find((a) => !ACTION.test(a));
    if (bad) problems.push(`Action "${bad}" is not a dotted name (optionally ending in *); ignored.`);
    else filters.actions = actions;
  }
  if (values.actor) filters.actor = values.actor;
  if (values.target) filters.resourceId = values.target;
  const day = (value: string, name: string, plusOne: boolean) => {
    if (!value) return undefined;
    const date = DAY.test(value) ? new Date(`${value}T00:00:00Z`) : null;
    if (!date || Number.isNaN(date.getTime())) {
      problems.push(`${name} must be a date (YYYY-MM-DD); ignored.`);
      return undefined;
    }
    return plusOne ? new Date(date.getTime() + 86_400_000) : date;
  };
  filters.createdAfter = day(values.from, "From", false);
  // "To" is inclusive: rows before the start of the next day.
  filters.createdBefore = day(values.to, "To", true);
  if (values.q) filters.q = values.q;
  return { filters, problems };
}

function Target({ row }: { row: AuditLogRow }) {
  if (!row.target_id) return <>{row.target_type ?? ""}</>;
  const page = row.target_type && Object.hasOwn(TARGET_PAGES, row.target_type) ? TARGET_PAGES[row.target_type] : null;
  return (
    <>
      {row.target_type ? <span class="muted">{row.target_type}</span> : null}{" "}
      {page
        ? <a href={`${page}${encodeURIComponent(row.target_id)}`}>{row.target_id}</a>
        : <code>{row.target_id}</code>}
    </>
  );
}

export function auditPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();

  app.get("/audit", async (c) => {
    const operator = c.get("operator");
    const values = filterValues(c);
    const { filters, problems } = toFilters(values);
    const { page, limit, offset } = pageFromQuery(c, PAGE_SIZE);
    const [{ rows, total }, who] = await Promise.all([
      listAuditEvents(deps.db, operatorScope(operator), filters, { limit, offset }),
      reviewerNames(deps, c),
    ]);
    const filtered = Object.values(values).some(Boolean);
    return c.html(
      <DashboardPage c={c} title="Audit log" active="audit">
        <p class="notice info" data-audit-note>
          Who did what in the <strong>{operator.environment}</strong>{" "}
          environment, and across the organisation (sign-ins, users, settings): API calls, dashboard actions, exports
          and redactions. The log is append-only and hash-chained; <code>deno task verify-audit</code> proves it intact.
        </p>
        {problems.map((p) => <Notice key={p} kind="error">{p}</Notice>)}
        <form method="get" action="/dashboard/audit" class="filters">
          <label>
            Action <input type="search" name="action" value={values.action} placeholder="dashboard.session.*" />
          </label>
          <label>
            Actor <input type="search" name="actor" value={values.actor} placeholder="operator:usr_… or key_…" />
          </label>
          <label>
            Target <input type="search" name="target" value={values.target} placeholder="ses_…" />
          </label>
          <label>
            From <input type="date" name="from" value={values.from} />
          </label>
          <label>
            To <input type="date" name="to" value={values.to} />
          </label>
          <label>
            Search <input type="search" name="q" value={values.q} />
          </label>
          <button type="submit">Filter</button>
          {filtered ? <a href="/dashboard/audit">Clear</a> : null}
        </form>
        <DataTable name="audit" headings={["#", "Time", "Actor", "Action", "Target", "Hash"]}>
          {rows.map((row) => (
            <tr key={row.id} data-audit-id={row.id} data-action={row.action}>
              <td data-sequence={String(row.sequence_num)}>{String(row.sequence_num)}</td>
              <td>{formatTime(new Date(row.created_at))}</td>
              <td data-actor={`${row.actor_type}:${row.actor_id}`}>
                {row.actor_type === "operator"
                  ? <span title={row.actor_id}>{who(row.actor_id)}</span>
                  : <code>{`${row.actor_type}:${row.actor_id}`}</code>}
              </td>
              <td>
                <code>{row.action}</code>{" "}
                {row.environment === null ? <span class="muted org-wide">(organisation)</span> : null}
              </td>
              <td>
                <Target row={row} />
              </td>
              <td>
                <code title={row.hash} data-hash={row.hash}>{row.hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </DataTable>
        {rows.length === 0 ? <p>No audit rows{filtered ? " match these filters" : " yet"}.</p> : null}
        <p class="muted">{total} row{total === 1 ? "" : "s"}.</p>
        <Pager c={c} page={page} hasMore={offset + rows.length < total} />
      </DashboardPage>,
    );
  });

  return app;
}
