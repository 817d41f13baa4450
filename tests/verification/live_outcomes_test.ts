/**
 * Owns the live engine's outcomes end to end: applicants' generated documents captured through
 * the capture API, the real worker running the default workflow ("ID & Selfie + Age
 * Verification") with the on-premises engines, and the decision read back through the REST API
 * and the outbox — approved, face mismatch, expired document, under age, tampered MRZ, and an
 * unreadable photo that asks for a resubmission.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, sessionEventTypes, sessionRow } from "../helpers/sessions.ts";
import { SESSIONS } from "../helpers/capture.ts";
import {
  blurred,
  driversLicence,
  genuineSelfie,
  isoDateFromToday,
  passportPage,
  sampleApplicant,
  selfie,
} from "../helpers/identity_documents.ts";
import {
  awaitDecision,
  captureLiveSession,
  documentsOf,
  licenceHolder,
  resultOf,
  withWorker,
  workflowRunOf,
} from "../helpers/live_sessions.ts";

Deno.test("the live engine decides sessions with the default workflow", async (t) => {
  const world = await createTestWorld();
  try {
    await withWorker(world, async () => {
      await t.step("a genuine US licence holder is approved, with the extracted data and a workflow run", async () => {
        const holder = licenceHolder();
        const id = await captureLiveSession(world, await documentsOf(holder, "drivers_license"));
        const session = await awaitDecision(world, id);
        assert.equal(session.status, "completed");
        const result = await resultOf(world, id);
        assert.equal(result.status, "approved", JSON.stringify(result));
        assert.equal(result.face_match_passed, true);
        assert.ok(result.face_match_score >= 0.7, `score ${result.face_match_score}`);
        assert.equal(result.age_check_passed, true);
        assert.equal(result.extracted_age, 30);
        assert.equal(result.processing_mode, "workflow");
        assert.equal(result.rejection_reason, null);
        assert.equal(result.extracted_data.first_name, holder.firstName);
        assert.equal(result.extracted_data.last_name, holder.lastName);
        assert.equal(result.extracted_data.date_of_birth, holder.dateOfBirth);
        assert.equal(result.extracted_data.document_number, holder.documentNumber);
        assert.equal(result.extracted_data.document_expiration_date, holder.expirationDate);
        assert.equal(result.extracted_data.document_type, "drivers_license");
        assert.equal(result.extracted_data.document_issuing_state, "CA");
        assert.deepEqual(await sessionEventTypes(world, id), [
          "session.created",
          "session.started",
          "session.approved",
        ]);

        const run = await workflowRunOf(world, id);
        assert.equal(run.status, "completed");
        assert.equal(run.final_status, "approved");
        assert.equal(run.workflow_version, 1);
        assert.deepEqual(
          run.node_results.map((n: { node: string }) => n.node),
          [
            "start",
            "document_quality",
            "document_ocr",
            "document_expiration",
            "face_match",
            "age_verification",
            "risk_assessment",
            "risk_level",
            "approved",
          ],
        );
        assert.ok(run.node_results.every((n: { duration_ms: number }) => n.duration_ms >= 0));
        assert.equal((await sessionRow(world, id)).workflow_version, 1);

        const checks = await call(world, "GET", `${SESSIONS}/${id}/verifications`, { key: world.org.live_secret_key });
        assert.equal(checks.status, 200);
        const byPolicy = Object.fromEntries(checks.body.data.map((a: { policy: string }) => [a.policy, a]));
        assert.equal(byPolicy.document_ocr.status, "passed");
        assert.equal(byPolicy.document_ocr.outputs.cross_check_passed, true);
        assert.match(byPolicy.face_match.versions.engines[0].library, /^@vladmandic\/human@/);
        assert.match(byPolicy.document_ocr.versions.check, /^document_ocr\/\d+$/);
      });

      await t.step("a passport holder is approved from the MRZ", async () => {
        const holder = sampleApplicant();
        const id = await captureLiveSession(world, await documentsOf(holder, "passport"));
        await awaitDecision(world, id);
        const result = await resultOf(world, id);
        assert.equal(result.status, "approved", JSON.stringify(result));
        assert.equal(result.extracted_data.document_number, holder.documentNumber);
        assert.equal(result.extracted_data.nationality, "NL");
        assert.equal(result.extracted_data.document_type, "passport");
      });

      await t.step("a national ID card holder is approved from the TD1 MRZ on the back", async () => {
        const holder = sampleApplicant({ face: "personD", sex: "F", firstName: "EVA", lastName: "JANSEN" });
        const id = await captureLiveSession(world, await documentsOf(holder, "national_id"));
        await awaitDecision(world, id);
        const result = await resultOf(world, id);
        assert.equal(result.status, "approved", JSON.stringify(result));
        assert.equal(result.extracted_data.document_type, "national_id");
        assert.equal(result.extracted_data.first_name, "EVA");
        assert.equal(result.extracted_data.gender, "F");
        assert.equal(result.check_results.document_ocr.source, "mrz");
      });

      await t.step("a selfie of somebody else is rejected as a face mismatch", async () => {
        const holder = licenceHolder();
        const docs = await documentsOf(holder, "drivers_license");
        const id = await captureLiveSession(world, { ...docs, selfie: await selfie("personC") });
        await awaitDecision(world, id);
        const result = await resultOf(world, id);
        assert.equal(result.status, "rejected");
        assert.equal(result.face_match_passed, false);
        assert.equal(result.rejection_reason_code, "face_mismatch");
        assert.ok(result.face_match_score < 0.7);
        assert.ok((await sessionEventTypes(world, id)).includes("session.declined"));
      });

      await t.step("an expired licence is rejected", async () => {
        const holder = licenceHolder({ expirationDate: isoDateFromToday(0, -3) });
        const id = await captureLiveSession(world, await documentsOf(holder, "drivers_license"));
        await awaitDecision(world, id);
        const result = await resultOf(world, id);
        assert.equal(result.status, "rejected");
        assert.equal(result.rejection_reason_code, "document_expired");
        assert.equal(result.check_results.document_expiration.status, "failed");
        assert.equal(result.check_results.document_expiration.days_until_expiry, -3);
      });

      await t.step("a 16-year-old is rejected by the age check", async () => {
        const holder = licenceHolder({ dateOfBirth: isoDateFromToday(-16, -40) });
        const id = await captureLiveSession(world, await documentsOf(holder, "drivers_license"));
        await awaitDecision(world, id);
        const result = await resultOf(world, id);
        assert.equal(result.status, "rejected");
        assert.equal(result.age_check_passed, false);
        assert.equal(result.extracted_age, 16);
        assert.equal(result.rejection_reason_code, "underage");
      });

      await t.step("a passport whose MRZ check digit was altered is rejected", async () => {
        const holder = sampleApplicant();
        const front = await passportPage(holder, { tamperCheckDigit: "birthDate" });
        const id = await captureLiveSession(world, {
          documentType: "passport",
          front,
          selfie: await genuineSelfie(holder),
        });
        await awaitDecision(world, id);
        const result = await resultOf(world, id);
        assert.equal(result.status, "rejected");
        assert.equal(result.rejection_reason_code, "mrz_checksum_failed");
        assert.equal(result.check_results.document_ocr.mrz_valid, false);
      });

      await t.step("an unreadably blurred licence asks for a resubmission", async () => {
        const holder = licenceHolder();
        const card = await driversLicence(holder);
        const id = await captureLiveSession(world, {
          documentType: "drivers_license",
          front: await blurred(card.front, 12),
          back: await blurred(card.back, 12),
          selfie: await genuineSelfie(holder),
        });
        await awaitDecision(world, id);
        const result = await resultOf(world, id);
        assert.equal(result.status, "rejected");
        assert.equal(result.rejection_reason_code, "document_unreadable");
        const events = await sessionEventTypes(world, id);
        assert.ok(events.includes("session.resubmission-required"), events.join(", "));
        assert.ok(!events.includes("session.declined"));
        const run = await workflowRunOf(world, id);
        assert.deepEqual(run.node_results.map((n: { node: string }) => n.node), [
          "start",
          "document_quality",
          "rejected",
        ]);
      });
    });
  } finally {
    await world.close();
  }
});
