/**
 * Owns per-key rate limiting: a fixed one-minute window per API key, reported on every
 * response in X-RateLimit-* headers, with 429 and Retry-After once the window is spent.
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

export function rateLimit(limiter: RateLimiter, clock: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    const state = limiter.hit(principal.keyId, principal.rateLimitPerMinute);
    const headers = {
      "X-RateLimit-Limit": String(principal.rateLimitPerMinute),
      "X-RateLimit-Remaining": String(state.remaining),
      "X-RateLimit-Reset": String(Math.ceil(state.resetAt / 1000)),
    };
    if (!state.allowed) {
      const retryAfter = Math.max(1, Math.ceil((state.resetAt - clock().getTime()) / 1000));
      throw new AppError("rate_limited", `Rate limit exceeded. Retry after ${retryAfter} seconds.`, undefined, {
        ...headers,
        "Retry-After": String(retryAfter),
      });
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
