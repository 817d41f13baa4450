/**
 * Owns process lifecycle for the composition roots: config errors and every other boot failure
 * print one sentence and exit 78, and SIGTERM/SIGINT shut down in order.
 */
import { type Config, type ConfigDefaults, ConfigError, parseConfig } from "./config.ts";
import { describeBootFailure } from "./boot_failure.ts";

type Env = Record<string, string | undefined>;

/** EX_CONFIG from sysexits.h: supervisors should not restart a process whose configuration is wrong. */
const EXIT_CONFIG = 78;

export async function parseConfigOrExit(
  env: Env,
  defaults: ConfigDefaults,
  beforeExit: () => Promise<void> = async () => {},
): Promise<Readonly<Config>> {
  try {
    return parseConfig(env, defaults);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    await beforeExit();
    Deno.exit(EXIT_CONFIG);
  }
}

/** Runs one boot step of an admin script: a failure prints its one sentence and exits 78. */
export async function bootStepOrExit<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    console.error(describeBootFailure(error));
    Deno.exit(EXIT_CONFIG);
  }
}

/**
 * Watches a composition root's boot, from its first line to `done()`: a boot step that throws
 * (top-level await rejects) prints that failure's one sentence, never a stack trace, undoes
 * what the boot had started (latest first, e.g. the embedded Postgres, so nothing is left
 * running) and exits 78. After `done()` an uncaught error is a crash again, reported as Deno does.
 */
export function watchBoot(): { undoOnFailure(step: () => Promise<void> | void): void; done(): void } {
  const undo: (() => Promise<void> | void)[] = [];
  let failing = false;
  const fail = async (error: unknown) => {
    if (failing) return;
    failing = true;
    console.error(describeBootFailure(error));
    // Best effort: the sentence above is what the operator needs; a second failure adds nothing.
    for (const step of undo) await Promise.resolve().then(step).catch(() => {});
    Deno.exit(EXIT_CONFIG);
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    fail(event.reason);
  };
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    fail(event.error);
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  globalThis.addEventListener("error", onError);
  return {
    undoOnFailure: (step) => void undo.unshift(step),
    done: () => {
      globalThis.removeEventListener("unhandledrejection", onRejection);
      globalThis.removeEventListener("error", onError);
    },
  };
}

/** Runs each step once, in order, on the first SIGTERM or SIGINT, then exits 0. */
export function onShutdown(steps: (() => Promise<void> | void)[]): void {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    for (const step of steps) await step();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", shutdown);
  Deno.addSignalListener("SIGINT", shutdown);
}
