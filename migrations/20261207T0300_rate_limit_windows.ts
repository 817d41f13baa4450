/**
 * Rate-limit counters move from each API process's memory into Postgres (issue #16), so several
 * API processes share one limit per key, capture token and client IP.
 *
 * One row per (bucket, one-minute window). `bucket` is a keyed digest of what is counted (an API
 * key id, a capture token, a client IP): tokens are credentials and addresses are personal data,
 * so neither is stored as it is. `max_hits` is the limit of the latest hit, which the upsert's
 * conflict clause compares against (EXCLUDED only carries the table's own columns).
 *
 * UNLOGGED: a counter is worth a minute at most, so it is not worth WAL on every request. After
 * a crash Postgres empties the table (and a standby has none): every window starts afresh, which
 * only ever lets a client have one more minute's allowance. No index on window_start: the purge
 * (rate-limits.purge) scans a table that holds a few minutes of windows.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE rate_limit_windows (
      bucket text NOT NULL,
      window_start timestamptz NOT NULL,
      hits integer NOT NULL,
      max_hits integer NOT NULL,
      PRIMARY KEY (bucket, window_start)
    )
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rate_limit_windows`.execute(db);
}
