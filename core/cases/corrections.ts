/**
 * Owns a reviewer's changes to a case's verification result: correcting the extracted PII
 * (re-encrypted under the key ring, the before and after sealed in the case's action record), and
 * overriding a failed check and continuing — the check is recorded as passed by the reviewer, and
 * when no other check still fails the case is approved by that reviewer (under dual review, as
 * the first recommendation).
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { ReviewCaseRow, SessionResultRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { findResult } from "../sessions/repository.ts";
import { resultDataContext } from "../sessions/service.ts";
import { API_PII_FIELDS } from "../orgs/settings_service.ts";
import { AppError, validationError } from "../errors.ts";
import { applyCaseChange, withLockedCase } from "./change.ts";
import { decideLocked, type DecisionOutcome } from "./decisions.ts";
import { isFinalCaseStatus } from "./status.ts";
import { assertActsFor, reviewerIdSchema } from "./reviewers.ts";

const piiText = z.string({ error: "must be a string or null" }).trim().max(500, "must be at most 500 characters");
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)");
const addressSchema = z.strictObject({
  line1: piiText.nullable().optional(),
  line2: piiText.nullable().optional(),
  city: piiText.nullable().optional(),
  state: piiText.nullable().optional(),
  zip: piiText.nullable().optional(),
  country: piiText.nullable().optional(),
}, { error: "must be an address object or null" });

/** One schema per correctable key: dates must be dates, the address an address, the rest text. */
const correctionFields = Object.fromEntries(API_PII_FIELDS.map((field) => {
  const schema = field === "address"
    ? addressSchema
    : field === "date_of_birth" || field === "document_expiration_date"
    ? isoDay
    : piiText;
  return [field, schema.nullable().optional()];
})) as Record<typeof API_PII_FIELDS[number], z.ZodOptional<z.ZodNullable<z.ZodString>>>;

export const correctPiiSchema = z.strictObject({
  reviewer_id: reviewerIdSchema.optional(),
  extracted_data: z.strictObject(correctionFields, { error: "must be an object of extracted_data fields" })
    .refine((data) => Object.keys(data).length > 0, "must name at least one field"),
  reason: z.string().trim().min(1).max(5000).optional(),
});
export type PiiCorrection = z.infer<typeof correctPiiSchema>;

export const overrideCheckSchema = z.strictObject({
  reviewer_id: reviewerIdSchema.optional(),
  policy: z.string({ error: "is required" }).min(1, "is required").max(100),
  reason: z.string({ error: "is required" }).trim().min(1, "is required").max(5000),
});

/** Changes to a result belong to a case still under review, by whoever holds it. */
async function resultUnderReview(
  tx: DbOrTx,
  scope: Scope,
  reviewCase: ReviewCaseRow,
  reviewer: string,
  action: string,
): Promise<SessionResultRow> {
  if (isFinalCaseStatus(reviewCase.status)) {
    throw new AppError("conflict", `Cannot ${action}: the case is already ${reviewCase.status}.`);
  }
  assertActsFor(reviewCase, reviewer, action);
  const result = await findResult(tx, scope, reviewCase.session_id);
  if (!result) throw new AppError("conflict", `Cannot ${action}: the session has no result.`);
  return result;
}

/** Fields sent replace the stored ones, null removes one; only the changed keys are recorded. */
export async function correctExtractedData(
  deps: CoreDeps,
  scope: Scope,
  caseId: string,
  correction: PiiCorrection,
  reviewer: string,
): Promise<{ reviewCase: ReviewCaseRow; corrected: string[] }> {
  return await withLockedCase(deps, scope, caseId, async (tx, reviewCase, now) => {
    const result = await resultUnderReview(tx, scope, reviewCase, reviewer, "correct the extracted data");
    const context = resultDataContext(result.session_id);
    const stored = result.extracted_data_enc
      ? deps.keyRing.decryptJson<Record<string, unknown>>(result.extracted_data_enc, context)
      : {};
    const data = new Map(Object.entries(stored));
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(correction.extracted_data)) {
      if (value === undefined || JSON.stringify(stored[field] ?? null) === JSON.stringify(value)) continue;
      before[field] = stored[field] ?? null;
      after[field] = value;
      if (value === null) data.delete(field);
      else data.set(field, value);
    }
    const corrected = Object.keys(after);
    if (corrected.length === 0) return { reviewCase, corrected };
    await tx.updateTable("session_results")
      .set({ extracted_data_enc: deps.keyRing.encryptJson(Object.fromEntries(data), context) })
      .where("session_id", "=", result.session_id).where("org_id", "=", scope.orgId)
      .where("environment", "=", scope.environment).execute();
    const updated = await applyCaseChange(deps, tx, scope, reviewCase, {
      action: "pii_corrected",
      actor: reviewer,
      details: { fields: corrected },
      sealed: { before, after, ...(correction.reason ? { reason: correction.reason } : {}) },
    }, now);
    return { reviewCase: updated, corrected };
  });
}

/** The result's flat flags follow their checks, so an overridden face match reads as passed everywhere. */
const FLAG_OF_CHECK: Record<string, "face_match_passed" | "age_check_passed"> = {
  face_match: "face_match_passed",
  age_verification: "age_check_passed",
};

const FAILING = new Set(["failed", "error", "requires_retry", "pending"]);

export interface OverrideOutcome {
  reviewCase: ReviewCaseRow;
  policy: string;
  originalStatus: string;
  /** Checks that still fail: while any remain, the case stays where it is. */
  remainingFailedChecks: string[];
  /** The decision the override continued to, when nothing else failed. */
  continued: DecisionOutcome | null;
}

export async function overrideCheck(
  deps: CoreDeps,
  scope: Scope,
  caseId: string,
  input: { policy: string; reason: string },
  reviewer: string,
  /** Who authenticated, when not the reviewer (a delegating key): dual review compares it. */
  principal?: string,
): Promise<OverrideOutcome> {
  return await withLockedCase(deps, scope, caseId, async (tx, reviewCase, now) => {
    if (reviewCase.status === "open") {
      throw new AppError("conflict", "Claim (or assign) the case before you override a check.");
    }
    const result = await resultUnderReview(tx, scope, reviewCase, reviewer, "override a check");
    const checks = result.check_results as Record<string, Record<string, unknown>>;
    const check = checks[input.policy];
    if (!check || typeof check !== "object") {
      throw validationError({ policy: `is not a check of this session (${Object.keys(checks).join(", ")})` });
    }
    const originalStatus = String(check.status);
    if (!FAILING.has(originalStatus)) {
      throw new AppError("conflict", `The ${input.policy} check did not fail (status "${originalStatus}").`);
    }
    const updatedChecks = {
      ...checks,
      [input.policy]: {
        ...check,
        status: "passed",
        overridden: true,
        original_status: originalStatus,
        overridden_by: reviewer,
        overridden_at: now.toISOString(),
      },
    };
    const flag = FLAG_OF_CHECK[input.policy];
    await tx.updateTable("session_results")
      .set({ check_results: JSON.stringify(updatedChecks), ...(flag ? { [flag]: true } : {}) })
      .where("session_id", "=", result.session_id).where("org_id", "=", scope.orgId)
      .where("environment", "=", scope.environment).execute();
    const overridden = await applyCaseChange(deps, tx, scope, reviewCase, {
      action: "check_overridden",
      actor: reviewer,
      details: { policy: input.policy, original_status: originalStatus },
      sealed: { reason: input.reason },
    }, now);
    const remainingFailedChecks = Object.entries(updatedChecks)
      .filter(([, c]) => FAILING.has(String((c as { status?: unknown }).status)))
      .map(([policy]) => policy);
    const continued = remainingFailedChecks.length === 0
      ? await decideLocked(deps, tx, scope, overridden, { decision: "approved", reviewer, principal }, now)
      : null;
    return {
      reviewCase: continued?.reviewCase ?? overridden,
      policy: input.policy,
      originalStatus,
      remainingFailedChecks,
      continued,
    };
  });
}
