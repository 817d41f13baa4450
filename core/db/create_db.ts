/** Owns the Postgres connection pool and the Kysely instance built on it. */
import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import type { Database } from "./database.ts";
import { requestTransactionDialect } from "./request_transaction.ts";

// Postgres int8 (counts) fits in a JS number for anything we count; parse it as one.
pg.types.setTypeParser(20, (value: string) => Number(value));
// Postgres date (a calendar day: poa_document_date) stays its 'YYYY-MM-DD' text, as the table types
// say. pg's default makes a Date at local midnight, which serialises as a timestamp and, east of
// UTC, as the day before.
pg.types.setTypeParser(1082, (value: string) => value);

export type Db = Kysely<Database>;
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export function createDb(connectionString: string, poolSize: number): Db {
  // Pipelined clients send a statement queued behind another without waiting for its answer, so a
  // request transaction's BEGIN travels with its first statement and its audit row with its COMMIT.
  const pool = new pg.Pool({ connectionString, max: poolSize, idleTimeoutMillis: 30_000, pipeline: true });
  // An idle client erroring (e.g. Postgres restarted) must not crash the process; the pool replaces it.
  pool.on(
    "error",
    (error: Error) => console.error(JSON.stringify({ level: "error", msg: "pg pool error", error: error.message })),
  );
  // API calls and dashboard actions run as units that commit with their audit row (request_transaction.ts).
  return new Kysely<Database>({
    dialect: requestTransactionDialect(new PostgresDialect({ pool: endWhenClosed(pool) })),
  });
}

/**
 * pg-pool's end() resolves as soon as it has asked its idle clients to close, not when they have
 * closed. A process that stops its Postgres right after (the embedded mode's shutdown) would have
 * those connections terminated under it; here end() resolves once every client is removed.
 */
function endWhenClosed(pool: pg.Pool): pg.Pool {
  let open = 0;
  pool.on("connect", () => open++);
  pool.on("remove", () => open--);
  const end = pool.end.bind(pool);
  pool.end = (async () => {
    await end();
    while (open > 0) await new Promise((resolve) => pool.once("remove", resolve));
  }) as typeof pool.end;
  return pool;
}
