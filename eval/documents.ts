/**
 * Owns the document evaluation: every real specimen of eval/corpus/documents/manifest.json, clean
 * and under each phone-photo condition of eval/conditions.ts, goes through what a live session
 * does with it (upload normalisation, document_quality, the extraction, document_ocr) and is
 * scored against the printed MRZ: documents read with every field exact, field accuracy, false
 * rejects by reason, readings sent to review instead (document_ocr skipped: the reading could not
 * be settled, which a genuine applicant survives but a person has to look at), quality false
 * rejects, and time per reading.
 *
 *   deno run -A eval/documents.ts [--recogniser tesseract|paddle|all] [--condition NAME] [--only ID]
 */
import { parse } from "mrz";
import { processImage } from "../core/images/image_pipeline.ts";
import { measureStoredQuality } from "../core/images/image_pipeline.ts";
import { AppError } from "../core/errors.ts";
import { documentOcr } from "../core/verification/checks/document_ocr.ts";
import { documentQuality } from "../core/verification/checks/document_quality.ts";
import type { SessionEvidence } from "../core/verification/evidence.ts";
import type { VerificationEngines } from "../core/verification/engines.ts";
import { extractDocument } from "../core/verification/extraction.ts";
import { resolvedOptions } from "../core/workflows/policies.ts";
import { createOcrEngine, DEFAULT_MRZ_RECOGNISER, type MrzRecogniser } from "../core/engines/ocr.ts";
import { createBarcodeEngine } from "../core/engines/barcode.ts";
import { availableDocuments, type CorpusDocument, corpusFile } from "./corpus/documents/assemble.ts";
import { type Condition, CONDITIONS } from "./conditions.ts";

export interface DocumentEvaluationOptions {
  /** The MRZ recogniser to compare (default: the engine's default), in this process. */
  recogniser?: MrzRecogniser;
  /** Other engines to read with instead (then `label` names them). */
  engines?: VerificationEngines;
  label?: string;
  conditions?: Condition[];
  /** Restrict to these manifest ids. */
  only?: string[];
  /** The run's clock for expiry (the specimens are old: expiry is not what is measured here). */
  now?: Date;
  /** Called after each reading, for progress. */
  onResult?: (result: DocumentResult) => void;
}

export interface DocumentResult {
  id: string;
  condition: string;
  /** Every expected MRZ field read exactly. */
  exact: boolean;
  fieldsRight: number;
  fieldsTotal: number;
  /** Why a genuine document would not be accepted; empty when it would. */
  rejects: string[];
  /** Why document_ocr sent it to a person instead of deciding (status skipped: the review route). */
  review: string[];
  /** Printed-front fields the cross-check found missing (front_mismatch). */
  mismatched: string[];
  /** The quality check failed (the applicant would be asked to retake it). */
  qualityRejected: boolean;
  ms: number;
  /** The fields that differ, expected → read (for a reviewer; PII of specimens only). */
  wrong: string[];
}

export interface ConditionRow {
  condition: string;
  documents: number;
  exact: number;
  fieldsRight: number;
  fieldsTotal: number;
  rejects: Record<string, number>;
  review: Record<string, number>;
  qualityRejects: number;
  p50: number;
  p95: number;
}

export interface DocumentReport {
  label: string;
  documents: number;
  missing: string[];
  rows: ConditionRow[];
  total: ConditionRow;
  results: DocumentResult[];
}

/** The MRZ fields compared, as the `mrz` package names them (check digits included). */
function mrzFields(lines: string[]): Record<string, string> {
  try {
    const result = parse(lines.slice());
    return Object.fromEntries(
      result.details.filter((d) => d.field).map((d) => [d.field!, d.value ?? lines[d.line].slice(d.start, d.end)]),
    );
  } catch {
    return {};
  }
}

function fakeEvidence(front: Uint8Array, documentType: string, engines: VerificationEngines, now: Date) {
  const extraction = extractDocument(engines, { documentType, front, back: null }, now);
  const evidence = {
    now,
    engines,
    image: (slot: string) => Promise.resolve(slot === "id_front" ? front : null),
    quality: async () => [{ side: "front" as const, report: await measureStoredQuality(front, "document") }],
    extraction: () => extraction,
  };
  return evidence as unknown as SessionEvidence;
}

/** A reading that threw (the image or the engine refused it): nothing read, the error's code as the reason. */
function unread(
  base: { id: string; condition: string; fieldsTotal: number },
  rejects: string[],
  qualityRejected: boolean,
  error: unknown,
): DocumentResult {
  const code = error instanceof AppError ? error.code : "error";
  const none = { exact: false, fieldsRight: 0, mismatched: [], ms: 0, wrong: [], review: [] };
  return { ...base, ...none, rejects: [...rejects, code], qualityRejected };
}

async function evaluateOne(
  doc: CorpusDocument,
  condition: Condition,
  seed: number,
  engines: VerificationEngines,
  now: Date,
): Promise<DocumentResult> {
  const original = await Deno.readFile(corpusFile(doc));
  const photo = await condition.apply(original, seed);
  const expected = doc.fields;
  const fieldsTotal = Object.keys(expected).length;
  const base = { id: doc.id, condition: condition.name, fieldsTotal };
  let stored: Uint8Array;
  try {
    stored = (await processImage(photo, { purpose: "document" })).normalized;
  } catch (error) {
    return unread(base, [], false, error);
  }
  const evidence = fakeEvidence(stored, doc.document_type, engines, now);
  const rejects: string[] = [];
  const quality = documentQuality.decide(
    (await documentQuality.gather({ evidence } as never)).inputs,
    resolvedOptions("document_quality", {}),
  );
  // A specular highlight is a defect the check exists to catch: glare there is a true rejection.
  const expectedReasons = condition.name === "specular_highlight" ? ["glare"] : [];
  const qualityRejected = quality.reasons.some((r) => !expectedReasons.includes(r.code));
  if (qualityRejected) rejects.push(`document_unreadable (${quality.reasons.map((r) => r.code).join("+")})`);
  const start = performance.now();
  let extraction;
  try {
    extraction = await evidence.extraction();
  } catch (error) {
    return unread(base, rejects, qualityRejected, error);
  }
  const ms = performance.now() - start;
  const ocr = documentOcr.decide(
    (await documentOcr.gather({ evidence } as never)).inputs,
    resolvedOptions("document_ocr", {}),
  );
  if (!extraction.mrz) rejects.push("mrz_not_found");
  else if (ocr.status === "failed") rejects.push(...ocr.reasons.map((r) => r.code));
  const review = extraction.mrz && ocr.status === "skipped" ? ocr.reasons.map((r) => r.code) : [];
  const read = extraction.mrz ? mrzFields(extraction.mrz.lines) : {};
  const wrong = Object.entries(expected).filter(([k, v]) => read[k] !== v).map(([k, v]) => `${k}: ${v} → ${read[k]}`);
  return {
    ...base,
    exact: wrong.length === 0,
    fieldsRight: fieldsTotal - wrong.length,
    rejects,
    review,
    mismatched: (ocr.outputs.mismatched_fields as string[] | undefined) ?? [],
    qualityRejected,
    ms,
    wrong,
  };
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function summarise(condition: string, results: DocumentResult[]): ConditionRow {
  const rejects: Record<string, number> = {};
  for (const r of results) for (const code of r.rejects) rejects[code] = (rejects[code] ?? 0) + 1;
  const review: Record<string, number> = {};
  for (const r of results) for (const code of r.review) review[code] = (review[code] ?? 0) + 1;
  const times = results.map((r) => r.ms).filter((ms) => ms > 0);
  return {
    condition,
    documents: results.length,
    exact: results.filter((r) => r.exact).length,
    fieldsRight: results.reduce((s, r) => s + r.fieldsRight, 0),
    fieldsTotal: results.reduce((s, r) => s + r.fieldsTotal, 0),
    rejects,
    review,
    qualityRejects: results.filter((r) => r.qualityRejected).length,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
  };
}

const DEFAULT_ENGINES: VerificationEngines = {
  ocr: createOcrEngine,
  barcode: createBarcodeEngine,
  face: () => Promise.reject(new Error("the document evaluation reads no faces")),
};

export async function evaluateDocuments(options: DocumentEvaluationOptions = {}): Promise<DocumentReport> {
  const recogniser = options.recogniser ?? DEFAULT_MRZ_RECOGNISER;
  const engines = options.engines ??
    { ...DEFAULT_ENGINES, ocr: () => createOcrEngine({ mrzRecogniser: recogniser }) };
  const now = options.now ?? new Date("2026-01-01T00:00:00Z");
  const { present, missing } = await availableDocuments();
  const docs = present.filter((d) => !options.only || options.only.includes(d.id));
  const conditions = options.conditions ?? CONDITIONS;
  const results: DocumentResult[] = [];
  // Models load on first use: one untimed reading first, so the times are of warm calls.
  if (docs.length) await evaluateOne(docs[0], conditions[0], 0, engines, now);
  for (const condition of conditions) {
    for (const [i, doc] of docs.entries()) {
      // Seeded per document and condition, so each pair is the same photo in every run.
      const result = await evaluateOne(doc, condition, 1000 + i * 31 + conditions.indexOf(condition), engines, now);
      results.push(result);
      options.onResult?.(result);
    }
  }
  return {
    label: options.label ?? `MRZ recogniser: ${recogniser}`,
    documents: docs.length,
    missing: missing.map((d) => d.id),
    rows: conditions.map((c) => summarise(c.name, results.filter((r) => r.condition === c.name))),
    total: summarise("all", results),
    results,
  };
}

const pct = (n: number, d: number) => (d ? `${(100 * n / d).toFixed(1)} %` : "–");

/** Markdown tables: per condition, then the failures, for one report. */
export function formatDocumentReport(report: DocumentReport): string {
  const out: string[] = [];
  out.push(`### Documents — ${report.label} (${report.documents} real specimens)`);
  if (report.missing.length) {
    out.push("", `Not assembled (run eval/corpus/documents/assemble.ts): ${report.missing.join(", ")}`);
  }
  out.push(
    "",
    "| condition | read exactly | MRZ fields exact | false rejects (by reason) | to review (by reason) | quality false rejects | time p50 / p95 |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const row of [...report.rows, report.total]) {
    const rejects = Object.entries(row.rejects).map(([code, n]) => `${code} ${n}`).join(", ") || "none";
    const review = Object.entries(row.review).map(([code, n]) => `${code} ${n}`).join(", ") || "none";
    out.push(
      `| ${row.condition} | ${row.exact}/${row.documents} | ${
        pct(row.fieldsRight, row.fieldsTotal)
      } | ${rejects} | ${review} | ` +
        `${row.qualityRejects}/${row.documents} | ${Math.round(row.p50)} / ${Math.round(row.p95)} ms |`,
    );
  }
  const failed = report.results.filter((r) => !r.exact || r.rejects.length || r.review.length);
  if (failed.length) {
    out.push(
      "",
      "| document | condition | rejected as | to review as | wrong fields |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const r of failed) {
      const rejects = r.rejects.map((c) => (c === "front_mismatch" ? `front_mismatch (${r.mismatched.join("+")})` : c));
      out.push(
        `| ${r.id} | ${r.condition} | ${rejects.join(", ") || "–"} | ${r.review.join(", ") || "–"} | ${
          r.wrong.join("; ") || "–"
        } |`,
      );
    }
  }
  return out.join("\n");
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = Deno.args.indexOf(`--${name}`);
    return i >= 0 ? Deno.args[i + 1] : undefined;
  };
  const condition = arg("condition");
  const only = arg("only");
  const chosen = arg("recogniser") ?? "all";
  const recognisers: MrzRecogniser[] = chosen === "all" ? ["paddle", "tesseract"] : [chosen as MrzRecogniser];
  for (const recogniser of recognisers) {
    const report = await evaluateDocuments({
      recogniser,
      conditions: condition ? CONDITIONS.filter((c) => condition.split(",").includes(c.name)) : undefined,
      only: only?.split(","),
      onResult: (r) =>
        console.error(`${recogniser} ${r.condition} ${r.id}: ${r.exact ? "exact" : "wrong"} ${r.rejects}`),
    });
    console.log(formatDocumentReport(report) + "\n");
    await (await createOcrEngine({ mrzRecogniser: recogniser })).close();
  }
}
