/**
 * Owns who acts on a case. There are no user accounts yet (the dashboard is issue #8), so callers
 * name the reviewer (`orguser_…`, an email, any stable id of theirs); without one the API key acts.
 * Also the one rule on who may act on an assigned case.
 */
import { z } from "zod";
import type { ReviewCaseRow } from "../db/database.ts";
import { AppError } from "../errors.ts";

/** Ids and emails: letters, digits and `_ . @ + : -`, starting with a letter or digit. */
export const reviewerIdSchema = z.string({ error: "must be a reviewer id (e.g. orguser_… or an email)" })
  .trim().min(1, "must not be empty").max(255, "must be at most 255 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@+:-]*$/, "must be a reviewer id (e.g. orguser_… or an email)");

export function actingReviewer(reviewerId: string | undefined, keyId: string): string {
  return reviewerId ?? keyId;
}

/** A claimed or escalated case belongs to its assignee: nobody else acts on it until it is released or reassigned. */
export function assertActsFor(reviewCase: ReviewCaseRow, reviewer: string, action: string): void {
  if (reviewCase.assigned_to !== null && reviewCase.assigned_to !== reviewer) {
    throw new AppError(
      "conflict",
      `Cannot ${action}: the case is assigned to ${reviewCase.assigned_to}, not ${reviewer}.`,
    );
  }
}
