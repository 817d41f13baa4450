/**
 * The webhooks benchmark: signed deliveries per second from the real worker process (outbox relay,
 * pg-boss `webhook.deliver` jobs, signing, SSRF-pinned HTTP) to a loopback receiver in this
 * process, and the latency from the state change (the event row's created_at) to the receiver's
 * first arrival of each event, for a burst of events written straight into the outbox. Baseline,
 * measured alternately in the same run: a bare loop of `fetch` POSTs of a delivery's body and
 * headers to the same receiver, with as many in flight as the worker sends to one endpoint.
 */
import { createDb, type Db } from "../core/db/create_db.ts";
import { eventRow } from "../core/events/outbox.ts";
import { signatureHeaders, verifaSignature } from "../core/webhooks/signing.ts";
import { ALL_SCOPES } from "../core/orgs/scopes.ts";
import { ENDPOINT_CONNECTIONS } from "../core/webhooks/http_sender.ts";
import type { Benchmark, BenchResult, BenchSettings } from "./benchmark.ts";
import { type LoadStats, percentile, runLoad } from "./load.ts";
import { type CpuCounter, sample, used } from "./proc_cpu.ts";
import { withBenchStack } from "./stack.ts";
import { sessionBody } from "./create_session.ts";
import {
  cpuHeader,
  cpuRecord,
  cpuRow,
  machineNote,
  measureAlternately,
  round2,
  roundRecord,
  type Side,
  statsHeader,
  statsRow,
  summarise,
  verdict,
} from "./report.ts";

const NAME = "webhooks";
/** Events per burst (one burst per round). */
const BURST_EVENTS = 2_000;
/** Events per INSERT: each statement is one commit and one NOTIFY, as a busy API's commits would be. */
const EVENTS_PER_INSERT = 100;
/** A burst whose deliveries have not all arrived by then fails the run rather than hang it. */
const BURST_TIMEOUT_MS = 45_000;
/** Issue #17's targets: deliveries/s against the same run's fetch loop, and first-arrival p99 of a burst. */
export const TARGET_RATIO = 0.1;
export const TARGET_P99_MS = 1_500;
/** As many requests in flight as the worker sends to one endpoint at once. */
const CONCURRENCY = ENDPOINT_CONNECTIONS;
const BASELINE_SECONDS_MAX = 5;
/** Events written one at a time, each awaited, for the latency of a single event on an idle worker. */
const TRICKLE_EVENTS = 20;

const now = () => performance.timeOrigin + performance.now();

interface Arrival {
  /** Wall-clock ms (same clock as the event's created_at) of the first arrival. */
  firstAt: number;
  count: number;
}

/**
 * The loopback receiver: `/hook` records each delivery's first arrival by idempotency_key, and
 * `/baseline` does the same parse and answers the same way without recording.
 */
function startReceiver() {
  const arrivals = new Map<string, Arrival>();
  let waiter: { count: number; resolve: () => void } | null = null;
  let lastBody = "";
  let lastHeaders = new Headers();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const at = now();
    const body = await req.text();
    const { idempotency_key: key } = JSON.parse(body) as { idempotency_key: string };
    if (new URL(req.url).pathname === "/hook") {
      const seen = arrivals.get(key);
      if (seen) seen.count++;
      else arrivals.set(key, { firstAt: at, count: 1 });
      lastBody = body;
      lastHeaders = req.headers;
      if (waiter && arrivals.size >= waiter.count) waiter.resolve();
    }
    return new Response("ok");
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    hookUrl: `${origin}/hook`,
    baselineUrl: `${origin}/baseline`,
    arrivals,
    last: () => ({ body: lastBody, headers: lastHeaders }),
    /** Resolves once `count` distinct events have arrived; false if `timeoutMs` passes first. */
    waitFor(count: number, timeoutMs: number): Promise<boolean> {
      if (arrivals.size >= count) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiter = null;
          resolve(false);
        }, timeoutMs);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiter = null;
            resolve(true);
          },
        };
      });
    },
    shutdown: () => server.shutdown(),
  };
}

type Receiver = ReturnType<typeof startReceiver>;

interface Breakdown {
  /** ms from the event's created_at to the relay writing its delivery and job (events.relayed_at). */
  relay: number[];
  /**
   * ms from the relay to the attempt's request starting: pg-boss pickup of its batch, the batch's
   * reads and decryption, and the wait for one of the endpoint's connections.
   */
  pickup: number[];
  /** ms the attempt's HTTP exchange took (webhook_attempts.duration_ms). */
  http: number[];
  duplicates: number;
}

function quantiles(values: number[]): { p50: number; p99: number; all: number[] } {
  const sorted = Float64Array.from(values).sort();
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), all: values };
}

/**
 * One burst: writes BURST_EVENTS session.created events for existing sessions, waits for every
 * one to reach the receiver, and reports deliveries/s (first arrivals over the span from the first
 * event's commit to the last first arrival) and event → first-arrival latency percentiles.
 */
async function burst(
  db: Db,
  scope: { orgId: string; environment: "sandbox" },
  sessionIds: string[],
  receiver: Receiver,
  counters: CpuCounter[],
  breakdowns: Breakdown[],
): Promise<LoadStats> {
  const before = receiver.arrivals.size;
  const createdAt = new Map<string, number>();
  const cpuStart = sample(counters);
  const start = now();
  for (let offset = 0; offset < BURST_EVENTS; offset += EVENTS_PER_INSERT) {
    const at = new Date(now());
    const rows = Array.from(
      { length: Math.min(EVENTS_PER_INSERT, BURST_EVENTS - offset) },
      (_, i) =>
        eventRow(scope, { type: "session.created", sessionId: sessionIds[(offset + i) % sessionIds.length] }, at),
    );
    await db.insertInto("events").values(rows).execute();
    for (const row of rows) createdAt.set(row.idempotency_key, at.getTime());
  }
  const inserted = now();
  const complete = await receiver.waitFor(before + BURST_EVENTS, BURST_TIMEOUT_MS);
  const cpuEnd = sample(counters);
  const latencies: number[] = [];
  let last = start;
  for (const [key, created] of createdAt) {
    const arrival = receiver.arrivals.get(key);
    if (!arrival) continue;
    latencies.push(arrival.firstAt - created);
    last = Math.max(last, arrival.firstAt);
  }
  if (!complete) {
    const rate = latencies.length / ((now() - start) / 1000);
    throw new Error(
      `only ${latencies.length} of ${BURST_EVENTS} events reached the receiver within ${BURST_TIMEOUT_MS / 1000} s ` +
        `(${rate.toFixed(1)} deliveries/s)`,
    );
  }
  breakdowns.push(await breakdown(db, [...createdAt.keys()], createdAt, receiver));
  const seconds = (last - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  console.error(
    `  ${NAME}: burst written in ${(inserted - start).toFixed(0)} ms, delivered in ${seconds.toFixed(2)} s`,
  );
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1],
    cpuMs: used(cpuStart, cpuEnd),
  };
}

/** Event → first-arrival latency of single events on an idle worker: NOTIFY wake-ups, no queueing. */
async function trickle(
  db: Db,
  scope: { orgId: string; environment: "sandbox" },
  sessionIds: string[],
  receiver: Receiver,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < TRICKLE_EVENTS; i++) {
    const at = new Date(now());
    const row = eventRow(scope, { type: "session.created", sessionId: sessionIds[i % sessionIds.length] }, at);
    await db.insertInto("events").values(row).execute();
    if (!await receiver.waitFor(receiver.arrivals.size + 1, BURST_TIMEOUT_MS)) {
      throw new Error(`a single event did not reach the receiver within ${BURST_TIMEOUT_MS / 1000} s`);
    }
    latencies.push(receiver.arrivals.get(row.idempotency_key)!.firstAt - at.getTime());
  }
  return latencies;
}

/** Where each event's latency went, from the rows the relay and the deliver job wrote. */
async function breakdown(db: Db, keys: string[], createdAt: Map<string, number>, receiver: Receiver) {
  const rows = await db.selectFrom("events")
    .innerJoin("webhook_deliveries", "webhook_deliveries.event_id", "events.id")
    .innerJoin("webhook_attempts", "webhook_attempts.delivery_id", "webhook_deliveries.id")
    .select([
      "events.idempotency_key",
      "events.relayed_at",
      "webhook_attempts.started_at",
      "webhook_attempts.duration_ms",
    ])
    .where("events.idempotency_key", "in", keys).where("webhook_attempts.attempt_number", "=", 1).execute();
  const result: Breakdown = { relay: [], pickup: [], http: [], duplicates: 0 };
  for (const row of rows) {
    if (!row.relayed_at) continue;
    result.relay.push(row.relayed_at.getTime() - createdAt.get(row.idempotency_key)!);
    result.pickup.push(row.started_at.getTime() - row.relayed_at.getTime());
    result.http.push(row.duration_ms);
  }
  for (const key of keys) result.duplicates += (receiver.arrivals.get(key)?.count ?? 1) - 1;
  return result;
}

function run(settings: BenchSettings): Promise<BenchResult> {
  return withBenchStack({ bench: NAME, scopes: ALL_SCOPES }, async (stack) => {
    const receiver = startReceiver();
    const db = createDb(stack.databaseUrl, 4);
    try {
      console.error(`${NAME}: starting the API and worker processes`);
      // The receiver is on loopback: both processes run with the development flag that allows it.
      const env = { VERIFA_WEBHOOK_ALLOW_PRIVATE: "true" };
      const [apiServer, worker] = await Promise.all([
        stack.startServer("api", new URL("./servers/api_server.ts", import.meta.url), env),
        stack.startServer("worker", new URL("./servers/worker_server.ts", import.meta.url), env),
      ]);
      const created = await fetch(`${apiServer.url}/api/v1/webhooks/endpoints`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-API-Key": stack.apiKey },
        body: JSON.stringify({ url: receiver.hookUrl, enabled_events: ["session.created"] }),
      });
      const endpointText = await created.text();
      if (created.status !== 201) throw new Error(`creating the endpoint: HTTP ${created.status}: ${endpointText}`);
      const { secret } = JSON.parse(endpointText) as { secret: string };

      // Warm-up, and proof the path works: a second of real create-session traffic, every one of
      // its events delivered and the last one's signature checked.
      await runLoad({
        url: `${apiServer.url}/api/v1/sessions`,
        headers: { "Content-Type": "application/json", "X-API-Key": stack.apiKey },
        body: sessionBody,
        expectStatus: 201,
        concurrency: 4,
        warmupMs: 0,
        durationMs: 1_000,
      });
      const sessions = await db.selectFrom("sessions").select(["id", "org_id"]).execute();
      console.error(`${NAME}: warm-up: waiting for the ${sessions.length} session.created deliveries`);
      if (!await receiver.waitFor(sessions.length, BURST_TIMEOUT_MS)) {
        throw new Error(`warm-up: ${receiver.arrivals.size} of ${sessions.length} deliveries arrived`);
      }
      const sampleDelivery = receiver.last();
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sampleDelivery.headers.get("x-verifa-signature") ?? "") ??
        [];
      if (v1 !== verifaSignature(secret, Number(t), sampleDelivery.body)) {
        throw new Error("warm-up: a delivery's X-Verifa-Signature does not verify with the endpoint secret");
      }
      const scope = { orgId: sessions[0].org_id, environment: "sandbox" as const };
      const sessionIds = sessions.map((s) => s.id);
      const idle = quantiles(await trickle(db, scope, sessionIds, receiver));
      const idleMax = Math.max(...idle.all);

      // The baseline sends what a delivery sends: the same body size and the same signed headers.
      const body = sampleDelivery.body;
      const baselineHeaders = {
        "Content-Type": "application/json",
        "User-Agent": "Verifa-Webhooks/1.0",
        "X-Verifa-Event": "session.created",
        "X-Verifa-Delivery-Id": "whd_baseline",
        ...signatureHeaders([secret], "idk_baseline", Number(t), body),
      };
      const baselineSeconds = Math.min(settings.seconds, BASELINE_SECONDS_MAX);
      const baseline: Side = {
        label: "baseline",
        rounds: [],
        measure: () =>
          runLoad({
            url: receiver.baselineUrl,
            headers: baselineHeaders,
            body: () => body,
            expectStatus: 200,
            concurrency: CONCURRENCY,
            warmupMs: Math.min(settings.warmupSeconds, 1) * 1000,
            durationMs: baselineSeconds * 1000,
            cpuCounters: stack.cpuCounters(null),
          }),
      };
      const breakdowns: Breakdown[] = [];
      const webhooks: Side = {
        label: "worker",
        rounds: [],
        measure: () => burst(db, scope, sessionIds, receiver, stack.cpuCounters(worker), breakdowns),
      };
      console.error(
        `${NAME}: ${settings.rounds} rounds each of a ${baselineSeconds} s fetch loop and a burst of ` +
          `${BURST_EVENTS} events, ${CONCURRENCY} in flight`,
      );
      await measureAlternately(NAME, settings.rounds, [[baseline, "req"], [webhooks, "delivery"]]);
      const profileLines = await stack.profileSummary(worker);

      const b = summarise(baseline);
      const w = summarise(webhooks);
      const ratio = w.rps / b.rps;
      const ratioPass = ratio >= TARGET_RATIO;
      const p99Pass = w.p99Ms < TARGET_P99_MS;
      const all = (pick: (d: Breakdown) => number[]) => quantiles(breakdowns.flatMap(pick));
      const relay = all((d) => d.relay);
      const pickup = all((d) => d.pickup);
      const http = all((d) => d.http);
      const duplicates = breakdowns.reduce((n, d) => n + d.duplicates, 0);
      const ms = (q: { p50: number; p99: number }) => `p50 ${q.p50.toFixed(1)} ms, p99 ${q.p99.toFixed(1)} ms`;
      const lines = [
        `${NAME} — bursts of ${BURST_EVENTS} events (${EVENTS_PER_INSERT} per commit), ${CONCURRENCY} requests ` +
        `in flight; median of ${settings.rounds} rounds per side`,
        `  worker latency: event created_at → first arrival; baseline latency: one fetch round trip`,
        statsHeader("req"),
        statsRow(`baseline (bare fetch)`, b),
        statsRow(`worker deliveries`, w),
        `  ratio worker/baseline ${ratio.toFixed(3)}   target ≥ ${TARGET_RATIO}   ${verdict(ratioPass)}`,
        `  first-arrival p99     ${w.p99Ms.toFixed(0)} ms   target < ${TARGET_P99_MS} ms   ${verdict(p99Pass)}`,
        `  single events on an idle worker (${TRICKLE_EVENTS}, one at a time): event → arrival p50 ` +
        `${idle.p50.toFixed(1)} ms, max ${idleMax.toFixed(1)} ms`,
        `  burst latency parts (all rounds): relay ${ms(relay)}; job pickup ${ms(pickup)}; HTTP ${ms(http)}`,
        `  duplicates received: ${duplicates}`,
        cpuHeader("delivery"),
        cpuRow("baseline", b),
        cpuRow("worker", w),
        machineNote("req"),
        ...profileLines,
      ];
      const record = {
        bench: NAME,
        events_per_burst: BURST_EVENTS,
        events_per_commit: EVENTS_PER_INSERT,
        concurrency: CONCURRENCY,
        rounds: settings.rounds,
        baseline_seconds: baselineSeconds,
        baseline_rps: round2(b.rps),
        baseline_p50_ms: round2(b.p50Ms),
        baseline_p99_ms: round2(b.p99Ms),
        deliveries_per_s: round2(w.rps),
        delivery_p50_ms: round2(w.p50Ms),
        delivery_p99_ms: round2(w.p99Ms),
        ratio: Math.round(ratio * 1000) / 1000,
        idle_latency_p50_ms: round2(idle.p50),
        idle_latency_max_ms: round2(idleMax),
        relay_p50_ms: round2(relay.p50),
        relay_p99_ms: round2(relay.p99),
        pickup_p50_ms: round2(pickup.p50),
        pickup_p99_ms: round2(pickup.p99),
        http_p50_ms: round2(http.p50),
        http_p99_ms: round2(http.p99),
        duplicates,
        target_ratio: TARGET_RATIO,
        target_p99_ms: TARGET_P99_MS,
        pass: ratioPass && p99Pass,
        baseline_cpu_ms_per_request: cpuRecord(b),
        worker_cpu_ms_per_delivery: cpuRecord(w),
        baseline_rounds: baseline.rounds.map(roundRecord),
        worker_rounds: webhooks.rounds.map(roundRecord),
      };
      return { name: NAME, lines, record, pass: ratioPass && p99Pass };
    } finally {
      await db.destroy();
      await receiver.shutdown();
    }
  });
}

export const webhooksBench: Benchmark = { name: NAME, run };
