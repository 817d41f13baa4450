/**
 * Owns the outermost layer: the request id, the client IP, one JSON access-log line per request,
 * and the security headers every response carries.
 */
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "../http.ts";
import type { Logger } from "../../core/logger.ts";
import { newId } from "../../core/ids.ts";
import { ipToBigInt } from "../../core/net/ip.ts";
import { withRequestId } from "../../core/observability/request_scope.ts";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * How the client address is found. `trustedProxies` counts the proxies we run in front of the API
 * (0: none, the socket's peer is the client); each appends the address it received the request
 * from to X-Forwarded-For, so only that many entries, read from the right, were written by us.
 */
export interface ClientIpPolicy {
  trustedProxies: number;
}

export function requestContext(log: Logger, policy: ClientIpPolicy): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : newId("req");
    c.set("requestId", requestId);
    c.set("clientIp", clientIp(c.env, c.req.header("x-forwarded-for"), policy.trustedProxies));
    c.set("log", log);
    // In scope for the chain: log lines and enqueued jobs carry the id without being handed it.
    await withRequestId(requestId, next);
    c.header("X-Request-Id", requestId);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    const principal = c.get("principal");
    // The raw path carries credentials (capture tokens /verify/tok_…, enrolment links
    // /dashboard/enrol/enr_…) and the query string may carry search terms (PII): neither is logged.
    log.info("request", {
      request_id: requestId,
      method: c.req.method,
      path: loggedPath(c),
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      org_id: principal?.orgId,
      environment: principal?.environment,
      key_id: principal?.keyId,
    });
  };
}

/**
 * The route pattern that answered (`/verify/:token/documents`), read after the chain ran, when the
 * route index points at the handler that responded. A request no route answered (a 404, a static
 * file under a `*` route, a middleware that refused it first) only matched wildcard patterns,
 * which say nothing: its raw path is logged with every token-shaped segment replaced.
 */
function loggedPath(c: Context<AppEnv>): string {
  const pattern = routePath(c);
  if (pattern && !pattern.includes("*")) return pattern;
  return redactPath(c.req.path);
}

/**
 * Our ids and tokens are `prefix_` + random base36 (core/ids.ts): such a segment, or any long
 * run of token characters (a secret sent without its prefix), is replaced. File names
 * (`capture.js`) and words (`verifications`) stay readable.
 */
const TOKEN_SHAPED = /^([a-z]{2,8}_[A-Za-z0-9]{8,}|[A-Za-z0-9_-]{20,})$/;

function redactPath(path: string): string {
  return path.split("/").map((segment) => TOKEN_SHAPED.test(segment) ? ":redacted" : segment).join("/");
}

/**
 * The client's address. Behind `trustedProxies` proxies, X-Forwarded-For ends with the entries
 * they appended: the one `trustedProxies` from the right is what the outermost of our proxies
 * saw, the client. Anything left of it was sent by the client and proves nothing (taking the
 * left-most entry let anyone pick their address, for IP allowlists and per-IP rate limits alike).
 * A header shorter than the chain was written by our proxies only, so its left-most entry stands.
 */
function clientIp(env: unknown, forwardedFor: string | undefined, trustedProxies: number): string | null {
  const remote = (env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr?.hostname ?? null;
  if (trustedProxies <= 0 || !forwardedFor) return remote;
  const entries = forwardedFor.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return remote;
  const candidate = entries[Math.max(0, entries.length - trustedProxies)];
  // A proxy of ours writes an address; anything else means the header did not come from one.
  return ipToBigInt(candidate) !== null ? candidate : remote;
}
