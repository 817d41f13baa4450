/**
 * Owns the bench's optional CPU profiling (BENCH_CPU_PROFILE=dir): a V8 sampling profile of a
 * server process taken through node:inspector, written as a .cpuprofile (open it in Chrome
 * DevTools), and a self-time summary by function and by file for the terminal.
 */
import { Session } from "node:inspector";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  startTime: number;
  endTime: number;
}

function post<T>(session: Session, method: string, params?: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => error ? reject(error) : resolve(result as T));
  });
}

/** Starts sampling this process; the returned function stops and writes the profile to `path`. */
export async function startCpuProfile(): Promise<(path: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await post(session, "Profiler.enable");
  await post(session, "Profiler.setSamplingInterval", { interval: 200 });
  await post(session, "Profiler.start");
  return async (path: string) => {
    const { profile } = await post<{ profile: CpuProfile }>(session, "Profiler.stop");
    await Deno.writeTextFile(path, JSON.stringify(profile));
    session.disconnect();
  };
}

/** Where a frame comes from, short: the npm package, or the path inside the repository. */
function origin(url: string): string {
  if (!url) return "(native)";
  const npm = /node_modules\/\.deno\/([^/]+)\//.exec(url) ?? /\/npm\/registry\.npmjs\.org\/([^/]+\/[^/]+)\//.exec(url);
  if (npm) return `npm:${npm[1]}`;
  const repo = /\/(api|core|bench|capture-ui|worker)\/(.*)$/.exec(url);
  if (repo) return `${repo[1]}/${repo[2]}`;
  return url.replace(/^.*\/ext:/, "ext:").replace(/^file:\/\//, "");
}

/** The top self-time entries of a profile, by function and by origin, as printable lines. */
export function summariseProfile(profile: CpuProfile, top = 20): string[] {
  // Shares are of busy time: samples where the thread was idle (waiting on I/O) are left out.
  const isIdle = (n: ProfileNode) => n.callFrame.functionName === "(idle)";
  const total = profile.nodes.reduce((sum, n) => sum + (isIdle(n) ? 0 : n.hitCount ?? 0), 0) || 1;
  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"}  ${origin(n.callFrame.url)}${
      n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ""
    }`;
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits || isIdle(node)) continue;
    const where = origin(node.callFrame.url);
    const fn = label(node);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    byOrigin.set(where, (byOrigin.get(where) ?? 0) + hits);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const inclusive = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const walk = (node: ProfileNode, path: Set<string>) => {
    if (isIdle(node)) return;
    const key = label(node);
    const added = !path.has(key);
    if (added) path.add(key);
    const hits = node.hitCount ?? 0;
    if (hits) { for (const k of path) inclusive.set(k, (inclusive.get(k) ?? 0) + hits); }
    for (const child of node.children ?? []) walk(byId.get(child)!, path);
    if (added) path.delete(key);
  };
  if (profile.nodes.length) walk(profile.nodes[0], new Set());
  inclusive.delete(label(profile.nodes[0])); // (root): always 100%
  const rows = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, hits]) =>
      `    ${(100 * hits / total).toFixed(1).padStart(5)}%  ${name}`
    );
  return [
    `  share of busy CPU samples (${total}), self time by origin:`,
    ...rows(byOrigin),
    `  self time by function:`,
    ...rows(byFunction),
    `  total time (self + callees) by function:`,
    ...rows(inclusive),
  ];
}
