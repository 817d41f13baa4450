/**
 * Owns recording each request in the HTTP metrics, labelled by the route pattern that answered
 * (`/verify/:token`), read after the chain ran like the access log's. Unlike the log it never
 * falls back to the raw path: a request no concrete route answered is counted under the wildcard
 * pattern it matched (`/*`), so no token or random path ever becomes a label.
 */
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "../http.ts";
import type { Metrics } from "../../core/observability/metrics.ts";

export function httpMetrics(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    metrics.observeRequest(c.req.method, routePath(c) || "/*", c.res.status, (performance.now() - started) / 1000);
  };
}
