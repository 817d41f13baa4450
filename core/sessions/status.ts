/** Owns the session state machine: the statuses, which transitions are legal, and the one guard. */
import { AppError } from "../errors.ts";

export const SESSION_STATUSES = [
  "pending",
  "capturing",
  "processing",
  "completed",
  "expired",
  "failed",
  "awaiting_external",
  "under_review",
  "sandbox_pending",
] as const;
export type SessionStatus = typeof SESSION_STATUSES[number];

export const ACTIVE_STATUSES: readonly SessionStatus[] = [
  "pending",
  "capturing",
  "processing",
  "awaiting_external",
  "under_review",
  "sandbox_pending",
];
export const TERMINAL_STATUSES: readonly SessionStatus[] = ["completed", "expired", "failed"];

/**
 * Outcomes (completed, under_review, failed) are reachable from the capture states because
 * sandbox simulation and API submission may decide a session before the applicant finishes.
 * Resume is pending → pending or capturing → pending (a new token for an abandoned capture).
 */
const TRANSITIONS: Record<SessionStatus, readonly SessionStatus[]> = {
  pending: ["pending", "capturing", "processing", "sandbox_pending", "expired", "completed", "under_review", "failed"],
  capturing: ["pending", "processing", "sandbox_pending", "expired", "completed", "under_review", "failed"],
  sandbox_pending: ["completed", "under_review", "failed"],
  processing: ["completed", "under_review", "awaiting_external", "failed"],
  awaiting_external: ["processing", "completed", "under_review", "failed"],
  under_review: ["completed"],
  completed: ["processing"],
  failed: ["processing"],
  expired: ["pending"],
};

export function canTransition(from: string, to: SessionStatus): boolean {
  return (TRANSITIONS[from as SessionStatus] ?? []).includes(to);
}

export function assertTransition(from: string, to: SessionStatus, action: string): void {
  if (!canTransition(from, to)) {
    throw new AppError("invalid_session_state", `Cannot ${action} a session in status "${from}".`);
  }
}

export function isSessionStatus(value: string): value is SessionStatus {
  return (SESSION_STATUSES as readonly string[]).includes(value);
}
