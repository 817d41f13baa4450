/**
 * Owns the sandbox side of the engine protocol: reads request frames from stdin, loads each engine
 * once with the in-process factories it is given, runs calls concurrently (each engine queues its
 * own work) and answers on stdout by request id. stdin's end is the signal to finish and exit.
 */
import process from "node:process";
import { encodeFrame, readFrames } from "./frames.ts";
import { type LoadedEngine, type SandboxRequest, type SandboxResponse, toWireError } from "./protocol.ts";
import { AppError } from "../../errors.ts";

export type EngineLoaders = Record<string, () => Promise<object>>;

export async function serveEngines(loaders: EngineLoaders): Promise<never> {
  keepStdoutForFrames();
  // Ctrl-C (and a supervisor stopping the whole group) reaches the sandbox too; the host drains its
  // jobs first and then closes stdin, which is the sandbox's only signal to finish.
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => {});
  const out = Deno.stdout.writable.getWriter();
  const loaded = new Map<string, Promise<object>>();
  const engine = (name: string): Promise<object> => {
    if (!Object.hasOwn(loaders, name)) {
      return Promise.reject(new AppError("internal_error", `The sandbox has no ${name} engine.`));
    }
    let engine = loaded.get(name);
    if (!engine) {
      engine = loaders[name]().catch((error) => {
        loaded.delete(name);
        throw error;
      });
      loaded.set(name, engine);
    }
    return engine;
  };

  const answer = async (request: SandboxRequest): Promise<unknown> => {
    if (request.op === "memory") return { pid: Deno.pid, rssBytes: Deno.memoryUsage().rss };
    const target = await engine(request.engine) as Record<string, unknown>;
    if (request.op === "load") return describe(target);
    const method = target[request.method];
    if (typeof method !== "function") {
      throw new AppError("internal_error", `The ${request.engine} engine has no method ${request.method}.`);
    }
    const value = await method.apply(target, request.args);
    // A closed engine is gone (the OCR engine ends its thread); the next call loads a new one.
    if (request.method === "close") loaded.delete(request.engine);
    return value;
  };

  const inFlight = new Set<Promise<void>>();
  try {
    for await (const message of readFrames(Deno.stdin.readable)) {
      const request = message as SandboxRequest;
      const task = answer(request).then(
        (value): SandboxResponse => ({ id: request.id, ok: true, value }),
        (error): SandboxResponse => ({ id: request.id, ok: false, error: toWireError(error) }),
      ).then((response) => out.write(frameOf(response)));
      inFlight.add(task);
      task.finally(() => inFlight.delete(task));
    }
  } catch (error) {
    console.error(`engine sandbox: ${error instanceof Error ? error.message : error}`);
    Deno.exit(2);
  }
  // The host closed stdin: finish what was asked, then exit (engine threads would keep us alive).
  await Promise.allSettled(inFlight);
  await out.close().catch(() => {});
  Deno.exit(0);
}

/** A value that cannot be serialized (a function in a result) is reported as that call's error. */
function frameOf(response: SandboxResponse): Uint8Array {
  try {
    return encodeFrame(response);
  } catch (error) {
    return encodeFrame({ id: response.id, ok: false, error: toWireError(error) });
  }
}

function describe(engine: Record<string, unknown>): LoadedEngine {
  const data: Record<string, unknown> = {};
  const methods = new Set<string>();
  for (let level: object | null = engine; level && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const key of Object.getOwnPropertyNames(level)) {
      if (key === "constructor") continue;
      if (typeof engine[key] === "function") methods.add(key);
      else if (level === engine) data[key] = engine[key];
    }
  }
  return { data, methods: [...methods] };
}

/**
 * stdout carries frames only. Libraries' informational console output is dropped (it could echo
 * what they read), their warnings and errors go to stderr, and direct writes to process.stdout are
 * sent to stderr too; a stray write that still reached stdout fails the frame check on the host.
 */
function keepStdoutForFrames(): void {
  const drop = () => {};
  console.log = drop;
  console.info = drop;
  console.debug = drop;
  console.dir = drop;
  console.table = drop;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
}
