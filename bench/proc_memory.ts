/**
 * Owns reading a process's memory from Linux /proc: its resident set now (VmRSS) and at its peak
 * (VmHWM), e.g. a worker with its face and OCR models loaded. Elsewhere than Linux, null.
 */

export interface ProcessMemory {
  rssMb: number;
  peakRssMb: number;
}

/** The process's current and peak resident set in MB (10^6 bytes); null when /proc cannot be read. */
export function processMemory(pid: number | "self"): ProcessMemory | null {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    // Lines such as "VmRSS:\t  812345 kB"; the kernel's kB are KiB.
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    const rss = kib("VmRSS");
    const peak = kib("VmHWM");
    if (!Number.isFinite(rss) || !Number.isFinite(peak)) return null;
    return { rssMb: (rss * 1024) / 1e6, peakRssMb: (peak * 1024) / 1e6 };
  } catch {
    return null;
  }
}

/**
 * A process and its live direct children summed (the worker and its engine sandbox): RSS now, and
 * the sum of each one's peak, which bounds their joint peak from above.
 */
export function processTreeMemory(rootPid: number): ProcessMemory | null {
  const root = processMemory(rootPid);
  if (!root) return null;
  let children: string[] = [];
  try {
    // Threads of the root list their children; together, every direct child.
    children = [...Deno.readDirSync(`/proc/${rootPid}/task`)].flatMap((task) =>
      Deno.readTextFileSync(`/proc/${rootPid}/task/${task.name}/children`).trim().split(/\s+/).filter(Boolean)
    );
  } catch {
    return root;
  }
  let { rssMb, peakRssMb } = root;
  for (const pid of new Set(children)) {
    const child = processMemory(Number(pid));
    rssMb += child?.rssMb ?? 0;
    peakRssMb += child?.peakRssMb ?? 0;
  }
  return { rssMb, peakRssMb };
}
