/**
 * The metrics listener, scraped over HTTP as Prometheus does, after real API traffic and real
 * worker jobs (a live session decided by the engines, its webhooks delivered): every metric family
 * with its labels, HTTP routes labelled by pattern only (no capture token or id in any label), the
 * installation gauges matching the database; and the request id followed from the request into
 * the worker's log lines for the jobs it enqueued (session.process, and a webhook retry's delivery).
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createApp } from "../../api/app.ts";
import { KeyRing } from "../../core/crypto/key_ring.ts";
import { encryptedColumns } from "../../core/crypto/rotation.ts";
import { createLogger } from "../../core/logger.ts";
import { type Observability, startObservability } from "../../core/observability/ops_server.ts";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { createTestWorld, waitFor } from "../helpers/test_app.ts";
import { appendAuditEvent } from "../../core/audit/log.ts";
import { sealAuditLog } from "../../core/audit/seal.ts";
import { call, createSession } from "../helpers/sessions.ts";
import { tokenOf } from "../helpers/capture.ts";
import { awaitDecision, captureLiveSession, documentsOf, licenceHolder } from "../helpers/live_sessions.ts";
import { createEndpoint, WebhookReceiver } from "../helpers/webhook_receiver.ts";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format's sample lines (comments skipped). */
function parseSamples(text: string): Sample[] {
  return text.split("\n").filter((line) => line && !line.startsWith("#")).map((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = value.replace(/\\(.)/g, "$1");
    }
    return { name: match[1], labels, value: Number(match[3]) };
  });
}

async function listen(deps: Parameters<typeof startObservability>[0], worker?: WorkerHandle) {
  const listening = Promise.withResolvers<number>();
  const ops = startObservability(deps, {
    port: 0,
    hostname: "127.0.0.1",
    workerBoss: worker?.boss,
    cacheMs: 0,
    onListen: listening.resolve,
  });
  return { ops, url: `http://127.0.0.1:${await listening.promise}` };
}

async function scrape(url: string): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: parseSamples(text) };
}

function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

function one(samples: Sample[], name: string, labels: Record<string, string>): number {
  const found = find(samples, name, labels);
  assert.equal(found.length, 1, `${name}${JSON.stringify(labels)}: ${JSON.stringify(found)}`);
  return found[0].value;
}

const random32 = () => crypto.getRandomValues(new Uint8Array(32));

Deno.test("metrics over HTTP after API traffic and worker jobs; the request id reaches the worker's log lines", async (t) => {
  const encryption = { id: "k1", key: random32() };
  const world = await createTestWorld({
    keys: { encryptionKeys: [encryption], indexKey: random32(), signingKeys: [{ id: "s1", key: random32() }] },
  });
  const lines: Record<string, unknown>[] = [];
  world.deps.log = createLogger("debug", (line) => lines.push(JSON.parse(line)));
  const receiver = WebhookReceiver.start();
  let worker: WorkerHandle | null = null;
  const listeners: Observability[] = [];
  try {
    worker = await startWorker(world.deps, world.databaseUrl);
    const { ops, url } = await listen(world.deps, worker);
    listeners.push(ops);
    world.app = createApp({ ...world.deps, observability: ops });

    // Live endpoints must be https: the webhooks go to a sandbox endpoint, from a sandbox session.
    const endpoint = await createEndpoint(world, world.org.sandbox_secret_key, { url: receiver.url("/hook") });
    receiver.route("/hook", [endpoint.secret]);
    const sessionId = await captureLiveSession(world, await documentsOf(licenceHolder(), "drivers_license"));
    const decided = await awaitDecision(world, sessionId);
    // A sandbox session (its session.created goes to the endpoint) whose capture page is opened:
    // its token must show up in no label.
    const token = tokenOf(await createSession(world, world.org.sandbox_secret_key));
    assert.equal((await world.request("GET", `/verify/${token}`)).status, 200);
    const delivery = await waitFor("a delivered webhook", async () => {
      const row = await world.db.selectFrom("webhook_deliveries").select(["id", "status"])
        .where("endpoint_id", "=", endpoint.id).where("status", "=", "succeeded").executeTakeFirst();
      return row ?? undefined;
    });
    // Unmatched paths, one shaped like a capture token, and a method no route takes.
    await world.request("GET", `/verify/${token}/no-such-step`);
    await world.request("GET", "/no/such/page/ses_0123456789abcdef");
    await world.request("PROPFIND", "/api/v1/sessions");

    await t.step("HTTP requests are counted by method, route pattern and status, with latency histograms", async () => {
      const { text, samples } = await scrape(url);
      assert.ok(
        one(samples, "verifa_http_requests_total", {
          method: "POST",
          route: "/verify/:token/complete",
          status: "200",
        }) >=
          1,
      );
      assert.equal(
        one(samples, "verifa_http_requests_total", { method: "POST", route: "/api/v1/sessions", status: "201" }),
        2,
      );
      assert.equal(
        one(samples, "verifa_http_requests_total", { method: "GET", route: "/verify/:token", status: "200" }),
        1,
      );
      assert.ok(
        one(samples, "verifa_http_request_duration_seconds_count", {
          method: "POST",
          route: "/verify/:token/complete",
          status: "200",
        }) >= 1,
      );
      assert.ok(
        find(samples, "verifa_http_request_duration_seconds_bucket", { route: "/verify/:token/complete", le: "+Inf" })
          .length === 1,
      );
      assert.ok(find(samples, "verifa_http_requests_total", { method: "OTHER" }).length >= 1);
      // Every route label is a pattern the app registered, never a raw path.
      const patterns = new Set(world.app.routes.map((r) => r.path));
      for (const s of find(samples, "verifa_http_requests_total")) {
        assert.ok(patterns.has(s.labels.route), `route label ${s.labels.route} is not a registered pattern`);
      }
      for (const secret of [token, sessionId, "ses_0123456789abcdef", endpoint.id, delivery.id]) {
        assert.ok(!text.includes(secret), `${secret} appears in the metrics`);
      }
      // The process's own metrics come along.
      assert.equal(find(samples, "verifa_process_resident_memory_bytes").length, 1);
    });

    await t.step("queues, checks, decisions and webhooks are read from the database", async () => {
      const { samples } = await scrape(url);
      for (const queue of ["session.process", "webhook.deliver"]) {
        for (const state of ["queued", "deferred", "active"]) {
          assert.equal(find(samples, "verifa_queue_jobs", { queue, state }).length, 1, `${queue} ${state}`);
        }
        assert.equal(find(samples, "verifa_queue_oldest_job_age_seconds", { queue }).length, 1);
      }
      const attempts = await world.db.selectFrom("check_attempts").select(["policy", "status"])
        .select(sql<number>`count(*)::int`.as("n")).where("session_id", "=", sessionId)
        .groupBy(["policy", "status"]).execute();
      assert.ok(attempts.length > 0, "the engine recorded check attempts");
      for (const a of attempts) {
        assert.equal(one(samples, "verifa_check_attempts_recent", { check: a.policy, status: a.status }), a.n);
        const p95 = one(samples, "verifa_check_duration_recent_seconds", {
          check: a.policy,
          status: a.status,
          quantile: "0.95",
        });
        assert.ok(p95 >= 0);
      }
      assert.equal(find(samples, "verifa_check_attempts_recent").length, attempts.length);
      const run = await world.db.selectFrom("workflow_runs").select(["final_status", "status"])
        .where("session_id", "=", sessionId).where("status", "in", ["completed", "failed"]).executeTakeFirstOrThrow();
      assert.equal(
        one(samples, "verifa_decisions_recent", { outcome: run.final_status ?? run.status }),
        1,
        decided.status,
      );
      assert.equal(find(samples, "verifa_decision_duration_recent_seconds", { quantile: "0.5" }).length, 1);
      assert.ok(one(samples, "verifa_webhook_attempts_recent", { outcome: "succeeded" }) >= 1);
      assert.equal(one(samples, "verifa_webhook_attempts_recent", { outcome: "no_response" }), 0);
      assert.equal(one(samples, "verifa_webhook_deliveries", { status: "failed" }), 0);
      assert.equal(one(samples, "verifa_webhook_endpoints", { state: "enabled" }), 1);
      assert.equal(one(samples, "verifa_webhook_endpoints", { state: "disabled" }), 0);
      assert.ok(one(samples, "verifa_worker_heartbeat_age_seconds", {}) < 15);
    });

    await t.step("retention backlog, values under old keys and watchlist age", async () => {
      let { samples } = await scrape(url);
      for (const state of ["awaiting_sweep", "held", "auto_redact_off"]) {
        assert.equal(one(samples, "verifa_retention_due_sessions", { state }), 0);
      }
      const columns = await encryptedColumns(world.db);
      for (const { table, column } of columns) {
        assert.equal(one(samples, "verifa_encryption_stale_values", { column: `${table}.${column}` }), 0);
      }
      assert.equal(find(samples, "verifa_watchlist_age_seconds").length, 0);

      // The decided session is past a one-day window; a watchlist was imported two days ago.
      await sql`UPDATE organizations SET settings = settings || '{"data_retention_days": 1, "auto_redact_on_retention_expiry": true}'::jsonb
        WHERE id = ${world.org.org_id}`.execute(world.db);
      await sql`UPDATE sessions SET completed_at = now() - interval '2 days' WHERE id = ${sessionId}`.execute(world.db);
      await world.db.insertInto("watchlist_imports").values({
        id: "wli_metrics0001",
        source: "ofac_sdn",
        file_sha256: "0".repeat(64),
        aliases_file_sha256: null,
        list_version: null,
        entry_count: 0,
        name_count: 0,
        imported_by: "metrics test",
        imported_at: new Date(Date.now() - 2 * 86_400_000),
      }).execute();
      ({ samples } = await scrape(url));
      assert.equal(one(samples, "verifa_retention_due_sessions", { state: "awaiting_sweep" }), 1);
      const age = one(samples, "verifa_watchlist_age_seconds", { source: "ofac_sdn" });
      assert.ok(age >= 2 * 86_400 && age < 2 * 86_400 + 120, String(age));

      // With a new first key, every stored value is under an old one until rotate-keys runs.
      const rotated = await listen({
        ...world.deps,
        keyRing: new KeyRing([{ id: "k2", key: random32() }, encryption]),
      });
      listeners.push(rotated.ops);
      ({ samples } = await scrape(rotated.url));
      let total = 0;
      for (const { table, column } of columns) {
        const { rows: [{ n }] } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}
          WHERE ${sql.ref(column)} IS NOT NULL`.execute(world.db);
        assert.equal(one(samples, "verifa_encryption_stale_values", { column: `${table}.${column}` }), n, column);
        total += n;
      }
      assert.ok(total > 0);
    });

    await t.step("the audit log's unsealed backlog and its age", async () => {
      await sealAuditLog(world.db);
      let { samples } = await scrape(url);
      assert.equal(one(samples, "verifa_audit_unsealed_rows", {}), 0);
      assert.equal(one(samples, "verifa_audit_unsealed_oldest_age_seconds", {}), 0);
      // A row appended two minutes ago and left unsealed: what a stopped sealer looks like.
      await appendAuditEvent(world.db, {
        orgId: world.org.org_id,
        environment: "sandbox",
        actor: { type: "system", id: "metrics-test" },
        action: "test.unsealed",
        targetType: null,
        targetId: null,
        details: {},
      }, new Date(Date.now() - 120_000));
      ({ samples } = await scrape(url));
      assert.equal(one(samples, "verifa_audit_unsealed_rows", {}), 1);
      const age = one(samples, "verifa_audit_unsealed_oldest_age_seconds", {});
      assert.ok(age >= 120 && age < 180, String(age));
    });

    await t.step(
      "the request id follows the request into the worker's log lines for the jobs it enqueued",
      async () => {
        const complete = lines.find((l) => l.msg === "request" && l.path === "/verify/:token/complete");
        assert.ok(complete, "the complete request was logged");
        const requestId = complete.request_id as string;
        assert.match(requestId, /^req_/);
        const { rows: [job] } = await sql<{ data: Record<string, unknown> }>`
        SELECT data FROM pgboss.job WHERE name = 'session.process' AND data->>'session_id' = ${sessionId}`
          .execute(world.db);
        assert.deepEqual(job.data, { session_id: sessionId, request_id: requestId });
        const processed = lines.find((l) => l.msg === "session processed" && l.session_id === sessionId);
        assert.equal(processed?.request_id, requestId, JSON.stringify(processed));

        // A manual retry: the request enqueues the delivery attempt, whose job line names it.
        // Only a delivery that gave up can be retried: this one is made to have.
        await sql`UPDATE webhook_deliveries SET status = 'failed', completed_at = now() WHERE id = ${delivery.id}`
          .execute(world.db);
        const retry = await call(world, "POST", `/api/v1/webhooks/deliveries/${delivery.id}/retry`, {
          key: world.org.sandbox_secret_key,
        });
        assert.equal(retry.status, 202, JSON.stringify(retry.body));
        const retryId = retry.headers.get("x-request-id")!;
        const done = await waitFor(
          "the retried delivery's job",
          () =>
            Promise.resolve(
              lines.find((l) => l.msg === "job done" && l.job === "webhook.deliver" && l.request_id === retryId),
            ),
        );
        assert.equal(typeof done.job_id, "string");
        // Jobs no request enqueued (the relay's first attempts) carry none.
        assert.ok(lines.some((l) => l.msg === "job done" && l.job === "webhook.deliver" && l.request_id === undefined));
      },
    );
  } finally {
    for (const ops of listeners) await ops.stop();
    await worker?.stop();
    await receiver.close();
    await world.close();
  }
});
