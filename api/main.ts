/**
 * Composition root of the API process (compose's `api` service): reads the environment once,
 * builds the clients, serves HTTP, and runs the worker too when VERIFA_RUN_WORKER is true.
 */
import { onShutdown, parseConfigOrExit } from "../core/process.ts";
import { createLogger } from "../core/logger.ts";
import { createCoreDeps } from "../core/runtime.ts";
import { createSandboxedEngines } from "../core/verification/engines.ts";
import { createPgBossQueue } from "../worker/queue_client.ts";
import { createApp, httpSettings } from "./app.ts";
import { serveApp } from "./server.ts";
import { startWorker } from "../worker/runner.ts";
import { startObservability } from "../core/observability/ops_server.ts";

const config = await parseConfigOrExit(Deno.env.toObject(), { runWorker: false });
const log = createLogger(config.logLevel);
// The engines run in one sandbox subprocess with network denied, started on first use (the API
// alone never starts it; with VERIFA_RUN_WORKER its jobs do).
const engines = createSandboxedEngines({ log });
const deps = { ...await createCoreDeps(config, log, createPgBossQueue(config.databaseUrl, log)), engines };
const worker = config.runWorker ? await startWorker(deps, config.databaseUrl) : null;
// VERIFA_METRICS_PORT: one listener for the API's metrics and, with VERIFA_RUN_WORKER, the worker's.
const observability = startObservability(deps, { port: config.metricsPort, workerBoss: worker?.boss });
const server = serveApp(
  createApp({ ...deps, ...httpSettings(config), observability }),
  config.port,
  "0.0.0.0",
  (port) => log.info("api listening", { port, public_url: config.publicUrl }),
);
onShutdown([
  () => log.info("shutting down"),
  () => server.shutdown(),
  observability.stop,
  async () => await worker?.stop(),
  deps.close,
  engines.close,
]);
