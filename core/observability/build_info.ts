/**
 * Owns what `/version` reports about the code: the product version (deno.json `version`) and the
 * git commit when the tree is a checkout (the image copies no .git, so there it is null). Read
 * once per process: neither changes while it runs.
 */

export interface BuildInfo {
  version: string;
  commit: string | null;
}

const ROOT = new URL("../../", import.meta.url);
/** Until deno.json carries a release number. */
const UNRELEASED = "0.0.0-unreleased";

let cached: Promise<BuildInfo> | null = null;

export function buildInfo(): Promise<BuildInfo> {
  return cached ??= (async () => ({ version: await productVersion(), commit: await gitCommit() }))();
}

async function productVersion(): Promise<string> {
  try {
    const { version } = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
    return typeof version === "string" && version ? version : UNRELEASED;
  } catch {
    return UNRELEASED;
  }
}

/** HEAD's commit, read from the files (no git binary needed): a detached id, a loose ref or packed-refs. */
async function gitCommit(): Promise<string | null> {
  const read = (path: string) => Deno.readTextFile(new URL(`.git/${path}`, ROOT)).then((t) => t.trim(), () => null);
  const head = await read("HEAD");
  if (!head) return null;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (!ref) return /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  const loose = await read(ref);
  if (loose && /^[0-9a-f]{40,64}$/.test(loose)) return loose;
  const packed = await read("packed-refs");
  const line = packed?.split("\n").find((l) => l.endsWith(` ${ref}`));
  return line?.split(" ")[0] ?? null;
}
