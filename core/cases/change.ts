/**
 * Owns applying one change to a locked case: the guarded status move, the row update and the
 * append-only action record that says who did what, written together in the caller's transaction.
 */
import type { Updateable } from "kysely";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { CaseStatus, ReviewCaseRow, ReviewCasesTable } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import type { CipherContext } from "../crypto/key_ring.ts";
import { assertCaseTransition } from "./status.ts";
import { findCase, insertAction, updateCaseRow } from "./repository.ts";

export interface CaseChange {
  /** What happened, in the past tense: claimed, released, escalated, approved, pii_corrected, … */
  action: string;
  actor: string;
  /** The new status; absent keeps the current one (no guard). */
  to?: CaseStatus;
  /** The verb for the 409 when `to` is not allowed from the current status. */
  verb?: string;
  values?: Updateable<ReviewCasesTable>;
  /** Ids, codes and field names for the record: never PII. */
  details?: Record<string, unknown>;
  /** What may be PII (free text, corrected values): encrypted in the record. */
  sealed?: Record<string, unknown>;
}

/** Case free text is bound to its case and column. */
export function caseFieldContext(caseId: string, column: string): CipherContext {
  return { table: "review_cases", column, rowId: caseId };
}

/** An action's sealed details are bound to the case they describe (the row id is not known before insert). */
export function actionDetailsContext(caseId: string): CipherContext {
  return { table: "case_actions", column: "details_enc", rowId: caseId };
}

/** Every change is activity: it restarts the 30-minute claim timer. */
export async function applyCaseChange(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  current: ReviewCaseRow,
  change: CaseChange,
  now: Date,
): Promise<ReviewCaseRow> {
  if (change.to) assertCaseTransition(current.status, change.to, change.verb ?? change.action);
  const updated = await updateCaseRow(tx, scope, current.id, {
    ...change.values,
    ...(change.to ? { status: change.to } : {}),
    last_activity_at: now,
    updated_at: now,
  });
  await insertAction(tx, {
    org_id: scope.orgId,
    environment: scope.environment,
    case_id: current.id,
    action: change.action,
    actor: change.actor,
    from_status: current.status,
    to_status: updated.status,
    details: JSON.stringify(change.details ?? {}),
    details_enc: change.sealed ? deps.keyRing.encryptJson(change.sealed, actionDetailsContext(current.id)) : null,
    created_at: now,
  });
  return updated;
}

/** Runs `body` in a transaction on the case, locked; a case of another tenant is a 404. */
export async function withLockedCase<T>(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  body: (tx: DbOrTx, reviewCase: ReviewCaseRow, now: Date) => Promise<T>,
): Promise<T> {
  return await deps.db.transaction().execute(async (tx) => {
    const reviewCase = await findCase(tx, scope, id, { forUpdate: true });
    return await body(tx, reviewCase, deps.clock());
  });
}
