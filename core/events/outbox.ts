/**
 * Owns the event outbox: each domain event is inserted in the transaction that makes the state
 * change it reports, so a crash can never commit one without the other. The webhook relay reads
 * unrelayed rows from here. Payloads hold ids and statuses only, never PII.
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { newId } from "../ids.ts";
import type { Insertable } from "kysely";
import type { EventsTable } from "../db/database.ts";

export type SessionEventType =
  | "session.created"
  | "session.started"
  | "session.expired"
  | "session.approved"
  | "session.declined"
  | "session.requires-review"
  | "session.resubmission-required"
  | "session.awaiting_external"
  | "session.redacted"
  | "session.retention-expired"
  | "identity.created"
  | "identity.updated"
  | "identity.flagged"
  | "identity.archived"
  | "identity.restored"
  | "identity.tag-added"
  | "identity.tag-removed"
  | "case.created"
  | "case.approved"
  | "case.rejected"
  | "case.escalated";

export interface EventInput {
  type: SessionEventType;
  sessionId?: string;
  identityId?: string;
  payload?: Record<string, unknown>;
}

/** The outbox row for an event, for callers that insert it inside a larger statement. */
export function eventRow(scope: Scope, event: EventInput, now: Date): Insertable<EventsTable> {
  return {
    id: newId("evt"),
    org_id: scope.orgId,
    environment: scope.environment,
    type: event.type,
    session_id: event.sessionId ?? null,
    identity_id: event.identityId ?? null,
    idempotency_key: newId("idk"),
    payload: JSON.stringify(event.payload ?? {}),
    created_at: now,
  };
}

export async function recordEvent(tx: DbOrTx, scope: Scope, event: EventInput, now: Date): Promise<string> {
  const row = eventRow(scope, event, now);
  await tx.insertInto("events").values(row).execute();
  return row.id;
}

export async function listSessionEvents(tx: DbOrTx, scope: Scope, sessionId: string) {
  return await tx.selectFrom("events").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("session_id", "=", sessionId)
    .orderBy("created_at").orderBy("id").execute();
}

export interface EventFilters {
  type?: string;
  sessionId?: string;
}

/**
 * The scope's event timeline, newest first, for people reading it (the dashboard's event log).
 * No total: counting a busy org's events on every page costs more than the page; `hasMore` says
 * whether another page follows.
 */
export async function listEvents(
  db: DbOrTx,
  scope: Scope,
  filters: EventFilters,
  page: { limit: number; offset: number },
) {
  let query = db.selectFrom("events").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (filters.type) query = query.where("type", "=", filters.type);
  if (filters.sessionId) query = query.where("session_id", "=", filters.sessionId);
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc")
    .limit(page.limit + 1).offset(page.offset).execute();
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}
