/**
 * Owns what a dying engine sandbox means for a session: killed in the middle of a call, the check
 * waiting on it records a `requires_retry` attempt, the retry runs in a new sandbox, and the
 * session is decided as if nothing had happened (not failed).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import {
  awaitDecision,
  captureLiveSession,
  documentsOf,
  licenceHolder,
  resultOf,
  withWorker,
} from "../helpers/live_sessions.ts";
import { createSandboxedEngines } from "../../core/verification/engines.ts";

Deno.test("a sandbox killed mid-call yields a retried check, not a failed session", async () => {
  const world = await createTestWorld();
  const killed: number[] = [];
  const engines = createSandboxedEngines({
    // The first call in each of the first two sandboxes is killed: the first lands on the run's
    // prefetch (a check may not be waiting on it yet; then the check measures again), the second
    // on a measurement a check started and is waiting for.
    onCall: ({ pid }) => {
      if (killed.length === 2 || killed.includes(pid)) return;
      killed.push(pid);
      Deno.kill(pid, "SIGKILL");
    },
  });
  world.deps.engines = engines;
  try {
    await withWorker(world, async () => {
      const id = await captureLiveSession(world, await documentsOf(licenceHolder(), "drivers_license"));
      const session = await awaitDecision(world, id);
      assert.equal(session.status, "completed");
      const result = await resultOf(world, id);
      assert.equal(result.status, "approved", JSON.stringify(result));

      const attempts = await world.db.selectFrom("check_attempts").selectAll().where("session_id", "=", id)
        .orderBy("created_at").execute();
      const retried = attempts.filter((a) => a.status === "requires_retry");
      assert.ok(retried.length >= 1, JSON.stringify(attempts.map((a) => [a.policy, a.status])));
      for (const attempt of retried) {
        assert.match(attempt.error ?? "", /^EngineSandboxError: The engine sandbox was killed \(SIGKILL\)/);
        const next = attempts.find((a) => a.policy === attempt.policy && a.attempt === attempt.attempt + 1);
        assert.equal(next?.status, "passed", `${attempt.policy} after its retry`);
      }
      assert.deepEqual(attempts.filter((a) => a.status === "error"), []);
      assert.equal(killed.length, 2);
      assert.ok(!killed.includes(engines.sandbox.pid!));
    });
  } finally {
    await engines.close();
    await world.close();
  }
});
