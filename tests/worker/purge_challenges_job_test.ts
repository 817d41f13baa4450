/**
 * The purge of spent sign-in challenges through the real worker: challenges stored by the
 * unauthenticated sign-in options call (and burnt by a failed verification) are deleted by the
 * scheduled `operator-challenges.purge` job once used or expired; a live one is kept and still
 * works. Per client IP, the ceremonies anyone may start are rate limited, so the table cannot be
 * flooded between two purges.
 */
import assert from "node:assert/strict";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { purgeOperatorChallengesJob } from "../../worker/jobs/purge_operator_challenges.ts";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";
import { openSignedOutPage } from "../helpers/enrolment.ts";
import { DASHBOARD_AUTH_PER_IP_PER_MINUTE } from "../../api/middleware/rate_limit.ts";

const QUEUE = "operator-challenges.purge";

async function challengeIds(world: TestWorld): Promise<string[]> {
  return (await world.db.selectFrom("operator_challenges").select("id").orderBy("id").execute()).map((r) => r.id);
}

/** Sign-in options from a fresh signed-out page: what anyone on the internet can call. */
async function signInOptions(world: TestWorld) {
  const page = await openSignedOutPage(world, "/dashboard/sign-in");
  const response = await page.postJson("/dashboard/auth/sign-in/options", {});
  assert.equal(response.status, 200, await response.clone().text());
  await response.body?.cancel();
  return page;
}

Deno.test("operator-challenges.purge deletes spent sign-in challenges on the real worker", async (t) => {
  const world = await createTestWorld();
  let worker: WorkerHandle | null = null;
  try {
    worker = await startWorker(world.deps, world.databaseUrl);
    const boss = worker.boss;

    await t.step("the job is scheduled", async () => {
      const [schedule] = await boss.getSchedules(QUEUE);
      assert.equal(schedule?.cron, purgeOperatorChallengesJob.schedule);
    });

    await t.step("used and expired challenges go; a live one stays and still works", async () => {
      for (let i = 0; i < 3; i++) await signInOptions(world);
      // Six minutes on, those three are past their five-minute life.
      world.clock.advance(6 * 60_000);
      const burnt = await signInOptions(world);
      // A failed verification burns its challenge before checking the assertion.
      const refused = await burnt.postJson("/dashboard/auth/sign-in/verify", { response: { id: "nope" } });
      assert.equal(refused.status >= 400 && refused.status < 500, true, String(refused.status));
      await refused.body?.cancel();
      const before = await challengeIds(world);
      assert.equal(before.length, 4);
      const live = await signInOptions(world);
      const [liveId] = (await challengeIds(world)).filter((id) => !before.includes(id));

      const jobId = await boss.send(QUEUE, {});
      assert.ok(jobId);
      const state = await waitFor(`job ${jobId}`, async () => {
        const job = await boss.getJobById(QUEUE, jobId);
        return job && ["completed", "failed"].includes(job.state) ? job.state : undefined;
      }, { timeoutMs: 15_000, maxDelayMs: 200 });
      assert.equal(state, "completed");
      assert.deepEqual(await challengeIds(world), [liveId]);
      // The kept challenge is the live ceremony's: its verification reaches the passkey check.
      const verify = await live.postJson("/dashboard/auth/sign-in/verify", { response: { id: "nope" } });
      const body = await verify.json();
      assert.equal(body.error, "unauthorized", JSON.stringify(body));
    });

    await t.step("per client IP, ceremony calls past the limit are 429 with Retry-After", async () => {
      const from = (hostname: string) =>
        world.app.request("/dashboard/auth/sign-in/options", { method: "POST" }, {
          remoteAddr: { hostname, port: 50000, transport: "tcp" },
        });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i <= DASHBOARD_AUTH_PER_IP_PER_MINUTE; i++) {
        const response = await from("198.51.100.20");
        statuses.push(response.status);
        retryAfter = response.headers.get("retry-after");
        await response.body?.cancel();
      }
      // Without the page's CSRF token each call is refused, but it still spends the window.
      assert.ok(statuses.slice(0, -1).every((status) => status === 403), statuses.join(","));
      assert.equal(statuses.at(-1), 429);
      assert.match(retryAfter ?? "", /^[1-9]\d*$/);
      const elsewhere = await from("198.51.100.21");
      assert.equal(elsewhere.status, 403);
      await elsewhere.body?.cancel();
    });
  } finally {
    await worker?.stop();
    await world.close();
  }
});
