/**
 * Owns the decision transaction every path shares — the live engine's terminal node, a sandbox
 * preset, a reviewer's final decision: lock the session row, refuse an erased session, write the
 * result, move the session's status, let the identity and the review queue follow
 * (follow_ups.ts), and write the decision's event. The callers keep only what is theirs (the
 * run's record, the case's change); anything personal they add afterwards runs only on a
 * `decided` verdict, inside the same transaction and lock.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { CaseDecision, SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { recordEvent, type SessionEventType } from "../events/outbox.ts";
import { findResult, insertResult, updateSessionRow } from "../sessions/repository.ts";
import { resultDataContext } from "../sessions/service.ts";
import type { PresetResult } from "../sessions/sandbox_presets.ts";
import type { SessionStatus } from "../sessions/status.ts";
import { REJECTION_REASONS, type RejectionReasonCode } from "../cases/reasons.ts";
import { lockSessionForDecision } from "./erasure_guard.ts";
import { afterSessionOutcome, type SessionOutcome } from "./follow_ups.ts";

/** What the decision does to the session's result row. */
export type ResultWrite =
  /** A new result (replacing an earlier one), its extracted data encrypted: engine and presets. */
  | { kind: "replace"; result: PresetResult; mode: "sandbox" | "workflow"; countryUsed: string | null }
  /** The stored result takes a reviewer's decision; its extracted data feeds the identity. */
  | { kind: "review"; decision: CaseDecision; reasonCode: RejectionReasonCode | null }
  /** No result: the session fails without a decision. */
  | { kind: "none" };

export interface DecisionPlan {
  source: SessionOutcome["source"];
  sessionStatus: SessionStatus;
  resultStatus: SessionOutcome["resultStatus"];
  result: ResultWrite;
  /** null: the outcome fires no event (a failure without a decision). */
  event: SessionEventType | null;
  /** When the session's `completed_at` is set; default: now, or null for `under_review`. */
  completedAt?: Date | null;
  /** The identity the event names when the outcome links none (a case keeps its own). */
  eventIdentityFallback?: string | null;
}

export type DecisionVerdict =
  | { kind: "decided"; session: SessionRow; identityId: string | null }
  /** The session's data was erased: nothing was written, no event recorded. */
  | { kind: "erased"; session: SessionRow }
  /** The plan declined the locked session (another run or call decided it first). */
  | { kind: "stale"; session: SessionRow };

/**
 * Decides one session in the caller's transaction. `plan` sees the locked row and returns what to
 * write, "stale" to write nothing, or throws the caller's 4xx (e.g. an illegal transition); it is
 * never called for an erased session.
 */
export async function decideSession(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  sessionId: string,
  plan: (session: SessionRow) => DecisionPlan | "stale",
  now: Date,
): Promise<DecisionVerdict> {
  const locked = await lockSessionForDecision(tx, scope, sessionId);
  if (locked.erased) return { kind: "erased", session: locked.session };
  const decision = plan(locked.session);
  if (decision === "stale") return { kind: "stale", session: locked.session };

  const extracted = await writeDecidedResult(deps, tx, scope, sessionId, decision.result, now);
  const session = await updateSessionRow(tx, scope, sessionId, {
    status: decision.sessionStatus,
    completed_at: decision.completedAt !== undefined
      ? decision.completedAt
      : decision.sessionStatus === "under_review"
      ? null
      : now,
    updated_at: now,
  });
  const { identityId } = await afterSessionOutcome(deps, tx, scope, {
    session,
    resultStatus: decision.resultStatus,
    extracted,
    source: decision.source,
    now,
  });
  if (decision.event) {
    const eventIdentity = identityId ?? decision.eventIdentityFallback ?? null;
    await recordEvent(tx, scope, {
      type: decision.event,
      sessionId,
      ...(eventIdentity ? { identityId: eventIdentity } : {}),
      payload: { status: decision.sessionStatus, result_status: decision.resultStatus },
    }, now);
  }
  return { kind: "decided", session, identityId };
}

/** Writes the result as planned; returns the decision's extracted data (PII, for the identity). */
async function writeDecidedResult(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  sessionId: string,
  write: ResultWrite,
  now: Date,
): Promise<Record<string, unknown>> {
  if (write.kind === "none") return {};
  if (write.kind === "review") return await markResultDecided(deps, tx, scope, sessionId, write);
  const { extracted_data, ...result } = write.result;
  await insertResult(tx, {
    ...result,
    session_id: sessionId,
    org_id: scope.orgId,
    environment: scope.environment,
    extracted_data_enc: deps.keyRing.encryptJson(extracted_data, resultDataContext(sessionId)),
    processing_mode: write.mode,
    country_used: write.countryUsed,
    created_at: now,
  });
  return extracted_data;
}

/**
 * The result takes the reviewer's decision. A rejection's reason on the result (and its webhook)
 * is the catalogue's text for the code: the reviewer's own words stay encrypted on the case.
 */
async function markResultDecided(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  sessionId: string,
  write: Extract<ResultWrite, { kind: "review" }>,
): Promise<Record<string, unknown>> {
  const result = await findResult(tx, scope, sessionId);
  if (!result) return {};
  const rejected = write.decision === "rejected";
  await tx.updateTable("session_results").set({
    status: write.decision,
    rejection_reason: rejected ? REJECTION_REASONS[write.reasonCode ?? "other"] : null,
    rejection_reason_code: rejected ? write.reasonCode ?? "other" : null,
  }).where("session_id", "=", sessionId).where("org_id", "=", scope.orgId)
    .where("environment", "=", scope.environment).execute();
  return result.extracted_data_enc
    ? deps.keyRing.decryptJson<Record<string, unknown>>(result.extracted_data_enc, resultDataContext(sessionId))
    : {};
}
