/**
 * Owns the infrastructure one benchmark runs against: an embedded Postgres with a migrated bench
 * database, an organisation and an API key, the environment and processes of the servers under
 * test, the CPU counters of each party, and the teardown of all of it (LIFO, each step even when
 * an earlier one fails, also on Ctrl-C). A benchmark whose data takes long to load (bench/scale.ts)
 * can keep its Postgres, and the keys its rows were encrypted under, across runs.
 */
import type { Kysely } from "kysely";
import type { Database } from "../core/db/database.ts";
import { type KeyEntry, parseConfig } from "../core/config.ts";
import type { CoreDeps } from "../core/deps.ts";
import { createCoreDeps } from "../core/runtime.ts";
import { silentLogger } from "../core/logger.ts";
import {
  dropDatabase,
  ensureDatabase,
  startEmbeddedPostgres,
  takeOverShutdownSignals,
} from "../core/embedded/embedded_postgres.ts";
import { createDb } from "../core/db/create_db.ts";
import { migrateToLatest } from "../core/db/migrate.ts";
import { provisionOrganization } from "../core/orgs/provision.ts";
import { createApiKey } from "../core/orgs/api_keys.ts";
import { randomString } from "../core/ids.ts";
import { type ServerProcess, startServerProcess } from "./server_process.ts";
import { type CpuCounter, machineBusyMs, processCpuMs, processTreeCpuMs } from "./proc_cpu.ts";
import { summariseProfile } from "./cpu_profile.ts";

const REPO_ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const DATABASE = "verifa_bench";
/** The API server's pool size in every benchmark: the production default. */
export const POOL_SIZE = 20;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function randomKey(bytes = 32): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
}

const base64Bytes = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** What a kept Postgres needs again next run: its password, and the keys its rows were written with. */
interface StackSecrets {
  password: string;
  encryptionKey: string;
  indexKey: string;
  signingKey: string;
}

function newSecrets(): StackSecrets {
  return { password: randomString(24), encryptionKey: randomKey(), indexKey: randomKey(), signingKey: randomKey() };
}

/** The kept data dir's secrets (beside it, readable by root alone), made on its first run. */
async function keptSecrets(dataDir: string): Promise<StackSecrets> {
  const file = `${dataDir}.secrets.json`;
  try {
    return JSON.parse(await Deno.readTextFile(file));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  // A data dir without its secrets cannot be opened (its password is gone): start it again.
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  const secrets = newSecrets();
  await Deno.writeTextFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
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

export interface StackOptions {
  /** The benchmark's name: progress lines and CPU profile files carry it. */
  bench: string;
  /** Scopes of the bench key; createApiKey's defaults when absent. */
  scopes?: readonly string[];
  /** Environment of the bench key; sandbox (decided by presets) unless the live engine is measured. */
  environment?: "sandbox" | "live";
  /** Runs on the migrated database before any server starts (e.g. a baseline's table). */
  setup?: (db: Kysely<Database>) => Promise<void>;
  /**
   * Keep the embedded Postgres in this folder across runs instead of a fresh one removed at
   * teardown; its password and the servers' keys are kept beside it (`<dir>.secrets.json`), so
   * rows one run encrypted read back in the next. The bench database is still made anew each run.
   */
  keepDataDir?: string;
}

export interface BenchStack {
  /** Secret of a key of the bench organisation (sandbox unless asked), with no practical rate limit. */
  apiKey: string;
  /** The bench database, for benchmarks that write or read rows themselves (e.g. a burst of events). */
  databaseUrl: string;
  /**
   * Creates (unless it exists; dropped first with `fresh`) and migrates another database on the
   * same Postgres; returns its URL.
   */
  database(name: string, options?: { fresh?: boolean }): Promise<string>;
  /**
   * Core's dependencies in this process, built from the servers' configuration as a server builds
   * them, on `databaseUrl` (the bench database unless given); no job queue (enqueueing throws).
   * Closed at teardown.
   */
  coreDeps(databaseUrl?: string): Promise<CoreDeps>;
  /** The servers' keys, for rows a benchmark encrypts itself and dashboard cookies it signs. */
  keys: { encryption: KeyEntry[]; index: Uint8Array; signing: KeyEntry[] };
  /**
   * Starts a server process (bench/servers/*.ts) on the bench database, with `env` added to the
   * servers' common environment; stopped at teardown.
   */
  startServer(name: string, script: URL, env?: Record<string, string>): Promise<ServerProcess>;
  /**
   * CPU counters of a measured window: the server process (all its threads), Postgres (the
   * postmaster and its backends), this process (the load generator, and any in-process
   * baseline) and the whole machine. With no server, only the last three.
   */
  cpuCounters(server: ServerProcess | null): CpuCounter[];
  /**
   * With BENCH_CPU_PROFILE=dir: stops the server (which writes its profile) and returns the
   * summary lines; otherwise no lines. Call after the last measured round.
   */
  profileSummary(server: ServerProcess): Promise<string[]>;
}

/** The package's signal hooks can be removed once per process; each benchmark builds a stack. */
let signalsTakenOver = false;

/** Builds the stack, runs `body` with it, and tears everything down whatever happens. */
export async function withBenchStack<T>(options: StackOptions, body: (stack: BenchStack) => Promise<T>): Promise<T> {
  const cleanup = new Cleanup();
  // Ctrl-C mid-run must not leave Postgres, servers or the data dir behind: the package's own
  // signal hook would stop Postgres and exit before the servers stop and the data dir goes.
  if (!signalsTakenOver) takeOverShutdownSignals();
  signalsTakenOver = true;
  const onSignal = () => cleanup.runAll().finally(() => Deno.exit(130));
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    // As in scripts/test.ts: as root, Postgres runs as `postgres` and must traverse this folder.
    const testData = `${REPO_ROOT}/.test-data`;
    await Deno.mkdir(testData, { recursive: true });
    await Deno.chmod(testData, 0o711);
    const dataDir = options.keepDataDir ?? `${testData}/bench-${randomString(8)}`;
    const blobDir = `${options.keepDataDir ? `${testData}/bench-${randomString(8)}` : dataDir}-blobs`;
    cleanup.push("remove data dir", async () => {
      if (!options.keepDataDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      await Deno.remove(blobDir, { recursive: true }).catch(() => {});
    });
    const secrets = options.keepDataDir ? await keptSecrets(dataDir) : newSecrets();

    const pgLog: string[] = [];
    console.error(`${options.bench}: starting embedded Postgres`);
    const postgres = await startEmbeddedPostgres({
      dataDir,
      port: freePort(),
      password: secrets.password,
      onLog: (line) => pgLog.push(line) > 200 && pgLog.shift(),
    }).catch((error) => {
      console.error(pgLog.join("\n"));
      throw error;
    });
    cleanup.push("stop Postgres", () => postgres.stop());
    const database = async (name: string, { fresh = false } = {}) => {
      if (fresh) await dropDatabase(postgres.adminUrl, name);
      await ensureDatabase(postgres.adminUrl, name);
      const url = postgres.urlFor(name);
      const db = createDb(url, 1);
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
      return url;
    };
    // A kept Postgres still gives every run an empty bench database, as a fresh one would.
    const databaseUrl = await database(DATABASE, { fresh: options.keepDataDir !== undefined });

    const db = createDb(databaseUrl, 2);
    let dbOpen = true;
    const closeDb = async () => {
      if (dbOpen) await db.destroy();
      dbOpen = false;
    };
    cleanup.push("close setup pool", closeDb);
    const org = await provisionOrganization(db, { name: "Bench", slug: "bench" });
    const { secret } = await createApiKey(db, org.org_id, {
      environment: options.environment ?? "sandbox",
      kind: "secret",
      label: "bench",
      scopes: options.scopes ? [...options.scopes] : undefined,
      rateLimitPerMinute: 10_000_000,
    });
    await options.setup?.(db);
    await closeDb();

    const profileDir = Deno.env.get("BENCH_CPU_PROFILE");
    const profilePath = (server: string) => `${profileDir}/${options.bench}-${server}.cpuprofile`;
    const serverEnv = {
      DATABASE_URL: databaseUrl,
      VERIFA_DB_POOL_SIZE: String(POOL_SIZE),
      VERIFA_ENCRYPTION_KEYS: `bench:${secrets.encryptionKey}`,
      VERIFA_INDEX_KEY: secrets.indexKey,
      VERIFA_SIGNING_KEYS: `bench:${secrets.signingKey}`,
      VERIFA_PUBLIC_URL: "http://localhost:8080",
      VERIFA_LOG_LEVEL: "error",
      VERIFA_RUN_WORKER: "false",
      VERIFA_BLOB_DIR: blobDir,
    };
    const postmasterPid = Number((await Deno.readTextFile(`${dataDir}/postmaster.pid`)).split("\n")[0]);

    return await body({
      apiKey: secret,
      databaseUrl,
      database,
      coreDeps: async (url = databaseUrl) => {
        const refuse = () => Promise.reject(new Error(`no job queue in the ${options.bench} benchmark's process`));
        const config = parseConfig({ ...serverEnv, DATABASE_URL: url });
        const deps = await createCoreDeps(config, silentLogger, {
          enqueue: refuse,
          enqueueMany: refuse,
          stop: async () => {},
        });
        cleanup.push("close in-process deps", deps.close);
        return deps;
      },
      keys: {
        encryption: [{ id: "bench", key: base64Bytes(secrets.encryptionKey) }],
        index: base64Bytes(secrets.indexKey),
        signing: [{ id: "bench", key: base64Bytes(secrets.signingKey) }],
      },
      startServer: async (name, script, extraEnv = {}) => {
        const env = { ...serverEnv, ...extraEnv, ...(profileDir ? { BENCH_CPU_PROFILE_FILE: profilePath(name) } : {}) };
        const server = await startServerProcess(name, script, env);
        cleanup.push(`stop ${name} server`, () => server.stop());
        return server;
      },
      cpuCounters: (server) => [
        // With its children: the worker's engine sandbox is a subprocess.
        ...(server ? [{ name: "server", read: () => processTreeCpuMs(server.pid) }] : []),
        { name: "postgres", read: () => processTreeCpuMs(postmasterPid) },
        { name: "load", read: () => processCpuMs("self") },
        { name: "machine", read: machineBusyMs },
      ],
      profileSummary: async (server) => {
        if (!profileDir) return [];
        await server.stop(); // writes the profile
        const path = profilePath(server.name);
        return [
          `  ${server.name} CPU profile: ${path}`,
          ...summariseProfile(JSON.parse(await Deno.readTextFile(path))),
        ];
      },
    });
  } finally {
    await cleanup.runAll();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}
