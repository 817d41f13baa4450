/**
 * Composition root of the API process (compose's `api` service): reads the environment once,
 * builds the clients, serves HTTP, and runs the worker too when VERIFA_RUN_WORKER is true.
 */
import { ConfigError, parseConfig } from "../core/config.ts";
import { createLogger } from "../core/logger.ts";
import { createCoreDeps } from "../core/runtime.ts";
import { createApp } from "./app.ts";
import { serveApp } from "./server.ts";
import { startWorker } from "../worker/runner.ts";

try {
  const config = parseConfig(Deno.env.toObject(), { runWorker: false });
  const log = createLogger(config.logLevel);
  const deps = await createCoreDeps(config, log);
  const worker = config.runWorker ? await startWorker(deps, config.databaseUrl) : null;
  const server = serveApp(
    createApp({ ...deps, trustProxy: config.trustProxy }),
    config.port,
    "0.0.0.0",
    (port) => log.info("api listening", { port, public_url: config.publicUrl }),
  );
  const shutdown = async () => {
    log.info("shutting down");
    await server.shutdown();
    await worker?.stop();
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
