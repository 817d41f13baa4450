/**
 * Owns the rate-limit counters every API process shares: fixed one-minute windows in Postgres
 * (`rate_limit_windows`), and the purge of windows that are over (the `rate-limits.purge` job).
 *
 * Hits are group-committed (`SharedWindows`): a hit that finds no count in flight is counted at
 * once, in one upsert; hits that arrive while one is in flight wait for it and are then counted
 * together, one row per window with the number of hits, each waiter taking its place in that
 * count in arrival order. Under load a process spends one statement on many requests instead of
 * one each (issue #17), and nothing is approximated: the count is exact across processes (each
 * upsert is one atomic statement), a remaining count is handed out once, and no hit is granted
 * beyond a limit.
 *
 * A window's start comes from the caller's clock, so processes agree on it as far as their clocks
 * agree (NTP keeps that to milliseconds; a process whose clock is off counts near a minute's edge
 * into the neighbouring window).
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/database.ts";
import { hmacBytes } from "../crypto/hmac.ts";
import { outsideRequestTransaction } from "../db/request_transaction.ts";

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

/** Hits for one window row: how many, and the limit that row is held to. */
interface WindowCount {
  bucket: string;
  start: number;
  hits: number;
  limit: number;
}

function rowKey(bucket: string, start: number): string {
  return `${bucket}@${start}`;
}

/**
 * Adds each row's hits in one upsert and returns, per row key, the count before them; a row that
 * was already full is left as it is (a client hammering a spent window takes a row lock but
 * writes nothing) and has no entry.
 */
async function addHits(db: Kysely<Database>, counts: readonly WindowCount[]): Promise<Map<string, number>> {
  // Sorted, so two statements that share windows lock their rows in the same order: no deadlock.
  const values = [...counts]
    .sort((a, b) => a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.start - b.start)
    .map((count) => ({
      bucket: count.bucket,
      window_start: new Date(count.start),
      hits: count.hits,
      max_hits: count.limit,
    }));
  const rows = await db.insertInto("rate_limit_windows").values(values)
    .onConflict((oc) =>
      oc.columns(["bucket", "window_start"])
        .doUpdateSet((eb) => ({
          hits: eb("rate_limit_windows.hits", "+", eb.ref("excluded.hits")),
          max_hits: eb.ref("excluded.max_hits"),
        }))
        .where((eb) => eb("rate_limit_windows.hits", "<", eb.ref("excluded.max_hits")))
    )
    .returning(["bucket", "window_start", "hits"]).execute();
  const added = new Map(counts.map((count) => [rowKey(count.bucket, count.start), count.hits]));
  const before = new Map<string, number>();
  for (const row of rows) {
    const key = rowKey(row.bucket, row.window_start.getTime());
    before.set(key, row.hits - added.get(key)!);
  }
  return before;
}

/** One request waiting to be counted: its windows' row keys and limits, and its promise. */
interface Waiter {
  rows: { key: string; bucket: string; start: number; limit: number }[];
  resolve(states: WindowState[]): void;
  reject(error: unknown): void;
}

/** The shared windows, counted by group commit (see the module comment). One per app. */
export class SharedWindows {
  private waiting: Waiter[] = [];
  private counting = false;

  constructor(private readonly db: Kysely<Database>, private readonly indexKey: Uint8Array) {}

  /**
   * Counts one request in each window (a window named twice counts once) and says, per window in
   * the order given, whether it was within the limit. A refused hit does not count.
   */
  hit(windows: readonly WindowHit[], now: Date): Promise<WindowState[]> {
    const start = now.getTime() - (now.getTime() % WINDOW_MS);
    const rows = windows.map((window) => {
      const bucket = bucketOf(this.indexKey, window.name);
      return { key: rowKey(bucket, start), bucket, start, limit: window.limit };
    });
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      if (!this.counting) void this.countWaiting();
    });
  }

  private async countWaiting(): Promise<void> {
    this.counting = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting;
        this.waiting = [];
        // The rate-limit counts are no request's own changes: they commit at once, whatever the
        // request that happened to start this batch does next.
        await outsideRequestTransaction(() => this.count(batch)).catch((error) => {
          for (const waiter of batch) waiter.reject(error);
        });
      }
    } finally {
      this.counting = false;
    }
  }

  private async count(batch: Waiter[]): Promise<void> {
    const counts = new Map<string, WindowCount>();
    // Each waiter's distinct rows, and its place (1-based) in each row's hits, in arrival order.
    const places = batch.map((waiter) => {
      const place = new Map<string, number>();
      for (const row of waiter.rows) {
        if (place.has(row.key)) continue;
        const count = counts.get(row.key) ?? { bucket: row.bucket, start: row.start, hits: 0, limit: row.limit };
        count.hits += 1;
        count.limit = row.limit;
        counts.set(row.key, count);
        place.set(row.key, count.hits);
      }
      return place;
    });
    const before = await addHits(this.db, [...counts.values()]);
    batch.forEach((waiter, i) =>
      waiter.resolve(waiter.rows.map((row) => {
        const previous = before.get(row.key);
        // No entry: the window was already full. A limit below 1 grants nothing either.
        const position = previous === undefined ? Infinity : previous + places[i].get(row.key)!;
        const allowed = position <= row.limit;
        return { allowed, remaining: allowed ? row.limit - position : 0, resetAt: row.start + WINDOW_MS };
      }))
    );
  }
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
