/**
 * Owns the outbox events about identities: each carries the identity's id, external_ref and status
 * (what a webhook receiver needs to fetch it) and the names of what changed, never personal data;
 * and what the identity's erasure takes out of them.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/create_db.ts";
import type { IdentityRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { recordEvent, type SessionEventType } from "../events/outbox.ts";
import { scrubDeliveries } from "../privacy/redaction.ts";

export type IdentityEventType = Extract<SessionEventType, `identity.${string}`>;

export async function recordIdentityEvent(
  tx: DbOrTx,
  scope: Scope,
  identity: IdentityRow,
  type: IdentityEventType,
  details: Record<string, unknown>,
  now: Date,
): Promise<void> {
  // No sessionId: the webhook payload of an event without a session is the identity's own flat shape.
  await recordEvent(tx, scope, {
    type,
    identityId: identity.id,
    payload: { external_ref: identity.external_ref, status: identity.status, ...details },
  }, now);
}

/** The identity events whose payload names the tags that changed. */
const TAG_EVENTS: IdentityEventType[] = ["identity.tag-added", "identity.tag-removed"];

/**
 * Erasure of the identity (issue #15 item 7): tags are free text a customer may fill with personal
 * data, and the erasure clears them on the identity, so the events that carried them lose them too
 * (the events stay, with their type, time and ids) along with the webhook bodies kept for them.
 * Returns how many events changed.
 */
export async function eraseIdentityEventTags(
  tx: DbOrTx,
  scope: Scope,
  identityId: string,
  now: Date,
): Promise<number> {
  const changed = await tx.updateTable("events").set({ payload: sql`payload - 'tags'` })
    .where("identity_id", "=", identityId).where("org_id", "=", scope.orgId)
    .where("environment", "=", scope.environment).where("type", "in", TAG_EVENTS)
    .where(sql<boolean>`payload ? 'tags'`).returning("id").execute();
  await scrubDeliveries(tx, scope, { eventIds: changed.map((e) => e.id) }, now);
  return changed.length;
}
