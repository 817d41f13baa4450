/**
 * Owns proving, through HTTP, that an erasure is final on every decision path (issue #15 item 6):
 * a live run whose engine is held inside the face measurement until the session's redaction has
 * committed decides nothing afterwards — no result, extracted data, face template, identifiers,
 * identity or decision event — nor does a job that was still queued when the erasure came, and a
 * reviewer's decision on an erased session is refused.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";
import { type Body, call, createSession, sessionEventTypes } from "../helpers/sessions.ts";
import { SESSIONS } from "../helpers/capture.ts";
import { casePath } from "../helpers/cases.ts";
import { IDENTITIES, keyWithScopes } from "../helpers/identities.ts";
import { captureLiveSession, documentsOf, licenceHolder, withWorker } from "../helpers/live_sessions.ts";
import { withWrappedFaceDetect } from "../helpers/engines.ts";

const DECISION_EVENTS = [
  "session.approved",
  "session.declined",
  "session.requires-review",
  "session.resubmission-required",
];

/**
 * The real engines, except that the first face detection waits for `release()`: the one way to
 * hold a run open between its walk and its decision while the test erases the session.
 */
function heldFaceEngine() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let held = false;
  const engines = withWrappedFaceDetect((detect) => async (bytes, options) => {
    if (!held) {
      held = true;
      await gate;
    }
    return await detect(bytes, options);
  });
  return { engines, isHeld: () => held, release };
}

async function get(world: TestWorld, path: string, key: string): Promise<{ status: number; body: Body }> {
  return await call(world, "GET", path, { key });
}

Deno.test("a run held open while its session is erased writes nothing back", async (t) => {
  const world = await createTestWorld();
  const reader = await keyWithScopes(
    world,
    ["sessions:read", "verifications:read", "identities:read", "events:read"],
    "live",
  );
  const eraser = await keyWithScopes(world, ["redact:write"], "live");
  const held = heldFaceEngine();
  world.deps.engines = held.engines;
  try {
    const externalRef = `race_${crypto.randomUUID()}`;
    const docs = await documentsOf(licenceHolder({ firstName: "Ottoline", lastName: "Brackenridge" }));
    await withWorker(world, async () => {
      const id = await captureLiveSession(world, { ...docs, create: { external_ref: externalRef } });

      await t.step("the session is erased while the engine is inside the face measurement", async () => {
        await waitFor("the run to reach the face measurement", async () => {
          if (held.isHeld()) return true;
          const session = await get(world, `${SESSIONS}/${id}`, reader);
          // A run that decides without measuring a face cannot hold the race open: fail, do not hang.
          if (session.body.status !== "processing") throw new Error(`decided as ${session.body.status} first`);
        }, { timeoutMs: 90_000 });
        const erased = await call(world, "DELETE", `${SESSIONS}/${id}/data`, { key: eraser });
        assert.equal(erased.status, 200, JSON.stringify(erased.body));
        assert.equal(erased.body.status, "deleted");
        held.release();
      });

      const run = await waitFor("the held run to end", async () => {
        const res = await get(world, `${SESSIONS}/${id}/workflow-run`, reader);
        return res.status === 200 && res.body.status !== "running" ? res.body : undefined;
      }, { timeoutMs: 90_000 });

      await t.step("the run is superseded and the session ends failed, still redacted", async () => {
        assert.equal(run.status, "superseded", JSON.stringify(run));
        const session = await get(world, `${SESSIONS}/${id}`, reader);
        assert.equal(session.status, 200);
        assert.equal(session.body.retention_status, "redacted");
        assert.equal(session.body.status, "failed");
      });

      await t.step("no result, extracted data, identity or personal data came back", async () => {
        const result = await get(world, `${SESSIONS}/${id}/result`, reader);
        assert.notEqual(result.status, 200, JSON.stringify(result.body));
        const identity = await get(world, `${IDENTITIES}/${encodeURIComponent(externalRef)}`, reader);
        assert.equal(identity.status, 404, JSON.stringify(identity.body));
        const exported = await get(world, `${SESSIONS}/${id}/export`, reader);
        assert.equal(exported.status, 200, JSON.stringify(exported.body));
        assert.equal(exported.body.result, null);
        const text = JSON.stringify(exported.body);
        for (const value of ["Ottoline", "Brackenridge", "OTTOLINE", "BRACKENRIDGE"]) {
          assert.ok(!text.includes(value), `the export names ${value}`);
        }
        const verifications = await get(world, `${SESSIONS}/${id}/verifications`, reader);
        assert.equal(verifications.status, 200);
        assert.ok(
          verifications.body.data.every((a: Body) => a.replayable === false),
          "no check attempt keeps the inputs it measured",
        );
      });

      await t.step("the erasure receipt stands: no face template or identifier was written after it", async () => {
        const receipts = await get(world, `/api/v1/events?action=session.redacted&resource_id=${id}`, reader);
        assert.equal(receipts.status, 200, JSON.stringify(receipts.body));
        assert.equal(receipts.body.data.length, 1);
        for (const table of ["face_templates", "session_identifiers", "list_matches"] as const) {
          const rows = await world.db.selectFrom(table).select("session_id").where("session_id", "=", id).execute();
          assert.equal(rows.length, 0, `${table} has rows for the erased session`);
        }
        const result = await world.db.selectFrom("session_results").select("session_id")
          .where("session_id", "=", id).execute();
        assert.equal(result.length, 0, "a result row was written after the erasure");
      });

      await t.step("no decision event was written for a webhook", async () => {
        const types = await sessionEventTypes(world, id);
        assert.ok(types.includes("session.redacted"));
        assert.deepEqual(types.filter((type) => DECISION_EVENTS.includes(type)), []);
      });
    });
  } finally {
    held.release();
    world.deps.engines = undefined;
    await world.close();
  }
});

Deno.test("a session erased while its job waits is never run", async () => {
  const world = await createTestWorld();
  const reader = await keyWithScopes(world, ["sessions:read", "verifications:read", "identities:read"], "live");
  const eraser = await keyWithScopes(world, ["redact:write"], "live");
  try {
    const externalRef = `queued_${crypto.randomUUID()}`;
    // No worker yet: `complete` leaves the session.process job queued.
    const id = await captureLiveSession(world, {
      ...await documentsOf(licenceHolder()),
      create: { external_ref: externalRef },
    });
    const erased = await call(world, "DELETE", `${SESSIONS}/${id}/data`, { key: eraser });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    const session = await withWorker(
      world,
      async () =>
        await waitFor("the queued job to end the erased session", async () => {
          const res = await get(world, `${SESSIONS}/${id}`, reader);
          return res.body.status === "processing" ? undefined : res.body;
        }, { timeoutMs: 60_000 }),
    );
    assert.equal(session.status, "failed");
    assert.equal(session.retention_status, "redacted");
    assert.equal((await get(world, `${SESSIONS}/${id}/workflow-run`, reader)).status, 404, "a run was started");
    assert.equal((await get(world, `${IDENTITIES}/${externalRef}`, reader)).status, 404);
    const types = await sessionEventTypes(world, id);
    assert.deepEqual(types.filter((type) => DECISION_EVENTS.includes(type)), []);
  } finally {
    await world.close();
  }
});

Deno.test("a reviewer's decision on an erased session is refused and writes nothing", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const reviewer = await keyWithScopes(world, ["cases:read", "cases:write", "cases:decide", "sessions:read"]);
  const eraser = await keyWithScopes(world, ["redact:write"]);
  try {
    const externalRef = `review_${crypto.randomUUID()}`;
    const session = await createSession(world, key, { external_ref: externalRef });
    const simulated = await call(world, "POST", `${SESSIONS}/${session.id}/simulate`, {
      key,
      body: { action: "require-review" },
    });
    assert.equal(simulated.status, 200, JSON.stringify(simulated.body));
    const caseId = (await call(world, "GET", `${SESSIONS}/${session.id}`, { key })).body.case_id as string;
    const claimed = await call(world, "POST", casePath(caseId, "claim"), { key: reviewer, body: {} });
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
    const identityBefore = (await call(world, "GET", `${IDENTITIES}/${externalRef}`, { key })).body;
    const erased = await call(world, "DELETE", `${SESSIONS}/${session.id}/data`, { key: eraser });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));

    await t.step(
      "approving the case is refused (invalid_session_state) and the session stays under review",
      async () => {
        const approved = await call(world, "POST", casePath(caseId, "approve"), { key: reviewer, body: {} });
        assert.equal(approved.status, 400, JSON.stringify(approved.body));
        assert.equal(approved.body.error, "invalid_session_state");
        const after = await call(world, "GET", `${SESSIONS}/${session.id}`, { key });
        assert.equal(after.body.status, "under_review");
      },
    );

    await t.step("the identity is untouched and no decision event was written", async () => {
      const identity = (await call(world, "GET", `${IDENTITIES}/${externalRef}`, { key })).body;
      assert.equal(identity.status, identityBefore.status);
      assert.equal(identity.updated_at, identityBefore.updated_at);
      const types = await sessionEventTypes(world, session.id);
      assert.deepEqual(types.filter((type) => type === "session.approved" || type === "session.declined"), []);
    });

    await t.step("a sandbox preset on the erased session is refused too", async () => {
      const again = await call(world, "POST", `${SESSIONS}/${session.id}/simulate`, {
        key,
        body: { action: "approve" },
      });
      assert.equal(again.status, 400, JSON.stringify(again.body));
      assert.equal(again.body.error, "invalid_session_state");
    });
  } finally {
    await world.close();
  }
});
