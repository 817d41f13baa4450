/**
 * Owns the BlobStore contract every document driver (S3, filesystem) implements, and the key rules they share.
 */

/**
 * Opaque bytes by key. Callers encrypt before `put`, so drivers never see plaintext documents and
 * never need to interpret contents; the content type is advisory metadata only.
 */
export interface BlobStore {
  /** Writes (or replaces) the object; readers see the old bytes or the new, never a mix. */
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes, or null when there is no object at `key`. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the object; removing an absent key succeeds, so retried jobs stay safe to run twice. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /**
   * Deletes every object whose key starts with `prefix` and returns how many went (GDPR redaction).
   * The prefix must end with "/" (see assertValidBlobPrefix), so "org1/" can never take "org10/" with it.
   */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * The key of every object under `prefix` ("" for the whole store), for backups and the erasure
   * ledger, in no promised order (S3 lists by key, s3rver and folders do not). Objects written or
   * deleted while the listing runs may or may not appear.
   */
  list(prefix: string): AsyncIterable<string>;
  /** Health check: resolves when the store can serve requests, throws otherwise. */
  check(): Promise<void>;
}

/** S3's own key limit (in UTF-8 bytes; our keys are ASCII, so characters). */
const MAX_KEY_LENGTH = 1024;

const KEY_CHARS = /^[A-Za-z0-9/_.-]+$/;

/**
 * Rejects keys that could escape the store's root or mean different things to different drivers.
 * Keys are built by our code, never taken from users, so this is defence in depth: a failure here is
 * a bug, hence a plain Error rather than an AppError.
 *
 * Beyond traversal (`..`, a leading "/", backslashes, NUL, any character outside [A-Za-z0-9/_.-]) it
 * also rejects empty segments ("a//b", trailing "/") and "." segments: a filesystem would silently
 * normalise those to another key while S3 would keep them distinct.
 */
export function assertValidBlobKey(key: string): void {
  checkKeyShape(key, "blob key");
  if (key.endsWith("/")) throw new Error(`Invalid blob key ${JSON.stringify(key)}: must not end with "/".`);
}

/**
 * Rejects prefixes deletePrefix must not act on. Beyond the key rules, the prefix must be non-empty
 * and end with "/": an empty prefix would wipe the whole store, and a prefix cut mid-segment
 * ("sessions/ab") would also delete a neighbour's objects ("sessions/abc/...").
 */
export function assertValidBlobPrefix(prefix: string): void {
  checkKeyShape(prefix, "blob prefix");
  if (!prefix.endsWith("/")) throw new Error(`Invalid blob prefix ${JSON.stringify(prefix)}: must end with "/".`);
}

function checkKeyShape(key: string, what: string): void {
  const fail = (why: string): never => {
    // JSON.stringify makes NUL and other control characters visible in the message.
    throw new Error(`Invalid ${what} ${JSON.stringify(key)}: ${why}.`);
  };
  if (typeof key !== "string" || key.length === 0) fail("must be a non-empty string");
  if (key.length > MAX_KEY_LENGTH) fail(`longer than ${MAX_KEY_LENGTH} characters`);
  if (key.includes("\0")) fail("contains NUL");
  if (key.includes("\\")) fail("contains a backslash");
  if (key.includes("..")) fail('contains ".."');
  if (key.startsWith("/")) fail('starts with "/"');
  if (!KEY_CHARS.test(key)) fail("contains characters outside [A-Za-z0-9/_.-]");
  const segments = key.split("/");
  // A trailing "/" yields one final empty segment; the callers decide whether that is allowed.
  for (const [i, segment] of segments.entries()) {
    if (segment === "" && i !== segments.length - 1) fail("contains an empty path segment");
    if (segment === ".") fail('contains a "." path segment');
  }
}

/** A listing covers the whole store ("") or one folder's subtree (a valid prefix). */
export function assertValidListPrefix(prefix: string): void {
  if (prefix !== "") assertValidBlobPrefix(prefix);
}
