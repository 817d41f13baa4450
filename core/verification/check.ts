/**
 * Owns the shape of a check: `gather` measures what its decision needs from the session's
 * evidence (running models, reading the database), `decide` turns those measurements and the
 * node's options into passed/failed/skipped with a score and reasons. `decide` is pure, so a
 * decision can be replayed from the inputs stored on its attempt row.
 */
import type { CoreDeps } from "../deps.ts";
import type { EngineVersions } from "../engines/versions.ts";
import type { SessionEvidence } from "./evidence.ts";

export interface CheckReason {
  code: string;
  detail: string;
}

export interface CheckDecision {
  status: "passed" | "failed" | "skipped";
  /** 0–1 where the check has a natural score (similarity, quality), else null. */
  score: number | null;
  reasons: CheckReason[];
  /** What conditionals read at `checks.<policy>.<key>` and the result is built from; never PII. */
  outputs: Record<string, unknown>;
}

/** The decisions taken earlier in the same run, by policy (risk_assessment scores them). */
export type EarlierDecisions = Record<string, CheckDecision>;

export interface GatherContext {
  deps: CoreDeps;
  evidence: SessionEvidence;
  options: Record<string, unknown>;
  earlier: EarlierDecisions;
  /** False in dry runs: a check that records what it found (list matches) must then write nothing. */
  persist: boolean;
}

export interface Gathered<Inputs> {
  inputs: Inputs;
  /** The engines (and their models) whose output the inputs hold. */
  versions: EngineVersions[];
}

export interface CheckModule<Inputs = unknown> {
  policy: string;
  /** Of the check's own logic: bumped whenever `decide` would decide the same inputs differently. */
  version: number;
  gather(context: GatherContext): Promise<Gathered<Inputs>>;
  decide(inputs: Inputs, options: Record<string, unknown>): CheckDecision;
}

export function reason(code: string, detail: string): CheckReason {
  return { code, detail };
}

export function failed(code: string, detail: string, outputs: Record<string, unknown> = {}): CheckDecision {
  return { status: "failed", score: null, reasons: [reason(code, detail)], outputs };
}

export function skipped(code: string, detail: string, outputs: Record<string, unknown> = {}): CheckDecision {
  return { status: "skipped", score: null, reasons: [reason(code, detail)], outputs };
}

/** Whole days from one ISO date (YYYY-MM-DD) to another. */
export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

/** Completed years from a birth date to a day, both ISO dates. */
export function ageOn(birthIso: string, dayIso: string): number {
  const [by, bm, bd] = birthIso.split("-").map(Number);
  const [y, m, d] = dayIso.split("-").map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
