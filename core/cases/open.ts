/**
 * Owns opening a review case: when a session's outcome is needs_review (the live workflow, a
 * sandbox preset, simulate require-review) in the transaction that records the outcome, and from
 * the API for a session already under review that has no active case. A session that enters
 * review again (after a reprocess) reopens its one case.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { ReviewCaseRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import type { SessionOutcome } from "../outcomes/follow_ups.ts";
import { findSession } from "../sessions/repository.ts";
import { metadataSchema } from "../sessions/create_input.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import { findCaseOfSession, insertAction, insertCase } from "./repository.ts";
import { applyCaseChange } from "./change.ts";
import { recordCaseEvent } from "./events.ts";
import { isFinalCaseStatus } from "./status.ts";
import { reviewerIdSchema } from "./reviewers.ts";

export const CASE_PRIORITIES = ["low", "normal", "high", "urgent"] as const;

/** A case nobody has worked on yet: what a new case starts with and a reopened one goes back to. */
const UNREVIEWED = {
  decision: null,
  reason_code: null,
  reason_enc: null,
  assigned_to: null,
  claimed_at: null,
  escalated_to: null,
  escalated_by: null,
  escalated_at: null,
  escalation_reason_enc: null,
  first_decision: null,
  first_reason_code: null,
  first_reviewer: null,
  first_decided_at: null,
  decided_by: null,
  decided_at: null,
} as const;

interface OpenCase {
  sessionId: string;
  identityId: string | null;
  source: ReviewCaseRow["source"];
  actor: string;
  priority?: string;
  metadata?: Record<string, unknown>;
  customFields?: Record<string, unknown>;
  now: Date;
}

export function openCaseForOutcome(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  outcome: SessionOutcome,
  identityId: string | null,
): Promise<void> {
  // afterSessionOutcome never calls this for a reviewer's decision.
  const source = outcome.source === "sandbox" ? "sandbox" : "workflow";
  return openCase(deps, tx, scope, {
    sessionId: outcome.session.id,
    identityId,
    source,
    actor: "system",
    now: outcome.now,
  }).then(() => undefined);
}

/** Opens (or reopens a decided) case for a session; an active case is returned untouched. */
async function openCase(deps: CoreDeps, tx: DbOrTx, scope: Scope, input: OpenCase): Promise<ReviewCaseRow> {
  const existing = await findCaseOfSession(tx, scope, input.sessionId, { forUpdate: true });
  if (existing && !isFinalCaseStatus(existing.status)) return existing;
  const { now } = input;
  if (existing) {
    const reopened = await applyCaseChange(deps, tx, scope, existing, {
      action: "reopened",
      actor: input.actor,
      values: {
        ...UNREVIEWED,
        status: "open",
        identity_id: input.identityId ?? existing.identity_id,
        entered_review_at: now,
      },
      details: { source: input.source },
    }, now);
    await recordCaseEvent(tx, scope, "case.created", reopened, now, { reopened: true });
    return reopened;
  }
  const created = await insertCase(tx, {
    id: newId("case"),
    org_id: scope.orgId,
    environment: scope.environment,
    session_id: input.sessionId,
    identity_id: input.identityId,
    source: input.source,
    status: "open",
    priority: input.priority ?? "normal",
    ...UNREVIEWED,
    last_activity_at: now,
    entered_review_at: now,
    metadata: JSON.stringify(input.metadata ?? {}),
    custom_fields: JSON.stringify(input.customFields ?? {}),
    created_at: now,
    updated_at: now,
  });
  await insertAction(tx, {
    org_id: scope.orgId,
    environment: scope.environment,
    case_id: created.id,
    action: "opened",
    actor: input.actor,
    from_status: null,
    to_status: "open",
    details: JSON.stringify({ source: input.source }),
    details_enc: null,
    created_at: now,
  });
  await recordCaseEvent(tx, scope, "case.created", created, now);
  return created;
}

export const createCaseSchema = z.strictObject({
  session_id: z.string({ error: "is required" }).min(1, "is required").max(255),
  priority: z.enum(CASE_PRIORITIES, { error: `must be one of ${CASE_PRIORITIES.join(", ")}` }).optional(),
  metadata: metadataSchema.optional(),
  custom_fields: metadataSchema.optional(),
  reviewer_id: reviewerIdSchema.optional(),
});
export type CreateCaseInput = z.infer<typeof createCaseSchema>;

/**
 * A case from the API: the session must be under review (the state a needs_review outcome leaves
 * it in) and must not have an active case already. The identity is the one the session's outcome
 * event named, if any.
 */
export async function createCase(
  deps: CoreDeps,
  scope: Scope,
  input: CreateCaseInput,
  actor: string,
): Promise<ReviewCaseRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const session = await findSession(tx, scope, input.session_id, { forUpdate: true });
    if (session.status !== "under_review") {
      throw new AppError(
        "invalid_session_state",
        `A case can only be opened for a session under review; this session is "${session.status}".`,
      );
    }
    const existing = await findCaseOfSession(tx, scope, session.id);
    if (existing && !isFinalCaseStatus(existing.status)) {
      throw new AppError("conflict", `The session already has an active case (${existing.id}).`);
    }
    const identity = await tx.selectFrom("events").select("identity_id")
      .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .where("session_id", "=", session.id).where("identity_id", "is not", null)
      .orderBy("created_at", "desc").limit(1).executeTakeFirst();
    return await openCase(deps, tx, scope, {
      sessionId: session.id,
      identityId: identity?.identity_id ?? null,
      source: "api",
      actor,
      priority: input.priority,
      metadata: input.metadata,
      customFields: input.custom_fields,
      now: deps.clock(),
    });
  });
}
