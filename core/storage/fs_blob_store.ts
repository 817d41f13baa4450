/**
 * Owns the filesystem BlobStore driver used by the embedded mode (no MinIO): one file per key under a root folder.
 *
 * Known limit: a key cannot be both an object and a "folder" ("a" and "a/b"), which S3 allows; our keys
 * never do this, and a put that tries fails loudly instead of losing data.
 */

import { dirname, resolve } from "node:path";
import { assertValidBlobKey, assertValidBlobPrefix, assertValidListPrefix, type BlobStore } from "./blob_store.ts";

/**
 * Marks in-flight temp files. "~" is outside the key alphabet, so a temp file can never be mistaken for
 * (or overwrite) an object, and deletePrefix can recognise crash leftovers.
 */
const TEMP_MARKER = ".~tmp-";

/** Documents are identity documents: only the service user may list or read them. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates the root folder if needed and returns the driver. `dir` is resolved now, so a later chdir cannot move it. */
export async function createFsBlobStore(dir: string): Promise<BlobStore> {
  const root = resolve(dir);
  await Deno.mkdir(root, { recursive: true, mode: DIR_MODE });
  // Validated keys have no "..", "." or empty segments, so the joined path always stays under root.
  const pathOf = (key: string) => `${root}/${key}`;

  return {
    async put(key, data, _contentType) {
      // The content type is not stored: get() returns bytes only, and callers keep the type in the database.
      assertValidBlobKey(key);
      const path = pathOf(key);
      await writeAtomically(path, data);
    },

    async get(key) {
      assertValidBlobKey(key);
      try {
        return await Deno.readFile(pathOf(key));
      } catch (err) {
        // A folder, or a path through a file, is "no such object" in S3 terms too.
        if (isAbsent(err) || err instanceof Deno.errors.IsADirectory) return null;
        throw err;
      }
    },

    async delete(key) {
      assertValidBlobKey(key);
      const path = pathOf(key);
      try {
        // Only files are objects; without this check deleting key "a" would remove an empty folder "a/".
        if (!(await Deno.lstat(path)).isFile) return;
        await Deno.remove(path);
      } catch (err) {
        if (!isAbsent(err)) throw err;
      }
    },

    async exists(key) {
      assertValidBlobKey(key);
      try {
        return (await Deno.lstat(pathOf(key))).isFile;
      } catch (err) {
        if (isAbsent(err)) return false;
        throw err;
      }
    },

    async deletePrefix(prefix) {
      assertValidBlobPrefix(prefix);
      // The prefix ends with "/", so "everything under the prefix" is exactly one folder's subtree.
      return await removeTree(pathOf(prefix.slice(0, -1)));
    },

    async *list(prefix) {
      assertValidListPrefix(prefix);
      yield* walkKeys(root, prefix.replace(/\/$/, ""));
    },

    async check() {
      const info = await Deno.stat(root);
      if (!info.isDirectory) throw new Error(`Blob store root ${root} is not a folder.`);
      // Prove we can still write (a read-only remount or a full disk would otherwise pass as healthy).
      const probe = `${root}/.health${TEMP_MARKER}${crypto.randomUUID()}`;
      await Deno.writeFile(probe, new Uint8Array([1]), { createNew: true, mode: FILE_MODE });
      await Deno.remove(probe);
    },
  };
}

/**
 * Writes to a temp file beside the target, fsyncs it, then renames it over the target. rename() within one
 * folder is atomic, so a reader or a crash sees the old object or the new one, never half of one; the fsync
 * before the rename stops the filesystem from persisting the rename ahead of the data (an empty object
 * after power loss).
 */
async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const folder = dirname(path);
  const temp = `${folder}/.${path.slice(folder.length + 1)}${TEMP_MARKER}${crypto.randomUUID()}`;
  // deletePrefix removes folders it empties; if one vanishes between our mkdir and our open, make it again.
  for (let attempt = 1;; attempt++) {
    await Deno.mkdir(folder, { recursive: true, mode: DIR_MODE });
    try {
      const file = await Deno.open(temp, { write: true, createNew: true, mode: FILE_MODE });
      try {
        for (let offset = 0; offset < data.byteLength;) offset += await file.write(data.subarray(offset));
        await file.sync();
      } finally {
        file.close();
      }
      break;
    } catch (err) {
      await Deno.remove(temp).catch(() => {});
      if (err instanceof Deno.errors.NotFound && attempt < 3) continue;
      throw err;
    }
  }
  try {
    await Deno.rename(temp, path);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
}

/**
 * Deletes every entry under `folder` and the folders it empties; returns how many objects went. Temp files
 * (crash leftovers or in-flight writes) are removed too, because under a redacted prefix they hold the same
 * personal data, but they are not objects and are not counted.
 */
async function removeTree(folder: string): Promise<number> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(folder));
  } catch (err) {
    // No folder (or a file where the folder would be) means no objects under the prefix.
    if (isAbsent(err)) return 0;
    throw err;
  }
  let count = 0;
  for (const entry of entries) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) {
      count += await removeTree(path);
      continue;
    }
    try {
      await Deno.remove(path);
      if (entry.isFile && !entry.name.includes(TEMP_MARKER)) count++;
    } catch (err) {
      // A concurrent delete got there first: it, not we, removed that object.
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  try {
    await Deno.remove(folder);
  } catch {
    // Not empty (a concurrent put) or already gone: either way the objects we listed are deleted.
  }
  return count;
}

/**
 * The object keys under `folder` (relative to root; "" is root itself). Temp files
 * (in-flight writes, crash leftovers, health probes) are not objects and are skipped.
 */
async function* walkKeys(root: string, folder: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(folder ? `${root}/${folder}` : root));
  } catch (err) {
    if (isAbsent(err)) return;
    throw err;
  }
  for (const entry of entries) {
    const key = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory) yield* walkKeys(root, key);
    else if (entry.isFile && !entry.name.includes(TEMP_MARKER)) yield key;
  }
}

function isAbsent(err: unknown): boolean {
  return err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory;
}
