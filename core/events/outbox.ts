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
