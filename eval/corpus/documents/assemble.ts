/**
 * Owns assembling the document corpus named in manifest.json: each `origin: "local"` image is taken
 * from a snapshot of its public repository (brought to this machine with the search tool's fetch),
 * at the recorded commit and path, checked against its sha256, and written to the gitignored
 * eval/.corpus-local/documents/. Nothing fetched is ever committed: only the manifest is.
 *
 *   deno run -A eval/corpus/documents/assemble.ts [--mirror /work/.mirror]
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface CorpusSource {
  kind: "github" | "npm";
  /** owner/name for github, the package name for npm. */
  repository?: string;
  package?: string;
  commit?: string;
  version?: string;
  path: string;
  licence: string;
}

export interface CorpusDocument {
  id: string;
  document_type: "passport" | "national_id" | "residence_permit";
  format: "TD1" | "TD2" | "TD3";
  origin: "local" | "npm";
  source: CorpusSource;
  sha256: string;
  note: string;
  /** The MRZ as printed: the reference every reading is compared with. */
  mrz: string[];
  /** The `mrz` package's field values of `mrz` (the raw characters where it has no value, e.g. UTO). */
  fields: Record<string, string>;
}

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", ".corpus-local", "documents");
const MANIFEST = join(dirname(fileURLToPath(import.meta.url)), "manifest.json");

export function loadManifest(): CorpusDocument[] {
  return JSON.parse(Deno.readTextFileSync(MANIFEST)).documents as CorpusDocument[];
}

/** Where a document's image lives once assembled. */
export function corpusFile(doc: CorpusDocument): string {
  const ext = doc.source.path.split(".").pop()!.toLowerCase();
  return join(CORPUS_DIR, `${doc.id}.${ext}`);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The documents whose image is present and intact; the rest are reported, not guessed. */
export async function availableDocuments(): Promise<{ present: CorpusDocument[]; missing: CorpusDocument[] }> {
  const present: CorpusDocument[] = [];
  const missing: CorpusDocument[] = [];
  for (const doc of loadManifest()) {
    try {
      const bytes = await Deno.readFile(corpusFile(doc));
      ((await sha256Hex(bytes)) === doc.sha256 ? present : missing).push(doc);
    } catch {
      missing.push(doc);
    }
  }
  return { present, missing };
}

async function gitShow(gitDir: string, commit: string, path: string): Promise<Uint8Array | null> {
  const out = await new Deno.Command("git", {
    args: [`--git-dir=${gitDir}`, "show", `${commit}:${path}`],
    stderr: "null",
  })
    .output();
  return out.success ? out.stdout : null;
}

async function assemble(mirror: string): Promise<void> {
  await Deno.mkdir(CORPUS_DIR, { recursive: true });
  // The folder keeps itself out of git, whoever's .gitignore is in force.
  await Deno.writeTextFile(join(CORPUS_DIR, "..", ".gitignore"), "*\n");
  let ok = 0;
  for (const doc of loadManifest()) {
    if (doc.origin !== "local" || doc.source.kind !== "github") continue;
    const gitDir = join(mirror, doc.source.repository!.replace("/", "+"), "repo");
    const bytes = await gitShow(gitDir, doc.source.commit!, doc.source.path);
    if (!bytes) {
      console.error(
        `${doc.id}: fetch github:${doc.source.repository} first (no ${doc.source.path} at ${doc.source.commit})`,
      );
      continue;
    }
    if ((await sha256Hex(bytes)) !== doc.sha256) {
      console.error(`${doc.id}: ${doc.source.path} differs from the manifest's sha256; not used`);
      continue;
    }
    await Deno.writeFile(corpusFile(doc), bytes);
    ok++;
  }
  console.log(`${ok} document image(s) in ${CORPUS_DIR}`);
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--mirror");
  await assemble(i >= 0 ? Deno.args[i + 1] : "/work/.mirror");
}
