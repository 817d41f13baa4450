/**
 * Bench composition root of the worker: builds it exactly as worker/main.ts does (pg-boss queues,
 * jobs, the outbox relay), but logs to stderr (the runner drains stdout) and prints `0` on stdout
 * once started: the worker listens on no port, and the bench runner reads that line as "ready".
 * With BENCH_CPU_PROFILE_FILE=path it samples its CPU and writes that .cpuprofile on shutdown.
 */
import { onShutdown, parseConfigOrExit } from "../../core/process.ts";
import { createLogger } from "../../core/logger.ts";
import { createCoreDeps } from "../../core/runtime.ts";
import { createSandboxedEngines } from "../../core/verification/engines.ts";
import { createPgBossQueue } from "../../worker/queue_client.ts";
import { startWorker } from "../../worker/runner.ts";
import { startCpuProfile } from "../cpu_profile.ts";

const profileFile = Deno.env.get("BENCH_CPU_PROFILE_FILE");
const stopProfile = profileFile ? await startCpuProfile() : null;

const config = await parseConfigOrExit(Deno.env.toObject(), { runWorker: true });
const log = createLogger(config.logLevel, console.error);
const engines = createSandboxedEngines({ log });
const deps = { ...await createCoreDeps(config, log, createPgBossQueue(config.databaseUrl, log)), engines };
const worker = await startWorker(deps, config.databaseUrl);
console.log("0");
onShutdown([
  () => worker.stop(),
  deps.close,
  engines.close,
  async () => {
    if (profileFile) await stopProfile?.(profileFile);
  },
]);
