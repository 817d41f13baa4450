/**
 * Owns the identity state machine: the statuses, which transitions are legal, what a session's
 * outcome moves an identity to, and the guard every write passes.
 */
import type { IdentityRow, IdentityStatus } from "../db/database.ts";
import { AppError } from "../errors.ts";

export const IDENTITY_STATUSES = ["pending", "verified", "rejected", "failed", "redacted", "merged"] as const;

/** The statuses a person's verifications move between; a patch may set these too. */
export const VERIFICATION_STATUSES = ["pending", "verified", "rejected", "failed"] as const;

/**
 * Status follows the latest outcome, so it may go down as well as up (verified → rejected). A
 * merged identity is a pointer to the one it joined and can only be erased; an erased one is final.
 */
const TRANSITIONS: Record<IdentityStatus, readonly IdentityStatus[]> = {
  pending: [...VERIFICATION_STATUSES, "redacted", "merged"],
  verified: [...VERIFICATION_STATUSES, "redacted", "merged"],
  rejected: [...VERIFICATION_STATUSES, "redacted", "merged"],
  failed: [...VERIFICATION_STATUSES, "redacted", "merged"],
  merged: ["redacted"],
  redacted: [],
};

export function assertIdentityTransition(from: IdentityStatus, to: IdentityStatus, action: string): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw new AppError("conflict", `Cannot ${action} an identity in status "${from}".`);
  }
}

/** Only live records change: a redacted one keeps its id and timestamps for audit, a merged one points elsewhere. */
export function assertWritable(identity: IdentityRow, action: string): void {
  if (identity.status === "redacted") {
    throw new AppError("conflict", `Cannot ${action} a redacted identity.`);
  }
  if (identity.status === "merged") {
    throw new AppError("conflict", `Cannot ${action} a merged identity: it was merged into ${identity.merged_into}.`);
  }
}

/** needs_review leaves the status alone until a reviewer decides; a session that failed without a decision is `failed`. */
export function statusForOutcome(
  resultStatus: "approved" | "rejected" | "needs_review" | null,
  current: IdentityStatus,
): IdentityStatus {
  if (resultStatus === "approved") return "verified";
  if (resultStatus === "rejected") return "rejected";
  if (resultStatus === null) return "failed";
  return current;
}
