/**
 * Owns the engine sandbox process: a `deno run` child with network, remote imports, subprocesses
 * and writes denied and reads scoped to the engine code and node_modules, started on the first
 * request, started again on the request after it died, and spoken to by request id over its
 * stdin/stdout. A subprocess rather than a Deno Worker: its permissions are plain CLI flags (a
 * Worker's need --unstable-worker-options), a crash in native code (sharp, wasm) or an exhausted
 * heap kills it and not the worker, and its memory is its own to measure.
 */
import { fileURLToPath } from "node:url";
import { type Logger, silentLogger } from "../../logger.ts";
import { encodeFrame, FrameError, readFrames } from "./frames.ts";
import {
  fromWireError,
  type LoadedEngine,
  type SandboxMemory,
  type SandboxOp,
  type SandboxResponse,
} from "./protocol.ts";

export interface EngineSandboxOptions {
  /** The module the child runs: one that calls serveEngines() with the engine loaders. */
  entry: URL;
  log?: Logger;
  /**
   * A request unanswered this long kills the sandbox: a wedged wasm loop cannot be interrupted, and
   * the check runner retries the failed call on a fresh one. Cold model loads fit well inside.
   */
  requestTimeoutMs?: number;
  /** Told of each method call as it is sent (engine and method names only), e.g. for a test to kill it mid-call. */
  onCall?: (call: { engine: string; method: string; pid: number }) => void;
}

export interface EngineSandbox {
  /** Loads an engine in the sandbox and describes it (its data members and method names). */
  load(engine: string): Promise<LoadedEngine>;
  call(engine: string, method: string, args: unknown[]): Promise<unknown>;
  memory(): Promise<SandboxMemory>;
  /** The running sandbox's pid; null before the first request and once it has stopped. */
  readonly pid: number | null;
  /** Lets in-flight calls finish, then ends the child; calls after this fail. */
  close(): Promise<void>;
}

/** The sandbox died or was closed: not an AppError, so the check runner treats it as transient and retries. */
export class EngineSandboxError extends Error {
  override name = "EngineSandboxError";
}

const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
/** How long close() waits for in-flight calls before it kills the sandbox. */
const CLOSE_GRACE_MS = 10_000;
/** The project root: deno.json, core/ and node_modules/. */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/**
 * What the child's environment keeps of ours: where Deno's cache is, nothing else. The worker's
 * environment holds the database URL and encryption keys; the sandbox needs none of it.
 */
const PASSED_ENV = ["HOME", "DENO_DIR", "XDG_CACHE_HOME"];

export function createEngineSandbox(options: EngineSandboxOptions): EngineSandbox {
  const log = options.log ?? silentLogger;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let current: SandboxProcess | undefined;
  let closed = false;

  const running = (): SandboxProcess => {
    if (closed) throw new EngineSandboxError("The engine sandbox is closed.");
    if (!current || current.stopped) {
      current = new SandboxProcess(sandboxArgs(options.entry), childEnv(), timeoutMs, () => closed, log);
    }
    return current;
  };
  const request = async (op: SandboxOp) => await running().request(op);

  return {
    load: (engine) => request({ op: "load", engine }) as Promise<LoadedEngine>,
    async call(engine, method, args) {
      const sandbox = running();
      const answer = sandbox.request({ op: "call", engine, method, args });
      options.onCall?.({ engine, method, pid: sandbox.pid });
      return await answer;
    },
    memory: () => request({ op: "memory" }) as Promise<SandboxMemory>,
    get pid() {
      return current && !current.stopped ? current.pid : null;
    },
    async close() {
      closed = true;
      await current?.close();
    },
  };
}

/** The child's flags: every permission it has is listed here. */
export function sandboxArgs(entry: URL): string[] {
  return [
    "run",
    "--quiet",
    "--no-prompt",
    // Deno itself may not download a module either: everything comes from node_modules.
    "--cached-only",
    `--config=${ROOT}deno.json`,
    // Static imports need no read permission; engines read their packages' files, and
    // npm_package.ts looks for node_modules/ upwards from core/engines/. Not deno.json, not .verifa/.
    `--allow-read=${ROOT}core,${ROOT}node_modules`,
    // sharp is a native addon; its binaries are inside node_modules.
    `--allow-ffi=${ROOT}node_modules`,
    // The environment is ours to fill (see childEnv); the libraries read cpu count and host name.
    "--allow-env",
    "--allow-sys=cpus,hostname,networkInterfaces",
    "--deny-net",
    "--deny-import",
    "--deny-run",
    "--deny-write",
    fileURLToPath(entry),
  ];
}

function childEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" };
  for (const name of PASSED_ENV) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

let nextId = 1;

/** One run of the child; once stopped it is never reused. */
class SandboxProcess {
  readonly pid: number;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #pending = new Map<number, Pending>();
  #stopped = false;
  /** Why we killed it, for the callers' error and the log. */
  #killedBecause: string | null = null;
  #exited: Promise<void>;

  constructor(
    args: string[],
    env: Record<string, string>,
    private readonly timeoutMs: number,
    private readonly closing: () => boolean,
    private readonly log: Logger,
  ) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      clearEnv: true,
      env,
      stdin: "piped",
      stdout: "piped",
      // Deno's own diagnostics (a permission it lacks, an uncaught error) go to the worker's stderr,
      // beside its JSON log lines on stdout; the sandbox drops the libraries' informational output.
      stderr: "inherit",
    }).spawn();
    this.pid = this.#child.pid;
    // An idle sandbox never keeps the worker (or a test) alive; each pending request holds a ref.
    this.#child.unref();
    this.#writer = this.#child.stdin.getWriter();
    const reading = this.#read();
    const exit = this.#child.status.then((status) => this.#stop(status));
    this.#exited = Promise.all([reading, exit]).then(() => {});
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  request(op: SandboxOp): Promise<unknown> {
    if (this.#stopped) return Promise.reject(new EngineSandboxError("The engine sandbox stopped."));
    const id = nextId++;
    // Encoded before anything is registered: an argument that cannot be sent fails this call only.
    const frame = encodeFrame({ ...op, id });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#kill(`gave no answer within ${this.timeoutMs} ms`), this.timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      if (this.#pending.size === 1) this.#child.ref();
      // A write fails when the child is gone or going; its exit status says why.
      this.#writer.write(frame).catch(() => this.#kill());
    });
  }

  async close(): Promise<void> {
    // End of input: the sandbox answers what it has, then exits.
    await this.#writer.close().catch(() => {});
    const grace = setTimeout(() => this.#kill("did not exit when closed"), CLOSE_GRACE_MS);
    try {
      await this.#exited;
    } finally {
      clearTimeout(grace);
    }
  }

  async #read(): Promise<void> {
    try {
      for await (const message of readFrames(this.#child.stdout)) this.#settle(message as SandboxResponse);
    } catch (error) {
      this.#kill(error instanceof FrameError ? error.message : "could not be read");
    }
  }

  #settle(response: SandboxResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#forget(response.id, pending);
    if (response.ok) pending.resolve(response.value);
    else pending.reject(fromWireError(response.error));
  }

  #forget(id: number, pending: Pending): void {
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#child.unref();
  }

  #kill(reason?: string): void {
    if (this.#stopped) return;
    if (reason) this.#killedBecause ??= reason;
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // Already exited: its status is on the way.
    }
  }

  /** The child has exited: every call still waiting fails as transient, and the next request starts a new one. */
  #stop(status: Deno.CommandStatus): void {
    this.#stopped = true;
    const how = status.signal ? `was killed (${status.signal})` : `exited with code ${status.code}`;
    const reason = this.#killedBecause ? `${this.#killedBecause} and was killed` : how;
    const waiting = [...this.#pending.entries()];
    if (!this.closing() || waiting.length) {
      this.log.warn("engine sandbox stopped", { pid: this.pid, reason, in_flight: waiting.length });
    }
    for (const [id, pending] of waiting) {
      this.#forget(id, pending);
      pending.reject(
        new EngineSandboxError(`The engine sandbox ${reason} before answering; the next call starts a new one.`),
      );
    }
  }
}
