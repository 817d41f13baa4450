/**
 * Batched delivery against a real loopback receiver and the real worker: a backlog of one
 * endpoint's events goes out in jobs of up to 25 deliveries, over at most eight kept-alive
 * connections and never more than eight requests at once; a batch with both outcomes records each
 * delivery's own (successes final, failures retried together on the schedule), and the circuit
 * breaker counts the failures that came after the batch's last success. A job queued by the
 * previous version (one `delivery_id`) still runs.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestWorld } from "../helpers/test_app.ts";
import { createSession } from "../helpers/sessions.ts";
import {
  createEndpoint,
  endpointDeliveries,
  simulate,
  verifyVerifaSignature,
  waitForQuiet,
  waitUntil,
} from "../helpers/webhook_receiver.ts";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { ENDPOINT_CONNECTIONS } from "../../core/webhooks/http_sender.ts";
import { DELIVERIES_PER_JOB } from "../../core/webhooks/relay.ts";

const BACKLOG = 60;

interface Arrival {
  path: string;
  body: string;
  signature: string;
  /** The client's port: one per connection the sender opened. */
  clientPort: number;
}

/**
 * A receiver that answers after a short pause (so requests overlap and the sender's bound shows),
 * 500 on /mixed for bodies whose external_ref starts with "fail-", and records every request's connection.
 */
function startReceiver() {
  const arrivals: Arrival[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req, info) => {
    const path = new URL(req.url).pathname;
    inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
    maxInFlight.set(path, Math.max(maxInFlight.get(path) ?? 0, inFlight.get(path)!));
    try {
      const body = await req.text();
      arrivals.push({
        path,
        body,
        signature: req.headers.get("x-verifa-signature") ?? "",
        clientPort: info.remoteAddr.port,
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const failing = path === "/mixed" && String(JSON.parse(body).external_ref ?? "").startsWith("fail-");
      return new Response(failing ? "down" : "ok", { status: failing ? 500 : 200 });
    } finally {
      inFlight.set(path, inFlight.get(path)! - 1);
    }
  });
  return {
    url: (path: string) => `http://127.0.0.1:${server.addr.port}${path}`,
    arrivals,
    on: (path: string) => arrivals.filter((a) => a.path === path),
    /** The most requests a path had open at once. */
    maxInFlight: (path: string) => maxInFlight.get(path) ?? 0,
    close: () => server.shutdown(),
  };
}

Deno.test("webhook deliveries: batches per endpoint over kept-alive connections", async (t) => {
  const world = await createTestWorld();
  const receiver = startReceiver();
  const key = world.org.sandbox_secret_key;
  const schedule = world.deps.webhooks.retryScheduleMs;
  let worker: WorkerHandle | null = null;
  try {
    // The backlog is written before the worker starts, so the relay finds it all at once.
    const backlog = await createEndpoint(world, key, {
      url: receiver.url("/backlog"),
      enabled_events: ["session.created"],
    });
    const mixed = await createEndpoint(world, key, {
      url: receiver.url("/mixed"),
      enabled_events: ["session.approved"],
    });
    const sessions = [];
    for (let i = 0; i < BACKLOG; i++) sessions.push(await createSession(world, key, { external_ref: `backlog-${i}` }));
    const refs = ["ok-0", "fail-0", "ok-1", "fail-1", "ok-2", "fail-2"];
    for (const ref of refs) {
      const session = await createSession(world, key, { external_ref: ref });
      await simulate(world, key, session.id, "approve");
    }
    worker = await startWorker(world.deps, world.databaseUrl);
    await waitUntil(() => receiver.on("/backlog").length >= BACKLOG, "the backlog to arrive");
    await waitForQuiet(world);

    await t.step("a backlog of one endpoint: each event once, signed, in jobs of up to 25", async () => {
      const arrived = receiver.on("/backlog");
      assert.equal(arrived.length, BACKLOG + refs.length, "session.created of every session, once each");
      for (const a of arrived) {
        const [, ts] = /^t=(\d+),/.exec(a.signature) ?? [];
        assert.ok(verifyVerifaSignature(a.signature, a.body, backlog.secret, Number(ts) * 1000), "signed");
      }
      const rows = await endpointDeliveries(world, backlog.id);
      assert.equal(rows.length, BACKLOG + refs.length);
      assert.ok(rows.every((r) => r.status === "succeeded" && r.attempt_count === 1));
      // The jobs name ids only, and the relay's first batch held the whole backlog: ceil(66 / 25) jobs.
      const jobs = await sql<{ data: { delivery_ids: string[]; attempt: number } }>`
        SELECT data FROM pgboss.job WHERE name = 'webhook.deliver'`.execute(world.db);
      const backlogIds = new Set(rows.map((r) => r.id));
      const backlogJobs = jobs.rows.filter((j) => j.data.delivery_ids.some((id) => backlogIds.has(id)));
      assert.equal(backlogJobs.length, Math.ceil(rows.length / DELIVERIES_PER_JOB));
      for (const job of backlogJobs) {
        assert.deepEqual(Object.keys(job.data).sort(), ["attempt", "delivery_ids"]);
        assert.ok(job.data.delivery_ids.every((id) => backlogIds.has(id)), "one endpoint per job");
      }
      assert.deepEqual(new Set(backlogJobs.flatMap((j) => j.data.delivery_ids)), backlogIds);
    });

    await t.step("connections are kept alive and bounded per endpoint", () => {
      const backlogPorts = new Set(receiver.on("/backlog").map((a) => a.clientPort));
      assert.ok(
        backlogPorts.size <= ENDPOINT_CONNECTIONS,
        `${backlogPorts.size} connections for ${BACKLOG + refs.length} deliveries`,
      );
      const busiest = receiver.maxInFlight("/backlog");
      assert.ok(busiest > 1 && busiest <= ENDPOINT_CONNECTIONS, `${busiest} requests at once`);
    });

    await t.step("a batch with both outcomes: successes final, failures retried on schedule, then failed", async () => {
      const rows = await endpointDeliveries(world, mixed.id);
      assert.equal(rows.length, refs.length);
      const attempts = await world.db.selectFrom("webhook_attempts").selectAll()
        .where("delivery_id", "in", rows.map((r) => r.id)).orderBy("attempt_number").execute();
      for (const row of rows) {
        const ref = JSON.parse(
          receiver.on("/mixed").find((a) => JSON.parse(a.body).session_id === row.session_id)!.body,
        )
          .external_ref as string;
        const own = attempts.filter((a) => a.delivery_id === row.id);
        const bodies = receiver.on("/mixed").filter((a) => JSON.parse(a.body).session_id === row.session_id);
        if (ref.startsWith("ok-")) {
          assert.equal(row.status, "succeeded", ref);
          assert.equal(own.length, 1);
          assert.equal(bodies.length, 1);
        } else {
          assert.equal(row.status, "failed", ref);
          assert.equal(row.attempt_count, 1 + schedule.length);
          assert.equal(row.last_error, "HTTP 500");
          assert.deepEqual(own.map((a) => a.attempt_number), [1, 2, 3, 4, 5, 6]);
          assert.ok(own.every((a) => a.status_code === 500 && a.response_excerpt === "down"));
          assert.equal(bodies.length, 6);
          assert.ok(bodies.every((b) => b.body === bodies[0].body), "the same body on every attempt");
        }
      }
      const endpoint = await world.json<Record<string, unknown>>("GET", `/api/v1/webhooks/endpoints/${mixed.id}`, {
        key,
      });
      assert.equal(endpoint.body.consecutive_failures, 3, "three final failures after the last success");
      assert.equal(endpoint.body.enabled, true);
    });

    await t.step("a job queued before batching (one delivery_id) still makes its attempt", async () => {
      const [row] = (await endpointDeliveries(world, mixed.id)).filter((r) => r.status === "failed");
      const before = receiver.on("/mixed").length;
      // The state a retry queued by the previous version waits in: the delivery retrying, its job naming one id.
      await world.db.updateTable("webhook_deliveries").set({ status: "retrying", completed_at: null })
        .where("id", "=", row.id).execute();
      await world.db.transaction().execute((tx) =>
        world.deps.jobs.enqueue(tx, "webhook.deliver", { delivery_id: row.id, attempt: row.attempt_count + 1 })
      );
      await waitUntil(async () => {
        const now = await world.db.selectFrom("webhook_deliveries").select(["status", "attempt_count"])
          .where("id", "=", row.id).executeTakeFirstOrThrow();
        return now.status === "failed" && now.attempt_count === row.attempt_count + 1;
      }, "the old job's attempt to be recorded");
      assert.equal(receiver.on("/mixed").length, before + 1);
    });
  } finally {
    await worker?.stop();
    await receiver.close();
    await world.close();
  }
});
