/**
 * Owns placing and releasing legal holds on a session or an identity (issue #15): each change is
 * one transaction with the row locked and an audit row (`legal_hold.set` / `legal_hold.released`)
 * that carries the reason. A release always needs a reason, since it re-opens the data to every
 * erasure path (API, bulk, identity erasure, retention). The API grants this only to the opt-in
 * `legal_hold:write` scope (api/routes/sessions.ts, api/routes/identities.ts).
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { IdentityRow, SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError } from "../errors.ts";
import { appendAuditEvent, type AuditActor } from "../audit/log.ts";
import { findSession, updateSessionRow } from "../sessions/repository.ts";
import { findIdentity, lockIdentities, updateIdentityRow } from "../identities/repository.ts";
import { recordIdentityEvent } from "../identities/events.ts";
import { assertWritable } from "../identities/status.ts";
import { parseOrThrow, requireObject } from "../validation.ts";
import { snakeKeys } from "../casing.ts";

const reason = z.string({ error: (issue) => issue.input === undefined ? "is required" : "must be a string" }).trim()
  .min(1, "must not be empty").max(500, "must be at most 500 characters");
export const holdRequestSchema = z.strictObject({ reason: reason.optional() });
export const releaseRequestSchema = z.strictObject({ reason });

/** `{reason?}` to place a hold. */
export function parseHoldRequest(body: unknown): { reason?: string } {
  return parseOrThrow(holdRequestSchema, snakeKeys(requireObject(body)));
}

/** `{reason}` to release one: the reason is required. */
export function parseReleaseRequest(body: unknown): { reason: string } {
  return parseOrThrow(releaseRequestSchema, snakeKeys(requireObject(body)));
}

/** Who changes a hold, for its audit row. */
export interface HoldChangeBy {
  actor: AuditActor;
  requestId?: string | null;
}

type Change = "set" | "released";

async function audit(
  tx: DbOrTx,
  scope: Scope,
  by: HoldChangeBy,
  target: { type: "session" | "identity"; id: string },
  change: Change,
  reason: string | null,
  now: Date,
) {
  await appendAuditEvent(tx, {
    orgId: scope.orgId,
    environment: scope.environment,
    actor: by.actor,
    action: `legal_hold.${change}`,
    targetType: target.type,
    targetId: target.id,
    // The reason is the record a release needs (who let the data go, and why).
    details: { reason },
    requestId: by.requestId ?? null,
  }, now);
}

function assertSessionOpen(session: SessionRow): void {
  if (session.retention_status === "redacted") {
    throw new AppError("invalid_session_state", "Cannot change the legal hold of a redacted session.");
  }
}

async function changeSessionHold(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  change: Change,
  reason: string | null,
  by: HoldChangeBy,
): Promise<SessionRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock();
    const session = await findSession(tx, scope, id, { forUpdate: true });
    assertSessionOpen(session);
    if (change === "released" && !session.legal_hold) return session;
    const values = change === "set"
      // Re-wording a hold keeps the time it was first placed.
      ? { legal_hold: true, legal_hold_reason: reason, legal_hold_set_at: session.legal_hold_set_at ?? now }
      : { legal_hold: false, legal_hold_reason: null, legal_hold_set_at: null };
    const updated = await updateSessionRow(tx, scope, id, { ...values, updated_at: now });
    await audit(tx, scope, by, { type: "session", id }, change, reason, now);
    return updated;
  });
}

/** Places (or re-words) a session's hold. */
export function holdSession(deps: CoreDeps, scope: Scope, id: string, reason: string | null, by: HoldChangeBy) {
  return changeSessionHold(deps, scope, id, "set", reason, by);
}

/** Releases a session's hold; releasing an unheld session changes nothing and records nothing. */
export function releaseSessionHold(deps: CoreDeps, scope: Scope, id: string, reason: string, by: HoldChangeBy) {
  return changeSessionHold(deps, scope, id, "released", reason, by);
}

async function changeIdentityHold(
  deps: CoreDeps,
  scope: Scope,
  idOrRef: string,
  hold: boolean,
  reason: string | null,
  by: HoldChangeBy,
): Promise<IdentityRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock();
    const found = await findIdentity(tx, scope, idOrRef);
    const [identity] = await lockIdentities(tx, scope, [found.id]);
    assertWritable(identity, hold ? "place a legal hold on" : "release the legal hold of");
    if (identity.legal_hold === hold && !(hold && reason)) return identity;
    const updated = await updateIdentityRow(tx, scope, identity.id, { legal_hold: hold, updated_at: now });
    await recordIdentityEvent(tx, scope, updated, "identity.updated", { changed: ["legal_hold"] }, now);
    await audit(tx, scope, by, { type: "identity", id: identity.id }, hold ? "set" : "released", reason, now);
    return updated;
  });
}

/** Places a hold on an identity (its sessions are held through it). */
export function holdIdentity(deps: CoreDeps, scope: Scope, idOrRef: string, reason: string | null, by: HoldChangeBy) {
  return changeIdentityHold(deps, scope, idOrRef, true, reason, by);
}

/** Releases an identity's hold; releasing an unheld identity changes nothing and records nothing. */
export function releaseIdentityHold(deps: CoreDeps, scope: Scope, idOrRef: string, reason: string, by: HoldChangeBy) {
  return changeIdentityHold(deps, scope, idOrRef, false, reason, by);
}
