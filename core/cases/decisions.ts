/**
 * Owns deciding a case: approve or reject, the dual-review rule (the first decision is a
 * recommendation, a different reviewer's decision is final), and what a final decision does in
 * the same transaction — the session completes, its result takes the decision, the identity
 * follows, the reviewer's block-list request is carried out, and the session and case events are
 * written.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { CaseDecision, ReviewCaseRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import { assertTransition } from "../sessions/status.ts";
import { decideSession } from "../outcomes/decide.ts";
import { erasedSessionError } from "../outcomes/erasure_guard.ts";
import { type BlockedFromSession, blockSessionIdentifiers } from "../lists/block_from_session.ts";
import { AppError } from "../errors.ts";
import { applyCaseChange, caseFieldContext, withLockedCase } from "./change.ts";
import { recordCaseEvent } from "./events.ts";
import { isFinalCaseStatus } from "./status.ts";
import { assertActsFor, reviewerIdSchema } from "./reviewers.ts";
import { REJECTION_REASON_CODES, type RejectionReasonCode } from "./reasons.ts";

const reasonText = z.string().trim().min(1, "must not be empty").max(5000, "must be at most 5000 characters");

export const approveSchema = z.strictObject({
  reviewer_id: reviewerIdSchema.optional(),
  reason: reasonText.optional(),
});

export const rejectSchema = z.strictObject({
  reviewer_id: reviewerIdSchema.optional(),
  reason_code: z.enum(REJECTION_REASON_CODES, { error: `must be one of ${REJECTION_REASON_CODES.join(", ")}` }),
  reason: reasonText.optional(),
  add_to_blocklist: z.boolean({ error: "must be true or false" }).optional(),
}).refine((body) => body.reason_code !== "other" || body.reason !== undefined, {
  path: ["reason"],
  message: "is required when reason_code is other",
});

export interface DecisionInput {
  decision: CaseDecision;
  reviewer: string;
  /** Who authenticated, when not the reviewer: an API key acting for a named operator (cases:delegate). */
  principal?: string;
  reasonCode?: RejectionReasonCode;
  reason?: string;
  addToBlocklist?: boolean;
}

export interface DecisionOutcome {
  reviewCase: ReviewCaseRow;
  /** false: dual review recorded a recommendation and the case waits for a second reviewer. */
  final: boolean;
  /** What the rejection added to the block lists, when asked. */
  blocked: BlockedFromSession[] | null;
}

export async function decideCase(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  input: DecisionInput,
): Promise<DecisionOutcome> {
  return await withLockedCase(
    deps,
    scope,
    id,
    (tx, reviewCase, now) => decideLocked(deps, tx, scope, reviewCase, input, now),
  );
}

/** The decision on a locked case (also how a check override continues to an approval). */
export async function decideLocked(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  reviewCase: ReviewCaseRow,
  input: DecisionInput,
  now: Date,
): Promise<DecisionOutcome> {
  const verb = input.decision === "approved" ? "approve" : "reject";
  if (isFinalCaseStatus(reviewCase.status)) {
    throw new AppError("conflict", `The case is already ${reviewCase.status}.`);
  }
  if (reviewCase.status === "open") {
    throw new AppError("conflict", `Claim (or assign) the case before you ${verb} it.`);
  }
  assertActsFor(reviewCase, input.reviewer, `${verb} the case`);
  const principal = input.principal ?? input.reviewer;
  if (reviewCase.status === "pending_second_review") {
    // Enforced whatever the org's setting is now: the recommendation was made under dual review.
    // Names and principals both differ, or one key naming two operators would pass (issue #15).
    if (input.reviewer === reviewCase.first_reviewer) {
      throw new AppError(
        "conflict",
        `Dual review: ${input.reviewer} made the first recommendation; a different reviewer must decide.`,
      );
    }
    if (principal === (reviewCase.first_principal ?? reviewCase.first_reviewer)) {
      throw new AppError(
        "conflict",
        `Dual review: ${principal} made the first recommendation (for ${reviewCase.first_reviewer}); ` +
          "a different reviewer, with a credential of their own, must decide.",
      );
    }
    return await finalise(deps, tx, scope, reviewCase, input, now);
  }
  const settings = await getOrgSettings(tx, scope.orgId);
  if (!settings.dual_review) return await finalise(deps, tx, scope, reviewCase, input, now);
  const recommended = await applyCaseChange(deps, tx, scope, reviewCase, {
    action: "recommended",
    verb,
    actor: input.reviewer,
    to: "pending_second_review",
    values: {
      first_decision: input.decision,
      first_reason_code: input.reasonCode ?? null,
      first_reviewer: input.reviewer,
      first_principal: principal,
      first_decided_at: now,
      assigned_to: null,
    },
    details: { decision: input.decision, reason_code: input.reasonCode ?? null, ...actingFor(input) },
    sealed: input.reason ? { reason: input.reason } : undefined,
  }, now);
  return { reviewCase: recommended, final: false, blocked: null };
}

/** The record names the acting key beside the operator it acted for. */
function actingFor(input: DecisionInput): { acting_principal?: string } {
  return input.principal && input.principal !== input.reviewer ? { acting_principal: input.principal } : {};
}

async function finalise(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  reviewCase: ReviewCaseRow,
  input: DecisionInput,
  now: Date,
): Promise<DecisionOutcome> {
  const { decision } = input;
  // The session's side of the decision (result, status, identity, session event) is the shared
  // decision transaction's; an erased session takes no decision, so its case cannot be closed on it.
  const verdict = await decideSession(deps, tx, scope, reviewCase.session_id, (session) => {
    assertTransition(session.status, "completed", "decide the case of");
    return {
      source: "review",
      sessionStatus: "completed",
      resultStatus: decision,
      result: { kind: "review", decision, reasonCode: input.reasonCode ?? null },
      event: decision === "approved" ? "session.approved" : "session.declined",
      eventIdentityFallback: reviewCase.identity_id,
    };
  }, now);
  if (verdict.kind === "erased") throw erasedSessionError("decide the case of");
  if (verdict.kind === "stale") throw new AppError("conflict", "The session changed while the case was decided.");
  const { session, identityId } = verdict;
  // Only a final rejection blocks: a recommendation can still be overturned by the second reviewer.
  const blocked = decision === "rejected" && input.addToBlocklist
    ? await blockSessionIdentifiers(deps, tx, scope, session.id, input.reviewer)
    : null;
  const decided = await applyCaseChange(deps, tx, scope, reviewCase, {
    action: decision,
    verb: decision === "approved" ? "approve" : "reject",
    actor: input.reviewer,
    to: decision,
    values: {
      decision,
      reason_code: input.reasonCode ?? null,
      reason_enc: input.reason
        ? deps.keyRing.encryptJson(input.reason, caseFieldContext(reviewCase.id, "reason_enc"))
        : null,
      decided_by: input.reviewer,
      decided_at: now,
      identity_id: identityId ?? reviewCase.identity_id,
    },
    details: {
      reason_code: input.reasonCode ?? null,
      ...actingFor(input),
      ...(blocked ? { blocked_items: blocked.map((b) => b.item_id) } : {}),
    },
  }, now);
  await recordCaseEvent(tx, scope, decision === "approved" ? "case.approved" : "case.rejected", decided, now);
  return { reviewCase: decided, final: true, blocked };
}
