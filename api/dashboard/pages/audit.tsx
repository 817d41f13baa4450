/**
 * Owns the dashboard's Audit log page. The hash-chained, tamper-evident audit log is issue #9 and
 * not built yet; until it is, this page shows the organisation's event timeline (the outbox in
 * core/events/outbox.ts) for the environment being viewed, filtered by type and session and paged.
 * Event payloads hold ids and statuses only, never PII, so they are shown as they are.
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import { listEvents } from "../../../core/events/outbox.ts";
import { WEBHOOK_EVENT_TYPES } from "../../../core/webhooks/event_types.ts";
import { type DashboardEnv, operatorScope } from "../env.ts";
import { DashboardPage } from "../layout.tsx";
import { formatTime, pageFromQuery, Pager } from "./forms.tsx";

const PAGE_SIZE = 50;
/** Event types the outbox writes (the webhook catalogue minus the test event, which is never stored). */
const EVENT_TYPES = Object.keys(WEBHOOK_EVENT_TYPES).filter((type) => type !== "webhook.test");

export function auditPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();

  app.get("/audit", async (c) => {
    const operator = c.get("operator");
    const type = c.req.query("type") ?? "";
    const sessionId = (c.req.query("session_id") ?? "").trim();
    const { page, limit, offset } = pageFromQuery(c, PAGE_SIZE);
    const { rows, hasMore } = await listEvents(deps.db, operatorScope(operator), {
      type: EVENT_TYPES.includes(type) ? type : undefined,
      sessionId: sessionId || undefined,
    }, { limit, offset });
    return c.html(
      <DashboardPage c={c} title="Events" active="audit">
        <p class="notice info" data-audit-note>
          This is the organisation's event timeline in the <strong>{operator.environment}</strong>{" "}
          environment: what happened to sessions, identities and review cases, as webhooks report it. The tamper-evident
          (hash-chained) audit log of who did what arrives with the data-lifecycle features.
        </p>
        <form method="get" action="/dashboard/audit" class="filters">
          <label>
            Type{" "}
            <select name="type">
              <option value="">All types</option>
              {EVENT_TYPES.map((t) => <option key={t} value={t} selected={t === type}>{t}</option>)}
            </select>
          </label>
          <label>
            Session id <input type="search" name="session_id" value={sessionId} placeholder="ses_…" />
          </label>
          <button type="submit">Filter</button>
          {type || sessionId ? <a href="/dashboard/audit">Clear</a> : null}
        </form>
        <table class="data-table" data-table="events">
          <thead>
            <tr>
              <th>Time</th>
              <th>Type</th>
              <th>Session</th>
              <th>Identity</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr data-event-id={e.id} data-event-type={e.type}>
                <td>{formatTime(e.created_at)}</td>
                <td>{e.type}</td>
                <td>{e.session_id ? <a href={`/dashboard/verifications/${e.session_id}`}>{e.session_id}</a> : ""}</td>
                <td>
                  {e.identity_id ? <a href={`/dashboard/identities/${e.identity_id}`}>{e.identity_id}</a> : ""}
                </td>
                <td>
                  {Object.keys(e.payload ?? {}).length ? <code>{JSON.stringify(e.payload)}</code> : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p>No events{type || sessionId ? " match these filters" : " yet"}.</p> : null}
        <Pager c={c} page={page} hasMore={hasMore} />
      </DashboardPage>,
    );
  });

  return app;
}
