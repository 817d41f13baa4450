/**
 * Owns the backup folder's layout and its manifest: what `deno task backup` wrote and
 * `deno task restore` checks before it touches anything. The manifest names key ids, never keys.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { BackupFailure } from "./pg_tools.ts";

export const BACKUP_FORMAT = "verifa-backup/1";
export const MANIFEST_FILE = "manifest.json";
export const DUMP_FILE = "database.dump";
export const BLOBS_DIR = "blobs";

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  /** The database snapshot's own time: erasures from (a day before) then on are re-applied. */
  created_at: z.iso.datetime({ offset: true }),
  product: z.object({ version: z.string(), commit: z.string().nullable() }),
  database: z.object({
    file: z.literal(DUMP_FILE),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    server_version: z.string(),
    pg_dump_version: z.string(),
    migrations: z.array(z.string()),
    organizations: z.number().int().nonnegative(),
    sessions: z.number().int().nonnegative(),
  }),
  blobs: z.object({
    store: z.enum(["filesystem", "s3"]),
    count: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    /** Objects the snapshot's documents name that were gone when copied (erased after the snapshot). */
    referenced_missing: z.number().int().nonnegative(),
    sha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  }),
  keys: z.object({
    encrypting_key_id: z.string(),
    encryption_key_ids: z.array(z.string()),
    signing_key_ids: z.array(z.string()),
  }),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${dir}/${MANIFEST_FILE}`);
  } catch {
    throw new BackupFailure(`${dir} is not a Verifa backup: it has no readable ${MANIFEST_FILE}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BackupFailure(`${dir}/${MANIFEST_FILE} is not JSON: the backup is damaged.`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BackupFailure(
      `${dir}/${MANIFEST_FILE} is not a ${BACKUP_FORMAT} manifest (${
        issue.path.join(".") || "top"
      }: ${issue.message}).`,
    );
  }
  return result.data;
}

export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await Deno.writeTextFile(`${dir}/${MANIFEST_FILE}`, JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A file's SHA-256, read in chunks (a dump can be larger than memory should hold). */
export async function fileSha256(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  // The readable closes the file when it ends.
  for await (const chunk of (await Deno.open(path)).readable) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.digest("hex"), bytes };
}
