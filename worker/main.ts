/** Composition root of the worker process (compose's `worker` service): pg-boss jobs and schedules. */
import { ConfigError, parseConfig } from "../core/config.ts";
import { createLogger } from "../core/logger.ts";
import { createCoreDeps } from "../core/runtime.ts";
import { startWorker } from "./runner.ts";

try {
  const config = parseConfig(Deno.env.toObject(), { runWorker: true });
  const log = createLogger(config.logLevel);
  const deps = await createCoreDeps(config, log);
  const worker = await startWorker(deps, config.databaseUrl);
  const shutdown = async () => {
    log.info("worker shutting down");
    await worker.stop();
    await deps.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", shutdown);
  Deno.addSignalListener("SIGINT", shutdown);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    Deno.exit(78);
  }
  throw error;
}
