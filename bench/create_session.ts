/**
 * The create-session benchmark: `POST /api/v1/sessions` on the real API, in its own process,
 * against a bare Hono handler doing one INSERT of a row as wide into the same Postgres, measured
 * alternately in one run so machine drift hits both sides. Owns the run's embedded Postgres,
 * bench database, organisation and key, and tears all of it down even when the run fails.
 */
import { sql } from "kysely";
import type { Benchmark, BenchResult, BenchSettings } from "./benchmark.ts";
import { type LoadStats, median, runLoad } from "./load.ts";
import { type ServerProcess, startServerProcess } from "./server_process.ts";
import { type CpuCounter, machineBusyMs, processCpuMs, processTreeCpuMs } from "./proc_cpu.ts";
import { ensureDatabase, startEmbeddedPostgres, takeOverShutdownSignals } from "../core/embedded/embedded_postgres.ts";
import { createDb } from "../core/db/create_db.ts";
import { migrateToLatest } from "../core/db/migrate.ts";
import { provisionOrganization } from "../core/orgs/provision.ts";
import { createApiKey } from "../core/orgs/api_keys.ts";
import { randomString } from "../core/ids.ts";
import { summariseProfile } from "./cpu_profile.ts";

export const TARGET_RATIO = 0.5;
export const TARGET_P99_MS = 50;

const REPO_ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const DATABASE = "verifa_bench";
const POOL_SIZE = 20;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function randomKey(bytes = 32): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
}

/** A realistic create-session body: unique external_ref, 2 metadata keys, country, name and birth date. */
export function sessionBody(i: number): string {
  return JSON.stringify({
    external_ref: `bench-${i}-${randomString(6)}`,
    country: "GB",
    metadata: { customer_id: `cus_${randomString(12)}`, plan: "premium" },
    fields: { first_name: "Ada", last_name: "Lovelace", date_of_birth: "1985-12-10" },
  });
}

/** Undo steps run last-in first-out; each runs even when an earlier one throws. */
class Cleanup {
  #steps: { label: string; run: () => Promise<unknown> }[] = [];
  #done: Promise<void> | null = null;

  push(label: string, run: () => Promise<unknown>): void {
    this.#steps.push({ label, run });
  }

  runAll(): Promise<void> {
    return this.#done ??= (async () => {
      for (const step of this.#steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          console.error(`bench cleanup: ${step.label} failed: ${error instanceof Error ? error.message : error}`);
        }
      }
    })();
  }
}

interface Side {
  label: string;
  server: ServerProcess;
  cpuCounters: CpuCounter[];
  path: string;
  headers: Record<string, string>;
  rounds: LoadStats[];
}

async function measure(side: Side, settings: BenchSettings): Promise<LoadStats> {
  const stats = await runLoad({
    url: `${side.server.url}${side.path}`,
    headers: side.headers,
    body: sessionBody,
    expectStatus: 201,
    concurrency: settings.concurrency,
    warmupMs: settings.warmupSeconds * 1000,
    durationMs: settings.seconds * 1000,
    cpuCounters: side.cpuCounters,
  });
  side.rounds.push(stats);
  console.error(
    `  ${side.label.padEnd(8)} round ${side.rounds.length}: ${stats.rps.toFixed(0)} req/s, ` +
      `p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms`,
  );
  return stats;
}

const CPU_PARTIES = ["server", "postgres", "load"] as const;

/** CPU ms per request of each party, and the machine's busy share with what others used. */
function cpuPerRequest(stats: LoadStats) {
  const cores = navigator.hardwareConcurrency || 1;
  const windowMs = stats.seconds * 1000;
  const perRequest = (name: string) => {
    const ms = stats.cpuMs[name];
    return ms === null || ms === undefined || stats.requests === 0 ? null : ms / stats.requests;
  };
  const ours = CPU_PARTIES.reduce((sum, p) => sum + (stats.cpuMs[p] ?? 0), 0);
  const machine = stats.cpuMs.machine;
  return {
    server: perRequest("server"),
    postgres: perRequest("postgres"),
    load: perRequest("load"),
    machineBusyPct: machine === null || machine === undefined ? null : (100 * machine) / (windowMs * cores),
    othersPct: machine === null || machine === undefined
      ? null
      : (100 * Math.max(0, machine - ours)) / (windowMs * cores),
  };
}

function medianOrNull(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? median(known) : null;
}

function summarise(side: Side) {
  const cpu = side.rounds.map(cpuPerRequest);
  return {
    rps: median(side.rounds.map((r) => r.rps)),
    p50Ms: median(side.rounds.map((r) => r.p50Ms)),
    p99Ms: median(side.rounds.map((r) => r.p99Ms)),
    cpu: {
      server: medianOrNull(cpu.map((c) => c.server)),
      postgres: medianOrNull(cpu.map((c) => c.postgres)),
      load: medianOrNull(cpu.map((c) => c.load)),
      machineBusyPct: medianOrNull(cpu.map((c) => c.machineBusyPct)),
      othersPct: medianOrNull(cpu.map((c) => c.othersPct)),
    },
  };
}

async function run(settings: BenchSettings): Promise<BenchResult> {
  const cleanup = new Cleanup();
  // Ctrl-C mid-run must not leave Postgres, servers or the data dir behind: the package's own
  // signal hook would stop Postgres and exit before the servers stop and the data dir goes.
  takeOverShutdownSignals();
  const onSignal = () => cleanup.runAll().finally(() => Deno.exit(130));
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    // As in scripts/test.ts: as root, Postgres runs as `postgres` and must traverse this folder.
    const testData = `${REPO_ROOT}/.test-data`;
    await Deno.mkdir(testData, { recursive: true });
    await Deno.chmod(testData, 0o711);
    const dataDir = `${testData}/bench-${randomString(8)}`;
    cleanup.push("remove data dir", async () => {
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      await Deno.remove(`${dataDir}-blobs`, { recursive: true }).catch(() => {});
    });

    const pgLog: string[] = [];
    console.error("create-session: starting embedded Postgres");
    const postgres = await startEmbeddedPostgres({
      dataDir,
      port: freePort(),
      password: randomString(24),
      onLog: (line) => pgLog.push(line) > 200 && pgLog.shift(),
    }).catch((error) => {
      console.error(pgLog.join("\n"));
      throw error;
    });
    cleanup.push("stop Postgres", () => postgres.stop());
    await ensureDatabase(postgres.adminUrl, DATABASE);
    const databaseUrl = postgres.urlFor(DATABASE);

    const db = createDb(databaseUrl, 2);
    let dbOpen = true;
    const closeDb = async () => {
      if (dbOpen) await db.destroy();
      dbOpen = false;
    };
    cleanup.push("close setup pool", closeDb);
    await migrateToLatest(db);
    const org = await provisionOrganization(db, { name: "Bench", slug: "bench" });
    const { secret } = await createApiKey(db, org.org_id, {
      environment: "sandbox",
      kind: "secret",
      label: "bench",
      rateLimitPerMinute: 10_000_000,
    });
    // Same column types and defaults as sessions, and a primary key; no secondary indexes: the
    // baseline is the cost of one plain INSERT, and the product's own indexes are part of its cost.
    await sql`CREATE TABLE bench_baseline (LIKE sessions INCLUDING DEFAULTS, PRIMARY KEY (id))`.execute(db);
    await closeDb();

    const env = {
      DATABASE_URL: databaseUrl,
      VERIFA_DB_POOL_SIZE: String(POOL_SIZE),
      VERIFA_ENCRYPTION_KEYS: `bench:${randomKey()}`,
      VERIFA_INDEX_KEY: randomKey(),
      VERIFA_SIGNING_KEYS: `bench:${randomKey()}`,
      VERIFA_PUBLIC_URL: "http://localhost:8080",
      VERIFA_LOG_LEVEL: "error",
      VERIFA_RUN_WORKER: "false",
      VERIFA_BLOB_DIR: `${dataDir}-blobs`,
    };
    console.error("create-session: starting servers");
    const [baselineServer, apiServer] = await Promise.all([
      startServerProcess("baseline", new URL("./servers/baseline_server.ts", import.meta.url), env),
      startServerProcess("api", new URL("./servers/api_server.ts", import.meta.url), env),
    ]);
    cleanup.push("stop baseline server", () => baselineServer.stop());
    cleanup.push("stop api server", () => apiServer.stop());

    const postmasterPid = Number((await Deno.readTextFile(`${dataDir}/postmaster.pid`)).split("\n")[0]);
    const counters = (server: ServerProcess): CpuCounter[] => [
      { name: "server", read: () => processCpuMs(server.pid) },
      { name: "postgres", read: () => processTreeCpuMs(postmasterPid) },
      { name: "load", read: () => processCpuMs("self") },
      { name: "machine", read: machineBusyMs },
    ];
    const json = { "Content-Type": "application/json" };
    const baseline: Side = {
      label: "baseline",
      server: baselineServer,
      cpuCounters: counters(baselineServer),
      path: "/sessions",
      headers: json,
      rounds: [],
    };
    const api: Side = {
      label: "api",
      server: apiServer,
      cpuCounters: counters(apiServer),
      path: "/api/v1/sessions",
      headers: { ...json, "X-API-Key": secret },
      rounds: [],
    };
    console.error(
      `create-session: ${settings.rounds} rounds each of ${settings.warmupSeconds} s warm-up + ` +
        `${settings.seconds} s measured at ${settings.concurrency} clients`,
    );
    for (let round = 0; round < settings.rounds; round++) {
      await measure(baseline, settings);
      await measure(api, settings);
    }

    const profileDir = Deno.env.get("BENCH_CPU_PROFILE");
    const profileLines: string[] = [];
    if (profileDir) {
      await apiServer.stop(); // writes the profile
      const path = `${profileDir}/api.cpuprofile`;
      profileLines.push(`  api CPU profile: ${path}`, ...summariseProfile(JSON.parse(await Deno.readTextFile(path))));
    }

    const b = summarise(baseline);
    const a = summarise(api);
    const ratio = a.rps / b.rps;
    const ratioPass = ratio >= TARGET_RATIO;
    const p99Pass = a.p99Ms < TARGET_P99_MS;
    const verdict = (ok: boolean) => ok ? "PASS" : "FAIL";
    const row = (label: string, s: typeof a) =>
      `  ${label.padEnd(22)}${s.rps.toFixed(0).padStart(9)}${s.p50Ms.toFixed(2).padStart(10)}${
        s.p99Ms.toFixed(2).padStart(10)
      }`;
    const num = (v: number | null, digits = 3) => v === null ? "n/a" : v.toFixed(digits);
    const cpuRow = (label: string, c: typeof a.cpu) =>
      `  ${label.padEnd(22)}${num(c.server).padStart(9)}${num(c.postgres).padStart(10)}${num(c.load).padStart(10)}` +
      `   ${num(c.machineBusyPct, 0)}% (${num(c.othersPct, 0)}%)`;
    const lines = [
      `create-session — ${settings.concurrency} clients, median of ${settings.rounds} × ${settings.seconds} s per side`,
      `  ${"".padEnd(22)}${"req/s".padStart(9)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}`,
      row("baseline (1 INSERT)", b),
      row("api create-session", a),
      `  ratio api/baseline   ${ratio.toFixed(3)}   target ≥ ${TARGET_RATIO}   ${verdict(ratioPass)}`,
      `  api p99              ${a.p99Ms.toFixed(2)} ms   target < ${TARGET_P99_MS} ms   ${verdict(p99Pass)}`,
      `  CPU ms per request     ${"server".padStart(9)}${"postgres".padStart(10)}${"load gen".padStart(10)}` +
      `   machine busy (others)`,
      cpuRow("baseline", b.cpu),
      cpuRow("api", a.cpu),
      `  (machine busy: all ${navigator.hardwareConcurrency || 1} cores; others: processes outside this bench — ` +
      `when high, req/s above is depressed, CPU ms per request much less so)`,
      ...profileLines,
    ];
    const round2 = (n: number) => Math.round(n * 100) / 100;
    const round3 = (n: number | null) => n === null ? null : Math.round(n * 1000) / 1000;
    const cpuRecord = (c: typeof a.cpu) => ({
      server: round3(c.server),
      postgres: round3(c.postgres),
      load_generator: round3(c.load),
      machine_busy_pct: c.machineBusyPct === null ? null : Math.round(c.machineBusyPct),
      others_pct: c.othersPct === null ? null : Math.round(c.othersPct),
    });
    const roundRecord = (r: LoadStats) => ({
      rps: round2(r.rps),
      p50_ms: round2(r.p50Ms),
      p99_ms: round2(r.p99Ms),
      cpu_ms: Object.fromEntries(Object.entries(r.cpuMs).map(([k, v]) => [k, v === null ? null : Math.round(v)])),
    });
    const record = {
      bench: "create-session",
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
      baseline_cpu_ms_per_request: cpuRecord(b.cpu),
      api_cpu_ms_per_request: cpuRecord(a.cpu),
      baseline_rounds: baseline.rounds.map(roundRecord),
      api_rounds: api.rounds.map(roundRecord),
    };
    return { name: "create-session", lines, record, pass: ratioPass && p99Pass };
  } finally {
    await cleanup.runAll();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}

export const createSessionBench: Benchmark = { name: "create-session", run };
