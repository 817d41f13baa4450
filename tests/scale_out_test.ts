/**
 * Scale-out (issue #16): two API processes (`api/main.ts`) and two worker processes
 * (`worker/main.ts`), run as compose and the Kubernetes manifests run them, against one database
 * and one S3 peer (s3rver). Through the real ports it shows that a key's rate limit and a capture
 * token's window hold across both APIs (exactly the limit succeed, each remaining count handed
 * out once); that each webhook event reaches its endpoint with exactly one 2xx-answered request,
 * another only after the receiver answered non-2xx (the README's duplicate rule); that each
 * scheduled job was enqueued once per cron tick while both workers ran, and ran; that every
 * process stops cleanly on SIGTERM; and that `deno task verify-audit` passes on the audit chain
 * both APIs appended to.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { parseConfig } from "../core/config.ts";
import { generateKeyMaterial } from "../core/embedded/dev_secrets.ts";
import { createApiKey } from "../core/orgs/api_keys.ts";
import { JOBS } from "../worker/jobs/registry.ts";
import { createTestWorld, waitFor } from "./helpers/test_app.ts";
import { baseEnv, freePort, Proc, run } from "./helpers/subprocess.ts";
import { startS3rver } from "./helpers/s3rver.ts";
import { waitForQuiet, WebhookReceiver } from "./helpers/webhook_receiver.ts";

// deno-lint-ignore no-explicit-any
type Body = Record<string, any>;

const SESSIONS = 16;
/** The receiver answers 503 to the first request of every third event it sees. */
const FAIL_FIRST_EVERY = 3;
const KEY_LIMIT = 20;
const TOKEN_LIMIT = 8;

interface Api {
  proc: Proc;
  base: string;
}

interface Worker {
  proc: Proc;
  ops: string;
}

async function waitReady(what: string, proc: Proc, url: string): Promise<void> {
  await waitFor(`${what} to answer ${url} with 200`, async () => {
    if (proc.exit) throw new Error(`${what} exited before it was ready\n${proc.describe()}`);
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      return response.status === 200 ? true : undefined;
    } catch {
      return undefined;
    }
  }, { timeoutMs: 120_000, maxDelayMs: 500 });
}

async function call(base: string, method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "X-API-Key": key, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Body };
}

/** Resolves once the wall clock has at least `spareMs` left in the current minute (windows are per minute). */
async function roomInThisMinute(spareMs: number): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (60_000 - intoMinute >= spareMs) return;
  await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 200));
}

/** Does `minute` (UTC) match a cron expression's minute field? The schedules leave every other field `*`. */
function cronMatchesMinute(cron: string, at: Date): boolean {
  const [minute, ...rest] = cron.split(" ");
  assert.ok(rest.every((field) => field === "*"), `schedule ${cron} uses fields this test does not read`);
  const m = at.getUTCMinutes();
  if (minute === "*") return true;
  const step = /^\*\/(\d+)$/.exec(minute);
  if (step) return m % Number(step[1]) === 0;
  assert.match(minute, /^\d+$/, `schedule ${cron}`);
  return m === Number(minute);
}

Deno.test("two API and two worker processes: shared limits, webhooks, schedules once per tick, audit chain", async (t) => {
  const keyEnv = generateKeyMaterial();
  // Parsed as the processes will parse them, so the test's world holds the same key ring.
  const config = parseConfig({ DATABASE_URL: "postgres://unused/unused", ...keyEnv });
  const world = await createTestWorld({ keys: config });
  const s3 = await startS3rver();
  const receiver = WebhookReceiver.start();
  const apis: Api[] = [];
  const workers: Worker[] = [];
  try {
    const s3Config = s3.config("verifa-scale-out");
    const shared = {
      DATABASE_URL: world.databaseUrl,
      ...keyEnv,
      VERIFA_S3_ENDPOINT: s3Config.endpoint,
      VERIFA_S3_ACCESS_KEY: s3Config.accessKey,
      VERIFA_S3_SECRET_KEY: s3Config.secretKey,
      VERIFA_S3_BUCKET: s3Config.bucket,
      VERIFA_S3_REGION: s3Config.region,
      // The receiver listens on loopback.
      VERIFA_WEBHOOK_ALLOW_PRIVATE: "true",
    };

    await t.step("two APIs and two workers start against one database and one bucket", async () => {
      for (let i = 0; i < 2; i++) {
        const port = freePort();
        const proc = new Proc(
          [Deno.execPath(), "run", "-A", "api/main.ts"],
          baseEnv({
            ...shared,
            PORT: String(port),
            VERIFA_PUBLIC_URL: `http://127.0.0.1:${port}`,
            VERIFA_RUN_WORKER: "false",
            VERIFA_METRICS_PORT: String(freePort()),
            VERIFA_CAPTURE_RATE_LIMIT_PER_TOKEN: String(TOKEN_LIMIT),
            VERIFA_LOG_LEVEL: "warn",
          }),
        );
        apis.push({ proc, base: `http://127.0.0.1:${port}` });
      }
      for (let i = 0; i < 2; i++) {
        const ops = `http://127.0.0.1:${freePort()}`;
        const proc = new Proc(
          [Deno.execPath(), "run", "-A", "worker/main.ts"],
          baseEnv({
            ...shared,
            VERIFA_METRICS_PORT: new URL(ops).port,
            // "job done" lines name each job a worker ran.
            VERIFA_LOG_LEVEL: "debug",
          }),
        );
        workers.push({ proc, ops });
      }
      await Promise.all([
        ...apis.map((api, i) => waitReady(`api ${i}`, api.proc, `${api.base}/readyz`)),
        ...workers.map((worker, i) => waitReady(`worker ${i}`, worker.proc, `${worker.ops}/readyz`)),
      ]);
    });
    // Schedules are counted from the first tick at which both workers were running.
    const firstTick = new Date(Math.ceil(Date.now() / 60_000) * 60_000);

    // The endpoint exists before any session, so every event of the org is delivered to it.
    const seen: string[] = [];
    let endpointId = "";
    await t.step("a webhook endpoint on the loopback receiver", async () => {
      const created = await call(apis[1].base, "POST", "/api/v1/webhooks/endpoints", world.org.sandbox_secret_key, {
        url: receiver.url("/hook"),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      receiver.route("/hook", [created.body.secret], (request) => {
        const idempotencyKey = request.json.idempotency_key as string;
        const first = !seen.includes(idempotencyKey);
        if (first) seen.push(idempotencyKey);
        const refuse = first && seen.indexOf(idempotencyKey) % FAIL_FIRST_EVERY === 0;
        return new Response(refuse ? "try again" : "ok", { status: refuse ? 503 : 200 });
      });
      endpointId = created.body.id;
    });

    await t.step("a key's limit holds across both APIs: exactly the limit succeed", async () => {
      const { secret } = await createApiKey(world.db, world.org.org_id, {
        kind: "secret",
        environment: "sandbox",
        scopes: ["sessions:read"],
        rateLimitPerMinute: KEY_LIMIT,
      });
      await roomInThisMinute(20_000);
      // A quarter one after the other, alternating (so each process grants some), then the rest
      // at once, spread evenly over both.
      const sequential = KEY_LIMIT / 4;
      const replies = [];
      for (let i = 0; i < sequential; i++) {
        replies.push(await call(apis[i % 2].base, "GET", "/api/v1/sessions", secret));
      }
      replies.push(
        ...await Promise.all(
          Array.from(
            { length: 2 * KEY_LIMIT - sequential },
            (_, i) => call(apis[i % 2].base, "GET", "/api/v1/sessions", secret),
          ),
        ),
      );
      const granted = replies.filter((r) => r.status === 200);
      const refused = replies.filter((r) => r.status !== 200);
      assert.equal(granted.length, KEY_LIMIT, replies.map((r) => r.status).join(","));
      assert.ok(refused.every((r) => r.status === 429 && r.body.error === "rate_limited"));
      assert.ok(refused.every((r) => /^[1-9]\d*$/.test(r.headers.get("retry-after") ?? "")));
      // Each remaining count was handed out once: the two processes counted in one place.
      assert.deepEqual(
        granted.map((r) => Number(r.headers.get("x-ratelimit-remaining"))).sort((a, b) => a - b),
        Array.from({ length: KEY_LIMIT }, (_, i) => i),
      );
      assert.deepEqual(
        replies.slice(0, sequential).map((r) => r.headers.get("x-ratelimit-remaining")),
        Array.from({ length: sequential }, (_, i) => String(KEY_LIMIT - 1 - i)),
        "the alternating requests counted down one window",
      );
      assert.equal(new Set(replies.map((r) => r.headers.get("x-ratelimit-reset"))).size, 1, "one window");
      for (const reply of replies) assert.equal(reply.headers.get("x-ratelimit-limit"), String(KEY_LIMIT));
    });

    await t.step("a capture token's window holds across both APIs", async () => {
      const created = await call(apis[0].base, "POST", "/api/v1/sessions", world.org.sandbox_secret_key, {});
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const token = new URL(created.body.capture_url).pathname.split("/")[2];
      await roomInThisMinute(20_000);
      const statuses = await Promise.all(Array.from({ length: 2 * TOKEN_LIMIT }, async (_, i) => {
        const response = await fetch(`${apis[i % 2].base}/verify/${token}/state`);
        await response.body?.cancel();
        return response.status;
      }));
      assert.equal(statuses.filter((s) => s === 200).length, TOKEN_LIMIT, statuses.join(","));
      assert.equal(statuses.filter((s) => s === 429).length, TOKEN_LIMIT, statuses.join(","));
    });

    await t.step("each event is delivered at least once; a second request only after a non-2xx", async () => {
      const key = world.org.sandbox_secret_key;
      // Sessions are created on one API and decided on the other.
      await Promise.all(Array.from({ length: SESSIONS }, async (_, i) => {
        const created = await call(apis[i % 2].base, "POST", "/api/v1/sessions", key, { external_ref: `scale-${i}` });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const decided = await call(
          apis[(i + 1) % 2].base,
          "POST",
          `/api/v1/sessions/${created.body.id}/simulate`,
          key,
          {
            action: "approve",
          },
        );
        assert.equal(decided.status, 200, JSON.stringify(decided.body));
      }));
      // Retries of the refused first attempts come about 30 s later (the contract's schedule).
      await waitForQuiet(world, 120_000);

      const events = await world.db.selectFrom("events").select(["id", "idempotency_key", "type"])
        .where("org_id", "=", world.org.org_id).execute();
      assert.ok(events.length >= 2 * SESSIONS, `${events.length} events`);
      assert.equal(seen.length, events.length, "the receiver saw every event");
      const deliveries = await world.db.selectFrom("webhook_deliveries").select(["event_id", "status"])
        .where("endpoint_id", "=", endpointId).execute();
      // The relays of both workers together made one delivery per event.
      assert.equal(deliveries.length, new Set(deliveries.map((d) => d.event_id)).size, "one delivery per event");
      receiver.assertAllVerified();
      const requests = receiver.on("/hook");
      let retried = 0;
      for (const event of events) {
        const got = requests.filter((r) => r.json.idempotency_key === event.idempotency_key);
        const answered = got.map((r) => r.answered);
        assert.equal(answered.filter((s) => s === 200).length, 1, `${event.type} ${event.id}: ${answered.join(",")}`);
        // A second request only after the receiver refused the first; never two 2xx.
        assert.ok(
          answered.length === 1 || (answered.length === 2 && answered[0] === 503),
          `${event.type} ${event.id}: ${answered.join(",")}`,
        );
        if (answered.length === 2) retried++;
        for (const r of got) assert.equal(r.json.event, event.type);
      }
      assert.equal(requests.length, events.length + retried, "no request for an event the database does not hold");
      assert.equal(retried, Math.ceil(events.length / FAIL_FIRST_EVERY), "every refused first attempt was retried");
      assert.deepEqual(new Set(deliveries.map((d) => d.status)), new Set(["succeeded"]));
      const ran = workers.map((w) => (w.proc.stdout.match(/"job":"webhook\.deliver"/g) ?? []).length);
      console.log(`scale-out: ${events.length} events, ${requests.length} requests; deliveries per worker: ${ran}`);
    });

    await t.step("each scheduled job was enqueued once per cron tick while both workers ran, and ran", async () => {
      const everyMinute = JOBS.filter((job) => job.schedule === "* * * * *").map((job) => job.name);
      assert.ok(everyMinute.length > 0);
      const lastTick = new Date(firstTick.getTime() + 60_000);
      const scheduled = JOBS.filter((job) => job.schedule);
      // pg-boss's cron pass (one per 30 s across every instance) enqueues a schedule's job through
      // its send-it queue, once per schedule and minute (singleton_on); the send-it job then
      // forwards it to the schedule's own queue, where a worker runs it. One statement reads both,
      // so the snapshot cannot catch a forward half-way.
      const snapshot = async () =>
        (await sql<{ queue: string; slot: Date | null; state: string }>`
          SELECT CASE WHEN name = '__pgboss__send-it' THEN data->>'name' ELSE name END AS queue,
            CASE WHEN name = '__pgboss__send-it' THEN singleton_on AT TIME ZONE 'UTC' END AS slot,
            state::text AS state
          FROM pgboss.job WHERE name = '__pgboss__send-it' OR name = ANY(${scheduled.map((job) => job.name)})
          ORDER BY singleton_on
        `.execute(world.db)).rows;
      // Until both ticks are in and nothing is in flight: every send-it done, every job it made run.
      const rows = await waitFor("two ticks of the every-minute schedules, forwarded and run", async () => {
        const rows = await snapshot();
        for (const queue of everyMinute) {
          if (!rows.some((r) => r.queue === queue && r.slot?.getTime() === lastTick.getTime())) return undefined;
        }
        return rows.every((r) => r.state === "completed") ? rows : undefined;
      }, { timeoutMs: 240_000, maxDelayMs: 1_000 });

      for (const job of scheduled) {
        const slots = rows.filter((r) => r.queue === job.name && r.slot).map((r) => r.slot!);
        // One enqueue per tick: no minute twice, and only minutes the cron names.
        assert.equal(new Set(slots.map((s) => s.getTime())).size, slots.length, `${job.name}: a tick enqueued twice`);
        for (const slot of slots) {
          assert.ok(cronMatchesMinute(job.schedule!, slot), `${job.name} at ${slot.toISOString()}`);
        }
        // Each enqueue became exactly one job of the schedule's queue (nothing else sends to it), and it ran.
        const jobs = rows.filter((r) => r.queue === job.name && !r.slot);
        assert.equal(jobs.length, slots.length, `${job.name}: ${jobs.length} jobs for ${slots.length} ticks`);
      }
      for (const queue of everyMinute) {
        // Every minute from the first tick both workers saw: none skipped.
        const slots = rows.filter((r) => r.queue === queue && r.slot && r.slot >= firstTick).map((r) =>
          r.slot!.getTime()
        );
        assert.deepEqual(slots.slice(0, 2), [firstTick.getTime(), lastTick.getTime()], queue);
        for (let i = 1; i < slots.length; i++) {
          assert.equal(slots[i] - slots[i - 1], 60_000, `${queue}: a tick skipped`);
        }
      }
    });

    await t.step("every process stops cleanly on SIGTERM", async () => {
      const procs = [...apis.map((a) => a.proc), ...workers.map((w) => w.proc)];
      const statuses = await Promise.all(procs.map((proc) => proc.terminate()));
      statuses.forEach((status, i) => assert.equal(status.code, 0, procs[i].describe()));
    });

    await t.step("deno task verify-audit passes on the chain both APIs appended to", async () => {
      const audited = await world.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n"))
        .where("org_id", "=", world.org.org_id).executeTakeFirstOrThrow();
      assert.ok(Number(audited.n) >= 2 * SESSIONS, `${audited.n} audit rows`);
      const verify = await run(
        [Deno.execPath(), "task", "verify-audit"],
        baseEnv({ DATABASE_URL: world.databaseUrl, ...keyEnv }),
      );
      assert.equal(verify.exit?.code, 0, verify.describe());
      assert.match(verify.stdout, new RegExp(`^ok ${world.org.org_id} \\(test-org\\): ${audited.n} rows, head `, "m"));
      assert.match(verify.stdout, /^audit chain intact: \d+ rows$/m);
    });
  } finally {
    await Promise.all(
      [...apis.map((a) => a.proc), ...workers.map((w) => w.proc)].map((p) => p.terminate().catch(() => {})),
    );
    await receiver.close();
    await s3.close();
    await world.close();
  }
});
