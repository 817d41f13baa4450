/**
 * Owns the live engine's behaviour after crashes: a run a dead worker left `running` is marked
 * failed and replaced by a complete one when the job is retried, and a session whose processing
 * has begun too many times is failed instead of retried forever.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { sessionRow } from "../helpers/sessions.ts";
import { newId } from "../../core/ids.ts";
import { DEFAULT_GRAPH } from "../../core/workflows/templates.ts";
import { MAX_PROCESSING_ATTEMPTS } from "../../core/verification/engine.ts";
import {
  awaitDecision,
  captureLiveSession,
  documentsOf,
  licenceHolder,
  resultOf,
  withWorker,
} from "../helpers/live_sessions.ts";

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
      started_at: new Date(),
    }).execute();
    await world.db.updateTable("sessions").set({ processing_attempts: MAX_PROCESSING_ATTEMPTS })
      .where("id", "=", exhausted).execute();

    await withWorker(world, async () => {
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
      });

      await t.step("a session whose processing began too many times is failed, not retried forever", async () => {
        const decided = await awaitDecision(world, exhausted);
        assert.equal(decided.status, "failed");
        const runs = await world.db.selectFrom("workflow_runs").select("id").where("session_id", "=", exhausted)
          .execute();
        assert.equal(runs.length, 0);
      });
    });
  } finally {
    await world.close();
  }
});
