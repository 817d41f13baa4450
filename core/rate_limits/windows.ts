/**
 * Owns the rate-limit counters every API process shares: fixed one-minute windows in Postgres
 * (`rate_limit_windows`), counted with one upsert per request however many windows it spends,
 * and the purge of windows that are over (the `rate-limits.purge` job).
 *
 * A window's start comes from the caller's clock, so processes agree on it as far as their clocks
 * agree (NTP keeps that to milliseconds; a process whose clock is off counts near a minute's edge
 * into the neighbouring window). The count itself is exact across processes: the upsert is one
 * atomic statement.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/database.ts";
import { hmacBytes } from "../crypto/hmac.ts";

export const WINDOW_MS = 60_000;

/** One window a request spends: what is counted (e.g. `capture-ip:203.0.113.7`) and its limit. */
export interface WindowHit {
  name: string;
  limit: number;
}

export interface WindowState {
  allowed: boolean;
  remaining: number;
  /** Epoch ms at which the window ends. */
  resetAt: number;
}

/** A counted name's row key: a keyed digest, since names carry capture tokens and client IPs. */
function bucketOf(indexKey: Uint8Array, name: string): string {
  return hmacBytes(indexKey, "rate-limit", new TextEncoder().encode(name));
}

/**
 * Counts one request in each window and says, per window in the order given, whether it was
 * within the limit. A refused hit is not counted (the conflict clause leaves a full window as it
 * is), so a client hammering a spent window takes a row lock but writes nothing.
 */
export async function countHits(
  db: Kysely<Database>,
  indexKey: Uint8Array,
  now: Date,
  hits: readonly WindowHit[],
): Promise<WindowState[]> {
  const start = now.getTime() - (now.getTime() % WINDOW_MS);
  const resetAt = start + WINDOW_MS;
  const buckets = hits.map((hit) => bucketOf(indexKey, hit.name));
  const rows = new Map<string, { bucket: string; window_start: Date; hits: number; max_hits: number }>();
  hits.forEach((hit, i) =>
    rows.set(buckets[i], {
      bucket: buckets[i],
      window_start: new Date(start),
      hits: 1,
      max_hits: hit.limit,
    })
  );
  // Sorted, so two requests that share windows lock their rows in the same order: no deadlock.
  const values = [...rows.values()].sort((a, b) => a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0);
  const counted = await db.insertInto("rate_limit_windows").values(values)
    .onConflict((oc) =>
      oc.columns(["bucket", "window_start"])
        .doUpdateSet((eb) => ({ hits: eb("rate_limit_windows.hits", "+", 1), max_hits: eb.ref("excluded.max_hits") }))
        .where((eb) => eb("rate_limit_windows.hits", "<", eb.ref("excluded.max_hits")))
    )
    .returning(["bucket", "hits"]).execute();
  const hitsByBucket = new Map(counted.map((row) => [row.bucket, row.hits]));
  return hits.map((hit, i) => {
    const count = hitsByBucket.get(buckets[i]);
    // Not returned: the window was already full. Returned above the limit: a limit below 1.
    const allowed = count !== undefined && count <= hit.limit;
    return { allowed, remaining: allowed ? hit.limit - count : 0, resetAt };
  });
}

/**
 * Deletes every window before the previous one. The previous window stays so a process whose
 * clock is a little behind still finds its counts; nothing older is ever read again.
 */
export async function purgePastWindows(db: Kysely<Database>, now: Date): Promise<number> {
  const currentStart = now.getTime() - (now.getTime() % WINDOW_MS);
  const result = await db.deleteFrom("rate_limit_windows")
    .where("window_start", "<", new Date(currentStart - WINDOW_MS)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
