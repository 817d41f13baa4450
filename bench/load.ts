/**
 * Owns load generation: N client loops each running one operation at a time (an HTTP request over
 * keep-alive connections, or any async work such as an in-process baseline), a warm-up whose
 * operations are discarded, then a measured window whose operations give ops/s and latency
 * percentiles. Any failure (for HTTP: an unexpected status) fails the phase: a fast wrong answer
 * must never read as a fast right one.
 */

import { type CpuCounter, type CpuSample, sample, used } from "./proc_cpu.ts";

export interface LoopOptions {
  /** Named in errors, e.g. "requests to http://…" or "sharp pipelines". */
  what: string;
  /** The i-th operation of the phase; it throws (or rejects) on any wrong outcome. */
  operation: (i: number) => Promise<void>;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Read at the start and end of the measured window; their differences are reported. */
  cpuCounters?: CpuCounter[];
}

export interface LoadOptions {
  /** The i-th request's URL, or one URL for all. */
  url: string | ((i: number) => string);
  /** The i-th request's headers, or one set for all (e.g. a key per tenant). */
  headers: Record<string, string> | ((i: number) => Record<string, string>);
  /** POST unless told; a GET sends no body. */
  method?: "GET" | "POST";
  /** Body of the i-th request of the phase (unique values avoid measuring a cache or a conflict). */
  body?: (i: number) => BodyInit;
  expectStatus: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Read at the start and end of the measured window; their differences are reported. */
  cpuCounters?: CpuCounter[];
}

export interface LoadStats {
  /** Operations completed inside the measured window: the latencies the percentiles rest on. */
  requests: number;
  seconds: number;
  /**
   * Operations per second of the window, each operation counted by the share of its duration that
   * falls inside the window. For millisecond requests this is completions per second; for
   * operations of seconds (uploads) it stops the rate being quantised by the handful that happen
   * to complete in the window, e.g. 8 started together finishing together.
   */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU ms each counter used during the measured window (null where unreadable). */
  cpuMs: Record<string, number | null>;
}

export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoadError";
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `operation` in `concurrency` loops for the warm-up and the measured window. */
export async function runLoops(options: LoopOptions): Promise<LoadStats> {
  const start = performance.now();
  const measureStart = start + options.warmupMs;
  const measureEnd = measureStart + options.durationMs;
  let latencies = new Float64Array(1 << 16);
  let measured = 0;
  /** Σ over operations of (time inside the window ÷ duration). */
  let workInWindow = 0;
  let started = 0;
  let errors = 0;
  let firstError = "";
  const counters = options.cpuCounters ?? [];
  let cpuStart: CpuSample = new Map();
  let cpuEnd: CpuSample = new Map();
  const startTimer = setTimeout(() => cpuStart = sample(counters), options.warmupMs);
  const endTimer = setTimeout(() => cpuEnd = sample(counters), options.warmupMs + options.durationMs);

  const record = (ms: number) => {
    if (measured === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[measured++] = ms;
  };

  const loop = async () => {
    // The first error ends the phase: the run fails anyway, so there is nothing left to measure.
    while (errors === 0 && performance.now() < measureEnd) {
      const i = started++;
      const t0 = performance.now();
      try {
        await options.operation(i);
      } catch (error) {
        errors++;
        firstError ||= error instanceof HttpStatusError
          ? error.message
          : error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error);
        continue;
      }
      const t1 = performance.now();
      if (t1 >= measureStart && t1 < measureEnd) record(t1 - t0);
      const inside = Math.min(t1, measureEnd) - Math.max(t0, measureStart);
      if (inside > 0) workInWindow += inside / (t1 - t0);
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, loop));
  } finally {
    clearTimeout(startTimer);
    clearTimeout(endTimer);
  }
  // A loop can finish a hair before the end timer fires; then the window ends now.
  if (cpuEnd.size === 0) cpuEnd = sample(counters);
  if (errors > 0) throw new LoadError(`${errors} of ${started} ${options.what} failed; first: ${firstError}`);
  const sorted = latencies.slice(0, measured).sort();
  const seconds = options.durationMs / 1000;
  return {
    requests: measured,
    seconds,
    rps: workInWindow / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    cpuMs: used(cpuStart, cpuEnd),
  };
}

/** HTTP load: each operation is one request that must answer `expectStatus`. */
export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  // A client per phase: its own keep-alive pool, closed after, so phases never share connections.
  const client = Deno.createHttpClient({});
  const urlOf = typeof options.url === "string" ? () => options.url as string : options.url;
  const headersOf = typeof options.headers === "function"
    ? options.headers
    : () => options.headers as Record<string, string>;
  try {
    return await runLoops({
      what: `requests to ${urlOf(0)}`,
      concurrency: options.concurrency,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      cpuCounters: options.cpuCounters,
      operation: async (i) => {
        const response = await fetch(urlOf(i), {
          method: options.method ?? "POST",
          headers: headersOf(i),
          body: options.body?.(i),
          client,
        });
        const text = await response.text();
        if (response.status !== options.expectStatus) throw new HttpStatusError(response.status, text);
      },
    });
  } finally {
    client.close();
  }
}

class HttpStatusError extends Error {
  constructor(status: number, body: string) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
    this.name = "HttpStatusError";
  }
}
