/**
 * Owns the totals of the session and result lists, kept beside the rows (issue #17; migration
 * 20261207T1800_list_counts): a statement that adds, removes or re-statuses rows appends its change
 * per (organisation, environment, status) to `list_count_deltas`, and `fold_list_counts()` moves
 * the deltas into `list_counts`, from the worker's `list-counts.fold` job every minute and from a
 * read that finds many waiting. A total is the folded number plus the deltas since, read in one
 * statement, so it is what `count(*)` would answer at that snapshot, at the cost of a few index
 * entries instead of one per row (15-25 ms of Postgres CPU per list at ten million sessions).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { outsideRequestTransaction } from "../db/request_transaction.ts";

export type CountedList = "sessions" | "results";

/** Deltas one tenant's list may gather before a read folds them (summing them costs ~0.1 µs each). */
const FOLD_WHEN_PENDING = 5_000;
let folding = false;

/** The number of the scope's rows in `list`, of the given statuses (all when none are given). */
export async function listTotal(
  db: DbOrTx,
  scope: Scope,
  list: CountedList,
  statuses?: readonly string[],
): Promise<number> {
  const ofStatus = statuses?.length ? sql`AND status = ANY(${[...statuses]}::text[])` : sql``;
  const where = sql`org_id = ${scope.orgId} AND environment = ${scope.environment} AND list = ${list}`;
  const { rows: [row] } = await sql<{ total: number; pending: number }>`
    SELECT (coalesce((SELECT sum(n) FROM list_counts WHERE ${where} ${ofStatus}), 0)
        + coalesce((SELECT sum(delta) FROM list_count_deltas WHERE ${where} ${ofStatus}), 0))::bigint AS total,
      (SELECT count(*) FROM (SELECT 1 FROM list_count_deltas WHERE ${where} LIMIT ${FOLD_WHEN_PENDING}) w) AS pending
  `.execute(db);
  if (row.pending >= FOLD_WHEN_PENDING && !folding) {
    folding = true;
    // In the background and on its own connection: the reader does not wait, and a fold that
    // fails leaves the deltas for the worker's next one (nothing is lost, totals stay exact).
    void outsideRequestTransaction(() => foldListCounts(db)).catch(() => {}).finally(() => (folding = false));
  }
  return Number(row.total);
}

/** Folds every waiting delta into `list_counts`; returns how many delta rows it folded. */
export async function foldListCounts(db: DbOrTx): Promise<number> {
  const { rows: [row] } = await sql<{ folded: number }>`SELECT fold_list_counts() AS folded`.execute(db);
  return Number(row.folded);
}
