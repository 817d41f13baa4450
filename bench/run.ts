/**
 * `deno task bench`: runs every benchmark in bench/ (or those named as arguments), printing a
 * readable table and then one JSON line per benchmark on stdout (progress goes to stderr).
 * Informational: a missed target still exits 0 unless BENCH_STRICT=1; a benchmark that cannot
 * run (e.g. a request failed) exits 1.
 *
 * Environment: BENCH_SECONDS (measured window, default 10), BENCH_WARMUP_SECONDS (2),
 * BENCH_ROUNDS (alternating rounds per side, 2), BENCH_CONCURRENCY (create-session clients, 32),
 * BENCH_UPLOAD_CONCURRENCY (document-upload uploads in flight, 8), BENCH_SESSIONS (time-to-decision
 * measured sessions, 20; the figure rests on at least 20), BENCH_STRICT=1,
 * BENCH_CPU_PROFILE=dir (write and summarise a V8 CPU profile of each benchmark's API server).
 * The scale benchmark runs only when named (`deno task bench scale`); BENCH_SCALE_SESSIONS (10,000,000)
 * and BENCH_SCALE_DATA_DIR (.test-data/bench-scale, kept between runs) tune it.
 */
import { type Benchmark, type BenchResult, readSettings } from "./benchmark.ts";
import { createSessionBench } from "./create_session.ts";
import { documentUploadBench } from "./document_upload.ts";
import { webhooksBench } from "./webhooks.ts";
import { timeToDecisionBench } from "./time_to_decision.ts";
import { retentionSweepBench } from "./retention_sweep.ts";
import { engineSandboxBench } from "./engine_sandbox.ts";
import { scaleBench } from "./scale.ts";

const BENCHMARKS: Benchmark[] = [
  createSessionBench,
  documentUploadBench,
  webhooksBench,
  timeToDecisionBench,
  retentionSweepBench,
  engineSandboxBench,
  scaleBench,
];

const selected = Deno.args.length
  ? BENCHMARKS.filter((b) => Deno.args.includes(b.name))
  : BENCHMARKS.filter((b) => !b.onlyWhenNamed);
const unknown = Deno.args.filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${BENCHMARKS.map((b) => b.name).join(", ")}`);
  Deno.exit(2);
}

const settings = readSettings(Deno.env.toObject());
const strict = Deno.env.get("BENCH_STRICT") === "1";
const results: BenchResult[] = [];
let broken = false;
for (const bench of selected) {
  try {
    results.push(await bench.run(settings));
  } catch (error) {
    broken = true;
    console.error(`${bench.name}: FAILED TO RUN: ${error instanceof Error ? error.stack ?? error.message : error}`);
  }
}

console.log("");
for (const result of results) {
  console.log(result.lines.join("\n"));
  console.log("");
}
for (const result of results) console.log(JSON.stringify(result.record));

const missed = results.filter((r) => !r.pass).map((r) => r.name);
if (missed.length) {
  console.log(`targets missed: ${missed.join(", ")}${strict ? "" : " (informational; BENCH_STRICT=1 fails the run)"}`);
}
Deno.exit(broken || (strict && missed.length) ? 1 : 0);
