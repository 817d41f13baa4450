/**
 * Owns a process's operations listener on VERIFA_METRICS_PORT, apart from the public port:
 * `/metrics` for Prometheus, and `/livez` and `/readyz`, which are the worker's health check (it
 * has no public port). `startObservability` is what each composition root calls: the registry
 * with the installation gauges, the worker's heartbeat when the process runs the worker, and the
 * listener when a port is configured.
 */
import type { CoreDeps } from "../deps.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { registerInstallationMetrics } from "./installation_metrics.ts";
import { type Heartbeat, startHeartbeat } from "./heartbeat.ts";
import { livezResponse, type ProbeDeps, readyzResponse } from "./probes.ts";
import { Gauge } from "prom-client";

export interface OpsServerOptions {
  port: number;
  hostname?: string;
  metrics: Metrics;
  probes: ProbeDeps;
  onListen?: (port: number) => void;
}

export function serveOps(options: OpsServerOptions): Deno.HttpServer {
  return Deno.serve(
    {
      port: options.port,
      hostname: options.hostname ?? "0.0.0.0",
      onListen: ({ port }) => options.onListen?.(port),
    },
    async (request) => {
      const { pathname } = new URL(request.url);
      if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405 });
      if (pathname === "/metrics") {
        const { registry } = options.metrics;
        return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType } });
      }
      if (pathname === "/livez") return livezResponse();
      if (pathname === "/readyz") return await readyzResponse(options.probes);
      return new Response("not found\n", { status: 404 });
    },
  );
}

export interface Observability {
  metrics: Metrics;
  /** Present when the process runs the worker. */
  heartbeat: Heartbeat | null;
  stop(): Promise<void>;
}

export interface ObservabilityOptions {
  /** VERIFA_METRICS_PORT; null: no listener (metrics are still recorded, nobody reads them). */
  port: number | null;
  /** The worker's pg-boss (typed by what the heartbeat uses: core imports no queue framework), when this process runs it. */
  workerBoss?: { getDb(): { executeSql(text: string): Promise<unknown> } } | null;
  cacheMs?: number;
  hostname?: string;
  onListen?: (port: number) => void;
}

export function startObservability(deps: CoreDeps, options: ObservabilityOptions): Observability {
  const metrics = createMetrics();
  registerInstallationMetrics(metrics.registry, deps, { cacheMs: options.cacheMs });
  const boss = options.workerBoss;
  // The beat goes through pg-boss's own pool: the connections the worker fetches jobs with.
  const heartbeat = boss ? startHeartbeat(() => boss.getDb().executeSql("SELECT 1")) : null;
  if (heartbeat) {
    new Gauge({
      name: "verifa_worker_heartbeat_age_seconds",
      help: "Seconds since this process's worker last reached the database through pg-boss.",
      registers: [metrics.registry],
      collect() {
        this.set(Math.min(heartbeat.ageMs(), Number.MAX_SAFE_INTEGER) / 1000);
      },
    });
  }
  const server = options.port === null ? null : serveOps({
    port: options.port,
    hostname: options.hostname,
    metrics,
    probes: { db: deps.db, blobs: deps.blobs, heartbeat },
    onListen: (port) => {
      deps.log.info("metrics listening", { port });
      options.onListen?.(port);
    },
  });
  return {
    metrics,
    heartbeat,
    async stop() {
      // Not ready from here on: the heartbeat stops before the worker drains.
      heartbeat?.stop();
      await server?.shutdown();
    },
  };
}
