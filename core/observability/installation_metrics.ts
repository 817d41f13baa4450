/**
 * Owns the gauges read from the database when Prometheus scrapes: the job queues, recent check
 * and decision outcomes, webhook attempts and endpoint health, the retention backlog, values
 * still under a non-primary encryption key, watchlist age and the audit log's unsealed backlog.
 * They describe the installation, not the process, so every API and worker process reports the
 * same values (alert on `max`).
 *
 * One read serves a whole scrape and is kept for `cacheMs` (default 15 s): counting stale key
 * values and check attempts scans tables, and Prometheus replicas or an operator's curl must not
 * multiply that.
 */
import { sql } from "kysely";
import { Gauge, type Registry } from "prom-client";
import type { CoreDeps } from "../deps.ts";
import { countStale } from "../crypto/rotation.ts";
import { countDue, orgPolicies } from "../retention/policy.ts";
import { unsealedBacklog } from "../audit/seal.ts";

/** pg-boss's default schema: neither worker/runner.ts nor worker/queue_client.ts names another. */
const PGBOSS_SCHEMA = "pgboss";
/** The window of the "recent" gauges (check and decision outcomes and latency, webhook attempts). */
export const RECENT_WINDOW_MINUTES = 15;

interface QueueRow {
  name: string;
  queued: number;
  deferred: number;
  active: number;
  oldest_seconds: number | null;
}

interface OutcomeRow {
  key: string;
  status: string;
  n: number;
  p50: number | null;
  p95: number | null;
}

export interface InstallationSnapshot {
  queues: QueueRow[];
  checks: OutcomeRow[];
  decisions: OutcomeRow[];
  webhookAttempts: { outcome: string; n: number }[];
  webhookDeliveries: { status: string; n: number }[];
  endpoints: { enabled: number; disabled: number };
  retention: { awaiting_sweep: number; held: number; auto_redact_off: number };
  staleValues: Record<string, number>;
  watchlists: { source: string; age_seconds: number }[];
  auditBacklog: { rows: number; oldestCreatedAt: Date | null };
}

export async function readInstallation(deps: CoreDeps): Promise<InstallationSnapshot> {
  return await allOf({
    queues: readQueues(deps),
    checks: readChecks(deps),
    decisions: readDecisions(deps),
    webhookAttempts: readWebhookAttempts(deps),
    webhookDeliveries: readWebhookDeliveries(deps),
    endpoints: readEndpoints(deps),
    retention: readRetention(deps),
    staleValues: countStale(deps),
    watchlists: readWatchlists(deps),
    auditBacklog: unsealedBacklog(deps.db),
  });
}

/** Every read at once, each value under its own name (Promise.all over an object). */
async function allOf<T extends Record<string, Promise<unknown>>>(reads: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const names = Object.keys(reads);
  const values = await Promise.all(Object.values(reads));
  return Object.fromEntries(names.map((name, i) => [name, values[i]])) as { [K in keyof T]: Awaited<T[K]> };
}

/**
 * Every queue pg-boss knows, with its waiting jobs (due now, or deferred: retries and delayed
 * jobs not due yet), running jobs, and how long the oldest due job has waited since it came due.
 * Before any process has started pg-boss its schema does not exist: no queues yet.
 */
async function readQueues(deps: CoreDeps): Promise<QueueRow[]> {
  const { rows: [installed] } = await sql<{ ok: boolean }>`
    SELECT to_regclass(${`${PGBOSS_SCHEMA}.job`}) IS NOT NULL AND to_regclass(${`${PGBOSS_SCHEMA}.queue`}) IS NOT NULL AS ok
  `.execute(deps.db);
  if (!installed.ok) return [];
  const job = sql.table(`${PGBOSS_SCHEMA}.job`);
  const queue = sql.table(`${PGBOSS_SCHEMA}.queue`);
  const { rows } = await sql<QueueRow>`
    SELECT q.name,
      count(j.id) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after <= now())::int AS queued,
      count(j.id) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after > now())::int AS deferred,
      count(j.id) FILTER (WHERE j.state = 'active')::int AS active,
      extract(epoch FROM now() - min(j.start_after)
        FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after <= now()))::float8 AS oldest_seconds
    FROM ${queue} q LEFT JOIN ${job} j ON j.name = q.name AND j.state IN ('created', 'retry', 'active')
    GROUP BY q.name ORDER BY q.name
  `.execute(deps.db);
  return rows;
}

/** Check attempts decided in the window, per check (its policy name) and status, with latency quantiles. */
async function readChecks(deps: CoreDeps): Promise<OutcomeRow[]> {
  const { rows } = await sql<OutcomeRow>`
    SELECT policy AS key, status::text AS status, count(*)::int AS n,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) / 1000)::float8 AS p50,
      (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) / 1000)::float8 AS p95
    FROM check_attempts WHERE decided_at > now() - make_interval(mins => ${RECENT_WINDOW_MINUTES})
    GROUP BY policy, status ORDER BY policy, status
  `.execute(deps.db);
  return rows;
}

/** Workflow runs that ended in the window, by final status, with their latency quantiles. */
async function readDecisions(deps: CoreDeps): Promise<OutcomeRow[]> {
  const { rows } = await sql<OutcomeRow>`
    SELECT 'all' AS key, coalesce(final_status, status)::text AS status, count(*)::int AS n,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) / 1000)::float8 AS p50,
      (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) / 1000)::float8 AS p95
    FROM workflow_runs
    WHERE completed_at > now() - make_interval(mins => ${RECENT_WINDOW_MINUTES}) AND status IN ('completed', 'failed')
    GROUP BY 2 ORDER BY 2
  `.execute(deps.db);
  return rows;
}

/** Delivery attempts in the window: a 2xx answer, another answer, or no answer (timeout, refused, blocked). */
async function readWebhookAttempts(deps: CoreDeps): Promise<{ outcome: string; n: number }[]> {
  const { rows } = await sql<{ outcome: string; n: number }>`
    SELECT CASE WHEN status_code BETWEEN 200 AND 299 THEN 'succeeded'
      WHEN status_code IS NOT NULL THEN 'http_error' ELSE 'no_response' END AS outcome, count(*)::int AS n
    FROM webhook_attempts WHERE started_at > now() - make_interval(mins => ${RECENT_WINDOW_MINUTES})
    GROUP BY 1
  `.execute(deps.db);
  return withZeros(["succeeded", "http_error", "no_response"], rows, "outcome");
}

/** Deliveries not finished (pending or retrying), and those that gave up in the window. */
async function readWebhookDeliveries(deps: CoreDeps): Promise<{ status: string; n: number }[]> {
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT status, count(*)::int AS n FROM webhook_deliveries
    WHERE status IN ('pending', 'retrying')
      OR (status = 'failed' AND completed_at > now() - make_interval(mins => ${RECENT_WINDOW_MINUTES}))
    GROUP BY status
  `.execute(deps.db);
  return withZeros(["pending", "retrying", "failed"], rows, "status");
}

async function readEndpoints(deps: CoreDeps): Promise<{ enabled: number; disabled: number }> {
  const row = await deps.db.selectFrom("webhook_endpoints").where("deleted_at", "is", null)
    .select([
      sql<number>`count(*) FILTER (WHERE enabled)::int`.as("enabled"),
      sql<number>`count(*) FILTER (WHERE NOT enabled)::int`.as("disabled"),
    ]).executeTakeFirstOrThrow();
  return row;
}

/**
 * Due sessions (policy.ts) the next sweep will erase, those a legal hold keeps, and those kept
 * because the organisation turned automatic erasure off: the same split the sweep reports.
 */
async function readRetention(deps: CoreDeps) {
  const totals = { awaiting_sweep: 0, held: 0, auto_redact_off: 0 };
  for (const policy of await orgPolicies(deps.db, deps.clock())) {
    const { due, held_session, held_identity } = await countDue(deps.db, policy);
    const held = held_session + held_identity;
    totals.held += held;
    if (policy.settings.auto_redact_on_retention_expiry) totals.awaiting_sweep += due - held;
    else totals.auto_redact_off += due - held;
  }
  return totals;
}

/** Seconds since each watchlist source's newest import. */
async function readWatchlists(deps: CoreDeps): Promise<{ source: string; age_seconds: number }[]> {
  const { rows } = await sql<{ source: string; age_seconds: number }>`
    SELECT source, extract(epoch FROM now() - max(imported_at))::float8 AS age_seconds
    FROM watchlist_imports GROUP BY source ORDER BY source
  `.execute(deps.db);
  return rows;
}

function withZeros<K extends string>(keys: string[], rows: ({ n: number } & Record<K, string>)[], key: K) {
  return keys.map((k) =>
    ({ [key]: k, n: rows.find((r) => r[key] === k)?.n ?? 0 }) as { n: number } & Record<K, string>
  );
}

/** Registers the installation gauges on `registry`; each scrape reads the database at most once per `cacheMs`. */
export function registerInstallationMetrics(
  registry: Registry,
  deps: CoreDeps,
  { cacheMs = 15_000 }: { cacheMs?: number } = {},
): void {
  let cached: { at: number; snapshot: Promise<InstallationSnapshot> } | null = null;
  const snapshot = () => {
    if (!cached || performance.now() - cached.at > cacheMs) {
      const read = readInstallation(deps);
      // A failed read is not kept: the next scrape tries again.
      read.catch(() => cached = null);
      cached = { at: performance.now(), snapshot: read };
    }
    return cached.snapshot;
  };
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    fill: (set: (labels: Record<L, string>, value: number) => void, s: InstallationSnapshot) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        fill((labels, value) => this.set(labels, value), s);
      },
    });

  gauge("verifa_queue_jobs", "Jobs per pg-boss queue: queued (due), deferred (not due yet) or active.", [
    "queue",
    "state",
  ], (set, s) => {
    for (const q of s.queues) {
      for (const state of ["queued", "deferred", "active"] as const) set({ queue: q.name, state }, q[state]);
    }
  });
  gauge(
    "verifa_queue_oldest_job_age_seconds",
    "Seconds the oldest due job of each queue has waited since it came due (0 when none waits).",
    ["queue"],
    (set, s) => {
      for (const q of s.queues) set({ queue: q.name }, q.oldest_seconds ?? 0);
    },
  );
  gauge(
    "verifa_check_attempts_recent",
    `Check attempts decided in the last ${RECENT_WINDOW_MINUTES} minutes, by check and status.`,
    ["check", "status"],
    (set, s) => {
      for (const r of s.checks) set({ check: r.key, status: r.status }, r.n);
    },
  );
  gauge(
    "verifa_check_duration_recent_seconds",
    `Median and 95th percentile time of check attempts decided in the last ${RECENT_WINDOW_MINUTES} minutes, by check and status.`,
    ["check", "status", "quantile"],
    (set, s) => {
      for (const r of s.checks) quantiles(set, { check: r.key, status: r.status }, r);
    },
  );
  gauge(
    "verifa_decisions_recent",
    `Workflow runs that ended in the last ${RECENT_WINDOW_MINUTES} minutes, by outcome (approved, rejected, needs_review, failed).`,
    ["outcome"],
    (set, s) => {
      for (const r of s.decisions) set({ outcome: r.status }, r.n);
    },
  );
  gauge(
    "verifa_decision_duration_recent_seconds",
    `Median and 95th percentile run time of workflow runs that ended in the last ${RECENT_WINDOW_MINUTES} minutes, by outcome.`,
    ["outcome", "quantile"],
    (set, s) => {
      for (const r of s.decisions) quantiles(set, { outcome: r.status }, r);
    },
  );
  gauge(
    "verifa_webhook_attempts_recent",
    `Webhook delivery attempts in the last ${RECENT_WINDOW_MINUTES} minutes: succeeded (2xx), http_error, no_response.`,
    ["outcome"],
    (set, s) => {
      for (const r of s.webhookAttempts) set({ outcome: r.outcome }, r.n);
    },
  );
  gauge(
    "verifa_webhook_deliveries",
    `Webhook deliveries pending or retrying now, and failed (given up) in the last ${RECENT_WINDOW_MINUTES} minutes.`,
    ["status"],
    (set, s) => {
      for (const r of s.webhookDeliveries) set({ status: r.status }, r.n);
    },
  );
  gauge("verifa_webhook_endpoints", "Webhook endpoints (not deleted) by state: enabled or disabled.", [
    "state",
  ], (set, s) => {
    set({ state: "enabled" }, s.endpoints.enabled);
    set({ state: "disabled" }, s.endpoints.disabled);
  });
  gauge(
    "verifa_retention_due_sessions",
    "Sessions past their organisation's retention window and not yet erased: awaiting_sweep, held (legal hold) or auto_redact_off.",
    ["state"],
    (set, s) => {
      for (const [state, n] of Object.entries(s.retention)) set({ state }, n);
    },
  );
  gauge(
    "verifa_encryption_stale_values",
    "Encrypted values not under the first key of VERIFA_ENCRYPTION_KEYS, per table.column (deno task rotate-keys moves them).",
    ["column"],
    (set, s) => {
      for (const [column, n] of Object.entries(s.staleValues)) set({ column }, n);
    },
  );
  gauge("verifa_watchlist_age_seconds", "Seconds since the newest import of each watchlist source.", [
    "source",
  ], (set, s) => {
    for (const w of s.watchlists) set({ source: w.source }, w.age_seconds);
  });
  gauge(
    "verifa_audit_unsealed_rows",
    "Audit rows appended but not sealed into their chain yet (the audit.seal job).",
    [],
    (set, s) => set({}, s.auditBacklog.rows),
  );
  gauge(
    "verifa_audit_unsealed_oldest_age_seconds",
    "Seconds since the oldest unsealed audit row was appended (0 when none): the sealer runs every minute.",
    [],
    (set, s) => {
      const oldest = s.auditBacklog.oldestCreatedAt;
      set({}, oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
    },
  );
}

function quantiles<L extends string>(
  set: (labels: Record<L | "quantile", string>, value: number) => void,
  labels: Record<L, string>,
  row: OutcomeRow,
) {
  if (row.p50 !== null) set({ ...labels, quantile: "0.5" }, row.p50);
  if (row.p95 !== null) set({ ...labels, quantile: "0.95" }, row.p95);
}
