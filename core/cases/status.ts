/** Owns the review-case state machine: the statuses, which transitions are legal, and the one guard. */
import type { CaseStatus } from "../db/database.ts";
import { AppError } from "../errors.ts";

export const CASE_STATUSES: readonly CaseStatus[] = [
  "open",
  "in_review",
  "escalated",
  "pending_second_review",
  "approved",
  "rejected",
];
export const ACTIVE_CASE_STATUSES: readonly CaseStatus[] = ["open", "in_review", "escalated", "pending_second_review"];
export const FINAL_CASE_STATUSES: readonly CaseStatus[] = ["approved", "rejected"];

/**
 * As in the notes, plus two choices of ours: an open (unclaimed) case may be escalated or
 * assigned straight away, and an escalated case is decided by the person it was escalated to
 * without claiming it again. With dual review the first decision goes to pending_second_review.
 * A status's move to itself is a reassignment.
 * A final case reopens only when its session enters review again (a reprocess), never by API.
 */
const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ["in_review", "escalated"],
  in_review: ["open", "in_review", "escalated", "pending_second_review", "approved", "rejected"],
  escalated: ["escalated", "pending_second_review", "approved", "rejected"],
  pending_second_review: ["pending_second_review", "approved", "rejected"],
  approved: [],
  rejected: [],
};

export function canTransitionCase(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertCaseTransition(from: CaseStatus, to: CaseStatus, action: string): void {
  if (!canTransitionCase(from, to)) {
    throw new AppError("conflict", `Cannot ${action} a case in status "${from}".`);
  }
}

export function isFinalCaseStatus(status: CaseStatus): boolean {
  return FINAL_CASE_STATUSES.includes(status);
}
