/**
 * The engine-sandbox benchmark (issue #14): what running the engines in their network-denied
 * subprocess costs per call. Each engine method is called on the same stored images through the
 * sandbox and, as the baseline, on the same engines loaded in this process, alternating call by
 * call so machine drift hits both sides alike. Reports the median and p95 of each side per method,
 * the overhead, and the sandbox's resident memory with every model loaded.
 */
import type { Benchmark, BenchResult } from "./benchmark.ts";
import { median, percentile } from "./load.ts";
import { processMemory } from "./proc_memory.ts";
import { round2, verdict } from "./report.ts";
import { processImage } from "../core/images/image_pipeline.ts";
import { createSandboxedEngines, IN_PROCESS_ENGINES, type VerificationEngines } from "../core/verification/engines.ts";
import { driversLicence, genuineSelfie, passportPage, sampleApplicant } from "../tests/helpers/identity_documents.ts";

const NAME = "engine-sandbox";
/** Calls per method and side after the warm-up ones. */
const CALLS = 15;
const WARMUP_CALLS = 2;
/**
 * The target: crossing the process boundary (a stored image there, the answer back) adds at most
 * this much to a call. Judged on the call that does next to no work, whose difference is the
 * crossing alone; on the long calls the difference is the crossing plus the machine's noise.
 */
export const TARGET_OVERHEAD_MS = 10;
const CROSSING = "barcode.readPdf417 1% region";

interface Images {
  front: Uint8Array;
  back: Uint8Array;
  selfie: Uint8Array;
  passport: Uint8Array;
}

const TINY_REGION = { left: 0, top: 0, width: 0.1, height: 0.1 };

/** The calls a decision makes, by name; each resolves to something, so a wrong engine shows. */
const CALLS_BY_METHOD: Record<string, (e: VerificationEngines, images: Images) => Promise<unknown>> = {
  "face.detect selfie": async (e, i) => (await e.face()).detect(i.selfie),
  "face.detect front": async (e, i) => (await e.face()).detect(i.front),
  "ocr.readText front": async (e, i) => (await e.ocr()).readText(i.front),
  "ocr.readMrz passport": async (e, i) => (await e.ocr()).readMrz(i.passport),
  "barcode.readPdf417 back": async (e, i) => (await e.barcode()).readPdf417(i.back),
  // The same bytes cross, next to no work is done on them: what is left is the crossing itself.
  [CROSSING]: async (e, i) => (await e.barcode()).readPdf417(i.back, TINY_REGION),
};

async function storedImages(): Promise<Images> {
  const applicant = sampleApplicant({ issuingState: "CA", nationality: "USA" });
  const [licence, selfie, passport] = await Promise.all([
    driversLicence(applicant),
    genuineSelfie(applicant, { samePhoto: true }),
    passportPage(sampleApplicant()),
  ]);
  const stored = async (bytes: Uint8Array, purpose: "document" | "selfie") =>
    (await processImage(bytes, { purpose })).normalized;
  return {
    front: await stored(licence.front, "document"),
    back: await stored(licence.back, "document"),
    selfie: await stored(selfie, "selfie"),
    passport: await stored(passport, "document"),
  };
}

const p95 = (values: number[]) => percentile(Float64Array.from(values).sort(), 0.95);

async function timed(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

async function run(): Promise<BenchResult> {
  const images = await storedImages();
  const sandboxed = createSandboxedEngines();
  try {
    console.error(`${NAME}: loading the engines in the sandbox and in this process`);
    const loadStart = performance.now();
    await Promise.all([sandboxed.face(), sandboxed.ocr(), sandboxed.barcode()]);
    const sandboxLoadMs = performance.now() - loadStart;
    await Promise.all([IN_PROCESS_ENGINES.face(), IN_PROCESS_ENGINES.ocr(), IN_PROCESS_ENGINES.barcode()]);

    const rows: { method: string; inProcess: number[]; sandbox: number[] }[] = [];
    for (const [method, call] of Object.entries(CALLS_BY_METHOD)) {
      const row = { method, inProcess: [] as number[], sandbox: [] as number[] };
      for (let i = 0; i < WARMUP_CALLS + CALLS; i++) {
        const local = await timed(() => call(IN_PROCESS_ENGINES, images));
        const remote = await timed(() => call(sandboxed, images));
        if (i >= WARMUP_CALLS) {
          row.inProcess.push(local);
          row.sandbox.push(remote);
        }
      }
      rows.push(row);
      console.error(`  ${NAME}: ${method} done`);
    }
    const memory = await sandboxed.sandbox.memory();
    const sandboxMemory = processMemory(memory.pid);
    await (await IN_PROCESS_ENGINES.ocr()).close();

    const summary = rows.map((r) => ({
      method: r.method,
      in_process_p50_ms: round2(median(r.inProcess)),
      in_process_p95_ms: round2(p95(r.inProcess)),
      sandbox_p50_ms: round2(median(r.sandbox)),
      sandbox_p95_ms: round2(p95(r.sandbox)),
      // Paired: each sandboxed call against the in-process call just before it, so drift cancels.
      overhead_p50_ms: round2(median(r.sandbox.map((ms, i) => ms - r.inProcess[i]))),
    }));
    const crossing = summary.find((s) => s.method === CROSSING)!.overhead_p50_ms;
    const pass = crossing <= TARGET_OVERHEAD_MS;
    const rssMb = Math.round(memory.rssBytes / 1e6);
    return {
      name: NAME,
      pass,
      lines: [
        `${NAME}: engine calls through the network-denied sandbox vs the same engines in this process`,
        `  ${CALLS} calls per method and side, alternating, after ${WARMUP_CALLS} warm-up calls; stored images`,
        "  method                        in-process p50 / p95   sandbox p50 / p95    overhead p50 (paired)",
        ...summary.map((s) =>
          `  ${s.method.padEnd(29)} ${`${s.in_process_p50_ms} / ${s.in_process_p95_ms} ms`.padEnd(22)} ${
            `${s.sandbox_p50_ms} / ${s.sandbox_p95_ms} ms`.padEnd(20)
          } ${s.overhead_p50_ms} ms`
        ),
        `  sandbox: start and load of every model ${sandboxLoadMs.toFixed(0)} ms; RSS ${rssMb} MB` +
        (sandboxMemory ? ` (peak ${sandboxMemory.peakRssMb.toFixed(0)} MB)` : ""),
        `  crossing (${CROSSING}): ${crossing} ms per call; target <= ${TARGET_OVERHEAD_MS} ms: ${verdict(pass)}`,
      ],
      record: {
        name: NAME,
        calls: CALLS,
        methods: summary,
        sandbox_load_ms: Math.round(sandboxLoadMs),
        sandbox_rss_mb: rssMb,
        sandbox_peak_rss_mb: sandboxMemory ? Math.round(sandboxMemory.peakRssMb) : null,
        crossing_overhead_ms: crossing,
        target_overhead_ms: TARGET_OVERHEAD_MS,
        pass,
      },
    };
  } finally {
    await sandboxed.close();
  }
}

export const engineSandboxBench: Benchmark = { name: NAME, run };
