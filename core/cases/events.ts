/**
 * Owns the outbox events of cases: `case.created`, `case.escalated`, `case.approved`,
 * `case.rejected`, each tied to the case's session, with a payload of ids, statuses and codes only
 * (the webhook payload adds them to the session's fields; see core/webhooks/payload.ts).
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { ReviewCaseRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { recordEvent } from "../events/outbox.ts";

export type CaseEventType = "case.created" | "case.escalated" | "case.approved" | "case.rejected";

export async function recordCaseEvent(
  tx: DbOrTx,
  scope: Scope,
  type: CaseEventType,
  reviewCase: ReviewCaseRow,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await recordEvent(tx, scope, {
    type,
    sessionId: reviewCase.session_id,
    ...(reviewCase.identity_id ? { identityId: reviewCase.identity_id } : {}),
    payload: {
      case_id: reviewCase.id,
      status: reviewCase.status,
      decision: reviewCase.decision,
      reason_code: reviewCase.reason_code,
      ...extra,
    },
  }, now);
}
