/**
 * Owns a process's Prometheus registry and the metrics recorded as things happen (HTTP requests).
 * Gauges read from the database at scrape time live in installation_metrics.ts. Each process
 * builds its own registry (never prom-client's global one), so two in one test do not collide.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  /** `route` is the pattern that answered (`/verify/:token`), never the raw path: paths carry tokens. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Methods outside this list are counted as OTHER: a label must not take whatever a client sends. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** From a fast JSON read to a capture upload that waits for a decode slot. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(): Metrics {
  const registry = new Registry();
  // CPU, memory, event-loop lag and open handles, prefixed like ours.
  collectDefaultMetrics({ register: registry, prefix: "verifa_" });
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({
    name: "verifa_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status.",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "verifa_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method, route pattern and status.",
    labelNames,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const labels = { method: METHODS.has(method) ? method : "OTHER", route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
