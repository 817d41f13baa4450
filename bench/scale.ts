/**
 * The scale benchmark (issue #17, "scale with data"): BENCH_SCALE_SESSIONS generated sessions
 * (default 10,000,000; bench/scale_data.ts) in a kept Postgres (BENCH_SCALE_DATA_DIR, default
 * .test-data/bench-scale: loaded once, reused by later runs), and through the real API server:
 *
 * - the session list and its filters (status, date range, external_ref, q, deep offset pages),
 *   `GET /api/v1/results` and the dashboard's verifications page: p50/p99 at READ_CLIENTS clients,
 *   each request a different tenant (10 live tenants, about 140,000 sessions each at 10 million);
 * - create-session on the empty bench database and on the loaded one, each against its baseline
 *   (bench/create_session.ts), measured alternately: the loaded ratio must stay within 10% of the
 *   empty one's;
 * - the retention sweep's time per batch (core/retention/sweep.ts, in process, default batch and
 *   concurrency): on the empty database over a fresh organisation's due sessions, and on the
 *   loaded one over the two-year organisation's (due sessions among millions of rows, and the ones
 *   earlier runs redacted).
 */
import { sql } from "kysely";
import { type Benchmark, type BenchResult, type BenchSettings, positiveNumber } from "./benchmark.ts";
import { type BenchStack, withBenchStack } from "./stack.ts";
import type { ServerProcess } from "./server_process.ts";
import { type LoadStats, median, runLoad } from "./load.ts";
import { measureAlternately, measureRound, round2, round3, type Side, summarise, verdict } from "./report.ts";
import { createBaselineTable, createSessionSides } from "./create_session.ts";
import {
  ensureScaleData,
  ensureStandInFunction,
  generatedSession,
  insertSessions,
  loadedOrg,
  ORGS,
  RETENTION_ORG,
  type ScaleData,
  serial,
} from "./scale_data.ts";
import { createDb } from "../core/db/create_db.ts";
import { KeyRing } from "../core/crypto/key_ring.ts";
import { createApiKey } from "../core/orgs/api_keys.ts";
import { provisionOrganization } from "../core/orgs/provision.ts";
import { createOperatorUser } from "../core/operators/users.ts";
import { SESSION_COOKIE, startOperatorSession } from "../core/operators/sessions.ts";
import { randomString } from "../core/ids.ts";
import { DEFAULT_BATCH_SIZE, sweepRetention } from "../core/retention/sweep.ts";
import type { CoreDeps } from "../core/deps.ts";

const NAME = "scale";
const REPO_ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
/** Clients of each read measurement: a handful of integrations and operators at once. */
const READ_CLIENTS = 4;
/** Tenants the reads rotate over (live environment of the first organisations). */
const READ_TENANTS = 10;
const LIST_TARGET_P99_MS = 30;
const RESULTS_TARGET_P99_MS = 50;
/** The loaded database's create-session ratio may be at most this much below the empty one's. */
const CREATE_RATIO_TOLERANCE = 0.1;
/** Batches of the retention sweep timed on each database. */
const SWEEP_BATCHES = 10;
/** The loaded database's median batch may take at most this much longer than the empty one's. */
const SWEEP_TOLERANCE = 0.25;
const DAY_MS = 86_400_000;

/** A tenant the reads use: a live key and some of its generated rows. */
interface Tenant {
  apiKey: string;
  cookie: string;
  rows: ReturnType<typeof generatedSession>[];
}

/** Rows of organisation `org` in `environment`, found by walking its numbers (every ORGS-th). */
function rowsOf(org: number, environment: string, count: number, want: number) {
  const rows = [];
  for (let g = org; g < count && rows.length < want; g += ORGS * 97) {
    const row = generatedSession(g);
    if (row.environment === environment) rows.push(row);
  }
  return rows;
}

async function prepareTenants(stack: BenchStack, data: ScaleData): Promise<Tenant[]> {
  const db = createDb(data.databaseUrl, 2);
  try {
    const tenants: Tenant[] = [];
    for (let n = 0; n < READ_TENANTS; n++) {
      const org = data.orgs[n];
      const { secret } = await createApiKey(db, org.id, {
        environment: "live",
        kind: "secret",
        label: `scale bench ${randomString(6)}`,
        rateLimitPerMinute: 10_000_000,
      });
      const user = await createOperatorUser(db, {
        orgId: org.id,
        email: `scale-${randomString(10)}@example.test`,
        displayName: "Scale bench",
        role: "viewer",
      }, new Date());
      const session = await startOperatorSession(
        db,
        { signingKeys: stack.keys.signing, clock: () => new Date() },
        user,
        "live",
      );
      tenants.push({
        apiKey: secret,
        cookie: `${SESSION_COOKIE}=${session.token}`,
        rows: rowsOf(n, "live", data.sessions, 200),
      });
    }
    return tenants;
  } finally {
    await db.destroy();
  }
}

interface ReadCase {
  label: string;
  target: number;
  /** The i-th request's path and query, for tenant `t`. */
  path: (t: Tenant, i: number) => string;
  dashboard?: boolean;
}

function readCases(data: ScaleData): ReadCase[] {
  const day = (daysAgo: number) => new Date(data.loadedAt.getTime() - daysAgo * DAY_MS).toISOString();
  const rowOf = (t: Tenant, i: number) => t.rows[Math.floor(i / READ_TENANTS) % t.rows.length];
  const list = (label: string, query: (t: Tenant, i: number) => string): ReadCase => ({
    label,
    target: LIST_TARGET_P99_MS,
    path: (t, i) => `/api/v1/sessions?${query(t, i)}`,
  });
  const monthOf = (i: number) => `created_after=${day(30 + (i % 330))}&created_before=${day(i % 330)}`;
  return [
    list("sessions, newest page", () => "limit=50"),
    list("status=completed", () => "status=completed&limit=50"),
    list("status=failed (3%)", () => "status=failed&limit=50"),
    list("created in a 30-day range", (_, i) => `${monthOf(i)}&limit=50`),
    list("status + date range", (_, i) => `status=completed&${monthOf(i)}&limit=50`),
    list("external_ref (exact)", (t, i) => `external_ref=${encodeURIComponent(rowOf(t, i).externalRef ?? "none")}`),
    list("q (part of a reference)", (t, i) => `q=${serial(rowOf(t, i).g)}`),
    list("q (a session id)", (t, i) => `q=${rowOf(t, i).id}`),
    list("offset 10,000", () => "offset=10000&limit=50"),
    list("offset 100,000", () => "offset=100000&limit=50"),
    { label: "GET /results", target: RESULTS_TARGET_P99_MS, path: () => "/api/v1/results?limit=50" },
    {
      label: "GET /results?status=rejected",
      target: RESULTS_TARGET_P99_MS,
      path: () => "/api/v1/results?status=rejected",
    },
    {
      label: "dashboard verifications",
      target: RESULTS_TARGET_P99_MS,
      path: () => "/dashboard/verifications",
      dashboard: true,
    },
    {
      label: "dashboard, result=approved",
      target: RESULTS_TARGET_P99_MS,
      path: () => "/dashboard/verifications?result=approved",
      dashboard: true,
    },
    {
      label: "dashboard, search",
      target: RESULTS_TARGET_P99_MS,
      path: (t, i) => `/dashboard/verifications?q=${serial(rowOf(t, i).g)}`,
      dashboard: true,
    },
  ];
}

function measureRead(
  stack: BenchStack,
  settings: BenchSettings,
  server: ServerProcess,
  tenants: Tenant[],
  read: ReadCase,
): Promise<LoadStats> {
  const tenant = (i: number) => tenants[i % tenants.length];
  return measureRound(NAME, {
    label: read.label,
    rounds: [],
    measure: () =>
      runLoad({
        method: "GET",
        url: (i) => `${server.url}${read.path(tenant(i), i)}`,
        headers: (i): Record<string, string> =>
          read.dashboard ? { Cookie: tenant(i).cookie } : { "X-API-Key": tenant(i).apiKey },
        expectStatus: 200,
        concurrency: READ_CLIENTS,
        warmupMs: settings.warmupSeconds * 1000,
        durationMs: settings.seconds * 1000,
        cpuCounters: stack.cpuCounters(server),
      }),
  }, "req");
}

/** CPU ms per request of one party in a read's window, as text ("n/a" where unreadable). */
function cpuPerRequest(stats: LoadStats, party: string): string {
  const ms = stats.cpuMs[party];
  const requests = stats.rps * stats.seconds;
  return ms === null || ms === undefined || requests === 0 ? "n/a" : (ms / requests).toFixed(2);
}

/** Per-batch times of the retention sweep over `orgId`'s due sessions, stopped after `batches` batches. */
async function sweepBatches(deps: CoreDeps, orgId: string, batches: number) {
  const controller = new AbortController();
  const ends: number[] = [];
  const started = performance.now();
  const report = await sweepRetention(deps, {
    org: orgId,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.done % DEFAULT_BATCH_SIZE !== 0) return;
      ends.push(performance.now());
      if (ends.length >= batches) controller.abort();
    },
  });
  if (report.totals.failed > 0) throw new Error(`the sweep failed ${report.totals.failed} sessions`);
  // A small BENCH_SCALE_SESSIONS may hold fewer due sessions than the batches asked for.
  if (ends.length < 2) throw new Error(`the sweep ran ${ends.length} batches: too few due sessions to time`);
  // The first batch also carries the sweep's start (policies, the count of due sessions).
  const batchMs = ends.map((end, k) => end - (k === 0 ? started : ends[k - 1]));
  return { firstMs: batchMs[0], medianMs: median(batchMs.slice(1)), batches: ends.length, due: report.totals.due };
}

const RETENTION_POLICY = { data_retention_days: 365, auto_redact_on_retention_expiry: true };

/** The empty side: a fresh organisation in the bench database with exactly the timed batches' due sessions. */
async function sweepEmpty(stack: BenchStack, keyRing: KeyRing) {
  const deps = await stack.coreDeps();
  const org = await provisionOrganization(deps.db, { name: "Retention", slug: "retention" });
  await deps.db.updateTable("organizations").set({ settings: JSON.stringify(RETENTION_POLICY) })
    .where("id", "=", org.org_id).execute();
  await ensureStandInFunction(deps.db);
  const due = Array.from({ length: SWEEP_BATCHES * DEFAULT_BATCH_SIZE }, (_, g) => ({
    ...generatedSession(g),
    environment: "live" as const,
    status: "completed",
    createdAgoS: 400 * 86_400,
  }));
  const loaded = await loadedOrg(deps.db, org.org_id);
  await insertSessions(deps.db, keyRing, due, () => loaded, new Date());
  await sql`ANALYZE sessions`.execute(deps.db);
  return await sweepBatches(deps, org.org_id, SWEEP_BATCHES);
}

/** The loaded side: the two-year organisation under a one-year policy for this run only. */
async function sweepLoaded(stack: BenchStack, data: ScaleData) {
  const deps = await stack.coreDeps(data.databaseUrl);
  const orgId = data.orgs[RETENTION_ORG].id;
  const setPolicy = (settings: Record<string, unknown>) =>
    deps.db.updateTable("organizations").set({ settings: JSON.stringify(settings) }).where("id", "=", orgId).execute();
  await setPolicy(RETENTION_POLICY);
  try {
    return await sweepBatches(deps, orgId, SWEEP_BATCHES);
  } finally {
    await setPolicy({});
  }
}

function run(settings: BenchSettings): Promise<BenchResult> {
  const count = Math.round(positiveNumber(Deno.env.toObject(), "BENCH_SCALE_SESSIONS", 10_000_000));
  const keepDataDir = Deno.env.get("BENCH_SCALE_DATA_DIR")?.trim() || `${REPO_ROOT}/.test-data/bench-scale`;
  return withBenchStack({ bench: NAME, setup: createBaselineTable, keepDataDir }, async (stack) => {
    const log = (line: string) => console.error(`${NAME}: ${line}`);
    const keyRing = new KeyRing(stack.keys.encryption);
    const data = await ensureScaleData(stack.database, keyRing, count, log);
    const loadedDb = createDb(data.databaseUrl, 1);
    let loadedKey: string;
    try {
      await createBaselineTable(loadedDb);
      await sql`TRUNCATE bench_baseline`.execute(loadedDb);
      loadedKey = (await createApiKey(loadedDb, data.orgs[0].id, {
        environment: "sandbox",
        kind: "secret",
        label: `scale bench ${randomString(6)}`,
        rateLimitPerMinute: 10_000_000,
      })).secret;
    } finally {
      await loadedDb.destroy();
    }
    const tenants = await prepareTenants(stack, data);

    log("starting servers");
    const script = (name: string) => new URL(`./servers/${name}.ts`, import.meta.url);
    const loadedEnv = { DATABASE_URL: data.databaseUrl };
    const [emptyBaseline, emptyApi, loadedBaseline, loadedApi] = await Promise.all([
      stack.startServer("baseline-empty", script("baseline_server")),
      stack.startServer("api-empty", script("api_server")),
      stack.startServer("baseline-loaded", script("baseline_server"), loadedEnv),
      stack.startServer("api-loaded", script("api_server"), loadedEnv),
    ]);

    log(`reads: ${READ_CLIENTS} clients over ${READ_TENANTS} tenants, ${settings.seconds} s each`);
    const reads: { read: ReadCase; stats: LoadStats }[] = [];
    for (const read of readCases(data)) {
      reads.push({ read, stats: await measureRead(stack, settings, loadedApi, tenants, read) });
    }

    log(`create-session: ${settings.rounds} rounds per side at ${settings.concurrency} clients`);
    const empty = createSessionSides(
      stack,
      settings,
      { baseline: emptyBaseline, api: emptyApi, apiKey: stack.apiKey },
      {
        baseline: "empty baseline",
        api: "empty api",
      },
    );
    const loaded = createSessionSides(
      stack,
      settings,
      { baseline: loadedBaseline, api: loadedApi, apiKey: loadedKey },
      {
        baseline: "loaded baseline",
        api: "loaded api",
      },
    );
    const sides: [Side, string][] = [empty.baseline, empty.api, loaded.baseline, loaded.api].map((s) => [s, "req"]);
    await measureAlternately(NAME, settings.rounds, sides);
    const [eb, ea, lb, la] = sides.map(([side]) => summarise(side));
    const emptyRatio = ea.rps / eb.rps;
    const loadedRatio = la.rps / lb.rps;
    const createPass = loadedRatio >= emptyRatio * (1 - CREATE_RATIO_TOLERANCE);

    log(`retention sweep: ${SWEEP_BATCHES} batches of ${DEFAULT_BATCH_SIZE} on each database`);
    const sweepOnEmpty = await sweepEmpty(stack, keyRing);
    const sweepOnLoaded = await sweepLoaded(stack, data);
    const sweepRatio = sweepOnLoaded.medianMs / sweepOnEmpty.medianMs;
    const sweepPass = sweepRatio <= 1 + SWEEP_TOLERANCE;

    const readPass = reads.every(({ read, stats }) => stats.p99Ms < read.target);
    const scaleNote = count < 10_000_000 ? ` (BENCH_SCALE_SESSIONS=${count}: fewer than the issue's 10,000,000)` : "";
    const lines = [
      `${NAME} — ${count.toLocaleString("en")} sessions across ${ORGS} organisations, both environments${scaleNote}; ` +
      `${data.loadedNow ? `loaded in this run in ${data.loadSeconds.toFixed(0)} s` : "loaded by an earlier run"}`,
      `  reads at ${READ_CLIENTS} clients over ${READ_TENANTS} live tenants, ${settings.seconds} s each`,
      `  ${"read".padEnd(34)}${"req/s".padStart(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}   target` +
      `          CPU ms/req: server  postgres`,
      ...reads.map(({ read, stats }) =>
        `  ${read.label.padEnd(34)}${stats.rps.toFixed(0).padStart(8)}${stats.p50Ms.toFixed(2).padStart(9)}${
          stats.p99Ms.toFixed(2).padStart(9)
        }   < ${read.target} ms ${verdict(stats.p99Ms < read.target)}${cpuPerRequest(stats, "server").padStart(20)}${
          cpuPerRequest(stats, "postgres").padStart(10)
        }`
      ),
      `  create-session at ${settings.concurrency} clients, median of ${settings.rounds} rounds per side`,
      `  ${"".padEnd(34)}${"req/s".padStart(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}`,
      ...([["empty DB baseline", eb], ["empty DB api", ea], ["loaded DB baseline", lb], ["loaded DB api", la]] as const)
        .map(([label, s]) =>
          `  ${label.padEnd(34)}${s.rps.toFixed(0).padStart(8)}${s.p50Ms.toFixed(2).padStart(9)}${
            s.p99Ms.toFixed(2).padStart(9)
          }`
        ),
      `  ratio api/baseline: empty ${emptyRatio.toFixed(3)}, loaded ${loadedRatio.toFixed(3)} ` +
      `(loaded/empty ${(loadedRatio / emptyRatio).toFixed(3)}, target ≥ ${1 - CREATE_RATIO_TOLERANCE}) ${
        verdict(createPass)
      }`,
      `  retention sweep, ms per batch of ${DEFAULT_BATCH_SIZE} (median of batches 2-${SWEEP_BATCHES}; first batch ` +
      `with the sweep's start)`,
      `  empty DB   ${sweepOnEmpty.medianMs.toFixed(0)} ms (first ${sweepOnEmpty.firstMs.toFixed(0)} ms; ` +
      `${sweepOnEmpty.due} due)`,
      `  loaded DB  ${sweepOnLoaded.medianMs.toFixed(0)} ms (first ${sweepOnLoaded.firstMs.toFixed(0)} ms; ` +
      `${sweepOnLoaded.due} due among ${count.toLocaleString("en")})`,
      `  loaded/empty ${sweepRatio.toFixed(2)} (target ≤ ${1 + SWEEP_TOLERANCE}) ${verdict(sweepPass)}`,
    ];
    const side = (s: ReturnType<typeof summarise>) => ({
      rps: round2(s.rps),
      p50_ms: round2(s.p50Ms),
      p99_ms: round2(s.p99Ms),
    });
    const pass = readPass && createPass && sweepPass;
    const record = {
      bench: NAME,
      sessions: count,
      organisations: ORGS,
      loaded_now: data.loadedNow,
      load_seconds: round2(data.loadSeconds),
      read_clients: READ_CLIENTS,
      reads: reads.map(({ read, stats }) => ({
        read: read.label,
        rps: round2(stats.rps),
        p50_ms: round2(stats.p50Ms),
        p99_ms: round2(stats.p99Ms),
        target_p99_ms: read.target,
        server_cpu_ms_per_request: Number(cpuPerRequest(stats, "server")) || null,
        postgres_cpu_ms_per_request: Number(cpuPerRequest(stats, "postgres")) || null,
      })),
      create_session: {
        concurrency: settings.concurrency,
        empty_baseline: side(eb),
        empty_api: side(ea),
        loaded_baseline: side(lb),
        loaded_api: side(la),
        empty_ratio: round3(emptyRatio),
        loaded_ratio: round3(loadedRatio),
        loaded_over_empty: round3(loadedRatio / emptyRatio),
      },
      retention_sweep: {
        batch_size: DEFAULT_BATCH_SIZE,
        empty_median_batch_ms: round2(sweepOnEmpty.medianMs),
        empty_first_batch_ms: round2(sweepOnEmpty.firstMs),
        loaded_median_batch_ms: round2(sweepOnLoaded.medianMs),
        loaded_first_batch_ms: round2(sweepOnLoaded.firstMs),
        loaded_due: sweepOnLoaded.due,
        loaded_over_empty: round3(sweepRatio),
      },
      pass,
    };
    return { name: NAME, lines, record, pass };
  });
}

export const scaleBench: Benchmark = { name: NAME, run, onlyWhenNamed: true };
