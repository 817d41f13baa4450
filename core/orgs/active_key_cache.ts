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
import { TtlCache } from "../ttl_cache.ts";

/** How long a resolved key is trusted without reading it again. */
export const ACTIVE_KEY_TTL_MS = 5_000;
/** A bound on memory: past it, the oldest entries go first. */
const MAX_KEYS = 10_000;

const byHash = new TtlCache<string, ApiKeyRow>(ACTIVE_KEY_TTL_MS, MAX_KEYS);

/** The row remembered for this secret hash, if it is still fresh. */
export function rememberedKey(keyHash: string): ApiKeyRow | null {
  return byHash.get(keyHash) ?? null;
}

export function rememberKey(row: ApiKeyRow): void {
  byHash.set(row.key_hash, row);
}

/** Forgets a key after a change to it, so this process reads the change on the next request. */
export function forgetKey(keyId: string): void {
  byHash.forget((_, row) => row.id === keyId);
}
