/**
 * Owns the one-machine mode's environment: with no DATABASE_URL it starts the embedded Postgres
 * and fills in the generated dev keys; with DATABASE_URL it changes nothing, so missing keys stay
 * a boot error there.
 */
import { loadOrCreateDevSecrets } from "./dev_secrets.ts";
import { ensureDatabase, runningEmbeddedPostgres, startEmbeddedPostgres } from "./embedded_postgres.ts";
import { createDb, type Db } from "../db/create_db.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { type Config, DEFAULT_DATA_DIR, DEFAULT_EMBEDDED_PG_PORT } from "../config.ts";
import type { CoreDeps } from "../deps.ts";
import { createLogger } from "../logger.ts";
import { bootStepOrExit, parseConfigOrExit } from "../process.ts";
import { createCoreDeps } from "../runtime.ts";

type Env = Record<string, string | undefined>;

export interface PreparedEnvironment {
  env: Env;
  embedded: boolean;
  dataDir: string;
  stop(): Promise<void>;
}

export async function prepareEnvironment(
  env: Env,
  log: (line: string) => void,
  options: { attach?: boolean } = {},
): Promise<PreparedEnvironment> {
  const dataDir = env.VERIFA_DATA_DIR || DEFAULT_DATA_DIR;
  if (env.DATABASE_URL) return { env, embedded: false, dataDir, stop: async () => {} };

  // 0711: when running as root, embedded-postgres runs Postgres as a separate `postgres` user,
  // which must traverse this folder to reach its own data dir; everything secret inside is 0600.
  await Deno.mkdir(dataDir, { recursive: true });
  await Deno.chmod(dataDir, 0o711);
  const secrets = await loadOrCreateDevSecrets(dataDir);
  const port = Number(env.VERIFA_EMBEDDED_PG_PORT || DEFAULT_EMBEDDED_PG_PORT);
  const running = options.attach ? await runningEmbeddedPostgres({ port, password: secrets.postgres_password }) : null;
  if (running) log(`using the embedded Postgres already running on 127.0.0.1:${port} (deno task start)`);
  else log(`starting embedded Postgres on 127.0.0.1:${port} (data in ${dataDir}/postgres)`);
  const server = running ?? await startEmbeddedPostgres({
    dataDir: `${dataDir}/postgres`,
    port,
    password: secrets.postgres_password,
  });
  await ensureDatabase(server.adminUrl, "verifa");
  return {
    env: {
      ...env,
      DATABASE_URL: server.urlFor("verifa"),
      VERIFA_ENCRYPTION_KEYS: env.VERIFA_ENCRYPTION_KEYS || secrets.VERIFA_ENCRYPTION_KEYS,
      VERIFA_INDEX_KEY: env.VERIFA_INDEX_KEY || secrets.VERIFA_INDEX_KEY,
      VERIFA_SIGNING_KEYS: env.VERIFA_SIGNING_KEYS || secrets.VERIFA_SIGNING_KEYS,
      VERIFA_BLOB_DIR: env.VERIFA_BLOB_DIR || `${dataDir}/blobs`,
    },
    embedded: true,
    dataDir,
    stop: () => server.stop(),
  };
}

/**
 * Admin scripts run beside `deno task start`: they use its embedded Postgres when it is running
 * (and leave it running), and a boot failure is one sentence and exit 78, as for the servers.
 */
function prepareForScript(): Promise<PreparedEnvironment> {
  return bootStepOrExit(() => prepareEnvironment(Deno.env.toObject(), (line) => console.error(line), { attach: true }));
}

/**
 * For admin scripts: a migrated database handle (embedded or DATABASE_URL) for the length of
 * `work`; `migrate: false` leaves the schema as it is (`migrate --status` only looks).
 */
export async function withProductDatabase<T>(
  work: (db: Db) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const prepared = await prepareForScript();
  const db = createDb(prepared.env.DATABASE_URL!, 2);
  try {
    if (options.migrate ?? true) await migrateToLatest(db);
    return await work(db);
  } finally {
    await db.destroy();
    await prepared.stop();
  }
}

/**
 * For admin scripts that work on data (retention, key rotation): the full dependency bundle —
 * config from the environment (embedded or DATABASE_URL), key ring, blob store, a migrated
 * database — for the length of `work`. Scripts enqueue no jobs; logs go to stderr as JSON.
 * `migrate: false` leaves the schema as it is: a backup must capture the database as it was
 * before an upgrade, and a restore migrates only once the dump is in.
 */
export async function withProductDeps<T>(
  work: (deps: CoreDeps, config: Readonly<Config>) => Promise<T>,
  options: { poolSize?: number; migrate?: boolean } = {},
): Promise<T> {
  const prepared = await prepareForScript();
  const config = await parseConfigOrExit(prepared.env, { runWorker: false }, () => prepared.stop());
  const sized = options.poolSize ? { ...config, dbPoolSize: options.poolSize } : config;
  const deps = await createCoreDeps(sized, createLogger(config.logLevel, (line) => console.error(line)), noJobs);
  try {
    if (options.migrate ?? true) await migrateToLatest(deps.db);
    return await work(deps, config);
  } finally {
    await deps.close();
    await prepared.stop();
  }
}

const noJobs = {
  enqueue(): Promise<void> {
    return Promise.reject(new Error("admin scripts do not enqueue jobs"));
  },
  enqueueMany(): Promise<void> {
    return Promise.reject(new Error("admin scripts do not enqueue jobs"));
  },
  stop: async () => {},
};
