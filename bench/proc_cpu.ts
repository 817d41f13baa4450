/**
 * Owns CPU accounting from Linux /proc: CPU time used by a process (or a process and its
 * children, e.g. the Postgres postmaster and its backends) and by the whole machine, so a
 * benchmark can report CPU milliseconds per request for each party. Unlike req/s, that does not
 * drift when someone else loads the shared machine. Elsewhere than Linux every reading is null.
 */

/** USER_HZ: the unit of /proc CPU times; 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

function readStat(pid: number | "self"): { ppid: number; ticks: number } | null {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // The command name (2nd field) may hold spaces or parentheses: parse after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** CPU ms used so far by one process; null when it cannot be read. */
export function processCpuMs(pid: number | "self"): number | null {
  const stat = readStat(pid);
  return stat ? (stat.ticks * 1000) / TICKS_PER_SECOND : null;
}

/** CPU ms used so far by a process and its live direct children (a postmaster and its backends). */
export function processTreeCpuMs(rootPid: number): number | null {
  const root = readStat(rootPid);
  if (!root) return null;
  let ticks = root.ticks;
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const stat = readStat(Number(entry.name));
    if (stat?.ppid === rootPid) ticks += stat.ticks;
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Busy CPU ms of the whole machine so far, summed over cores; null when /proc/stat is unreadable. */
export function machineBusyMs(): number | null {
  try {
    const line = Deno.readTextFileSync("/proc/stat").split("\n")[0];
    const [user, nice, system, _idle, _iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** A named CPU counter; sampled at the start and end of a window, the difference is what it used. */
export interface CpuCounter {
  name: string;
  read(): number | null;
}

export type CpuSample = Map<string, number | null>;

export function sample(counters: CpuCounter[]): CpuSample {
  return new Map(counters.map((c) => [c.name, c.read()]));
}

export function used(start: CpuSample, end: CpuSample): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, before] of start) {
    const after = end.get(name);
    out[name] = before === null || after === null || after === undefined ? null : after - before;
  }
  return out;
}
