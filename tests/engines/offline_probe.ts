/**
 * A sandbox entry for tests: the production engines served exactly as core/verification/
 * engine_sandbox_main.ts serves them (same host, same flags), plus a `probe` engine whose methods
 * try, from inside the sandbox, what the sandbox must not be able to do, and report every URL that
 * anything inside fetched.
 */
import { Buffer } from "node:buffer";
import net from "node:net";
import type { RemoteEngineSpec } from "../../core/engines/sandbox/remote_engine.ts";
import { serveEngines } from "../../core/engines/sandbox/serve.ts";
import { IN_PROCESS_ENGINES } from "../../core/verification/engines.ts";

/** Pass as `entry` to createSandboxedEngines() for a sandbox that also serves the probe. */
export const PROBE_ENTRY = new URL(import.meta.url);

/** What one attempt came to: `ok` when it succeeded, else the error's name and message. */
export interface Attempt {
  ok: boolean;
  error?: string;
  message?: string;
}

export interface ProbeEngine {
  fetch(url: string): Promise<Attempt>;
  connect(port: number): Promise<Attempt>;
  nodeConnect(port: number): Promise<Attempt>;
  /** A dynamic import of a remote module. */
  importModule(url: string): Promise<Attempt>;
  /** fetch() from a Web Worker started inside the sandbox (workers inherit its permissions). */
  workerFetch(url: string): Promise<Attempt>;
  run(): Promise<Attempt>;
  write(path: string): Promise<Attempt>;
  read(path: string): Promise<Attempt>;
  permissions(root: string): Promise<Record<string, string>>;
  env(): Promise<Record<string, string>>;
  /** Every URL fetched since the sandbox started (human loads its models with file:// fetches). */
  fetched(): Promise<string[]>;
  /** Never answers, as a wedged engine would not. */
  hang(): Promise<never>;
  /** Writes bytes straight to stdout, as a careless library might. */
  scribble(): Promise<void>;
}

export const PROBE: RemoteEngineSpec<ProbeEngine> = {
  forwarded: {
    fetch: true,
    connect: true,
    nodeConnect: true,
    importModule: true,
    workerFetch: true,
    run: true,
    write: true,
    read: true,
    permissions: true,
    env: true,
    fetched: true,
    hang: true,
    scribble: true,
  },
  local: {},
};

const fetched: string[] = [];
const realFetch = globalThis.fetch;

async function attempt(action: () => Promise<unknown>): Promise<Attempt> {
  try {
    await action();
    return { ok: true };
  } catch (error) {
    return error instanceof Error ? { ok: false, error: error.name, message: error.message } : { ok: false };
  }
}

const WORKER_SOURCE = `self.onmessage = async (event) => {
  try { await fetch(event.data); self.postMessage({ ok: true }); }
  catch (error) { self.postMessage({ ok: false, error: error.name, message: error.message }); }
};`;

const probe: ProbeEngine = {
  // Not recorded in `fetched`: that list is what the engines fetched.
  fetch: (url) => attempt(() => realFetch(url)),
  connect: (port) =>
    attempt(async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(new TextEncoder().encode("X"));
      conn.close();
    }),
  nodeConnect: (port) =>
    attempt(() =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect({ host: "127.0.0.1", port });
        socket.once("connect", () => socket.end(Buffer.from("N"), resolve));
        socket.once("error", reject);
      })
    ),
  importModule: (url) => attempt(() => import(url)),
  workerFetch: (url) =>
    new Promise((resolve) => {
      const worker = new Worker(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`, { type: "module" });
      worker.onmessage = (event) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        resolve({ ok: false, error: "WorkerError", message: event.message });
      };
      worker.postMessage(url);
    }),
  run: () => attempt(() => new Deno.Command("/bin/sh", { args: ["-c", "exit 0"] }).output()),
  write: (path) => attempt(() => Deno.writeTextFile(path, "x")),
  read: (path) => attempt(() => Deno.readFile(path)),
  permissions: (root) => {
    const state = (descriptor: Deno.PermissionDescriptor) => Deno.permissions.querySync(descriptor).state;
    return Promise.resolve({
      net: state({ name: "net" }),
      import: state({ name: "import" }),
      run: state({ name: "run" }),
      write: state({ name: "write" }),
      readProject: state({ name: "read", path: root }),
      readNodeModules: state({ name: "read", path: `${root}node_modules` }),
      ffiNodeModules: state({ name: "ffi", path: `${root}node_modules` }),
      ffiElsewhere: state({ name: "ffi", path: "/usr/lib" }),
    });
  },
  env: () => Promise.resolve(Deno.env.toObject()),
  fetched: () => Promise.resolve([...fetched]),
  hang: () => new Promise<never>(() => {}),
  scribble: async () => {
    await Deno.stdout.write(new TextEncoder().encode("hello from a library\n"));
  },
};

if (import.meta.main) {
  // Installed before any engine loads; human reads its models with fetch("file://…").
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    fetched.push(input instanceof Request ? input.url : String(input));
    return realFetch(input, init);
  };
  await serveEngines({ ...IN_PROCESS_ENGINES, probe: () => Promise.resolve(probe) });
}
