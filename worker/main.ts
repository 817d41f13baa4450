/** Composition root of the worker process (compose's `worker` service): pg-boss jobs and schedules. */
import { onShutdown, parseConfigOrExit } from "../core/process.ts";
import { createLogger } from "../core/logger.ts";
import { createCoreDeps } from "../core/runtime.ts";
import { createSandboxedEngines } from "../core/verification/engines.ts";
import { createPgBossQueue } from "./queue_client.ts";
import { startWorker } from "./runner.ts";
import { startObservability } from "../core/observability/ops_server.ts";

const config = await parseConfigOrExit(Deno.env.toObject(), { runWorker: true });
const log = createLogger(config.logLevel);
// The engines run in one sandbox subprocess with network denied; closed after the jobs drain.
const engines = createSandboxedEngines({ log });
const deps = { ...await createCoreDeps(config, log, createPgBossQueue(config.databaseUrl, log)), engines };
const worker = await startWorker(deps, config.databaseUrl);
// VERIFA_METRICS_PORT: the worker's metrics, and /livez and /readyz (its heartbeat) for compose's health check.
const observability = startObservability(deps, { port: config.metricsPort, workerBoss: worker.boss });
onShutdown([
  () => log.info("worker shutting down"),
  observability.stop,
  () => worker.stop(),
  deps.close,
  engines.close,
]);
