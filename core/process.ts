/** Owns process lifecycle for the composition roots: config errors exit 78, and SIGTERM/SIGINT shut down in order. */
import { type Config, type ConfigDefaults, ConfigError, parseConfig } from "./config.ts";

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
