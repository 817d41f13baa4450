/**
 * Owns load generation: N client loops each sending one request at a time over keep-alive
 * connections, a warm-up whose requests are discarded, then a measured window whose completed
 * requests give req/s and latency percentiles. Any unexpected status is an error, and errors fail
 * the phase: a fast wrong answer must never read as a fast right one.
 */

import { type CpuCounter, type CpuSample, sample, used } from "./proc_cpu.ts";

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** Body of the i-th request of the phase (unique values avoid measuring a cache or a conflict). */
  body: (i: number) => string;
  expectStatus: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Read at the start and end of the measured window; their differences are reported. */
  cpuCounters?: CpuCounter[];
}

export interface LoadStats {
  requests: number;
  seconds: number;
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

export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  // A client per phase: its own keep-alive pool, closed after, so phases never share connections.
  const client = Deno.createHttpClient({});
  const start = performance.now();
  const measureStart = start + options.warmupMs;
  const measureEnd = measureStart + options.durationMs;
  let latencies = new Float64Array(1 << 16);
  let measured = 0;
  let sent = 0;
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
      const body = options.body(sent++);
      const t0 = performance.now();
      try {
        const response = await fetch(options.url, { method: "POST", headers: options.headers, body, client });
        const text = await response.text();
        if (response.status !== options.expectStatus) {
          errors++;
          firstError ||= `HTTP ${response.status}: ${text.slice(0, 300)}`;
          continue;
        }
      } catch (error) {
        errors++;
        firstError ||= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        continue;
      }
      const t1 = performance.now();
      if (t1 >= measureStart && t1 < measureEnd) record(t1 - t0);
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, loop));
  } finally {
    client.close();
    clearTimeout(startTimer);
    clearTimeout(endTimer);
  }
  // A loop can finish a hair before the end timer fires; then the window ends now.
  if (cpuEnd.size === 0) cpuEnd = sample(counters);
  if (errors > 0) {
    throw new LoadError(`${errors} of ${sent} requests to ${options.url} failed; first: ${firstError}`);
  }
  const sorted = latencies.slice(0, measured).sort();
  const seconds = options.durationMs / 1000;
  return {
    requests: measured,
    seconds,
    rps: measured / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    cpuMs: used(cpuStart, cpuEnd),
  };
}
