/**
 * Assembles the local-only part of the face corpus (eval/.corpus-local/faces/, gitignored) from a
 * snapshot of the repositories named in manifest.json, checking every file against its recorded
 * sha256, so another engineer reproduces exactly the images the committed numbers came from.
 *
 *   deno run -A eval/corpus/faces/fetch.ts <git dir of serengil/deepface>
 *
 * The git dir is a clone or mirror of the repository (bare is fine); files are read at the
 * manifest's commit with `git show`, so the snapshot may be newer.
 */
import { loadFaceManifest } from "./manifest.ts";

if (import.meta.main) {
  const gitDir = Deno.args[0];
  if (!gitDir) {
    console.error("usage: deno run -A eval/corpus/faces/fetch.ts <git dir of serengil/deepface>");
    Deno.exit(2);
  }
  const manifest = await loadFaceManifest();
  const root = new URL("../../../", import.meta.url);
  let written = 0;
  for (const [sourceId, source] of Object.entries(manifest.sources)) {
    if (source.kind !== "repository") continue;
    const dir = new URL(`${source.local_dir}/`, root);
    await Deno.mkdir(dir, { recursive: true });
    for (const image of manifest.images.filter((i) => i.source === sourceId)) {
      const bytes = await gitShow(gitDir, `${source.commit}:${image.path}`);
      const digest = await sha256(bytes);
      if (digest !== image.sha256) throw new Error(`${image.id}: sha256 ${digest}, the manifest says ${image.sha256}`);
      await Deno.writeFile(new URL(image.path.split("/").pop()!, dir), bytes);
      written++;
    }
  }
  console.log(`wrote ${written} images under eval/.corpus-local/faces/`);
}

async function gitShow(gitDir: string, spec: string): Promise<Uint8Array<ArrayBuffer>> {
  const out = await new Deno.Command("git", { args: ["--git-dir", gitDir, "show", spec], stderr: "piped" }).output();
  if (!out.success) throw new Error(`git show ${spec}: ${new TextDecoder().decode(out.stderr).trim()}`);
  return out.stdout;
}

export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
