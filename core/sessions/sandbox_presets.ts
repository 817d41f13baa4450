/**
 * Owns the sandbox outcome catalogue of the contract: each preset's session status, result,
 * mock PII and the event it fires, so simulate and the capture flow's outcome screen produce
 * exactly what the live path would.
 */
import type { SessionEventType } from "../events/outbox.ts";
import type { SessionStatus } from "./status.ts";

export const SANDBOX_PRESETS = [
  "approve",
  "reject",
  "reject_face_mismatch",
  "reject_document_expired",
  "reject_underage",
  "needs_review",
  "needs_review_watchlist",
  "resubmission_required",
  "processing_error",
] as const;
export type SandboxPreset = typeof SANDBOX_PRESETS[number];

/** Verifa Cloud's simulate actions, mapped onto presets. */
export const SIMULATE_ACTION_PRESETS: Record<string, SandboxPreset> = {
  approve: "approve",
  decline: "reject",
  "require-review": "needs_review",
};

export interface PresetResult {
  status: "approved" | "rejected" | "needs_review";
  face_match_passed: boolean | null;
  face_match_score: number | null;
  age_check_passed: boolean | null;
  extracted_age: number | null;
  extracted_data: Record<string, unknown>;
  rejection_reason: string | null;
  rejection_reason_code: string | null;
  check_results: Record<string, unknown>;
  risk_signals: unknown[];
}

export interface PresetOutcome {
  sessionStatus: SessionStatus;
  event: SessionEventType | null;
  /** null when the session fails without a decision. */
  result: PresetResult | null;
}

export function isSandboxPreset(value: string): value is SandboxPreset {
  return (SANDBOX_PRESETS as readonly string[]).includes(value);
}

const DAY_MS = 86_400_000;

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A birth date 100 days past the given birthday, so the stated age holds all year. */
function birthDateForAge(now: Date, age: number): string {
  const date = new Date(now.getTime() - 100 * DAY_MS);
  date.setUTCFullYear(date.getUTCFullYear() - age);
  return isoDate(date);
}

function janeDoe(now: Date, age: number, documentExpiresInDays: number): Record<string, unknown> {
  return {
    first_name: "Jane",
    last_name: "Doe",
    date_of_birth: birthDateForAge(now, age),
    address: { line1: "123 Main St", line2: null, city: "San Francisco", state: "CA", zip: "94105" },
    document_number: "D1234567",
    nationality: "US",
    gender: "F",
    document_type: "drivers_license",
    document_expiration_date: isoDate(new Date(now.getTime() + documentExpiresInDays * DAY_MS)),
    document_issuing_state: "CA",
  };
}

function checks(entries: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).map(([name, status]) => [name, { status }]));
}

/** A completed, rejected session whose one failed check explains the rejection. */
function declined(
  base: PresetResult,
  approvedChecks: Record<string, string>,
  failedCheck: string,
  code: string,
  reason: string,
  overrides: Partial<PresetResult>,
): PresetOutcome {
  return {
    sessionStatus: "completed",
    event: "session.declined",
    result: {
      ...base,
      status: "rejected",
      rejection_reason: reason,
      rejection_reason_code: code,
      check_results: checks({ ...approvedChecks, [failedCheck]: "failed" }),
      ...overrides,
    },
  };
}

export function presetOutcome(preset: SandboxPreset, now: Date): PresetOutcome {
  const approvedChecks = {
    document_quality: "passed",
    document_ocr: "passed",
    document_expiration: "passed",
    face_match: "passed",
    liveness: "passed",
    age_verification: "passed",
  };
  const base: PresetResult = {
    status: "approved",
    face_match_passed: true,
    face_match_score: 0.95,
    age_check_passed: true,
    extracted_age: 28,
    extracted_data: janeDoe(now, 28, 3 * 365),
    rejection_reason: null,
    rejection_reason_code: null,
    check_results: checks(approvedChecks),
    risk_signals: [],
  };
  switch (preset) {
    case "approve":
      return { sessionStatus: "completed", event: "session.approved", result: base };
    case "reject":
    case "reject_face_mismatch":
      return declined(
        base,
        approvedChecks,
        "face_match",
        "face_mismatch",
        "Face mismatch: the selfie does not match the document photo.",
        {
          face_match_passed: false,
          face_match_score: 0.21,
        },
      );
    case "reject_document_expired":
      return declined(
        base,
        approvedChecks,
        "document_expiration",
        "document_expired",
        "The identity document has expired.",
        {
          extracted_data: janeDoe(now, 28, -60),
        },
      );
    case "reject_underage":
      return declined(base, approvedChecks, "age_verification", "underage", "The applicant is below the minimum age.", {
        age_check_passed: false,
        extracted_age: 16,
        extracted_data: janeDoe(now, 16, 3 * 365),
      });
    case "needs_review":
      return {
        sessionStatus: "under_review",
        event: "session.requires-review",
        result: { ...base, status: "needs_review", face_match_score: 0.78 },
      };
    case "needs_review_watchlist":
      return {
        sessionStatus: "under_review",
        event: "session.requires-review",
        result: {
          ...base,
          status: "needs_review",
          check_results: { ...checks(approvedChecks), watchlist_screening: { status: "failed", hit_count: 1 } },
          risk_signals: [{
            signal: "watchlist_hit",
            category: "identity",
            weight: 50,
            detail: "Possible sanctions list match",
          }],
        },
      };
    case "resubmission_required":
      return {
        sessionStatus: "completed",
        event: "session.resubmission-required",
        result: {
          ...base,
          status: "rejected",
          face_match_passed: null,
          face_match_score: null,
          age_check_passed: null,
          extracted_age: null,
          extracted_data: {},
          rejection_reason: "The document photos were too blurry or low-quality to read.",
          rejection_reason_code: "document_unreadable",
          check_results: checks({ document_quality: "failed" }),
        },
      };
    case "processing_error":
      return { sessionStatus: "failed", event: null, result: null };
  }
}
