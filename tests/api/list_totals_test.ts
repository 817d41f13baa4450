/**
 * The list totals kept beside the rows (core/sessions/list_counts.ts, migration
 * 20261207T1800_list_counts) are exact: `pagination.total` of the session and result lists, with
 * no filter or by status, equals what counting the rows gives — across creates, status changes
 * (in single and bulk statements), concurrent writers, deletions, another organisation's and the
 * other environment's rows, and before and after the real worker's `list-counts.fold` job.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { simulate } from "../helpers/webhook_receiver.ts";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";

async function total(world: TestWorld, key: string, path: string): Promise<number> {
  const res = await call(world, "GET", path, { key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as Body).pagination.total;
}

/** Counts the rows themselves, the answer the kept totals must give. */
async function counted(world: TestWorld, orgId: string, environment: string, table: string, statuses?: string[]) {
  const ofStatus = statuses ? sql`AND status::text = ANY(${statuses}::text[])` : sql``;
  const { rows: [row] } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ${
    sql.table(table)
  } WHERE org_id = ${orgId} AND environment = ${environment} ${ofStatus}
  `.execute(world.db);
  return row.n;
}

async function assertTotalsExact(world: TestWorld, org: { org_id: string; sandbox_secret_key: string }) {
  const key = org.sandbox_secret_key;
  const expect = async (path: string, table: string, statuses?: string[]) =>
    assert.equal(await total(world, key, path), await counted(world, org.org_id, "sandbox", table, statuses), path);
  await expect("/api/v1/sessions", "sessions");
  await expect("/api/v1/sessions?status=completed", "sessions", ["completed"]);
  await expect("/api/v1/sessions?status=pending,failed", "sessions", ["pending", "failed"]);
  await expect("/api/v1/results", "session_results");
  await expect("/api/v1/results?status=approved", "session_results", ["approved"]);
}

async function pendingDeltas(world: TestWorld): Promise<number> {
  const { rows: [row] } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM list_count_deltas`.execute(world.db);
  return row.n;
}

Deno.test("list totals are kept beside the rows and stay exact", async (t) => {
  const world = await createTestWorld();
  const other = await world.provisionOrg("other-org");
  let worker = null as WorkerHandle | null;
  try {
    await t.step("creates and status changes, in this org and beside it", async () => {
      const key = world.org.sandbox_secret_key;
      assert.equal(await total(world, key, "/api/v1/sessions"), 0);
      const sessions: Body[] = [];
      for (let i = 0; i < 6; i++) sessions.push(await createSession(world, key, { external_ref: `t${i}` }));
      await simulate(world, key, sessions[0].id, "approve");
      await simulate(world, key, sessions[1].id, "approve");
      await simulate(world, key, sessions[2].id, "decline");
      await simulate(world, key, sessions[3].id, "processing_error");
      // Noise the totals must not count: the other environment and another organisation.
      await createSession(world, world.org.live_secret_key);
      await simulate(
        world,
        other.sandbox_secret_key,
        (await createSession(world, other.sandbox_secret_key)).id,
        "approve",
      );
      await assertTotalsExact(world, world.org);
      await assertTotalsExact(world, other);
      assert.equal(await total(world, key, "/api/v1/sessions?status=completed"), 3);
      assert.equal(await total(world, key, "/api/v1/results?status=approved"), 2);
    });

    await t.step("concurrent creates and changes", async () => {
      const key = world.org.sandbox_secret_key;
      const created = await Promise.all(
        Array.from({ length: 16 }, (_, i) => createSession(world, key, { external_ref: `c${i}` })),
      );
      await Promise.all(created.slice(0, 8).map((s, i) => simulate(world, key, s.id, i % 2 ? "approve" : "decline")));
      await assertTotalsExact(world, world.org);
    });

    await t.step("a bulk status change and a deletion", async () => {
      // One UPDATE of many rows (as the expiry sweep writes) and a DELETE (as an organisation's removal cascades).
      await sql`UPDATE sessions SET status = 'expired' WHERE org_id = ${world.org.org_id} AND status = 'pending'`
        .execute(world.db);
      const [victim] = (await sql<{ id: string }>`
        SELECT id FROM sessions WHERE org_id = ${world.org.org_id} AND environment = 'sandbox' AND status = 'expired' LIMIT 1
      `.execute(world.db)).rows;
      await sql`DELETE FROM sessions WHERE id = ${victim.id}`.execute(world.db);
      await assertTotalsExact(world, world.org);
      const key = world.org.sandbox_secret_key;
      assert.equal(await total(world, key, "/api/v1/sessions?status=pending"), 0);
    });

    await t.step("the worker's list-counts.fold moves the deltas and changes no total", async () => {
      const key = world.org.sandbox_secret_key;
      const before = await total(world, key, "/api/v1/sessions");
      assert.ok(await pendingDeltas(world) > 0);
      worker = await startWorker(world.deps, world.databaseUrl);
      const jobId = await worker.boss.send("list-counts.fold", {});
      assert.ok(jobId);
      const state = await waitFor("the fold job", async () => {
        const job = await worker!.boss.getJobById("list-counts.fold", jobId);
        return job && ["completed", "failed"].includes(job.state) ? job.state : undefined;
      }, { timeoutMs: 60_000, maxDelayMs: 200 });
      assert.equal(state, "completed");
      assert.equal(await pendingDeltas(world), 0);
      assert.equal(await total(world, key, "/api/v1/sessions"), before);
      await assertTotalsExact(world, world.org);
      await assertTotalsExact(world, other);
      // The totals are the kept numbers, not a recount: a delta written behind the API's back shows.
      await sql`INSERT INTO list_count_deltas VALUES (${world.org.org_id}, 'sandbox', 'sessions', 'pending', 1000)`
        .execute(world.db);
      assert.equal(await total(world, key, "/api/v1/sessions"), before + 1000);
      await sql`DELETE FROM list_count_deltas`.execute(world.db);
      // And after the fold, new changes are added to the folded numbers.
      await simulate(world, key, (await createSession(world, key)).id, "approve");
      await assertTotalsExact(world, world.org);
    });
  } finally {
    await worker?.stop();
    await world.close();
  }
});
