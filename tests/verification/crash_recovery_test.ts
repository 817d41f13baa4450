/**
 * Owns the live engine's behaviour after crashes: a run a dead worker left `running` is marked
 * failed and replaced by a complete one when the job is retried; one that died while resuming an
 * external decision resumes it again (the decision is not lost); and a session whose processing
 * has begun too many times is failed instead of retried forever.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, sessionEventTypes, sessionRow } from "../helpers/sessions.ts";
import { waitFor } from "../helpers/test_app.ts";
import { startWorker } from "../../worker/runner.ts";
import { sql } from "kysely";
import { requeueStalledSessions, STALLED_AFTER_MS } from "../../core/verification/stalled_sessions.ts";
import { newId } from "../../core/ids.ts";
import { DEFAULT_GRAPH } from "../../core/workflows/templates.ts";
import { MAX_PROCESSING_ATTEMPTS } from "../../core/verification/engine.ts";
import { awaitDecision, captureLiveSession, documentsOf, licenceHolder, resultOf } from "../helpers/live_sessions.ts";

/** OCR, then a gate, then approval. */
const GATE_ONLY = {
  entry: "start",
  nodes: {
    start: { type: "start", next: "ocr" },
    ocr: { type: "policy", policy: "document_ocr", on_pass: "gate", on_fail: "rejected" },
    gate: { type: "wait", on_continue: "approved", on_fail: "rejected" },
    approved: { type: "terminal", outcome: "approved" },
    rejected: { type: "terminal", outcome: "rejected" },
  },
};

Deno.test("the live engine recovers from crashed runs", async (t) => {
  const world = await createTestWorld();
  try {
    const docs = await documentsOf(licenceHolder(), "drivers_license");
    // Captured before any worker runs: the jobs wait in the queue.
    const interrupted = await captureLiveSession(world, docs);
    const exhausted = await captureLiveSession(world, docs);
    const session = await sessionRow(world, interrupted);
    const deadRun = newId("wfr");
    await world.db.insertInto("workflow_runs").values({
      id: deadRun,
      org_id: session.org_id,
      environment: "live",
      session_id: interrupted,
      workflow_id: session.workflow_id,
      workflow_version: 1,
      trigger: "capture",
      status: "running",
      graph_snapshot: JSON.stringify(DEFAULT_GRAPH),
      node_results: JSON.stringify([]),
      current_node: "face_match",
      // Its worker stopped heartbeating two minutes ago.
      started_at: new Date(Date.now() - 150_000),
      heartbeat_at: new Date(Date.now() - 120_000),
    }).execute();
    await world.db.updateTable("sessions").set({ current_run_id: deadRun }).where("id", "=", interrupted).execute();
    await world.db.updateTable("sessions").set({ engine_deliveries: MAX_PROCESSING_ATTEMPTS })
      .where("id", "=", exhausted).execute();

    let worker = await startWorker(world.deps, world.databaseUrl);
    try {
      await t.step("a run left running by a dead worker is failed and replaced", async () => {
        await awaitDecision(world, interrupted);
        assert.equal((await resultOf(world, interrupted)).status, "approved");
        const runs = await world.db.selectFrom("workflow_runs").selectAll().where("session_id", "=", interrupted)
          .orderBy("created_at").execute();
        assert.equal(runs.length, 2);
        assert.equal(runs[0].id, deadRun);
        assert.equal(runs[0].status, "failed");
        assert.match(runs[0].error ?? "", /interrupted/);
        assert.equal(runs[1].status, "completed");
        assert.equal((await sessionRow(world, interrupted)).current_run_id, runs[1].id);
      });

      await t.step("a run that died while resuming an external decision resumes it again", async () => {
        const res = await call(world, "POST", "/api/v1/workflows", {
          key: world.org.live_secret_key,
          body: { name: "Gate", graph: GATE_ONLY },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const id = await captureLiveSession(world, {
          ...docs,
          selfie: undefined,
          create: { workflow_id: res.body.id },
        });
        assert.equal((await awaitDecision(world, id)).status, "awaiting_external");
        await worker.stop();
        const decided = await call(world, "POST", `/api/v1/sessions/${id}/external-decision`, {
          key: world.org.live_secret_key,
          body: { decision: "continue" },
        });
        assert.equal(decided.status, 202);
        // A worker took the job, set the run running, and died.
        await world.db.updateTable("workflow_runs").set({
          status: "running",
          heartbeat_at: new Date(Date.now() - 120_000),
        }).where("session_id", "=", id).execute();
        worker = await startWorker(world.deps, world.databaseUrl);
        await waitFor(
          "the resumed decision",
          async () => (await sessionRow(world, id)).status === "completed" || undefined,
        );
        assert.equal((await resultOf(world, id)).status, "approved");
        const runs = await world.db.selectFrom("workflow_runs").selectAll().where("session_id", "=", id).execute();
        assert.equal(runs.length, 1, "the same run resumed, not a new walk from the start");
        assert.equal((await sessionEventTypes(world, id)).filter((t) => t === "session.awaiting_external").length, 1);
      });

      await t.step("a session whose job was lost is queued again by the stalled-session sweep", async () => {
        await worker.stop();
        const id = await captureLiveSession(world, docs);
        // The job disappears (failed for good while the database was down, or deleted by hand).
        await sql`DELETE FROM pgboss.job WHERE name = 'session.process' AND data->>'session_id' = ${id}`.execute(
          world.db,
        );
        assert.equal(await requeueStalledSessions(world.deps), 0, "not stalled yet: it was updated just now");
        world.clock.advance(STALLED_AFTER_MS + 60_000);
        assert.equal(await requeueStalledSessions(world.deps), 1);
        assert.equal(await requeueStalledSessions(world.deps), 0, "queued once, not at every sweep");
        worker = await startWorker(world.deps, world.databaseUrl);
        assert.equal((await awaitDecision(world, id)).status, "completed");
      });

      await t.step("a session whose processing began too many times is failed, not retried forever", async () => {
        const decided = await awaitDecision(world, exhausted);
        assert.equal(decided.status, "failed");
        const runs = await world.db.selectFrom("workflow_runs").select("id").where("session_id", "=", exhausted)
          .execute();
        assert.equal(runs.length, 0);
      });
    } finally {
      await worker.stop();
    }
  } finally {
    await world.close();
  }
});
