/**
 * Bench composition root of the real API: reads the environment and builds the app exactly as
 * api/main.ts does, but with a silent logger (an access-log line per request would measure the
 * terminal), no worker, and an ephemeral port it prints on stdout when listening. With
 * BENCH_CPU_PROFILE_FILE=path (set by bench/stack.ts under BENCH_CPU_PROFILE=dir) it samples its
 * CPU and writes that .cpuprofile on shutdown.
 */
import { onShutdown, parseConfigOrExit } from "../../core/process.ts";
import { silentLogger } from "../../core/logger.ts";
import { createCoreDeps } from "../../core/runtime.ts";
import { createPgBossQueue } from "../../worker/queue_client.ts";
import { createApp } from "../../api/app.ts";
import { serveApp } from "../../api/server.ts";
import { startCpuProfile } from "../cpu_profile.ts";

const profileFile = Deno.env.get("BENCH_CPU_PROFILE_FILE");
const stopProfile = profileFile ? await startCpuProfile() : null;

const config = await parseConfigOrExit(Deno.env.toObject(), { runWorker: false });
const deps = await createCoreDeps(config, silentLogger, createPgBossQueue(config.databaseUrl, silentLogger));
const server = serveApp(
  createApp({ ...deps, trustProxy: config.trustProxy }),
  0,
  "127.0.0.1",
  (port) => console.log(String(port)),
);
onShutdown([
  () => server.shutdown(),
  deps.close,
  async () => {
    if (profileFile) await stopProfile?.(profileFile);
  },
]);
