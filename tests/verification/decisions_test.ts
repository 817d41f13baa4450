/**
 * Owns the checks' decisions as pure functions of stored inputs (what replay relies on): option
 * handling and edge cases of each check, the text matching they use, the risk score under
 * per-organisation signal actions, and how a walk's end becomes a status, a result and an event.
 */
import assert from "node:assert/strict";
import { resolvedOptions } from "../../core/workflows/policies.ts";
import { CHECKS } from "../../core/verification/checks/registry.ts";
import { ocrInputs } from "../../core/verification/checks/document_ocr.ts";
import type { DocumentExtraction } from "../../core/verification/extraction.ts";
import { POLICY_NAMES } from "../../core/workflows/policies.ts";
import { containsApproximately, textSimilarity } from "../../core/verification/text_match.ts";
import { compareFront } from "../../core/verification/visual_zone.ts";
import { alpha2Country } from "../../core/verification/countries.ts";
import { ageOn } from "../../core/verification/check.ts";
import { scoreSignals } from "../../core/risk/assessment.ts";
import { verificationSignals } from "../../core/verification/checks/risk_assessment.ts";
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

/** tesseract's reading of a generated passport front (tests/helpers/identity_documents.ts): labels come out as noise. */
const PASSPORT_FRONT = [
  "PASSPORT / PASSEPORT T / T C / C P5 N. / N.",
  "P NLD XKA4821937",
  "S / N",
  "VAN DAM",
  "G PS",
  "JAN PIETER",
  "NLD",
  "05 AUG 1996 M",
  "D / D",
  "24 DEC 2021",
  "D / D",
  "23 DEC 2031",
  "NLD MINISTRY OF INTERIOR",
].join("\n");
const PASSPORT_VALUES = {
  document_number: "XK4821937",
  last_name: "VAN DAM",
  first_name: "JAN",
  middle_name: "PIETER",
  date_of_birth: "1996-08-05",
  document_expiration_date: "2031-12-23",
};

Deno.test("the front cross-check: a value shown different is a mismatch, a value not shown is not", () => {
  assert.deepEqual(compareFront(PASSPORT_FRONT, PASSPORT_VALUES, "dmy"), {
    document_number: "agrees",
    last_name: "agrees",
    date_of_birth: "agrees",
  });
  // An MRZ re-printed with another identity: the front shows other values of the same kinds.
  assert.deepEqual(
    compareFront(PASSPORT_FRONT, { ...PASSPORT_VALUES, last_name: "DE VRIES", date_of_birth: "1990-03-14" }, "dmy"),
    { document_number: "agrees", last_name: "differs", date_of_birth: "differs" },
  );
  // tesseract's reading of the generated licence front: the number came out whole.
  const licenceFront = "CALIFORNIA\nDRIVER LICENSE USA\nDL EXP\nXK4821937 12/23/2031\nVAN DAM\n4 JAN PIETER";
  assert.equal(compareFront(licenceFront, { document_number: "XR1175302" }, "mdy").document_number, "differs");
  // A number read with a glyph split in two (XKA4821937) shows nothing either way: one glyph
  // longer is as often an MRZ fragment or another field.
  assert.equal(compareFront(PASSPORT_FRONT, { document_number: "XR1175302" }, "dmy").document_number, "absent");
  // One digit misread on the front, or half the glyphs of a guillochéd number: not another number.
  assert.equal(compareFront("P NLD XK4821987", PASSPORT_VALUES, "dmy").document_number, "agrees");
  assert.equal(compareFront("BET 53003853", { document_number: "99003853" }, "dmy").document_number, "absent");
  // Not read at all: nothing shown either way, whatever else the front showed.
  const unread = PASSPORT_FRONT.replace("XKA4821937", "").replace("VAN DAM", "").replace("05 AUG 1996", "");
  assert.deepEqual(compareFront(unread, PASSPORT_VALUES, "dmy"), {
    document_number: "absent",
    last_name: "absent",
    date_of_birth: "absent",
  });
  // Issue and expiry dates are not birth dates; neither is a compact date a document number.
  assert.equal(compareFront("24 DEC 2021 23 DEC 2031 23122031", PASSPORT_VALUES, "dmy").date_of_birth, "absent");
  assert.equal(compareFront("23122031", { document_number: "99003853" }, "dmy").document_number, "absent");
  // Bilingual month names with a short year, and US licences' month-first dates.
  assert.equal(
    compareFront("12 AUGUST/AOUT 74", { date_of_birth: "1974-08-12", document_expiration_date: "2012-04-15" }, "dmy")
      .date_of_birth,
    "agrees",
  );
  assert.equal(
    compareFront("DOB 03/14/1990", { date_of_birth: "1996-08-05", document_expiration_date: "2031-12-23" }, "mdy")
      .date_of_birth,
    "differs",
  );
});

Deno.test("document_ocr: rejects what the document shows, sends to review what the reading doubts", () => {
  const base = {
    source: "mrz",
    mrz_valid: true,
    mrz_failed_checks: [],
    mrz_inferred: [],
    mrz_ambiguous: [],
    mrz_misread: [],
    mrz_invalid_fields: [],
    fields_read: ["document_number", "last_name", "date_of_birth"],
    front: { document_number: "agrees", last_name: "absent", date_of_birth: "absent" },
    vouched: ["document_number", "last_name", "date_of_birth"],
  };
  const passed = decide("document_ocr", base);
  assert.equal(passed.status, "passed", "a value missing from the front is not a mismatch");
  assert.equal(passed.outputs.cross_check_passed, true);

  const shown = decide("document_ocr", { ...base, front: { ...base.front, last_name: "differs" } });
  assert.equal(shown.status, "failed");
  assert.deepEqual(shown.reasons.map((r) => r.code), ["front_mismatch"]);
  assert.deepEqual(shown.outputs.mismatched_fields, ["last_name"]);
  assert.equal(shown.outputs.cross_check_passed, false);
  assert.equal(
    decide("document_ocr", { ...base, front: { ...base.front, last_name: "differs" } }, { cross_check: false }).status,
    "passed",
  );
  // A misread MRZ surname differing from the front proves nothing about the document.
  const unvouched = { ...base, front: { ...base.front, last_name: "differs" }, vouched: ["document_number"] };
  assert.equal(decide("document_ocr", unvouched).status, "passed");

  // A check digit failing on characters read as they stand: tampering.
  const tampered = decide("document_ocr", { ...base, mrz_valid: false, mrz_failed_checks: ["birthDate"] });
  assert.equal(tampered.status, "failed");
  assert.deepEqual(tampered.reasons.map((r) => r.code), ["mrz_checksum_failed"]);
  // Failing where the OCR's reading was repaired, a field with two valid readings, a field of the
  // wrong form, a guessed number the front does not show: a person looks (skipped routes to review).
  const doubts: [Record<string, unknown>, string][] = [
    [{
      mrz_valid: false,
      mrz_failed_checks: ["personalNumber", "composite"],
      mrz_misread: ["personalNumber", "composite"],
    }, "mrz_misread"],
    [{ mrz_valid: false, mrz_failed_checks: ["documentNumber"], mrz_ambiguous: ["documentNumber"] }, "mrz_ambiguous"],
    [{ mrz_valid: false, mrz_invalid_fields: ["issuingState"] }, "mrz_invalid_field"],
    [{ mrz_valid: false, mrz_failed_checks: ["composite"], mrz_invalid_fields: ["issuingState"] }, "mrz_invalid_field"],
    [
      { mrz_inferred: ["documentNumber"], front: { ...base.front, document_number: "absent" } },
      "mrz_unconfirmed_repair",
    ],
  ];
  for (const [inputs, code] of doubts) {
    const decision = decide("document_ocr", { ...base, ...inputs });
    assert.equal(decision.status, "skipped", code);
    assert.ok(decision.reasons.some((r) => r.code === code), JSON.stringify(decision.reasons));
  }
  // Names carry no check digit: a filler read as a lone letter, or a surname with no given names
  // (the `<<` between them misread), goes to a person unless the front prints that surname.
  for (const names of [["last_name", "first_name"], ["last_name"]]) {
    const decision = decide("document_ocr", { ...base, mrz_doubtful_names: names });
    assert.equal(decision.status, "skipped");
    assert.deepEqual(decision.reasons.map((r) => r.code), ["mrz_misread"]);
  }
  assert.equal(decide("document_ocr", { ...base, mrz_doubtful_names: [] }).status, "passed");
  // A guessed number the front prints is trusted.
  assert.equal(decide("document_ocr", { ...base, mrz_inferred: ["documentNumber"] }).status, "passed");

  // Attempts stored by version 3 replay: a value found agreed, a value not found was no mismatch.
  const legacy = {
    source: "mrz",
    mrz_valid: true,
    mrz_failed_checks: [],
    mrz_inferred: [],
    fields_read: ["document_number"],
    front_agrees: { document_number: true, last_name: false },
  };
  assert.equal(decide("document_ocr", legacy).status, "passed");
  const legacyInvalid = decide("document_ocr", { ...legacy, mrz_valid: false });
  assert.equal(legacyInvalid.reasons[0].code, "mrz_invalid_field");
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

Deno.test("risk: a specimen document presented is a signal, high on its own, blockable", () => {
  const ocr = (specimen: boolean) => ({
    document_ocr: { status: "passed" as const, score: 1, reasons: [], outputs: { specimen } },
  });
  assert.deepEqual(verificationSignals(ocr(false)), []);
  const found = verificationSignals(ocr(true));
  assert.deepEqual(found.map((s) => s.signal), ["specimen_document"]);
  assert.equal(scoreSignals(found, {}).risk_level, "high", "review by default");
  assert.equal(scoreSignals(found, { specimen_document: "block" }).risk_level, "critical");
  // document_ocr itself only records it.
  const uto = decide("document_ocr", {
    source: "mrz",
    mrz_valid: true,
    mrz_failed_checks: [],
    mrz_inferred: [],
    fields_read: [],
    front: null,
    specimen: true,
  });
  assert.equal(uto.status, "passed");
  assert.equal(uto.outputs.specimen, true);
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

Deno.test("document_ocr: MRZ names a filler misread could have made are doubted, real names are not", () => {
  const extraction = (data: Record<string, string>, front_text: string | null = null) =>
    ({
      source: "mrz",
      data,
      mrz: {
        format: "TD3",
        valid: true,
        checks: {},
        errors: [],
        inferred: [],
        ambiguous: [],
        misread: [],
        vouched: [],
        specimen: false,
        lines: [],
      },
      barcode: null,
      front_text,
      versions: [],
    }) as unknown as DocumentExtraction;
  const doubted = (data: Record<string, string>, front?: string) =>
    ocrInputs(extraction(data, front ?? null)).mrz_doubtful_names;
  // `LIN<<MEI<HUA` read as `LIN<K<KMEI<HUA`: one surname, a lone K, no given names.
  assert.deepEqual(doubted({ last_name: "LIN K KMEI HUA" }), ["last_name"]);
  // `SPECIMEN<<VZOR` read as `SPECIMEN<L<KVZOR`.
  assert.deepEqual(doubted({ last_name: "SPECIMEN L KVZOR" }), ["last_name"]);
  assert.deepEqual(doubted({ last_name: "ERIKSSON", first_name: "ANNA", middle_name: "K" }), ["middle_name"]);
  assert.deepEqual(doubted({ last_name: "ERIKSSON", first_name: "ANNA", middle_name: "MARIA" }), []);
  assert.deepEqual(doubted({ last_name: "KLEIN", first_name: "CLARA" }), [], "names starting with K, L or C are names");
});
