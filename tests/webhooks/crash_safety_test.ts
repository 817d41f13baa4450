/**
 * Crash safety of webhook delivery: the worker runs as its own process (`worker/main.ts`, as in
 * production), 2,000 events stream in through the API while it delivers, it is killed with SIGKILL
 * mid-stream and started again. Every event must reach the loopback receiver at least once; a
 * duplicate (an attempt whose outcome died with the worker) carries the same idempotency_key and
 * the same body.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { generateKeyMaterial } from "../../core/embedded/dev_secrets.ts";
import { parseConfig } from "../../core/config.ts";
import { verifaSignature } from "../../core/webhooks/signing.ts";
import { ALL_SCOPES } from "../../core/orgs/scopes.ts";
import { createApiKey } from "../../core/orgs/api_keys.ts";

const SESSIONS = 1_000; // each: session.created, then session.approved through simulate
const CONCURRENCY = 12;
const KILL_AFTER_RECEIVED = 2_000 / 3;
/** Until the kill, producers stay at most this many events ahead of the receiver: a stream, not a dump. */
const LEAD = 300;
const DEADLINE_MS = 90_000;
const REPO_ROOT = new URL("../../", import.meta.url).pathname;
const WORKER = new URL("../../worker/main.ts", import.meta.url).pathname;

interface Received {
  body: string;
  event: string;
  signature: string;
}

/** Lets a test wait for a condition that changes on events (a delivery, a write) without sleeping. */
class Signal {
  #listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Resolves once `predicate` holds, checked now and on every notify. */
  until(predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        this.#listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`timed out waiting for ${what()}`));
      }, Math.max(0, timeoutMs));
      this.#listeners.add(check);
      check();
    });
  }
}

/** A loopback receiver that records every delivery by idempotency_key and answers 200. */
function startReceiver() {
  const byKey = new Map<string, Received[]>();
  let total = 0;
  const signal = new Signal();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const body = await req.text();
    const payload = JSON.parse(body) as { idempotency_key: string; event: string };
    const list = byKey.get(payload.idempotency_key) ?? [];
    list.push({ body, event: payload.event, signature: req.headers.get("x-verifa-signature") ?? "" });
    byKey.set(payload.idempotency_key, list);
    total++;
    signal.notify();
    return new Response("ok");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook`,
    byKey,
    total: () => total,
    signal,
    shutdown: () => server.shutdown(),
  };
}

/** The worker process as compose runs it, on the test database, with the test's keys. */
function spawnWorker(databaseUrl: string, keys: Record<string, string>, blobDir: string): Deno.ChildProcess {
  const inherited = Object.entries(Deno.env.toObject()).filter(([name]) =>
    !name.startsWith("VERIFA_") && name !== "DATABASE_URL" && name !== "PORT"
  );
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER],
    cwd: REPO_ROOT,
    clearEnv: true,
    env: {
      ...Object.fromEntries(inherited),
      NO_COLOR: "1",
      DATABASE_URL: databaseUrl,
      ...keys,
      VERIFA_WEBHOOK_ALLOW_PRIVATE: "true",
      VERIFA_LOG_LEVEL: "warn",
      VERIFA_DB_POOL_SIZE: "10",
      VERIFA_BLOB_DIR: blobDir,
    },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
}

async function killAndReap(child: Deno.ChildProcess | null): Promise<void> {
  if (!child) return;
  try {
    child.kill("SIGKILL");
  } catch { /* already exited */ }
  await child.status;
}

/**
 * Creates and approves sessions through the API, `concurrency` at a time, counting the events
 * written (each request commits one) on `signal`; each request first awaits `gate`.
 */
function produce(
  world: TestWorld,
  key: string,
  sessions: number,
  concurrency: number,
  gate: (written: () => number) => Promise<void>,
) {
  let next = 0;
  let written = 0;
  const signal = new Signal();
  const request = async (path: string, body: unknown, status: number) => {
    await gate(() => written);
    const response = await world.json("POST", path, { key, body });
    assert.equal(response.status, status, JSON.stringify(response.body));
    written++;
    signal.notify();
    return response.body as { id: string };
  };
  const client = async () => {
    while (next < sessions) {
      const i = next++;
      const { id } = await request("/api/v1/sessions", { external_ref: `crash-${i}` }, 201);
      await request(`/api/v1/sessions/${id}/simulate`, { action: "approve" }, 200);
    }
  };
  return { done: Promise.all(Array.from({ length: concurrency }, client)), written: () => written, signal };
}

Deno.test("webhooks survive SIGKILL of the worker mid-stream: every event arrives, duplicates keep their key", async () => {
  const keyEnv = generateKeyMaterial();
  // Parsed exactly as the worker will parse them, so both processes hold the same key ring.
  const config = parseConfig({ DATABASE_URL: "postgres://unused/unused", ...keyEnv });
  const world = await createTestWorld({ keys: config });
  const receiver = startReceiver();
  let worker: Deno.ChildProcess | null = null;
  const started = performance.now();
  try {
    // A key of its own without the per-minute rate limit: 2,000 requests in seconds is the point.
    const { secret: key } = await createApiKey(world.db, world.org.org_id, {
      environment: "sandbox",
      kind: "secret",
      label: "crash-safety",
      scopes: [...ALL_SCOPES],
      rateLimitPerMinute: 10_000_000,
    });
    const endpoint = await world.json<{ id: string; secret: string }>("POST", "/api/v1/webhooks/endpoints", {
      key,
      body: { url: receiver.url },
    });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));

    const remaining = () => DEADLINE_MS - (performance.now() - started);
    worker = spawnWorker(world.databaseUrl, keyEnv, world.blobDir);
    let killed = false;
    // Before the kill the stream is paced by delivery, so the kill lands mid-stream on any machine.
    const gate = (written: () => number) =>
      receiver.signal.until(
        () => killed || written() - receiver.byKey.size < LEAD,
        remaining(),
        () => "the receiver to catch up with the producers",
      );
    const production = produce(world, key, SESSIONS, CONCURRENCY, gate);
    // A producer failure ends the test at once instead of at the delivery deadline.
    const failed = production.done.then(() => new Promise<never>(() => {}));

    await Promise.race([
      receiver.signal.until(
        () => receiver.byKey.size >= KILL_AFTER_RECEIVED,
        remaining(),
        () => `the first third to arrive (${receiver.byKey.size} so far)`,
      ),
      failed,
    ]);
    worker.kill("SIGKILL");
    killed = true;
    receiver.signal.notify();
    assert.equal((await worker.status).signal, "SIGKILL");
    const receivedAtKill = receiver.byKey.size;
    const writtenAtKill = production.written();

    // Events keep coming while no worker runs: they wait in the outbox.
    await Promise.race([
      production.signal.until(
        () => production.written() >= Math.min(writtenAtKill + 200, 2 * SESSIONS),
        remaining(),
        () => "events written with the worker down",
      ),
      failed,
    ]);
    const writtenWhileDown = production.written() - writtenAtKill;
    worker = spawnWorker(world.databaseUrl, keyEnv, world.blobDir);
    await production.done;
    const expected = await eventKeys(world);
    assert.ok(expected.size >= 2 * SESSIONS, `expected ≥ ${2 * SESSIONS} events, found ${expected.size}`);

    await receiver.signal.until(
      () => receiver.byKey.size >= expected.size && [...expected.keys()].every((k) => receiver.byKey.has(k)),
      remaining(),
      () => {
        const missing = [...expected.keys()].filter((k) => !receiver.byKey.has(k));
        return `all ${expected.size} events: ${missing.length} missing, e.g. ${missing.slice(0, 3).join(", ")}`;
      },
    );

    // Every delivery row ends succeeded. An attempt the kill interrupted stays `active` in pg-boss
    // until its heartbeat goes stale; its retry may deliver again after the first copy arrived,
    // so the receiver's record is final only once every row is settled.
    const statuses = await waitForDeliveries(world, expected.size, remaining());
    assert.deepEqual(statuses, { succeeded: expected.size });

    // None missing, nothing the database does not know about, duplicates identical.
    assert.deepEqual(new Set(receiver.byKey.keys()), new Set(expected.keys()));
    let duplicates = 0;
    for (const [idempotencyKey, deliveries] of receiver.byKey) {
      assert.equal(deliveries[0].event, expected.get(idempotencyKey), `event type of ${idempotencyKey}`);
      for (const delivery of deliveries) {
        // Same key, same bytes: the body is built once at relay time and stored with the delivery.
        assert.equal(delivery.body, deliveries[0].body, `duplicate bodies of ${idempotencyKey} differ`);
        const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(delivery.signature) ?? [];
        assert.equal(v1, verifaSignature(endpoint.body.secret, Number(t), delivery.body), "signature");
      }
      duplicates += deliveries.length - 1;
    }

    console.log(
      `crash safety: ${expected.size} events; worker SIGKILLed after ${receivedAtKill} received ` +
        `(${writtenAtKill} written), ${writtenWhileDown} more written while down; ` +
        `${receiver.total()} deliveries received, ${duplicates} duplicates; ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await killAndReap(worker);
    await receiver.shutdown();
    await world.close();
  }
});

/** idempotency_key → event type of every event of the org. */
async function eventKeys(world: TestWorld): Promise<Map<string, string>> {
  const rows = await world.db.selectFrom("events").select(["idempotency_key", "type"])
    .where("org_id", "=", world.org.org_id).execute();
  return new Map(rows.map((r) => [r.idempotency_key, r.type]));
}

/** Delivery statuses once `count` deliveries are all finished (or the time is up). */
async function waitForDeliveries(world: TestWorld, count: number, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const rows = await world.db.selectFrom("webhook_deliveries")
      .select(["status", (eb) => eb.fn.countAll<string>().as("n")])
      .where("org_id", "=", world.org.org_id).groupBy("status").execute();
    const statuses = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    if (statuses.succeeded === count || performance.now() > deadline) return statuses;
    // The settling happens in the worker process, which offers nothing to wait on: a bounded poll.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
