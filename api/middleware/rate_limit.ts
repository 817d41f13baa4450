/**
 * Owns rate limiting: a fixed one-minute window per API key, reported on every response in
 * X-RateLimit-* headers; on the public capture surface (/verify/{token}…, no API key) one window
 * per capture token and one per client IP; per client IP on the dashboard's sign-in ceremonies;
 * 429 and Retry-After once a window is spent.
 * Counts live in this process's memory: the limit holds per API process, which is what the
 * compose stack runs; several replicas each allow the full limit.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http.ts";
import { AppError } from "../../core/errors.ts";

const WINDOW_MS = 60_000;

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  constructor(private readonly clock: () => Date) {}

  /** Counts one request and returns the state the headers report. */
  hit(key: string, limit: number): { allowed: boolean; remaining: number; resetAt: number } {
    const now = this.clock().getTime();
    const start = now - (now % WINDOW_MS);
    let window = this.#windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.#windows.set(key, window);
      this.#evictStale(start);
    }
    const allowed = window.count < limit;
    if (allowed) window.count++;
    return { allowed, remaining: Math.max(0, limit - window.count), resetAt: start + WINDOW_MS };
  }

  #evictStale(currentStart: number): void {
    if (this.#windows.size < 10_000) return;
    for (const [key, window] of this.#windows) if (window.start !== currentStart) this.#windows.delete(key);
  }
}

function rateLimited(resetAt: number, clock: () => Date, headers: Record<string, string> = {}): AppError {
  const retryAfter = Math.max(1, Math.ceil((resetAt - clock().getTime()) / 1000));
  return new AppError("rate_limited", `Rate limit exceeded. Retry after ${retryAfter} seconds.`, undefined, {
    ...headers,
    "Retry-After": String(retryAfter),
  });
}

export function rateLimit(limiter: RateLimiter, clock: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    const state = limiter.hit(principal.keyId, principal.rateLimitPerMinute);
    const headers = {
      "X-RateLimit-Limit": String(principal.rateLimitPerMinute),
      "X-RateLimit-Remaining": String(state.remaining),
      "X-RateLimit-Reset": String(Math.ceil(state.resetAt / 1000)),
    };
    if (!state.allowed) throw rateLimited(state.resetAt, clock, headers);
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
export function captureRateLimit(
  limiter: RateLimiter,
  clock: () => Date,
  limits: CaptureRateLimits,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // /verify/{token} and /verify/{token}/…: the second segment.
    const token = c.req.path.split("/")[2] ?? "";
    const ip = c.get("clientIp");
    spend(limiter, clock, [
      [`capture-token:${token}`, limits.perToken],
      ...ip ? [[`capture-ip:${ip}`, limits.perIp] as const] : [],
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
export function perIpRateLimit(
  limiter: RateLimiter,
  clock: () => Date,
  name: string,
  perMinute: number,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ip = c.get("clientIp");
    if (ip) spend(limiter, clock, [[`${name}:${ip}`, perMinute]]);
    await next();
  };
}

/** Counts one request in each window; 429 with the latest reset among the spent ones. */
function spend(limiter: RateLimiter, clock: () => Date, windows: readonly (readonly [string, number])[]): void {
  const spent = windows.map(([key, limit]) => limiter.hit(key, limit)).filter((state) => !state.allowed);
  if (spent.length > 0) throw rateLimited(Math.max(...spent.map((state) => state.resetAt)), clock);
}
