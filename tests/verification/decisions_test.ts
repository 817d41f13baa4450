/**
 * Owns the checks' decisions as pure functions of stored inputs (what replay relies on): option
 * handling and edge cases of each check, the text matching they use, the risk score under
 * per-organisation signal actions, and how a walk's end becomes a status, a result and an event.
 */
import assert from "node:assert/strict";
import { resolvedOptions } from "../../core/workflows/policies.ts";
import { CHECKS } from "../../core/verification/checks/registry.ts";
import { POLICY_NAMES } from "../../core/workflows/policies.ts";
import { containsApproximately, textSimilarity } from "../../core/verification/text_match.ts";
import { alpha2Country } from "../../core/verification/countries.ts";
import { ageOn } from "../../core/verification/check.ts";
import { scoreSignals } from "../../core/risk/assessment.ts";
import { decideOutcome } from "../../core/verification/outcome.ts";
import type { NodeResult } from "../../core/workflows/graph.ts";

function decide(policy: string, inputs: unknown, options: Record<string, unknown> = {}) {
  return CHECKS.get(policy)!.decide(inputs, resolvedOptions(policy, options));
}

Deno.test("every policy of the catalogue has a check module", () => {
  assert.deepEqual([...CHECKS.keys()].sort(), [...POLICY_NAMES].sort());
});

Deno.test("text matching tolerates OCR slips but not other values", () => {
  assert.equal(containsApproximately("DL D1234567 EXP 08/31/2030", "D1234567"), true);
  assert.equal(containsApproximately("DL D12345G7 EXP", "D1234567"), true, "one glyph in eight may be misread");
  assert.equal(containsApproximately("DL D7654321 EXP", "D1234567"), false);
  assert.equal(containsApproximately("LN VAN DAM", "VANDAM"), true, "spaces are ignored");
  assert.equal(textSimilarity("Doe John", "JOHN DOE"), 1, "token order does not matter");
  assert.ok(textSimilarity("Jon Doe", "John Doe") > 0.85);
  assert.ok(textSimilarity("Jane Smith", "John Doe") < 0.5);
  assert.equal(textSimilarity("José", "JOSE"), 1, "accents fold");
});

Deno.test("country codes from documents become alpha-2", () => {
  assert.equal(alpha2Country("NLD"), "NL");
  assert.equal(alpha2Country("D<<"), "DE");
  assert.equal(alpha2Country("USA"), "US");
  assert.equal(alpha2Country("ZZZ"), null);
  assert.equal(alpha2Country(null), null);
});

Deno.test("age is completed years on the day", () => {
  assert.equal(ageOn("2008-11-22", "2026-11-22"), 18);
  assert.equal(ageOn("2008-11-23", "2026-11-22"), 17);
  assert.equal(ageOn("2000-02-29", "2026-02-28"), 25);
});

Deno.test("document_expiration: expired, grace days, missing expiry", () => {
  const today = "2026-11-22";
  assert.equal(decide("document_expiration", { expires_on: "2026-11-22", today }).status, "passed");
  const expired = decide("document_expiration", { expires_on: "2026-11-20", today });
  assert.equal(expired.status, "failed");
  assert.equal(expired.reasons[0].code, "document_expired");
  assert.equal(expired.outputs.days_until_expiry, -2);
  assert.equal(decide("document_expiration", { expires_on: "2026-11-20", today }, { grace_days: 5 }).status, "passed");
  assert.equal(decide("document_expiration", { expires_on: null, today }).status, "skipped");
  assert.equal(
    decide("document_expiration", { expires_on: null, today }, { allow_missing_expiry: true }).status,
    "passed",
  );
});

Deno.test("id_document_filter: allowed and rejected matrices, rejection wins", () => {
  const allowed = { US: ["passport", "drivers_license"] };
  assert.equal(
    decide("id_document_filter", { country: "US", document_type: "drivers_license" }, { allowed }).status,
    "passed",
  );
  const other = decide("id_document_filter", { country: "FR", document_type: "passport" }, { allowed });
  assert.equal(other.status, "failed");
  assert.equal(other.reasons[0].code, "document_not_allowed");
  const refused = decide("id_document_filter", { country: "US", document_type: "passport" }, {
    allowed: { "*": ["passport"] },
    rejected: { US: ["passport"] },
  });
  assert.equal(refused.reasons[0].code, "document_rejected");
  assert.equal(decide("id_document_filter", { country: null, document_type: "passport" }).status, "skipped");
});

Deno.test("age_verification uses minimum_age", () => {
  const inputs = { date_of_birth: "2006-01-01", today: "2026-11-22" };
  assert.equal(decide("age_verification", inputs).status, "passed");
  const under = decide("age_verification", inputs, { minimum_age: 21 });
  assert.equal(under.status, "failed");
  assert.equal(under.outputs.age, 20);
  assert.equal(decide("age_verification", { date_of_birth: null, today: "2026-11-22" }).status, "skipped");
});

Deno.test("face_match thresholds by security level, liveness on demand", () => {
  const inputs = {
    document_face: true,
    selfie_face: true,
    // Between strict (0.50) and very_strict (0.60) on the calibrated scale (docs/face-calibration.md).
    similarity: 0.55,
    liveness_score: 0.3,
    antispoof_score: 0.9,
  };
  assert.equal(decide("face_match", inputs).status, "passed");
  assert.equal(decide("face_match", inputs, { security_level: "very_strict" }).status, "failed");
  assert.equal(decide("face_match", inputs, { security_level: "strict" }).status, "passed");
  assert.equal(decide("face_match", { ...inputs, similarity: 0.34 }).status, "failed");
  const spoof = decide("face_match", inputs, { require_liveness: true });
  assert.equal(spoof.status, "failed");
  assert.equal(spoof.reasons[0].code, "liveness_failed");
  assert.equal(decide("face_match", { ...inputs, document_face: false }).reasons[0].code, "no_document_face");
  assert.equal(decide("liveness", inputs).status, "failed");
});

Deno.test("identity_crossref: fuzzy names, exact dates", () => {
  const comparisons = [
    { field: "first_name", similarity: 0.9, fuzzy: true },
    { field: "date_of_birth", similarity: 1, fuzzy: false },
  ];
  assert.equal(decide("identity_crossref", { comparisons }).status, "passed");
  const mismatch = decide("identity_crossref", {
    comparisons: [...comparisons, { field: "last_name", similarity: 0.5, fuzzy: true }],
  });
  assert.deepEqual(mismatch.outputs.mismatched_fields, ["last_name"]);
  assert.equal(decide("identity_crossref", { comparisons: [] }).status, "skipped");
});

Deno.test("risk: per-organisation actions ignore, flag and block signals", () => {
  const signals = [
    { signal: "virtual_camera", category: "device" as const, weight: 50, detail: "" },
    { signal: "vpn_detected", category: "network" as const, weight: 10, detail: "" },
  ];
  const byDefault = scoreSignals(signals, {});
  assert.equal(byDefault.risk_level, "critical");
  assert.deepEqual(byDefault.blocked_by, ["virtual_camera"]);
  const ignored = scoreSignals(signals, { virtual_camera: "ignore" });
  assert.equal(ignored.risk_score, 10);
  assert.equal(ignored.risk_level, "low");
  const flagged = scoreSignals(signals, { virtual_camera: "flag" });
  assert.deepEqual(flagged.blocked_by, []);
  assert.equal(flagged.risk_score, 60);
  assert.equal(flagged.risk_level, "high");
  const blocked = scoreSignals(signals, { vpn_detected: "block" }, false);
  assert.deepEqual(blocked.blocked_by, ["vpn_detected"]);
  const check = decide("risk_assessment", { signals, actions: {} });
  assert.equal(check.status, "failed");
  assert.equal(decide("risk_assessment", { signals, actions: {} }, { block_on_hard_signals: false }).status, "passed");
});

Deno.test("a walk's end becomes the session status, the result and the event", () => {
  const path = (node: string, result: string): NodeResult => ({
    node,
    type: "policy",
    policy: node,
    result,
    routed_to: null,
    duration_ms: 1,
  });
  const quality = { status: "failed" as const, score: 0.1, reasons: [{ code: "blurry", detail: "x" }], outputs: {} };
  const resubmit = decideOutcome(
    "rejected",
    [path("document_quality", "failed")],
    { document_quality: quality },
    [],
    {},
    null,
  );
  assert.equal(resubmit.event, "session.resubmission-required");
  assert.equal(resubmit.result.rejection_reason_code, "document_unreadable");
  const face = {
    status: "failed" as const,
    score: 0.2,
    reasons: [{ code: "face_mismatch", detail: "no" }],
    outputs: { similarity: 0.2 },
  };
  const declined = decideOutcome("rejected", [path("face_match", "failed")], { face_match: face }, [], {}, null);
  assert.equal(declined.event, "session.declined");
  assert.equal(declined.result.face_match_passed, false);
  assert.equal(declined.result.face_match_score, 0.2);
  const review = decideOutcome("needs_review", [path("face_match", "error")], {}, ["face_match"], {}, null);
  assert.equal(review.sessionStatus, "under_review");
  assert.equal(review.event, "session.requires-review");
  assert.deepEqual(review.result.check_results.face_match, { status: "error", score: null, reasons: ["check_error"] });
  const approved = decideOutcome("approved", [], {}, [], { first_name: "A" }, null);
  assert.equal(approved.sessionStatus, "completed");
  assert.equal(approved.event, "session.approved");
  assert.equal(approved.result.face_match_passed, null);
});
