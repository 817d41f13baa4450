/**
 * Owns the Verifications list: the filter form (status, result, search), the table (status,
 * result, risk level, external ref, created) and the "+ New Verification" entry point.
 */
import type { Child } from "hono/jsx";
import type { SessionRow } from "../../../../core/db/database.ts";
import type { RiskLevel } from "../../../../core/risk/assessment.ts";
import { SESSION_STATUSES } from "../../../../core/sessions/status.ts";
import type { DashboardContext } from "../../env.ts";
import { formatTime, Pager } from "../forms.tsx";

export const RESULT_STATUSES = ["approved", "rejected", "needs_review"] as const;
export type ResultStatus = typeof RESULT_STATUSES[number];

export interface ListFilters {
  status: string;
  result: string;
  q: string;
}

export interface ListRow {
  session: SessionRow;
  result: ResultStatus | null;
  risk: RiskLevel;
}

export const label = (value: string) => value.replaceAll("_", " ");

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`} data-status={status}>{label(status)}</span>;
}

function Choice({ name, label: text, options, value }: {
  name: string;
  label: string;
  options: readonly string[];
  value: string;
}) {
  return (
    <label>
      {text}
      <select name={name}>
        <option value="">Any</option>
        {options.map((o) => <option key={o} value={o} selected={value === o}>{label(o)}</option>)}
      </select>
    </label>
  );
}

function FilterForm({ filters }: { filters: ListFilters }) {
  return (
    <form method="get" action="/dashboard/verifications" class="filters" role="search" data-form="filters">
      <Choice name="status" label="Status" options={SESSION_STATUSES} value={filters.status} />
      <Choice name="result" label="Result" options={RESULT_STATUSES} value={filters.result} />
      <label>
        Search
        <input type="search" name="q" value={filters.q} placeholder="External reference or session ID" />
      </label>
      <button type="submit">Filter</button>
      {filters.status || filters.result || filters.q ? <a href="/dashboard/verifications">Clear</a> : null}
    </form>
  );
}

export interface ListViewProps {
  c: DashboardContext;
  rows: ListRow[];
  filters: ListFilters;
  page: number;
  hasMore: boolean;
  canCreate: boolean;
  /** The dialogs the page carries (New Verification, and Verification Created after a create). */
  dialogs?: Child;
}

export function VerificationsList({ c, rows, filters, page, hasMore, canCreate, dialogs }: ListViewProps) {
  const environment = c.get("operator").environment;
  return (
    <>
      <div class="page-actions">
        <p>
          {environment === "sandbox" ? "Sandbox" : "Live"} sessions, newest first.
        </p>
        {canCreate
          ? (
            <a class="button primary" href="/dashboard/verifications/new" data-action="open-new-verification">
              + New Verification
            </a>
          )
          : null}
      </div>
      <FilterForm filters={filters} />
      <table class="data-table" data-table="verifications">
        <thead>
          <tr>
            <th>Session</th>
            <th>External ref</th>
            <th>Status</th>
            <th>Result</th>
            <th>Risk level</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ session, result, risk }) => (
            <tr data-session-id={session.id}>
              <td>
                <a href={`/dashboard/verifications/${session.id}`}>{session.id}</a>
              </td>
              <td data-col="external_ref">{session.external_ref ?? "—"}</td>
              <td data-col="status">
                <StatusBadge status={session.status} />
              </td>
              <td data-col="result">{result ? <span class={`badge result-${result}`}>{label(result)}</span> : "—"}</td>
              <td data-col="risk">
                <span class={`badge risk-${risk}`}>{risk}</span>
              </td>
              <td data-col="created">{formatTime(session.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p data-empty>No verifications match.</p> : null}
      <Pager c={c} page={page} hasMore={hasMore} />
      {dialogs}
      <script src="/dashboard/static/verifications.js" defer></script>
      <script type="module" src="/dashboard/static/copy.js"></script>
    </>
  );
}
