/**
 * Owns rate limiting: a fixed one-minute window per API key, reported on every response in
 * X-RateLimit-* headers; on the public capture surface (/verify/{token}…, no API key) one window
 * per capture token and one per client IP; per client IP on the dashboard's sign-in ceremonies;
 * 429 and Retry-After once a window is spent.
 * Counts live in Postgres (core/rate_limits/windows.ts), so every API process shares them: a
 * key's limit holds however many replicas serve it.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http.ts";
import type { Kysely } from "kysely";
import type { Database } from "../../core/db/database.ts";
import { AppError } from "../../core/errors.ts";
import { SharedWindows, type WindowHit, type WindowState } from "../../core/rate_limits/windows.ts";

/** Counts requests in the shared windows, on the app's clock. */
export class RateLimiter {
  private readonly windows: SharedWindows;

  constructor(db: Kysely<Database>, indexKey: Uint8Array, readonly clock: () => Date) {
    this.windows = new SharedWindows(db, indexKey);
  }

  /** Counts one request in each window and returns each window's state, in order. */
  hit(windows: readonly WindowHit[]): Promise<WindowState[]> {
    return this.windows.hit(windows, this.clock());
  }
}

function rateLimited(resetAt: number, clock: () => Date, headers: Record<string, string> = {}): AppError {
  const retryAfter = Math.max(1, Math.ceil((resetAt - clock().getTime()) / 1000));
  return new AppError("rate_limited", `Rate limit exceeded. Retry after ${retryAfter} seconds.`, undefined, {
    ...headers,
    "Retry-After": String(retryAfter),
  });
}

export function rateLimit(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    const [state] = await limiter.hit([{ name: `api-key:${principal.keyId}`, limit: principal.rateLimitPerMinute }]);
    const headers = {
      "X-RateLimit-Limit": String(principal.rateLimitPerMinute),
      "X-RateLimit-Remaining": String(state.remaining),
      "X-RateLimit-Reset": String(Math.ceil(state.resetAt / 1000)),
    };
    if (!state.allowed) throw rateLimited(state.resetAt, limiter.clock, headers);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

/** Requests per minute on /verify/… (VERIFA_CAPTURE_RATE_LIMIT_PER_TOKEN / _PER_IP). */
export interface CaptureRateLimits {
  perToken: number;
  perIp: number;
}

/**
 * A capture flow makes a few dozen calls, and its processing screen polls the state every 2 s
 * (30 a minute): 120 leaves room for retries. Per IP, applicants behind one office NAT share 600.
 */
export const DEFAULT_CAPTURE_RATE_LIMITS: CaptureRateLimits = { perToken: 120, perIp: 600 };

/**
 * The capture surface's credential is the token in the path, so the token is what is counted: one
 * leaked or scripted token cannot flood uploads and decodes. The per-IP window bounds a client
 * trying many tokens (guessing, or one per session it created). Both are counted before the
 * lookup of the token, so an unknown token costs the same. A request with no client address
 * (app.request() in tests; never a served socket) has no IP window.
 */
export function captureRateLimit(limiter: RateLimiter, limits: CaptureRateLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // /verify/{token} and /verify/{token}/…: the second segment.
    const token = c.req.path.split("/")[2] ?? "";
    const ip = c.get("clientIp");
    await spend(limiter, [
      { name: `capture-token:${token}`, limit: limits.perToken },
      ...ip ? [{ name: `capture-ip:${ip}`, limit: limits.perIp }] : [],
    ]);
    await next();
  };
}

/**
 * Sign-in and enrolment ceremonies (/dashboard/auth/…) answer anyone, and each options call
 * stores a challenge: per client IP they are held to what people signing in need (a ceremony is
 * two calls; an office behind one NAT signs in a few people a minute).
 */
export const DASHBOARD_AUTH_PER_IP_PER_MINUTE = 60;

/** One window per client IP (none without an address, as for the capture IP window). */
export function perIpRateLimit(limiter: RateLimiter, name: string, perMinute: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ip = c.get("clientIp");
    if (ip) await spend(limiter, [{ name: `${name}:${ip}`, limit: perMinute }]);
    await next();
  };
}

/** Counts one request in each window; 429 with the latest reset among the spent ones. */
async function spend(limiter: RateLimiter, windows: readonly WindowHit[]): Promise<void> {
  const spent = (await limiter.hit(windows)).filter((state) => !state.allowed);
  if (spent.length > 0) throw rateLimited(Math.max(...spent.map((state) => state.resetAt)), limiter.clock);
}
