/**
 * Owns who acts on a case. Reviewers are principals (issue #15): a dashboard operator acts as
 * themselves (their operator id, passed by the dashboard, never read from a form); an API key acts
 * as itself (its key id) and may act for a named reviewer (`reviewer_id`) only with the opt-in
 * `cases:delegate` scope, and only for an active operator of the organisation who may review.
 * Whoever is named, the acting principal is kept beside the name, so that dual review can tell
 * one key naming two people from two reviewers. Also the one rule on who may act on an assigned
 * case, and who a case may be given to.
 */
import { z } from "zod";
import type { DbOrTx } from "../db/create_db.ts";
import type { ReviewCaseRow } from "../db/database.ts";
import type { Principal } from "../orgs/api_keys.ts";
import { hasScope } from "../orgs/scopes.ts";
import { AppError, validationError } from "../errors.ts";

/** Ids and emails: letters, digits and `_ . @ + : -`, starting with a letter or digit. */
export const reviewerIdSchema = z.string({ error: "must be a reviewer id (e.g. usr_… or an operator's email)" })
  .trim().min(1, "must not be empty").max(255, "must be at most 255 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@+:-]*$/, "must be a reviewer id (e.g. usr_… or an operator's email)");

export const DELEGATE_SCOPE = "cases:delegate";

export interface ActingReviewer {
  /** The reviewer the case's record names: the key itself, or the operator it acts for. */
  reviewer: string;
  /** Who authenticated: the API key's id (or, from the dashboard, the operator's own id). */
  principal: string;
}

/** The operator roles that review (a viewer reads only, as in the dashboard). */
const REVIEWING_ROLES = ["admin", "reviewer"] as const;

/**
 * The active reviewing operator of the org that `named` is (their `usr_…` id or email), as their
 * id; null if there is none. Operators are org-wide: they review in both environments.
 */
async function reviewingOperatorId(db: DbOrTx, orgId: string, named: string): Promise<string | null> {
  const row = await db.selectFrom("operator_users").select("id")
    .where("org_id", "=", orgId)
    .where("disabled_at", "is", null)
    .where("role", "in", [...REVIEWING_ROLES])
    .where((eb) => eb.or([eb("id", "=", named), eb(eb.fn("lower", ["email"]), "=", named.toLowerCase())]))
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Who acts for a request: the principal itself, unless it names someone else in `field`, which
 * needs `cases:delegate` (403 without it) and an active reviewing operator of the org (422 for
 * anyone else). A dashboard operator's principal never holds that scope, so it acts only as itself.
 */
export async function resolveActingReviewer(
  db: DbOrTx,
  principal: Principal,
  named: string | undefined,
  field = "reviewer_id",
): Promise<ActingReviewer> {
  const self = { reviewer: principal.keyId, principal: principal.keyId };
  if (named === undefined || named === principal.keyId) return self;
  if (!hasScope(principal.scopes, DELEGATE_SCOPE)) {
    throw new AppError(
      "insufficient_scope",
      `Acting for ${field} "${named}" needs the "${DELEGATE_SCOPE}" scope; without ${field} the key acts as itself (${principal.keyId}).`,
    );
  }
  const operatorId = await reviewingOperatorId(db, principal.orgId, named);
  if (!operatorId) {
    throw validationError({ [field]: "must name an active operator of the organisation who reviews (usr_… or email)" });
  }
  return { reviewer: operatorId, principal: principal.keyId };
}

/**
 * Who a case may be given (assign, escalate): a reviewing operator of the org, or the calling key
 * itself; a name nobody answers to would leave the case with no one who can act on it.
 */
export async function resolveAssignee(db: DbOrTx, principal: Principal, named: string, field: string): Promise<string> {
  if (named === principal.keyId) return named;
  const operatorId = await reviewingOperatorId(db, principal.orgId, named);
  if (!operatorId) {
    throw validationError({
      [field]: "must name an active operator of the organisation who reviews (usr_… or email), or this key",
    });
  }
  return operatorId;
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
