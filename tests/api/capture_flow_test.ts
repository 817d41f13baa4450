/**
 * Owns the capture API's main path over HTTP, as an API-only integration drives it: the tutorial
 * end to end for every sandbox preset (session, result and redirect as the contract's preset
 * table says, and exactly what `simulate` records), document types and their sides, and the live
 * path's `session.process` job enqueued in the completing transaction.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession, sessionEventTypes, sessionRow } from "../helpers/sessions.ts";
import {
  assertError,
  blobKeys,
  capture,
  captureDocuments,
  captureImages,
  consentFrom,
  documentRows,
  expectOk,
  SESSIONS,
  snapshot,
  tokenOf,
  uploadSelfie,
  uploadSide,
} from "../helpers/capture.ts";
import { sessionFieldContext } from "../../core/sessions/service.ts";

interface Expected {
  session: string;
  event: string | null;
  result: null | Record<string, unknown>;
  rejection?: RegExp;
}

const APPROVED = { status: "approved", face_match_passed: true, face_match_score: 0.95, extracted_age: 28 };
const FACE_MISMATCH = {
  status: "rejected",
  face_match_passed: false,
  face_match_score: 0.21,
  rejection_reason_code: "face_mismatch",
};

/** The contract's preset table. */
const PRESETS: Record<string, Expected> = {
  approve: { session: "completed", event: "session.approved", result: APPROVED },
  reject: { session: "completed", event: "session.declined", result: FACE_MISMATCH, rejection: /face mismatch/i },
  reject_face_mismatch: {
    session: "completed",
    event: "session.declined",
    result: FACE_MISMATCH,
    rejection: /face mismatch/i,
  },
  reject_document_expired: {
    session: "completed",
    event: "session.declined",
    result: { status: "rejected", rejection_reason_code: "document_expired" },
    rejection: /expired/i,
  },
  reject_underage: {
    session: "completed",
    event: "session.declined",
    result: { status: "rejected", extracted_age: 16, age_check_passed: false, rejection_reason_code: "underage" },
    rejection: /age/i,
  },
  needs_review: { session: "under_review", event: "session.requires-review", result: { status: "needs_review" } },
  needs_review_watchlist: {
    session: "under_review",
    event: "session.requires-review",
    result: { status: "needs_review" },
  },
  resubmission_required: {
    session: "completed",
    event: "session.resubmission-required",
    result: { status: "rejected", rejection_reason_code: "document_unreadable" },
    rejection: /unreadable|blurry|low-quality/i,
  },
  processing_error: { session: "failed", event: null, result: null },
};

/** Verifa's outcome names on the token endpoint map onto presets. */
const OUTCOME_NAMES: Record<string, string> = { approve: "approve", reject: "reject", needs_review: "needs_review" };

function ageOn(birthDate: string, now: Date): number {
  const [y, m, d] = birthDate.split("-").map(Number);
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age--;
  return age;
}

/** A result minus what differs between two sessions decided the same way. */
function comparable(result: Body): Body {
  const { session_id: _id, created_at: _at, ...rest } = result;
  return rest;
}

function assertPresetResult(preset: string, result: Body, now: Date): void {
  const expected = PRESETS[preset];
  for (const [field, value] of Object.entries(expected.result!)) assert.equal(result[field], value, field);
  if (expected.rejection) assert.match(result.rejection_reason, expected.rejection);
  else assert.equal(result.rejection_reason, null);
  const data = result.extracted_data;
  if (preset === "resubmission_required") {
    assert.deepEqual(data, {});
    assert.equal(result.check_results.document_quality.status, "failed");
    return;
  }
  // Every decided preset carries the same mock applicant: Jane Doe's California driver's licence.
  assert.equal(data.first_name, "Jane");
  assert.equal(data.last_name, "Doe");
  assert.equal(data.document_type, "drivers_license");
  assert.equal(data.document_issuing_state, "CA");
  assert.equal(ageOn(data.date_of_birth, now), result.extracted_age);
  const today = now.toISOString().slice(0, 10);
  if (preset === "reject_document_expired") {
    assert.ok(data.document_expiration_date < today, `${data.document_expiration_date} is not in the past`);
    assert.equal(result.check_results.document_expiration.status, "failed");
  } else {
    assert.ok(data.document_expiration_date > today, `${data.document_expiration_date} is not in the future`);
  }
  if (preset === "needs_review_watchlist") assert.equal(result.check_results.watchlist_screening.status, "failed");
}

Deno.test("the sandbox tutorial over HTTP", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const files = await captureImages();
  try {
    await t.step("create → state → consent → type → front → back → selfie → complete → approve", async () => {
      const created = await createSession(world, key, {
        external_ref: "tutorial-user-1",
        redirect_url: "https://shop.example/kyc/done?ref=abc",
      });
      assert.equal(created.status, "pending");
      assert.equal(created.is_sandbox, true);
      const token = tokenOf(created);

      const state = expectOk(await capture(world, token, "GET", "state"), "state");
      assert.equal(state.session_id, created.id);
      assert.equal(state.status, "pending");
      assert.equal(state.is_sandbox, true);
      assert.equal(state.capture_open, true);
      assert.deepEqual(state.steps_required, ["consent", "document_type", "document_front", "selfie"]);
      assert.deepEqual(state.steps_completed, []);
      assert.equal(state.next_step, "consent");
      assert.deepEqual(state.allowed_document_types, [
        "passport",
        "drivers_license",
        "national_id",
        "residence_permit",
      ]);
      assert.deepEqual(state.sandbox_presets, Object.keys(PRESETS));
      assert.deepEqual(state.user_info_fields, []);
      assert.deepEqual(state.prefill, {});

      const consented = await consentFrom(world, token, "198.51.100.23", "TutorialBrowser/1.0");
      assert.equal(consented.status, 200, JSON.stringify(consented.body));
      assert.equal(consented.body.status, "capturing");
      assert.deepEqual(consented.body.steps_completed, ["consent"]);
      assert.equal(consented.body.next_step, "document_type");
      const row = await sessionRow(world, created.id);
      assert.equal(row.status, "capturing");
      assert.ok(row.consent_at && row.started_at);
      assert.equal(row.consent_version, "2026-01-01");
      // IP and user agent are stored, encrypted: unreadable in the row, readable with the key ring.
      assert.ok(row.consent_ip_enc && !row.consent_ip_enc.includes("198.51.100.23"));
      assert.ok(row.consent_user_agent_enc && !row.consent_user_agent_enc.includes("TutorialBrowser"));
      const ring = world.deps.keyRing;
      assert.equal(
        ring.decryptJson(row.consent_ip_enc, sessionFieldContext(row.id, "consent_ip_enc")),
        "198.51.100.23",
      );
      assert.equal(
        ring.decryptJson(row.consent_user_agent_enc!, sessionFieldContext(row.id, "consent_user_agent_enc")),
        "TutorialBrowser/1.0",
      );
      assert.deepEqual(await sessionEventTypes(world, created.id), ["session.created", "session.started"]);
      // Consent twice changes nothing and fires nothing.
      expectOk(await consentFrom(world, token, "198.51.100.99", "Other/2.0"), "second consent");
      assert.deepEqual(await sessionRow(world, created.id), row);
      assert.deepEqual(await sessionEventTypes(world, created.id), ["session.created", "session.started"]);

      const typed = expectOk(
        await capture(world, token, "POST", "document-type", {
          document_type: "drivers_license",
          country: "us",
          state: "CA",
        }),
        "document-type",
      );
      assert.equal(typed.document_type, "drivers_license");
      assert.equal(typed.document_country, "US");
      assert.equal(typed.document_state, "CA");
      assert.equal(typed.requires_back, true);
      assert.deepEqual(typed.steps_required, ["consent", "document_type", "document_front", "document_back", "selfie"]);
      assert.equal(typed.next_step, "document_front");

      const front = expectOk(await uploadSide(world, token, "front", files.front), "front");
      assert.match(front.document.id, /^doc_/);
      assert.equal(front.document.doc_type, "id_front");
      assert.equal(front.document.document_type, "drivers_license");
      assert.equal(front.document.side, "front");
      assert.equal(front.document.mime_type, "image/jpeg");
      assert.deepEqual([front.document.width, front.document.height], [1200, 760]);
      // Quality feedback: blur (sharpness), glare and resolution, each with its verdict.
      const q = front.quality;
      assert.equal(typeof q.blur.score, "number");
      assert.equal(q.blur.ok, true, `a crisp synthetic card scored ${q.blur.score}`);
      assert.equal(typeof q.glare.fraction, "number");
      assert.equal(q.glare.ok, true);
      assert.deepEqual(q.resolution, { width: 1200, height: 760, megapixels: 0.91, ok: true });
      assert.equal(typeof q.ok, "boolean");
      assert.ok(Array.isArray(q.warnings));
      assert.equal(front.state.next_step, "document_back");

      const back = expectOk(await uploadSide(world, token, "back", files.back), "back");
      assert.equal(back.document.side, "back");
      assert.equal(back.document.doc_type, "id_back");
      assert.equal(back.document.mime_type, "image/jpeg", "a PNG upload is normalised to JPEG");
      assert.equal(back.state.next_step, "selfie");

      const selfie = expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      assert.equal(selfie.document.doc_type, "selfie");
      assert.equal(selfie.document.side, null);
      assert.deepEqual([selfie.document.width, selfie.document.height], [600, 800]);
      assert.deepEqual(selfie.state.missing_steps, []);
      assert.equal(selfie.state.next_step, null);
      assert.equal((await documentRows(world, created.id)).length, 3);

      const completed = expectOk(await capture(world, token, "POST", "complete"), "complete");
      assert.equal(completed.status, "sandbox_pending");
      assert.equal(completed.capture_open, false);
      const session = await call(world, "GET", `${SESSIONS}/${created.id}`, { key });
      assert.equal(session.body.status, "sandbox_pending");
      assert.equal(session.body.document_type, "drivers_license");
      assert.equal(session.body.consent_ip, "198.51.100.23");
      assertError(await call(world, "GET", `${SESSIONS}/${created.id}/result`, { key }), 404, "not_found");
      // The applicant's page can still follow the session while it waits for an outcome.
      assert.equal(expectOk(await capture(world, token, "GET", "state"), "state").status, "sandbox_pending");

      const outcome = expectOk(
        await capture(world, token, "POST", "sandbox-outcome", { outcome: "approve" }),
        "outcome",
      );
      assert.equal(outcome.session_id, created.id);
      assert.equal(outcome.status, "completed");
      assert.equal(outcome.preset, "approve");
      const redirect = new URL(outcome.redirect_url);
      assert.equal(`${redirect.origin}${redirect.pathname}`, "https://shop.example/kyc/done");
      assert.equal(redirect.searchParams.get("ref"), "abc");
      assert.equal(redirect.searchParams.get("session_id"), created.id);
      assert.equal(redirect.searchParams.get("status"), "completed");

      const done = await call(world, "GET", `${SESSIONS}/${created.id}`, { key });
      assert.equal(done.body.status, "completed");
      assert.ok(done.body.completed_at);
      assert.equal(done.body.capture_url, null);
      const result = await call(world, "GET", `${SESSIONS}/${created.id}/result`, { key });
      assert.equal(result.status, 200);
      assert.equal(result.body.session_id, created.id);
      assert.equal(result.body.is_sandbox, true);
      assertPresetResult("approve", result.body, world.clock.now());
      assert.deepEqual(await sessionEventTypes(world, created.id), [
        "session.created",
        "session.started",
        "session.approved",
      ]);
    });

    const runs = [
      ...Object.keys(PRESETS).map((name) => ({ body: { preset: name }, preset: name, redirect: true })),
      ...Object.entries(OUTCOME_NAMES).map(([name, preset]) => ({ body: { outcome: name }, preset, redirect: false })),
    ];
    for (const run of runs) {
      const label = "preset" in run.body ? `preset ${run.body.preset}` : `outcome ${run.body.outcome}`;
      await t.step(`${label}: session, result and redirect per the preset table`, async () => {
        const expected = PRESETS[run.preset];
        const created = await createSession(world, key, {
          country: "US",
          ...(run.redirect ? { redirect_url: "https://shop.example/return" } : {}),
        });
        const token = tokenOf(created);
        await captureDocuments(world, token);
        assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");

        const outcome = expectOk(await capture(world, token, "POST", "sandbox-outcome", run.body), "outcome");
        assert.deepEqual(Object.keys(outcome).sort(), ["preset", "redirect_url", "session_id", "status"]);
        assert.equal(outcome.preset, run.preset);
        assert.equal(outcome.status, expected.session);
        if (run.redirect) {
          const url = new URL(outcome.redirect_url);
          assert.equal(`${url.origin}${url.pathname}`, "https://shop.example/return");
          assert.deepEqual(
            [...url.searchParams.entries()],
            [["session_id", created.id], ["status", expected.session]],
          );
        } else {
          assert.equal(outcome.redirect_url, null);
        }

        const session = await call(world, "GET", `${SESSIONS}/${created.id}`, { key });
        assert.equal(session.body.status, expected.session);
        assert.equal(session.body.completed_at === null, expected.session === "under_review");
        const types = await sessionEventTypes(world, created.id);
        // A review outcome also opens a case in its transaction (same timestamp, so compared unordered).
        const opensCase = expected.event === "session.requires-review" ? ["case.created"] : [];
        assert.deepEqual(
          types.sort(),
          ["session.created", "session.started", ...(expected.event ? [expected.event] : []), ...opensCase].sort(),
        );

        const result = await call(world, "GET", `${SESSIONS}/${created.id}/result`, { key });
        if (!expected.result) {
          assertError(result, 404, "not_found");
        } else {
          assert.equal(result.status, 200, JSON.stringify(result.body));
          assertPresetResult(run.preset, result.body, world.clock.now());
        }

        // Exactly what simulate records for the same preset on a session that never saw capture.
        const twin = await createSession(world, key, { country: "US" });
        const simulated = await call(world, "POST", `${SESSIONS}/${twin.id}/simulate`, {
          key,
          body: { action: run.preset },
        });
        assert.equal(simulated.body.status, expected.session);
        const twinResult = await call(world, "GET", `${SESSIONS}/${twin.id}/result`, { key });
        assert.equal(twinResult.status, result.status);
        if (expected.result) assert.deepEqual(comparable(result.body), comparable(twinResult.body));
        const [risk, twinRisk] = await Promise.all([
          call(world, "GET", `${SESSIONS}/${created.id}/risk`, { key }),
          call(world, "GET", `${SESSIONS}/${twin.id}/risk`, { key }),
        ]);
        assert.deepEqual(risk.body.signals, twinRisk.body.signals);
        if (run.preset === "needs_review_watchlist") {
          assert.ok(risk.body.signals.some((s: Body) => s.signal === "watchlist_hit"), JSON.stringify(risk.body));
        }

        // The outcome is final: the token cannot choose again.
        assertError(
          await capture(world, token, "POST", "sandbox-outcome", { preset: "approve" }),
          400,
          "token_expired",
        );
        assert.equal((await sessionRow(world, created.id)).status, expected.session);
      });
    }
  } finally {
    await world.close();
  }
});

Deno.test("document types and their sides", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const files = await captureImages();
  const start = async (documentType: string) => {
    const token = tokenOf(await createSession(world, key));
    expectOk(await capture(world, token, "POST", "consent", { consent_version: "v1", accepted: true }), "consent");
    const state = expectOk(
      await capture(world, token, "POST", "document-type", { document_type: documentType, country: "DE" }),
      "document-type",
    );
    return { token, state };
  };
  try {
    await t.step("passport: front only; a back upload is step_out_of_order", async () => {
      const { token, state } = await start("passport");
      assert.equal(state.requires_back, false);
      assert.deepEqual(state.steps_required, ["consent", "document_type", "document_front", "selfie"]);
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      const { session_id: id } = state;
      const before = await snapshot(world, id);
      assertError(await uploadSide(world, token, "back", files.back), 400, "step_out_of_order", /passport/);
      assert.deepEqual(await snapshot(world, id), before);
      expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
      assert.deepEqual((await documentRows(world, id)).map((d) => d.doc_type).sort(), ["id_front", "selfie"]);
    });

    await t.step("national_id (seed 003: front only): complete after the front and selfie, no back", async () => {
      const { token, state } = await start("national_id");
      assert.equal(state.requires_back, false);
      assert.equal(state.back_optional, true);
      assert.deepEqual(state.steps_required, ["consent", "document_type", "document_front", "selfie"]);
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      const res = assertError(await capture(world, token, "POST", "complete"), 400, "capture_incomplete");
      assert.deepEqual(res.fields, { selfie: "is required" });
      expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
      assert.deepEqual((await documentRows(world, state.session_id)).map((d) => d.doc_type).sort(), [
        "id_front",
        "selfie",
      ]);
    });

    for (const documentType of ["residence_permit", "drivers_license"]) {
      await t.step(
        `${documentType}: complete without the back is capture_incomplete naming document_back`,
        async () => {
          const { token, state } = await start(documentType);
          assert.equal(state.requires_back, true);
          expectOk(await uploadSide(world, token, "front", files.front), "front");
          const before = await snapshot(world, state.session_id);
          const res = assertError(await capture(world, token, "POST", "complete"), 400, "capture_incomplete");
          assert.match(res.detail, /missing: document_back, selfie/);
          assert.deepEqual(res.fields, { document_back: "is required", selfie: "is required" });
          assert.deepEqual(await snapshot(world, state.session_id), before);
          // The selfie comes after the whole document.
          assertError(await uploadSelfie(world, token, files.selfie), 400, "step_out_of_order", /document_back/);
          assert.deepEqual(await snapshot(world, state.session_id), before);
          expectOk(await uploadSide(world, token, "back", files.back), "back");
          expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
          assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
        },
      );
    }

    await t.step("the back before the front is step_out_of_order", async () => {
      const { token, state } = await start("drivers_license");
      const before = await snapshot(world, state.session_id);
      assertError(await uploadSide(world, token, "back", files.back), 400, "step_out_of_order", /front/);
      assert.deepEqual(await snapshot(world, state.session_id), before);
    });

    await t.step("a side whose upload straddles a change of document type is refused", async () => {
      const { token, state } = await start("drivers_license");
      const blobsBefore = await blobKeys(world);
      // A fake around the blob store holds the upload after its image work, before its write.
      const blobs = world.deps.blobs;
      const put = blobs.put;
      let reached!: () => void;
      let release!: () => void;
      const atPut = new Promise<void>((resolve) => reached = resolve);
      const gate = new Promise<void>((resolve) => release = resolve);
      blobs.put = async (...args) => {
        reached();
        await gate;
        return await put.apply(blobs, args);
      };
      try {
        const uploading = uploadSide(world, token, "front", files.front);
        await atPut;
        blobs.put = put;
        expectOk(
          await capture(world, token, "POST", "document-type", { document_type: "passport", country: "GB" }),
          "change to passport mid-upload",
        );
        release();
        assertError(await uploading, 400, "step_out_of_order", /document type changed/);
      } finally {
        blobs.put = put;
        release();
      }
      assert.deepEqual(await documentRows(world, state.session_id), []);
      assert.deepEqual(await blobKeys(world), blobsBefore, "the refused upload's objects are removed");
      const front = expectOk(await uploadSide(world, token, "front", files.front), "passport front");
      assert.equal(front.document.document_type, "passport");
    });

    await t.step("changing the document type discards the captured sides and their objects", async () => {
      const { token, state } = await start("drivers_license");
      const id = state.session_id;
      const blobsBefore = await blobKeys(world);
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      expectOk(await uploadSide(world, token, "back", files.back), "back");
      expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      assert.equal((await blobKeys(world)).length, blobsBefore.length + 6, "full + thumbnail per document");

      // The same type again keeps them.
      const same = expectOk(
        await capture(world, token, "POST", "document-type", { document_type: "drivers_license", country: "US" }),
        "same type",
      );
      assert.deepEqual(same.missing_steps, []);
      assert.equal((await documentRows(world, id)).length, 3);

      const changed = expectOk(
        await capture(world, token, "POST", "document-type", { document_type: "passport", country: "GB" }),
        "new type",
      );
      assert.equal(changed.document_type, "passport");
      assert.equal(changed.document_country, "GB");
      assert.equal(changed.document_state, null);
      assert.deepEqual(changed.missing_steps, ["document_front"]);
      assert.equal(changed.next_step, "document_front");
      const left = await documentRows(world, id);
      assert.deepEqual(left.map((d) => d.doc_type), ["selfie"]);
      assert.deepEqual(
        (await blobKeys(world)).filter((k) => !blobsBefore.includes(k)),
        [left[0].storage_key, left[0].thumbnail_key].sort(),
        "the discarded sides' objects are deleted from the blob store",
      );
      assertError(await capture(world, token, "POST", "complete"), 400, "capture_incomplete", /document_front/);
      const front = expectOk(await uploadSide(world, token, "front", files.front), "passport front");
      assert.equal(front.document.document_type, "passport");
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
    });
  } finally {
    await world.close();
  }
});

/** `session.process` jobs pg-boss holds for a session. */
async function processJobs(world: TestWorld, sessionId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'session.process' AND data->>'session_id' = ${sessionId}
  `.execute(world.db);
  return rows[0].n;
}

Deno.test("live sessions: complete enqueues session.process in the same transaction", async (t) => {
  const world = await createTestWorld();
  const key = world.org.live_secret_key;
  try {
    await t.step("complete moves the session to processing with exactly one job", async () => {
      const created = await createSession(world, key, { external_ref: "live-1" });
      assert.equal(created.is_sandbox, false);
      const token = tokenOf(created);
      const state = await captureDocuments(world, token);
      assert.equal(state.is_sandbox, false);
      assert.equal(state.sandbox_presets, null);
      const completed = expectOk(await capture(world, token, "POST", "complete"), "complete");
      assert.equal(completed.status, "processing");
      const session = await call(world, "GET", `${SESSIONS}/${created.id}`, { key });
      assert.equal(session.body.status, "processing");
      assert.equal(session.body.processing_attempts, 1);
      assert.equal(await processJobs(world, created.id), 1);

      // Completing twice: the token no longer changes anything, and no second job appears.
      assertError(await capture(world, token, "POST", "complete"), 400, "token_expired");
      assert.equal(await processJobs(world, created.id), 1);
      assert.equal((await sessionRow(world, created.id)).processing_attempts, 1);
    });

    await t.step("a completion refused as capture_incomplete leaves no job", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      await captureDocuments(world, token, { selfie: false });
      const before = await snapshot(world, created.id);
      assertError(await capture(world, token, "POST", "complete"), 400, "capture_incomplete", /selfie/);
      assert.equal(await processJobs(world, created.id), 0);
      assert.deepEqual(await snapshot(world, created.id), before);
    });

    await t.step("a completion that fails at COMMIT, after the enqueue, leaves no job either", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      await captureDocuments(world, token);
      const before = await snapshot(world, created.id);
      // A deferred constraint trigger fails this session's move to processing at COMMIT time, i.e.
      // after the job was sent. Only a job written in the same transaction disappears with it.
      assert.match(created.id, /^ses_[A-Za-z0-9]+$/);
      await sql`
        CREATE FUNCTION test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'injected failure at commit'; END $$
      `.execute(world.db);
      await sql.raw(`
        CREATE CONSTRAINT TRIGGER test_fail_completion AFTER UPDATE ON sessions
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.id = '${created.id}' AND NEW.status = 'processing') EXECUTE FUNCTION test_fail_at_commit()
      `).execute(world.db);
      try {
        assertError(await capture(world, token, "POST", "complete"), 500, "internal_error");
      } finally {
        await sql`DROP TRIGGER test_fail_completion ON sessions`.execute(world.db);
        await sql`DROP FUNCTION test_fail_at_commit()`.execute(world.db);
      }
      assert.equal(await processJobs(world, created.id), 0);
      assert.deepEqual(await snapshot(world, created.id), before);
      // Nothing was half-done: the same token completes now, with one job.
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "processing");
      assert.equal(await processJobs(world, created.id), 1);
    });

    await t.step("sandbox-outcome on a live session is a 400 and changes nothing", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      await captureDocuments(world, token);
      expectOk(await capture(world, token, "POST", "complete"), "complete");
      const before = await snapshot(world, created.id);
      for (const body of [{ outcome: "approve" }, { preset: "reject" }]) {
        const res = await capture(world, token, "POST", "sandbox-outcome", body);
        assertError(res, 400, "sandbox_only");
      }
      assert.deepEqual(await snapshot(world, created.id), before);
      assert.equal(await processJobs(world, created.id), 1);
      assertError(await call(world, "GET", `${SESSIONS}/${created.id}/result`, { key }), 404, "not_found");
    });
  } finally {
    await world.close();
  }
});
