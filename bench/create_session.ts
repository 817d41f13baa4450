/**
 * The create-session benchmark: `POST /api/v1/sessions` on the real API, in its own process,
 * against a bare Hono handler doing one INSERT of a row as wide into the same Postgres, measured
 * alternately in one run so machine drift hits both sides.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../core/db/database.ts";
import type { Benchmark, BenchResult, BenchSettings } from "./benchmark.ts";
import { runLoad } from "./load.ts";
import { type BenchStack, withBenchStack } from "./stack.ts";
import type { ServerProcess } from "./server_process.ts";
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
import { randomString } from "../core/ids.ts";

export const TARGET_RATIO = 0.4;
export const TARGET_P99_MS = 50;

const NAME = "create-session";

/** A realistic create-session body: unique external_ref, 2 metadata keys, country, name and birth date. */
export function sessionBody(i: number): string {
  return JSON.stringify({
    external_ref: `bench-${i}-${randomString(6)}`,
    country: "GB",
    metadata: { customer_id: `cus_${randomString(12)}`, plan: "premium" },
    fields: { first_name: "Ada", last_name: "Lovelace", date_of_birth: "1985-12-10" },
  });
}

/**
 * The baseline's table: same column types and defaults as sessions, and a primary key; no
 * secondary indexes: the baseline is the cost of one plain INSERT, and the product's own indexes
 * are part of its cost.
 */
export async function createBaselineTable(db: Kysely<Database>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS bench_baseline (LIKE sessions INCLUDING DEFAULTS, PRIMARY KEY (id))`.execute(db);
}

/**
 * The two sides of a create-session measurement: the baseline server's bare INSERT and the API's
 * `POST /api/v1/sessions` with `apiKey`, each loaded by the settings' clients with its own CPU counted.
 */
export function createSessionSides(
  stack: BenchStack,
  settings: BenchSettings,
  servers: { baseline: ServerProcess; api: ServerProcess; apiKey: string },
  labels = { baseline: "baseline", api: "api" },
): { baseline: Side; api: Side } {
  const json = { "Content-Type": "application/json" };
  const load = (url: string, headers: Record<string, string>, server: ServerProcess) => () =>
    runLoad({
      url,
      headers,
      body: sessionBody,
      expectStatus: 201,
      concurrency: settings.concurrency,
      warmupMs: settings.warmupSeconds * 1000,
      durationMs: settings.seconds * 1000,
      cpuCounters: stack.cpuCounters(server),
    });
  const { baseline, api, apiKey } = servers;
  return {
    baseline: { label: labels.baseline, rounds: [], measure: load(`${baseline.url}/sessions`, json, baseline) },
    api: {
      label: labels.api,
      rounds: [],
      measure: load(`${api.url}/api/v1/sessions`, { ...json, "X-API-Key": apiKey }, api),
    },
  };
}

function run(settings: BenchSettings): Promise<BenchResult> {
  return withBenchStack({ bench: NAME, setup: createBaselineTable }, async (stack) => {
    console.error(`${NAME}: starting servers`);
    const [baselineServer, apiServer] = await Promise.all([
      stack.startServer("baseline", new URL("./servers/baseline_server.ts", import.meta.url)),
      stack.startServer("api", new URL("./servers/api_server.ts", import.meta.url)),
    ]);
    const { baseline, api } = createSessionSides(stack, settings, {
      baseline: baselineServer,
      api: apiServer,
      apiKey: stack.apiKey,
    });
    console.error(
      `${NAME}: ${settings.rounds} rounds each of ${settings.warmupSeconds} s warm-up + ` +
        `${settings.seconds} s measured at ${settings.concurrency} clients`,
    );
    await measureAlternately(NAME, settings.rounds, [[baseline, "req"], [api, "req"]]);
    const profileLines = await stack.profileSummary(apiServer);

    const b = summarise(baseline);
    const a = summarise(api);
    const ratio = a.rps / b.rps;
    const ratioPass = ratio >= TARGET_RATIO;
    const p99Pass = a.p99Ms < TARGET_P99_MS;
    const lines = [
      `${NAME} — ${settings.concurrency} clients, median of ${settings.rounds} × ${settings.seconds} s per side`,
      statsHeader("req"),
      statsRow("baseline (1 INSERT)", b),
      statsRow("api create-session", a),
      `  ratio api/baseline   ${ratio.toFixed(3)}   target ≥ ${TARGET_RATIO}   ${verdict(ratioPass)}`,
      `  api p99              ${a.p99Ms.toFixed(2)} ms   target < ${TARGET_P99_MS} ms   ${verdict(p99Pass)}`,
      cpuHeader("request"),
      cpuRow("baseline", b),
      cpuRow("api", a),
      machineNote("req"),
      ...profileLines,
    ];
    const record = {
      bench: NAME,
      concurrency: settings.concurrency,
      seconds: settings.seconds,
      rounds: settings.rounds,
      baseline_rps: round2(b.rps),
      baseline_p50_ms: round2(b.p50Ms),
      baseline_p99_ms: round2(b.p99Ms),
      api_rps: round2(a.rps),
      api_p50_ms: round2(a.p50Ms),
      api_p99_ms: round2(a.p99Ms),
      ratio: Math.round(ratio * 1000) / 1000,
      target_ratio: TARGET_RATIO,
      target_p99_ms: TARGET_P99_MS,
      pass: ratioPass && p99Pass,
      baseline_cpu_ms_per_request: cpuRecord(b),
      api_cpu_ms_per_request: cpuRecord(a),
      baseline_rounds: baseline.rounds.map(roundRecord),
      api_rounds: api.rounds.map(roundRecord),
    };
    return { name: NAME, lines, record, pass: ratioPass && p99Pass };
  });
}

export const createSessionBench: Benchmark = { name: NAME, run };
