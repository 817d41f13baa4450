/**
 * Owns moving cases through the review queue: claim, claim-next (FIFO, atomic under concurrency),
 * release, the release of claims idle for 30 minutes, assignment and escalation.
 */
import type { CoreDeps } from "../deps.ts";
import type { ReviewCaseRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError } from "../errors.ts";
import { applyCaseChange, caseFieldContext, withLockedCase } from "./change.ts";
import { lockNextOpenCase, lockStaleClaims } from "./repository.ts";
import { recordCaseEvent } from "./events.ts";
import { assertActsFor } from "./reviewers.ts";
import { addNoteLocked } from "./annotations.ts";

/** A claim with no activity for this long goes back to the queue. */
export const CLAIM_TIMEOUT_MINUTES = 30;

function claimChange(reviewer: string, now: Date) {
  return {
    action: "claimed",
    verb: "claim",
    actor: reviewer,
    to: "in_review" as const,
    values: { assigned_to: reviewer, claimed_at: now },
  };
}

/** Claiming a case one already holds only refreshes the claim; someone else's claim is a 409. */
export async function claimCase(deps: CoreDeps, scope: Scope, id: string, reviewer: string): Promise<ReviewCaseRow> {
  return await withLockedCase(deps, scope, id, async (tx, reviewCase, now) => {
    if (reviewCase.status === "in_review") {
      if (reviewCase.assigned_to !== reviewer) {
        throw new AppError("conflict", `The case is already claimed by ${reviewCase.assigned_to}.`);
      }
      return await applyCaseChange(deps, tx, scope, reviewCase, { action: "claim_renewed", actor: reviewer }, now);
    }
    if (reviewCase.status !== "open") {
      throw new AppError("conflict", `Only an open case can be claimed; this case is "${reviewCase.status}".`);
    }
    return await applyCaseChange(deps, tx, scope, reviewCase, claimChange(reviewer, now), now);
  });
}

/** The oldest open case, claimed for `reviewer`; undefined when the queue is empty. */
export async function claimNextCase(
  deps: CoreDeps,
  scope: Scope,
  reviewer: string,
): Promise<ReviewCaseRow | undefined> {
  return await deps.db.transaction().execute(async (tx) => {
    const next = await lockNextOpenCase(tx, scope);
    if (!next) return undefined;
    const now = deps.clock();
    return await applyCaseChange(deps, tx, scope, next, claimChange(reviewer, now), now);
  });
}

/** Back to the queue. A lead may release someone else's claim, so any caller with the scope may. */
export async function releaseCase(deps: CoreDeps, scope: Scope, id: string, actor: string): Promise<ReviewCaseRow> {
  return await withLockedCase(deps, scope, id, async (tx, reviewCase, now) => {
    if (reviewCase.status !== "in_review") {
      throw new AppError("conflict", `Only a claimed case can be released; this case is "${reviewCase.status}".`);
    }
    return await applyCaseChange(deps, tx, scope, reviewCase, {
      action: "released",
      actor,
      to: "open",
      values: { assigned_to: null, claimed_at: null },
      details: { released_reviewer: reviewCase.assigned_to },
    }, now);
  });
}

/**
 * Releases every claim idle for CLAIM_TIMEOUT_MINUTES, a batch at a time across tenants. SKIP
 * LOCKED lets a sweep run beside reviewers (and another sweep) without waiting on their locks;
 * a case locked by a reviewer's action is active anyway.
 */
export async function releaseStaleClaims(deps: CoreDeps, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const released = await deps.db.transaction().execute(async (tx) => {
      const now = deps.clock();
      const stale = await lockStaleClaims(tx, new Date(now.getTime() - CLAIM_TIMEOUT_MINUTES * 60_000), batchSize);
      for (const reviewCase of stale) {
        await applyCaseChange(deps, tx, { orgId: reviewCase.org_id, environment: reviewCase.environment }, reviewCase, {
          action: "auto_released",
          actor: "system",
          to: "open",
          values: { assigned_to: null, claimed_at: null },
          details: { released_reviewer: reviewCase.assigned_to, idle_minutes: CLAIM_TIMEOUT_MINUTES },
        }, now);
      }
      return stale.length;
    });
    total += released;
    if (released < batchSize) return total;
  }
}

/**
 * Gives a case to a reviewer: an open case becomes theirs as if they had claimed it, a claimed one
 * changes hands, an escalated one goes to them as its senior reviewer, and a case waiting for its
 * second review waits for them — who must not be the first reviewer.
 */
export async function assignCase(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  assignee: string,
  actor: string,
): Promise<ReviewCaseRow> {
  return await withLockedCase(deps, scope, id, async (tx, reviewCase, now) => {
    const status = reviewCase.status;
    if (status === "pending_second_review" && assignee === reviewCase.first_reviewer) {
      throw new AppError("conflict", "Dual review: the second review must come from a different reviewer.");
    }
    const to = status === "open" ? "in_review" : status;
    return await applyCaseChange(deps, tx, scope, reviewCase, {
      action: "assigned",
      verb: "assign",
      actor,
      to,
      values: {
        assigned_to: assignee,
        ...(to === "in_review" ? { claimed_at: now } : {}),
        ...(to === "escalated" ? { escalated_to: assignee } : {}),
      },
      details: { assignee, previous_assignee: reviewCase.assigned_to },
    }, now);
  });
}

export interface EscalateInput {
  escalated_to: string;
  reason: string;
  notes?: string;
}

/** To a senior reviewer, who then holds the case; the reason is sealed, the notes become a case note. */
export async function escalateCase(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  input: EscalateInput,
  actor: string,
): Promise<ReviewCaseRow> {
  return await withLockedCase(deps, scope, id, async (tx, reviewCase, now) => {
    if (reviewCase.status === "escalated") {
      throw new AppError("conflict", `The case is already escalated to ${reviewCase.escalated_to}.`);
    }
    assertActsFor(reviewCase, actor, "escalate the case");
    const escalated = await applyCaseChange(deps, tx, scope, reviewCase, {
      action: "escalated",
      verb: "escalate",
      actor,
      to: "escalated",
      values: {
        escalated_to: input.escalated_to,
        escalated_by: actor,
        escalated_at: now,
        escalation_reason_enc: deps.keyRing.encryptJson(
          input.reason,
          caseFieldContext(reviewCase.id, "escalation_reason_enc"),
        ),
        assigned_to: input.escalated_to,
      },
      details: { escalated_to: input.escalated_to },
    }, now);
    if (input.notes) await addNoteLocked(deps, tx, scope, escalated, actor, input.notes, now);
    await recordCaseEvent(tx, scope, "case.escalated", escalated, now, { escalated_to: input.escalated_to });
    return escalated;
  });
}
