/**
 * Owns the end-to-end test of the capture-window sweep through the real worker: pg-boss in the
 * test world's database, the queue and its cron schedule registered, a job sent through pg-boss
 * expiring exactly the stale sessions with one `session.expired` event each.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { JOBS, startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { expireStaleSessionsJob } from "../../worker/jobs/expire_stale_sessions.ts";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";

const QUEUE = "session.expire-stale";
const MINUTE = 60_000;

/** How long and how often the worker's results are polled for. */
const POLL = { timeoutMs: 15_000, maxDelayMs: 200 };

async function createSession(world: TestWorld, ref: string): Promise<string> {
  const { status, body } = await world.json<{ id: string; status: string }>("POST", "/api/v1/sessions", {
    key: world.org.sandbox_secret_key,
    body: { external_ref: ref },
  });
  assert.equal(status, 201);
  assert.equal(body.status, "pending");
  return body.id;
}

async function statuses(world: TestWorld, ids: string[]): Promise<Record<string, string>> {
  const rows = await world.db.selectFrom("sessions").select(["id", "status"]).where("id", "in", ids).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

async function expiredEventCounts(world: TestWorld, ids: string[]): Promise<Record<string, number>> {
  const rows = await world.db.selectFrom("events")
    .select(["session_id", sql<number>`count(*)::int`.as("n")])
    .where("type", "=", "session.expired").where("session_id", "in", ids)
    .groupBy("session_id").execute();
  const counts: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
  for (const row of rows) counts[row.session_id!] = row.n;
  return counts;
}

/** Sends the sweep through pg-boss and waits until the worker has completed that very job. */
async function runSweepThroughPgBoss(worker: WorkerHandle): Promise<void> {
  const jobId = await worker.boss.send(QUEUE, {});
  assert.ok(jobId, "pg-boss accepted the job");
  const state = await waitFor(`job ${jobId} to finish`, async () => {
    const job = await worker.boss.getJobById(QUEUE, jobId);
    return job && ["completed", "failed"].includes(job.state) ? job.state : undefined;
  }, POLL);
  assert.equal(state, "completed");
}

Deno.test("session.expire-stale runs on the real worker and expires only stale sessions", async (t) => {
  const world = await createTestWorld();
  let worker: WorkerHandle | null = null;
  try {
    worker = await startWorker(world.deps, world.databaseUrl);
    const boss = worker.boss;

    await t.step("every job's queue exists with its options, and scheduled jobs have their cron", async () => {
      for (const job of JOBS) {
        const queue = await boss.getQueue(job.name);
        assert.ok(queue, `queue ${job.name} exists`);
        assert.equal(queue.retryLimit, job.retryLimit);
        assert.equal(queue.retryDelay, job.retryDelaySeconds);
        assert.equal(queue.expireInSeconds, job.expireInSeconds);
        const schedules = await boss.getSchedules(job.name);
        if (job.schedule) {
          assert.equal(schedules.length, 1, `${job.name} has one schedule`);
          assert.equal(schedules[0].cron, job.schedule);
          assert.equal(schedules[0].timezone, "UTC");
        } else {
          assert.equal(schedules.length, 0);
        }
      }
      const [schedule] = await boss.getSchedules(QUEUE);
      assert.equal(schedule.cron, expireStaleSessionsJob.schedule);
      assert.equal(schedule.cron, "* * * * *");
    });

    let stale: string[] = [];
    let fresh = "";
    await t.step("a job sent through pg-boss expires sessions whose capture window passed", async () => {
      stale = [await createSession(world, "user_stale_1"), await createSession(world, "user_stale_2")];
      world.clock.advance(10 * MINUTE);
      fresh = await createSession(world, "user_fresh");
      // Stale sessions are now 21 minutes old (window is 20); the fresh one is 11 minutes old.
      world.clock.advance(11 * MINUTE);

      await runSweepThroughPgBoss(worker!);
      const all = [...stale, fresh];
      // The cron schedule may run the sweep too; either way the worker must reach this state.
      await waitFor("stale sessions to be expired", async () => {
        const now = await statuses(world, all);
        return stale.every((id) => now[id] === "expired") ? now : undefined;
      }, POLL);
      const now = await statuses(world, all);
      assert.deepEqual(now, { [stale[0]]: "expired", [stale[1]]: "expired", [fresh]: "pending" });
      assert.deepEqual(await expiredEventCounts(world, all), { [stale[0]]: 1, [stale[1]]: 1, [fresh]: 0 });

      const rows = await world.db.selectFrom("sessions").select(["id", "expired_at", "capture_token_hash"])
        .where("id", "in", stale).execute();
      for (const row of rows) {
        assert.ok(row.expired_at, "expired_at is set");
        assert.equal(row.capture_token_hash, null, "the capture token no longer works");
      }
      const read = await world.json<{ status: string }>("GET", `/api/v1/sessions/${stale[0]}`, {
        key: world.org.sandbox_secret_key,
      });
      assert.equal(read.status, 200);
      assert.equal(read.body.status, "expired");
    });

    await t.step("running the sweep again changes nothing (at-least-once delivery is safe)", async () => {
      await runSweepThroughPgBoss(worker!);
      const all = [...stale, fresh];
      assert.deepEqual(await statuses(world, all), {
        [stale[0]]: "expired",
        [stale[1]]: "expired",
        [fresh]: "pending",
      });
      assert.deepEqual(await expiredEventCounts(world, all), { [stale[0]]: 1, [stale[1]]: 1, [fresh]: 0 });
    });

    await t.step("the fresh session expires once its own window passes", async () => {
      world.clock.advance(10 * MINUTE);
      await runSweepThroughPgBoss(worker!);
      await waitFor("fresh session to be expired", async () => {
        const now = await statuses(world, [fresh]);
        return now[fresh] === "expired" ? true : undefined;
      }, POLL);
      assert.deepEqual(await expiredEventCounts(world, [...stale, fresh]), {
        [stale[0]]: 1,
        [stale[1]]: 1,
        [fresh]: 1,
      });
    });
  } finally {
    await worker?.stop();
    await world.close();
  }
});
