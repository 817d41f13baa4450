/**
 * Owns what the review, identities and lists pages share when an operator acts: the guard for
 * day-to-day work (admins and reviewers), who a reviewer id names, and telling a refusal by a
 * core rule (shown on the page) from an error the dashboard renders (403, 404, 5xx).
 */
import type { CoreDeps } from "../../../core/deps.ts";
import { AppError } from "../../../core/errors.ts";
import { listOperatorUsers } from "../../../core/operators/users.ts";
import { type DashboardContext, roleAllows } from "../env.ts";
import { type FieldErrors, fieldErrorsOf } from "./forms.tsx";

export function canReview(c: DashboardContext): boolean {
  return roleAllows(c.get("operator").role, "review");
}

/** Viewers read; a post from one is refused whatever the page showed them. */
export function requireReview(c: DashboardContext): void {
  if (!canReview(c)) throw new AppError("forbidden", "Viewers can look but not change anything here.");
}

/**
 * The message of a core refusal the page should show (a state-machine 409, a duplicate, a list in
 * use); null for anything else, which the caller rethrows. Not found and forbidden stay errors, so
 * another organisation's object is still a 404 page.
 */
export function refusalOf(error: unknown): string | null {
  if (error instanceof AppError && error.status < 500 && error.status !== 403 && error.status !== 404) {
    return error.detail;
  }
  return null;
}

/** Why a change was refused, for the page to show: field errors (422) or core's message (409). */
export interface Refusal {
  problem?: string;
  errors?: FieldErrors;
}

/**
 * Runs a change for a page's POST handler: null when it went through (the caller redirects), else
 * the page rendered again with the refusal. Other errors propagate to the dashboard's renderer.
 */
export async function attempt(
  change: () => Promise<unknown>,
  rerender: (refusal: Refusal, status: 409 | 422) => Promise<Response>,
): Promise<Response | null> {
  try {
    await change();
    return null;
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (errors) return await rerender({ errors }, 422);
    const problem = refusalOf(error);
    if (problem) return await rerender({ problem }, 409);
    throw error;
  }
}

/** Reviewer ids on cases are operator user ids: shown as "you", a display name, or the raw id (an API caller's). */
export async function reviewerNames(deps: CoreDeps, c: DashboardContext): Promise<(id: string | null) => string> {
  const operator = c.get("operator");
  const users = await listOperatorUsers(deps.db, operator.orgId);
  const names = new Map(users.map((u) => [u.id, u.display_name]));
  return (id) => (id === null ? "—" : id === operator.userId ? "you" : names.get(id) ?? id);
}
