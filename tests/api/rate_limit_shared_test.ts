/**
 * Rate limits are shared by every API process (issue #16): two apps built over one database, as
 * two replicas are, spend one window per API key, per capture token, per client IP on the capture
 * surface and per client IP on the dashboard's sign-in ceremonies. The counters are stored under
 * keyed digests (never a token or an address), and `rate-limits.purge` on the real worker removes
 * windows that are over. The subprocess version (two API and two worker processes) is
 * tests/scale_out_test.ts.
 */
import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { DASHBOARD_AUTH_PER_IP_PER_MINUTE } from "../../api/middleware/rate_limit.ts";
import { createApiKey } from "../../core/orgs/api_keys.ts";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";
import { createSession } from "../helpers/sessions.ts";
import { tokenOf } from "../helpers/capture.ts";

type App = ReturnType<typeof createApp>;

/** Puts the test clock just past a minute boundary so no window rolls over mid-step. */
function alignToWindowStart(world: TestWorld): void {
  const now = world.clock.now().getTime();
  world.clock.advance(60_000 - (now % 60_000) + 50);
}

function from(hostname: string) {
  return { remoteAddr: { hostname, port: 50000, transport: "tcp" } };
}

/** Sends `count` requests, alternating between the two apps, and returns each status in order. */
async function alternate(apps: App[], count: number, send: (app: App, i: number) => Response | Promise<Response>) {
  const replies: Response[] = [];
  for (let i = 0; i < count; i++) replies.push(await send(apps[i % apps.length], i));
  for (const reply of replies) await reply.body?.cancel();
  return replies;
}

Deno.test("rate-limit windows are shared by every API process", async (t) => {
  const world = await createTestWorld();
  // Assigned inside a step: `as` keeps the type from narrowing to null in `finally`.
  let worker = null as WorkerHandle | null;
  try {
    const limits = { perToken: 4, perIp: 3 };
    const apps = [
      createApp({ ...world.deps, captureRateLimits: limits }),
      createApp({ ...world.deps, captureRateLimits: limits }),
    ];

    await t.step("one key's limit holds across two apps; each remaining count is handed out once", async () => {
      const { secret } = await createApiKey(world.db, world.org.org_id, {
        kind: "secret",
        environment: "sandbox",
        scopes: ["sessions:read"],
        rateLimitPerMinute: 6,
      });
      alignToWindowStart(world);
      const replies = await alternate(
        apps,
        12,
        (app) => app.request("/api/v1/sessions", { headers: { "X-API-Key": secret } }),
      );
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429]);
      assert.deepEqual(replies.map((r) => r.headers.get("x-ratelimit-remaining")), [
        "5",
        "4",
        "3",
        "2",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
      ]);
      for (const reply of replies) assert.equal(reply.headers.get("x-ratelimit-limit"), "6");
      assert.match(replies[6].headers.get("retry-after") ?? "", /^[1-9]\d*$/);
      // Concurrent requests over both apps: still exactly the limit, each count once.
      world.clock.advance(60_000);
      const burst = await Promise.all(
        Array.from(
          { length: 12 },
          (_, i) => apps[i % 2].request("/api/v1/sessions", { headers: { "X-API-Key": secret } }),
        ),
      );
      for (const reply of burst) await reply.body?.cancel();
      const granted = burst.filter((r) => r.status === 200);
      assert.equal(granted.length, 6, burst.map((r) => r.status).join(","));
      assert.deepEqual(granted.map((r) => r.headers.get("x-ratelimit-remaining")).sort(), [
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
      ]);
      assert.ok(burst.every((r) => r.status === 200 || r.status === 429));
    });

    await t.step("hits counted together while a count is in flight are still exact, each place once", async () => {
      // 40 concurrent requests on one app: they are counted in a few shared upserts (group
      // commit), and the limit, the remaining counts and the stored count must come out as if
      // each had been counted alone.
      const { secret } = await createApiKey(world.db, world.org.org_id, {
        kind: "secret",
        environment: "sandbox",
        scopes: ["sessions:read"],
        rateLimitPerMinute: 25,
      });
      alignToWindowStart(world);
      const burst = await Promise.all(
        Array.from({ length: 40 }, () => apps[0].request("/api/v1/sessions", { headers: { "X-API-Key": secret } })),
      );
      for (const reply of burst) await reply.body?.cancel();
      const granted = burst.filter((r) => r.status === 200);
      assert.equal(granted.length, 25, burst.map((r) => r.status).join(","));
      assert.ok(burst.every((r) => r.status === 200 || r.status === 429));
      assert.deepEqual(
        granted.map((r) => Number(r.headers.get("x-ratelimit-remaining"))).sort((a, b) => a - b),
        Array.from({ length: 25 }, (_, i) => i),
      );
      // The other app finds the window spent: the count is shared, not kept per process.
      const other = await apps[1].request("/api/v1/sessions", { headers: { "X-API-Key": secret } });
      await other.body?.cancel();
      assert.equal(other.status, 429);
    });

    await t.step("a capture token's and a client IP's windows are shared too", async () => {
      alignToWindowStart(world);
      const token = tokenOf(await createSession(world, world.org.sandbox_secret_key));
      const byToken = await alternate(apps, 6, (app) => app.request(`/verify/${token}/state`));
      assert.deepEqual(byToken.map((r) => r.status), [200, 200, 200, 200, 429, 429]);
      // One address guessing tokens over both apps: three a minute, wherever they land.
      const guesses = await alternate(
        apps,
        5,
        (app, i) => app.request(`/verify/tok_guess${i}/state`, {}, from("203.0.113.9")),
      );
      assert.deepEqual(guesses.map((r) => r.status === 429), [false, false, false, true, true]);
    });

    await t.step("the dashboard's per-IP ceremony window is shared", async () => {
      alignToWindowStart(world);
      const replies = await alternate(
        apps,
        DASHBOARD_AUTH_PER_IP_PER_MINUTE + 1,
        (app) => app.request("/dashboard/auth/sign-in/options", { method: "POST" }, from("198.51.100.30")),
      );
      // Without the page's CSRF token each call is refused, but it still spends the window.
      assert.ok(replies.slice(0, -1).every((r) => r.status === 403), replies.map((r) => r.status).join(","));
      assert.equal(replies.at(-1)!.status, 429);
    });

    await t.step("counters are stored under digests, never the token, the address or the key id", async () => {
      const rows = await world.db.selectFrom("rate_limit_windows").selectAll().execute();
      assert.ok(rows.length > 0);
      const stored = JSON.stringify(rows);
      for (const secretish of ["tok_", "203.0.113.9", "198.51.100.30", "key_", "capture", "api-key"]) {
        assert.ok(!stored.includes(secretish), `rate_limit_windows holds "${secretish}"`);
      }
      for (const row of rows) assert.match(row.bucket, /^[A-Za-z0-9_-]{43}$/);
    });

    await t.step("rate-limits.purge on the real worker removes windows that are over", async () => {
      world.clock.advance(3 * 60_000);
      const current = await apps[0].request(`/verify/tok_now/state`, {}, from("203.0.113.10"));
      await current.body?.cancel();
      const before = await world.db.selectFrom("rate_limit_windows").select("window_start").execute();
      const nowStart = world.clock.now().getTime() - (world.clock.now().getTime() % 60_000);
      assert.ok(before.some((r) => r.window_start.getTime() < nowStart - 60_000), "older windows exist");

      worker = await startWorker(world.deps, world.databaseUrl);
      const [schedule] = await worker.boss.getSchedules("rate-limits.purge");
      assert.equal(schedule?.cron, "*/5 * * * *");
      const jobId = await worker.boss.send("rate-limits.purge", {});
      assert.ok(jobId);
      const boss = worker.boss;
      const state = await waitFor(`job ${jobId}`, async () => {
        const job = await boss.getJobById("rate-limits.purge", jobId);
        return job && ["completed", "failed"].includes(job.state) ? job.state : undefined;
      }, { timeoutMs: 15_000, maxDelayMs: 200 });
      assert.equal(state, "completed");
      const after = await world.db.selectFrom("rate_limit_windows").select("window_start").execute();
      assert.ok(after.length >= 1, "the current window stays");
      assert.ok(after.every((r) => r.window_start.getTime() === nowStart), JSON.stringify(after));
    });
  } finally {
    await worker?.stop();
    await world.close();
  }
});
