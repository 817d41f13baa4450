/**
 * Owns the live decision on real faces, end to end: the portrait printed on the document and the
 * selfie are real photographs that ship in @vladmandic/human (its author at his webcam and, years
 * apart, in another photo; four different women), captured through the capture API and decided by
 * the real worker with the default workflow. The genuine applicant's selfie is a *different*
 * photograph of the person on the document, never the same picture again; impostors are other
 * real people. The documents themselves are drawn (tests/helpers/identity_documents.ts).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { sessionEventTypes } from "../helpers/sessions.ts";
import { driversLicence, passportPage, sampleApplicant, selfie } from "../helpers/identity_documents.ts";
import {
  awaitDecision,
  captureLiveSession,
  licenceHolder,
  resultOf,
  withWorker,
  workflowRunOf,
} from "../helpers/live_sessions.ts";

/** Verifa's documented standard threshold, which the default workflow's face_match uses. */
const STANDARD = 0.35;

Deno.test("live face match on real photographs", async (t) => {
  const world = await createTestWorld();
  try {
    await withWorker(world, async () => {
      await t.step("a licence holder whose selfie is another photo of him, years apart, is approved", async () => {
        const holder = licenceHolder({ face: "personA" });
        const card = await driversLicence(holder);
        const id = await captureLiveSession(world, {
          documentType: "drivers_license",
          front: card.front,
          back: card.back,
          selfie: await selfie("personAOther"),
        });
        await awaitDecision(world, id);
        const result = await resultOf(world, id);
        assert.equal(result.status, "approved", JSON.stringify(result));
        assert.equal(result.face_match_passed, true);
        assert.ok(result.face_match_score >= STANDARD, `score ${result.face_match_score}`);
        assert.ok(result.face_match_score < 1, "two different photographs never score as identical");
      });

      await t.step(
        "the same person the other way round (older photo printed, newer selfie) on a passport",
        async () => {
          const holder = sampleApplicant({ face: "personAOther" });
          const id = await captureLiveSession(world, {
            documentType: "passport",
            front: await passportPage(holder),
            selfie: await selfie("personA"),
          });
          await awaitDecision(world, id);
          const result = await resultOf(world, id);
          assert.equal(result.status, "approved", JSON.stringify(result));
          assert.ok(result.face_match_score >= STANDARD, `score ${result.face_match_score}`);
        },
      );

      for (
        const [portrait, impostor] of [["personB", "personC"], ["personD", "personE"], ["personA", "personB"]] as const
      ) {
        await t.step(`${impostor}'s selfie against ${portrait}'s licence is rejected as a face mismatch`, async () => {
          const holder = licenceHolder({ face: portrait, sex: portrait === "personA" ? "M" : "F" });
          const card = await driversLicence(holder);
          const id = await captureLiveSession(world, {
            documentType: "drivers_license",
            front: card.front,
            back: card.back,
            selfie: await selfie(impostor),
          });
          await awaitDecision(world, id);
          const result = await resultOf(world, id);
          assert.equal(result.status, "rejected", JSON.stringify(result));
          assert.equal(result.face_match_passed, false);
          assert.equal(result.rejection_reason_code, "face_mismatch");
          assert.ok(result.face_match_score < STANDARD, `score ${result.face_match_score}`);
          assert.ok((await sessionEventTypes(world, id)).includes("session.declined"));
          const run = await workflowRunOf(world, id);
          const face = run.node_results.find((n: { node: string }) => n.node === "face_match");
          assert.equal(face.result, "failed");
        });
      }
    });
  } finally {
    await world.close();
  }
});
