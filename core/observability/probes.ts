/**
 * Owns the probes' answers, the same on the public port (api/routes/probes.ts) and on the metrics
 * listener (ops_server.ts): `/livez` (the process answers), `/readyz` (the database and the blob
 * store answer, the schema has every migration this code ships, and, in a process that runs the
 * worker, its heartbeat is fresh) and `/version`.
 */
import { sql } from "kysely";
import type { Db } from "../db/create_db.ts";
import type { BlobStore } from "../storage/blob_store.ts";
import { migrationNames, migrationStatus } from "../db/migrate.ts";
import { buildInfo } from "./build_info.ts";
import type { Heartbeat } from "./heartbeat.ts";

export interface ProbeDeps {
  db: Db;
  blobs: BlobStore;
  /** Present in a process that runs the worker. */
  heartbeat?: Heartbeat | null;
}

/** A dependency that hangs fails the probe instead of hanging it past the orchestrator's timeout. */
const CHECK_TIMEOUT_MS = 3_000;

export interface MigrationState {
  /** The newest migration this code ships. */
  latest: string | null;
  /** The newest migration the database has applied. */
  applied: string | null;
  /** Shipped migrations the database has not applied: `deno task migrate` applies them. */
  pending: string[];
}

/** Compares the migrations folder with kysely's migration table (absent before the first migration). */
export async function migrationState(db: Db): Promise<MigrationState> {
  const shipped = await migrationNames();
  const { applied, pending } = await migrationStatus(db);
  return { latest: shipped.at(-1) ?? null, applied: applied.at(-1) ?? null, pending };
}

type CheckResult = "ok" | "unavailable" | "pending_migrations" | "stale";

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
  pending_migrations?: string[];
}

export async function readiness(deps: ProbeDeps): Promise<Readiness> {
  const [database, storage, migrations] = await Promise.allSettled([
    timed(sql`SELECT 1`.execute(deps.db)),
    timed(deps.blobs.check()),
    timed(migrationState(deps.db)),
  ]);
  const checks: Record<string, CheckResult> = {
    database: database.status === "fulfilled" ? "ok" : "unavailable",
    storage: storage.status === "fulfilled" ? "ok" : "unavailable",
    migrations: migrations.status === "rejected"
      ? "unavailable"
      : migrations.value.pending.length > 0
      ? "pending_migrations"
      : "ok",
  };
  if (deps.heartbeat) checks.worker = deps.heartbeat.fresh() ? "ok" : "stale";
  const ready = Object.values(checks).every((c) => c === "ok");
  const pending = migrations.status === "fulfilled" && migrations.value.pending.length > 0
    ? { pending_migrations: migrations.value.pending }
    : {};
  return { ready, checks, ...pending };
}

function timed<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const NO_STORE = { "Cache-Control": "no-store" };

export function livezResponse(): Response {
  return Response.json({ status: "ok" }, { headers: NO_STORE });
}

export async function readyzResponse(deps: ProbeDeps): Promise<Response> {
  const { ready, ...body } = await readiness(deps);
  return Response.json({ status: ready ? "ok" : "unavailable", ...body }, {
    status: ready ? 200 : 503,
    headers: NO_STORE,
  });
}

/** The product version, the commit when known, and the migration head shipped and applied. */
export async function versionResponse(deps: Pick<ProbeDeps, "db">): Promise<Response> {
  const build = await buildInfo();
  let migrations: Omit<MigrationState, "pending"> | null = null;
  try {
    const { latest, applied } = await timed(migrationState(deps.db));
    migrations = { latest, applied };
  } catch {
    // The version is still worth answering with the database down; readiness reports that.
  }
  return Response.json({ version: build.version, commit: build.commit, migrations }, { headers: NO_STORE });
}
