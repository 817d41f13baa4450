/**
 * Owns keeping a person's identity in step with their sessions' outcomes: in the transaction that
 * records an outcome, the identity named by the session's external_ref is created or updated, the
 * session linked to it, and `identity.created` or `identity.updated` written to the outbox.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import type { SessionOutcome } from "../outcomes/follow_ups.ts";
import { foldPii, piiFromExtracted, readPii, writePii } from "./pii.ts";
import { statusForOutcome } from "./status.ts";
import { recordIdentityEvent } from "./events.ts";
import {
  linkSession,
  lockIdentities,
  lockOrCreateIdentity,
  refreshSessionCount,
  updateIdentityRow,
} from "./repository.ts";

/** Merges only ever point at a live identity, so one hop suffices; the bound guards against bad data. */
const MAX_MERGE_HOPS = 5;

/**
 * Returns the identity's id, or null when the session has no external_ref, or when its
 * external_ref leads (through a merge) to an erased identity: an erasure is not undone by linking
 * new sessions to it. A redacted identity gives its external_ref back, so a session after an
 * erasure starts a new identity; a merged one routes its sessions to the identity it joined.
 */
export async function upsertIdentityForOutcome(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  outcome: SessionOutcome,
): Promise<string | null> {
  const { session, now } = outcome;
  if (!session.external_ref) return null;
  let { identity, created } = await lockOrCreateIdentity(tx, scope, session.external_ref, now);
  for (let hop = 0; identity.status === "merged" && identity.merged_into && hop < MAX_MERGE_HOPS; hop++) {
    const [target] = await lockIdentities(tx, scope, [identity.merged_into]);
    if (!target) break;
    identity = target;
  }
  if (identity.status === "redacted" || identity.status === "merged") return null;

  const approved = outcome.resultStatus === "approved";
  const incoming = piiFromExtracted(outcome.extracted);
  const pii = foldPii(readPii(deps.keyRing, identity), incoming, approved);
  const documentCountry = typeof outcome.extracted.document_issuing_country === "string"
    ? outcome.extracted.document_issuing_country
    : session.country;
  const status = statusForOutcome(outcome.resultStatus, identity.status);

  await linkSession(tx, scope, session.id, identity.id);
  if (session.identity_id && session.identity_id !== identity.id) {
    // The session's external_ref changed since it was last decided: the old identity loses it.
    await refreshSessionCount(tx, scope, session.identity_id);
  }
  await refreshSessionCount(tx, scope, identity.id);
  const updated = await updateIdentityRow(tx, scope, identity.id, {
    ...writePii(deps.keyRing, deps.indexKey, identity.id, pii),
    status,
    country: approved || !identity.country ? documentCountry ?? identity.country : identity.country,
    latest_session_id: session.id,
    first_verified_at: approved ? identity.first_verified_at ?? now : identity.first_verified_at,
    last_verified_at: approved ? now : identity.last_verified_at,
    updated_at: now,
  });
  await recordIdentityEvent(tx, scope, updated, created ? "identity.created" : "identity.updated", {
    session_id: session.id,
    result_status: outcome.resultStatus,
  }, now);
  return identity.id;
}
