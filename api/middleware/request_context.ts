/**
 * Owns the outermost layer: the request id, the client IP, one JSON access-log line per request,
 * and the security headers every response carries.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http.ts";
import type { Logger } from "../../core/logger.ts";
import { newId } from "../../core/ids.ts";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(log: Logger, trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : newId("req");
    c.set("requestId", requestId);
    c.set("clientIp", clientIp(c.env, c.req.header("x-forwarded-for"), trustProxy));
    c.set("log", log);
    await next();
    c.header("X-Request-Id", requestId);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    const principal = c.get("principal");
    // The path carries ids only; the query string may carry search terms (PII), so it is not logged.
    log.info("request", {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      org_id: principal?.orgId,
      environment: principal?.environment,
      key_id: principal?.keyId,
    });
  };
}

function clientIp(env: unknown, forwardedFor: string | undefined, trustProxy: boolean): string | null {
  if (trustProxy && forwardedFor) return forwardedFor.split(",")[0].trim();
  const remote = (env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr;
  return remote?.hostname ?? null;
}
