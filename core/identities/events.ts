/**
 * Owns the outbox events about identities: each carries the identity's id, external_ref and status
 * (what a webhook receiver needs to fetch it) and the names of what changed, never personal data.
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { IdentityRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { recordEvent, type SessionEventType } from "../events/outbox.ts";

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
