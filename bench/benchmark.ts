/** Owns the shape every benchmark in bench/ returns to the runner, and the settings read from the environment. */

export interface BenchSettings {
  /** Length of each measured window. */
  seconds: number;
  /** Warm-up before each measured window; its requests are not counted. */
  warmupSeconds: number;
  /** Alternating rounds per side (baseline, subject, baseline, subject, ...); the median is reported. */
  rounds: number;
  /** Clients of the request benchmarks (create-session). */
  concurrency: number;
  /** Concurrent uploads (and concurrent in-process pipelines) of the document-upload benchmark. */
  uploadConcurrency: number;
  /** Measured live sessions of the time-to-decision benchmark (after its warm-up sessions). */
  sessions: number;
}

export interface BenchResult {
  name: string;
  /** Human-readable lines, printed as they are. */
  lines: string[];
  /** The one machine-readable record of this benchmark, printed as a single JSON line. */
  record: Record<string, unknown>;
  /** Whether every target was met; a miss is reported, and fails the run only with BENCH_STRICT=1. */
  pass: boolean;
}

export interface Benchmark {
  name: string;
  /** Runs only when named (`deno task bench scale`): its data takes long to load the first time. */
  onlyWhenNamed?: boolean;
  run(settings: BenchSettings): Promise<BenchResult>;
}

/** A positive number from `env[name]`, or `fallback` when unset; anything else throws. */
export function positiveNumber(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

/**
 * BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_UPLOAD_CONCURRENCY,
 * BENCH_SESSIONS; defaults 10 s, 2 s, 2 rounds, 32 clients, 8 uploads, 20 sessions.
 */
export function readSettings(env: Record<string, string | undefined>): BenchSettings {
  return {
    seconds: positiveNumber(env, "BENCH_SECONDS", 10),
    warmupSeconds: positiveNumber(env, "BENCH_WARMUP_SECONDS", 2),
    rounds: Math.round(positiveNumber(env, "BENCH_ROUNDS", 2)),
    concurrency: Math.round(positiveNumber(env, "BENCH_CONCURRENCY", 32)),
    uploadConcurrency: Math.round(positiveNumber(env, "BENCH_UPLOAD_CONCURRENCY", 8)),
    sessions: Math.round(positiveNumber(env, "BENCH_SESSIONS", 20)),
  };
}
