/**
 * Owns remembering resolved API keys for a few seconds (issue #17), so that authenticating a
 * request does not read `api_keys` every time: a presented key's row, found by the hash of its
 * secret, is kept for ACTIVE_KEY_TTL_MS. A change made through this process (update, revoke)
 * forgets the key at once; another process sees it within the TTL, which is the longest a revoked
 * key can still be used on a replica that had just seen it. Expiry is checked on every use, so an
 * expired key is refused the moment it expires. Unknown secrets are not remembered: a flood of
 * made-up keys cannot grow the cache.
 */
import type { ApiKeyRow } from "../db/database.ts";

/** How long a resolved key is trusted without reading it again. */
export const ACTIVE_KEY_TTL_MS = 5_000;
/** A bound on memory: past it, the oldest entries go first. */
const MAX_KEYS = 10_000;

interface Entry {
  row: ApiKeyRow;
  until: number;
}

const byHash = new Map<string, Entry>();

/** The row remembered for this secret hash, if it is still fresh. */
export function rememberedKey(keyHash: string, nowMs: number): ApiKeyRow | null {
  const entry = byHash.get(keyHash);
  if (!entry) return null;
  if (entry.until > nowMs) return entry.row;
  byHash.delete(keyHash);
  return null;
}

export function rememberKey(row: ApiKeyRow, nowMs: number): void {
  if (byHash.size >= MAX_KEYS) byHash.delete(byHash.keys().next().value!);
  byHash.set(row.key_hash, { row, until: nowMs + ACTIVE_KEY_TTL_MS });
}

/** Forgets a key after a change to it, so this process reads the change on the next request. */
export function forgetKey(keyId: string): void {
  for (const [hash, entry] of byHash) if (entry.row.id === keyId) byHash.delete(hash);
}
