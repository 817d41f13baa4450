/**
 * Owns running the product's scripts as real subprocesses for the script tests: an explicit,
 * minimal environment, output collected as it arrives, SIGTERM with a bounded wait, and the last
 * line of defence against a Postgres left running by a process that died.
 */
import { waitFor } from "./test_app.ts";

export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
export const TEST_DATA = `${ROOT}/.test-data`;
/** What a subprocess needs from this one to find deno, its cache and the CA bundle; nothing else leaks in. */
const KEPT_VARIABLES = [
  "PATH",
  "HOME",
  "LANG",
  "TMPDIR",
  "DENO_DIR",
  "XDG_CACHE_HOME",
  "DENO_CERT",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "NODE_EXTRA_CA_CERTS",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
];

export function baseEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of KEPT_VARIABLES) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

export async function makeDataDir(prefix: string): Promise<string> {
  await Deno.mkdir(TEST_DATA, { recursive: true });
  // The embedded Postgres runs as the `postgres` user when we are root and must traverse this folder.
  await Deno.chmod(TEST_DATA, 0o711);
  return await Deno.makeTempDir({ dir: TEST_DATA, prefix });
}

export async function fileMode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** A running subprocess whose stdout and stderr are collected as they arrive. */
export class Proc {
  stdout = "";
  stderr = "";
  exit: Deno.CommandStatus | null = null;
  readonly done: Promise<Deno.CommandStatus>;
  readonly #child: Deno.ChildProcess;

  constructor(args: string[], env: Record<string, string>, cwd = ROOT) {
    this.#child = new Deno.Command(args[0], {
      args: args.slice(1),
      cwd,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const pump = async (stream: ReadableStream<Uint8Array>, into: "stdout" | "stderr") => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) this[into] += text;
    };
    this.done = Promise.all([
      this.#child.status,
      pump(this.#child.stdout, "stdout"),
      pump(this.#child.stderr, "stderr"),
    ]).then(([status]) => (this.exit = status));
  }

  describe(): string {
    return `exit=${JSON.stringify(this.exit)}\n--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`;
  }

  /** SIGKILL: the process dies at once, as in a crash, with no shutdown of its own. */
  async crash(): Promise<Deno.CommandStatus> {
    if (!this.exit) this.#child.kill("SIGKILL");
    return await this.done;
  }

  /** SIGTERM, then a bounded wait; SIGKILL only if the process ignores it (the test then fails). */
  async terminate(timeoutMs = 30_000): Promise<Deno.CommandStatus> {
    if (this.exit) return this.exit;
    this.#child.kill("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    const status = await Promise.race([this.done, timedOut]);
    clearTimeout(timer);
    if (status) return status;
    this.#child.kill("SIGKILL");
    await this.done;
    throw new Error(`process ignored SIGTERM for ${timeoutMs} ms\n${this.describe()}`);
  }
}

/** Runs a command to completion. */
export async function run(args: string[], env: Record<string, string>, cwd = ROOT): Promise<Proc> {
  const proc = new Proc(args, env, cwd);
  await proc.done;
  return proc;
}

/**
 * Last line of defence if a start process died without stopping its Postgres: signal the
 * postmaster recorded in its own data dir (fast shutdown) and wait for it to go.
 */
export async function stopStrayPostgres(pgDataDir: string): Promise<void> {
  const pidFile = `${pgDataDir}/postmaster.pid`;
  let pid: number;
  try {
    pid = Number((await Deno.readTextFile(pidFile)).split("\n")[0]);
  } catch {
    return;
  }
  try {
    Deno.kill(pid, "SIGINT");
  } catch {
    return; // Already gone.
  }
  const gone = async () => (await exists(pidFile)) ? undefined : true;
  await waitFor("stray Postgres to stop", gone, { timeoutMs: 15_000 }).catch(() => {});
}

/** Until the started product answers /health with ok; fails at once if the process has exited. */
export async function waitForHealth(proc: Proc, port: number): Promise<void> {
  await waitFor(`/health on port ${port}`, async () => {
    if (proc.exit) throw new Error(`start exited before serving\n${proc.describe()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      const body = await response.json();
      return response.status === 200 && body.status === "ok" ? true : undefined;
    } catch {
      return undefined;
    }
  }, { timeoutMs: 45_000 });
}
