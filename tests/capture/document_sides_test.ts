/**
 * Owns seed 003's capture rules over HTTP, through both doors an integration uses (the token
 * capture API and the API-key upload + submit): a driver's licence needs front and back, a
 * passport its photo page only, a state ID / national ID its front only, and an optional back,
 * when sent, is stored like any side and read by the verification's evidence.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession, type Reply, sessionRow } from "../helpers/sessions.ts";
import {
  assertError,
  capture,
  captureImages,
  documentRows,
  expectOk,
  multipart,
  SESSIONS,
  snapshot,
  tokenOf,
  type UploadFile,
  uploadSelfie,
  uploadSide,
} from "../helpers/capture.ts";
import { isJpeg } from "../helpers/images.ts";
import { readDocument } from "../../core/documents/service.ts";
import { gatherEvidence } from "../../core/verification/evidence.ts";
import { scopeOf } from "../../core/capture/service.ts";

const CONSENT = { consent_version: "2026-01-01", accepted: true };

/** A fresh session at its front step: consent given and `documentType` chosen. */
async function atFront(world: TestWorld, documentType: string, place = { country: "FR" } as Record<string, string>) {
  const created = await createSession(world, world.org.sandbox_secret_key);
  const token = tokenOf(created);
  expectOk(await capture(world, token, "POST", "consent", CONSENT), "consent");
  const state = expectOk(
    await capture(world, token, "POST", "document-type", { document_type: documentType, ...place }),
    "document-type",
  );
  return { id: created.id as string, token, state };
}

function apiUpload(world: TestWorld, sessionId: string, file: UploadFile, fields: Record<string, string>) {
  return call(world, "POST", `${SESSIONS}/${sessionId}/documents`, {
    key: world.org.sandbox_secret_key,
    body: multipart(file, fields),
  });
}

function expectCreated(res: Reply, what: string): Body {
  assert.equal(res.status, 201, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The stored back, decrypted, is the applicant's image; the evidence a live run gathers reads it. */
async function assertBackStoredAndRead(world: TestWorld, sessionId: string, documentType: string) {
  const rows = await documentRows(world, sessionId);
  const back = rows.find((d) => d.doc_type === "id_back");
  assert.ok(back, `no id_back among ${rows.map((d) => d.doc_type)}`);
  assert.equal(back.side, "back");
  assert.equal(back.document_type, documentType);
  assert.equal(back.mime_type, "image/jpeg");
  const bytes = await readDocument(world.deps, back, "full");
  assert.ok(bytes && isJpeg(bytes), "the back's object opens to the normalised JPEG");
  const session = await sessionRow(world, sessionId);
  const evidence = gatherEvidence(world.deps, session, scopeOf(session), world.clock.now());
  assert.deepEqual(await evidence.image("id_back"), bytes);
  assert.deepEqual((await evidence.quality()).map((q) => q.side), ["front", "back"]);
  const listed = await call(world, "GET", `${SESSIONS}/${sessionId}/documents`, {
    key: world.org.sandbox_secret_key,
  });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.data.map((d: Body) => d.doc_type).sort(), ["id_back", "id_front", "selfie"]);
}

Deno.test("seed 003 capture rules on the capture API (/verify/{token}/…)", async (t) => {
  const world = await createTestWorld();
  const files = await captureImages();
  try {
    await t.step("the document types say which sides they need", async () => {
      const expected: Record<string, { requires_back: boolean; back_optional: boolean; optional: string[] }> = {
        drivers_license: { requires_back: true, back_optional: false, optional: [] },
        passport: { requires_back: false, back_optional: false, optional: [] },
        national_id: { requires_back: false, back_optional: true, optional: ["document_back"] },
        residence_permit: { requires_back: true, back_optional: false, optional: [] },
      };
      for (const [documentType, want] of Object.entries(expected)) {
        const { state } = await atFront(world, documentType);
        assert.equal(state.requires_back, want.requires_back, documentType);
        assert.equal(state.back_optional, want.back_optional, documentType);
        assert.deepEqual(state.steps_optional, want.optional, documentType);
        const sides = want.requires_back ? ["document_front", "document_back"] : ["document_front"];
        assert.deepEqual(state.steps_required, ["consent", "document_type", ...sides, "selfie"], documentType);
        assert.deepEqual(state.missing_steps, [...sides, "selfie"], documentType);
      }
      // Before a type is chosen there is no back to speak of.
      const token = tokenOf(await createSession(world, world.org.sandbox_secret_key));
      const fresh = expectOk(await capture(world, token, "GET", "state"), "state");
      assert.equal(fresh.requires_back, false);
      assert.equal(fresh.back_optional, false);
      assert.deepEqual(fresh.steps_optional, []);
    });

    await t.step("national ID, front only: the selfie follows the front and complete is accepted", async () => {
      const { id, token } = await atFront(world, "national_id");
      const front = expectOk(await uploadSide(world, token, "front", files.front), "front");
      assert.equal(front.state.next_step, "selfie");
      assert.deepEqual(front.state.missing_steps, ["selfie"]);
      const selfie = expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      assert.deepEqual(selfie.state.missing_steps, []);
      assert.equal(selfie.state.next_step, null);
      assert.deepEqual(selfie.state.steps_completed, ["consent", "document_type", "document_front", "selfie"]);
      const done = expectOk(await capture(world, token, "POST", "complete"), "complete");
      assert.equal(done.status, "sandbox_pending");
      assert.deepEqual((await documentRows(world, id)).map((d) => d.doc_type).sort(), ["id_front", "selfie"]);
    });

    await t.step("state ID (a US national_id with its state), front only, completes too", async () => {
      const { id, token, state } = await atFront(world, "national_id", { country: "US", state: "TX" });
      assert.equal(state.document_state, "TX");
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
      assert.equal((await sessionRow(world, id)).status, "sandbox_pending");
    });

    await t.step("national ID, front and back: the back is stored like any side and read", async () => {
      const { id, token } = await atFront(world, "national_id");
      // Not before the front, as for a required back; refused without a trace.
      const before = await snapshot(world, id);
      assertError(await uploadSide(world, token, "back", files.back), 400, "step_out_of_order", /front/);
      assert.deepEqual(await snapshot(world, id), before);
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      const back = expectOk(await uploadSide(world, token, "back", files.back), "back");
      assert.equal(back.document.doc_type, "id_back");
      assert.equal(back.document.side, "back");
      assert.equal(back.document.document_type, "national_id");
      assert.equal(typeof back.quality.blur.score, "number", "the back gets quality feedback like the front");
      assert.deepEqual(back.state.steps_completed, ["consent", "document_type", "document_front", "document_back"]);
      assert.deepEqual(back.state.missing_steps, ["selfie"]);
      expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
      await assertBackStoredAndRead(world, id, "national_id");
    });

    await t.step("national ID: the back may also come after the selfie", async () => {
      const { id, token } = await atFront(world, "national_id");
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      expectOk(await uploadSide(world, token, "back", files.back), "back");
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
      await assertBackStoredAndRead(world, id, "national_id");
    });

    await t.step("driver's licence without the back: 400 capture_incomplete, nothing changes", async () => {
      const { id, token } = await atFront(world, "drivers_license", { country: "US", state: "CA" });
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      const before = await snapshot(world, id);
      const refused = assertError(await capture(world, token, "POST", "complete"), 400, "capture_incomplete");
      assert.deepEqual(refused.fields, { document_back: "is required", selfie: "is required" });
      assert.deepEqual(await snapshot(world, id), before);
      assertError(await uploadSelfie(world, token, files.selfie), 400, "step_out_of_order", /document_back/);
      assert.deepEqual(await snapshot(world, id), before);
      assert.equal((await sessionRow(world, id)).status, "capturing");
    });

    await t.step("passport: the photo page only; a back is refused and complete needs no back", async () => {
      const { id, token, state } = await atFront(world, "passport", { country: "GB" });
      assert.deepEqual(state.steps_optional, []);
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      const before = await snapshot(world, id);
      assertError(await uploadSide(world, token, "back", files.back), 400, "step_out_of_order", /passport/);
      assert.deepEqual(await snapshot(world, id), before);
      expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
    });
  } finally {
    await world.close();
  }
});

Deno.test("seed 003 capture rules on the API-key upload and submit", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const files = await captureImages();
  const submit = (id: string) => call(world, "POST", `${SESSIONS}/${id}/submit`, { key });
  /** A new session with the front of `documentType`, its back when told, and a selfie; returns the back's answer. */
  const uploaded = async (documentType: string, withBack: boolean) => {
    const session = await createSession(world, key);
    const sides = withBack ? ["front", "back"] : ["front"];
    let back: Body | null = null;
    for (const side of sides) {
      const file = side === "front" ? files.front : files.back;
      const body = expectCreated(await apiUpload(world, session.id, file, { document_type: documentType, side }), side);
      if (side === "back") back = body;
    }
    expectCreated(await apiUpload(world, session.id, files.selfie, { document_type: "selfie" }), "selfie");
    return { id: session.id as string, back };
  };
  try {
    await t.step("national ID front + selfie: submit is accepted", async () => {
      const { id } = await uploaded("national_id", false);
      const res = await submit(id);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual(res.body, { id, status: "sandbox_pending" });
    });

    await t.step("national ID front + back + selfie: the back is stored and read; submit is accepted", async () => {
      const { id, back } = await uploaded("national_id", true);
      assert.equal(back?.doc_type, "id_back");
      assert.equal(back?.side, "back");
      assert.equal(back?.document_type, "national_id");
      assert.equal((await submit(id)).status, 202);
      await assertBackStoredAndRead(world, id, "national_id");
    });

    await t.step("driver's licence without the back: submit is 400 capture_incomplete, nothing changes", async () => {
      const { id } = await uploaded("drivers_license", false);
      const before = await snapshot(world, id);
      const refused = assertError(await submit(id), 400, "capture_incomplete", /document_back/);
      assert.deepEqual(refused.fields, { document_back: "is required" });
      assert.deepEqual(await snapshot(world, id), before);
    });

    await t.step("passport: a back is 422 naming side, and the photo page alone is enough", async () => {
      const session = await createSession(world, key);
      expectCreated(
        await apiUpload(world, session.id, files.front, { document_type: "passport", side: "front" }),
        "front",
      );
      const before = await snapshot(world, session.id);
      const refused = assertError(
        await apiUpload(world, session.id, files.back, { document_type: "passport", side: "back" }),
        422,
        "validation_error",
      );
      assert.deepEqual(Object.keys(refused.fields), ["side"]);
      assert.deepEqual(await snapshot(world, session.id), before);
      expectCreated(await apiUpload(world, session.id, files.selfie, { document_type: "selfie" }), "selfie");
      assert.equal((await submit(session.id)).status, 202);
    });
  } finally {
    await world.close();
  }
});
