/**
 * Owns turning an engine in the sandbox back into the engine interface the checks call: its data
 * members (e.g. `versions`) fetched once at load, each async method forwarded as a call, and each
 * synchronous method run here by a model-free function (a round trip cannot be synchronous).
 */
import { AppError } from "../../errors.ts";
import type { EngineSandbox } from "./host.ts";

// deno-lint-ignore no-explicit-any
type Method = (...args: any[]) => unknown;
// deno-lint-ignore no-explicit-any
type AsyncMethod = (...args: any[]) => Promise<unknown>;

/** Names of T's members that return a promise. */
export type AsyncMethodName<T> = { [K in keyof T]-?: T[K] extends AsyncMethod ? K : never }[keyof T];
/** Names of T's members that are functions returning anything else. */
export type SyncMethodName<T> = {
  [K in keyof T]-?: T[K] extends AsyncMethod ? never : T[K] extends Method ? K : never;
}[keyof T];

/**
 * How to rebuild engine T outside the sandbox. Both halves are typed over T: a new async method on
 * the interface fails to compile until it is listed in `forwarded`, a new synchronous one until it
 * has a local implementation.
 */
export interface RemoteEngineSpec<T> {
  forwarded: Record<AsyncMethodName<T>, true>;
  local: Pick<T, SyncMethodName<T>>;
}

export async function remoteEngine<T>(sandbox: EngineSandbox, name: string, spec: RemoteEngineSpec<T>): Promise<T> {
  const { data, methods } = await sandbox.load(name);
  const forwarded = Object.keys(spec.forwarded);
  const missing = forwarded.filter((method) => !methods.includes(method));
  if (missing.length) {
    throw new AppError("internal_error", `The sandboxed ${name} engine lacks ${missing.join(", ")}.`);
  }
  const calls = Object.fromEntries(forwarded.map((method) => [method, (...args: unknown[]) => {
    const answer = sandbox.call(name, method, args);
    // A dead sandbox fails every in-flight call at once. A caller that started two and awaits one
    // first (extraction starts readText, then awaits the barcode) must not find the other's
    // rejection unhandled, which ends a Deno process; whoever awaits it still gets the error.
    answer.catch(() => {});
    return answer;
  }]));
  return Object.freeze({ ...data, ...calls, ...spec.local }) as T;
}
