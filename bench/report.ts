/**
 * Owns what every benchmark reports from its measured rounds: the median over rounds of ops/s,
 * p50 and p99, CPU ms per operation of each party with the machine's busy share, the table rows
 * that print them, and their rounded JSON form.
 */
import { type LoadStats, median } from "./load.ts";

/** A side of a benchmark (the baseline or the product) and the rounds measured so far. */
export interface Side {
  label: string;
  rounds: LoadStats[];
  /** Runs one round: warm-up and measured window. */
  measure(): Promise<LoadStats>;
}

export interface CpuSummary {
  /** CPU ms per operation of each party that was counted (server, postgres, load), null where unreadable. */
  perOp: Record<string, number | null>;
  /** Share of all cores busy during the window, and the share used by processes outside the bench. */
  machineBusyPct: number | null;
  othersPct: number | null;
}

export interface SideSummary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Operations completed in the median round's window (how many latencies the percentiles rest on). */
  ops: number;
  cpu: CpuSummary;
}

/** Runs one round of a side, keeps it, and reports it on stderr. */
export async function measureRound(bench: string, side: Side, unit: string): Promise<LoadStats> {
  const stats = await side.measure();
  side.rounds.push(stats);
  const decimals = stats.rps < 100 ? 2 : 0;
  console.error(
    `  ${bench}: ${side.label.padEnd(8)} round ${side.rounds.length}: ${stats.rps.toFixed(decimals)} ${unit}/s, ` +
      `p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms (${stats.requests} ${unit})`,
  );
  return stats;
}

/**
 * Measures `rounds` rounds of each side in turn (baseline, subject, baseline, subject, ...), each
 * counted in its own unit, so that machine drift hits both sides alike.
 */
export async function measureAlternately(
  bench: string,
  rounds: number,
  sides: [side: Side, unit: string][],
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const [side, unit] of sides) await measureRound(bench, side, unit);
  }
}

/** The CPU counters of a run other than the machine's: the parties the bench itself runs. */
function parties(stats: LoadStats): string[] {
  return Object.keys(stats.cpuMs).filter((name) => name !== "machine");
}

function cpuPerOp(stats: LoadStats): CpuSummary {
  const cores = navigator.hardwareConcurrency || 1;
  const windowMs = stats.seconds * 1000;
  // The operations the window holds, as its ops/s counts them (shares of operations straddling it).
  const ops = stats.rps * stats.seconds;
  const perOp: Record<string, number | null> = {};
  let ours = 0;
  for (const party of parties(stats)) {
    const ms = stats.cpuMs[party];
    perOp[party] = ms === null || ms === undefined || ops === 0 ? null : ms / ops;
    ours += ms ?? 0;
  }
  const machine = stats.cpuMs.machine;
  return {
    perOp,
    machineBusyPct: machine === null || machine === undefined ? null : (100 * machine) / (windowMs * cores),
    othersPct: machine === null || machine === undefined
      ? null
      : (100 * Math.max(0, machine - ours)) / (windowMs * cores),
  };
}

function medianOrNull(values: (number | null | undefined)[]): number | null {
  const known = values.filter((v): v is number => v !== null && v !== undefined);
  return known.length ? median(known) : null;
}

/** Median over the side's rounds of each figure (each taken separately). */
export function summarise(side: Side): SideSummary {
  const cpu = side.rounds.map(cpuPerOp);
  const names = [...new Set(side.rounds.flatMap(parties))];
  return {
    rps: median(side.rounds.map((r) => r.rps)),
    p50Ms: median(side.rounds.map((r) => r.p50Ms)),
    p99Ms: median(side.rounds.map((r) => r.p99Ms)),
    ops: median(side.rounds.map((r) => r.requests)),
    cpu: {
      perOp: Object.fromEntries(names.map((name) => [name, medianOrNull(cpu.map((c) => c.perOp[name]))])),
      machineBusyPct: medianOrNull(cpu.map((c) => c.machineBusyPct)),
      othersPct: medianOrNull(cpu.map((c) => c.othersPct)),
    },
  };
}

const LABEL_WIDTH = 22;

function num(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined ? "n/a" : v.toFixed(digits);
}

/** Throughput decimals: whole numbers for thousands of requests, two for a few images. */
function rateDigits(rps: number): number {
  return rps < 100 ? 2 : 0;
}

export function statsHeader(unit: string): string {
  return `  ${"".padEnd(LABEL_WIDTH)}${`${unit}/s`.padStart(9)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}`;
}

export function statsRow(label: string, s: SideSummary): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${s.rps.toFixed(rateDigits(s.rps)).padStart(9)}${
    s.p50Ms.toFixed(2).padStart(10)
  }${s.p99Ms.toFixed(2).padStart(10)}`;
}

const CPU_COLUMNS = [["server", "server"], ["postgres", "postgres"], ["load", "load gen"]] as const;

export function cpuHeader(unit: string): string {
  return `  ${`CPU ms per ${unit}`.padEnd(LABEL_WIDTH)}${
    CPU_COLUMNS.map(([, title], i) => title.padStart(i ? 10 : 9)).join("")
  }   machine busy (others)`;
}

export function cpuRow(label: string, s: SideSummary, digits = 3): string {
  const c = s.cpu;
  return `  ${label.padEnd(LABEL_WIDTH)}${
    CPU_COLUMNS.map(([name], i) => num(c.perOp[name], digits).padStart(i ? 10 : 9)).join("")
  }   ${num(c.machineBusyPct, 0)}% (${num(c.othersPct, 0)}%)`;
}

export function machineNote(unit: string): string {
  return `  (machine busy: all ${navigator.hardwareConcurrency || 1} cores; others: processes outside this bench — ` +
    `when high, ${unit}/s above is depressed, CPU ms per ${unit} much less so)`;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
export const round3 = (n: number | null) => n === null ? null : Math.round(n * 1000) / 1000;

/** CPU per operation for the JSON record; `load` is named load_generator there. */
export function cpuRecord(s: SideSummary) {
  const c = s.cpu;
  return {
    ...Object.fromEntries(
      Object.entries(c.perOp).map(([name, v]) => [name === "load" ? "load_generator" : name, round3(v)]),
    ),
    machine_busy_pct: c.machineBusyPct === null ? null : Math.round(c.machineBusyPct),
    others_pct: c.othersPct === null ? null : Math.round(c.othersPct),
  };
}

export function roundRecord(r: LoadStats) {
  return {
    rps: round2(r.rps),
    p50_ms: round2(r.p50Ms),
    p99_ms: round2(r.p99Ms),
    cpu_ms: Object.fromEntries(Object.entries(r.cpuMs).map(([k, v]) => [k, v === null ? null : Math.round(v)])),
  };
}

export const verdict = (ok: boolean) => ok ? "PASS" : "FAIL";
