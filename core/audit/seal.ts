/**
 * Owns sealing the audit log (issue #17): giving each organisation's unsealed rows (appended by
 * log.ts with no place in the chain) their `sequence_num`, `prev_hash` and `hash`, in batches, in
 * insertion order (`append_id`). The worker's `audit.seal` job runs it every sealing interval; the
 * audit API, the dashboard's audit page and `deno task verify-audit --seal` run it before reading.
 *
 * Safe with several sealers at once: an organisation is sealed under a transaction-scoped advisory
 * lock that only sealers take (requests never do), so two sealers take turns per organisation and
 * the second finds the rows the first sealed already (READ COMMITTED: each statement after the lock
 * sees what the first committed). UNIQUE (org_id, sequence_num) backs that up. Idempotent: a sealed
 * row is never touched again (the append-only trigger refuses it, and the UPDATE asks for unsealed
 * rows only).
 *
 * Commit order: a sealer sees only committed rows. A row whose transaction is still open when a
 * batch is sealed is not skipped: it stays unsealed, and a later batch seals it after the rows
 * sealed before it (its `append_id` may be lower; its place in the chain is assigned now), so the
 * chain never has a hole and every committed row is eventually sealed.
 */
import { sql } from "kysely";
import type { Db, DbOrTx } from "../db/create_db.ts";
import { auditRowHash, type ChainedFields, GENESIS_HASH } from "./log.ts";

/** How often the worker seals (the `audit.seal` job's schedule: every minute). */
export const SEALING_INTERVAL_SECONDS = 60;
/** Rows one transaction seals; an organisation with more is sealed in several. */
const SEAL_BATCH = 500;

/**
 * Seals every unsealed row the database holds committed, of one organisation or of all, and
 * returns how many rows it sealed. When it returns, every row committed before the call is sealed.
 */
export async function sealAuditLog(db: Db, orgId?: string): Promise<number> {
  const orgIds = orgId !== undefined ? [orgId] : (await db.selectFrom("audit_log").select("org_id").distinct()
    .where("sequence_num", "is", null).execute()).map((row) => row.org_id);
  let sealed = 0;
  for (const id of orgIds) sealed += await sealOrganization(db, id);
  return sealed;
}

async function sealOrganization(db: Db, orgId: string): Promise<number> {
  let sealed = 0;
  for (;;) {
    const batch = await db.transaction().execute((tx) => sealBatch(tx, orgId));
    sealed += batch;
    if (batch < SEAL_BATCH) return sealed;
  }
}

async function sealBatch(tx: DbOrTx, orgId: string): Promise<number> {
  // The requests' appends never take this lock: only sealers queue on it.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`audit_seal:${orgId}`}, 0))`.execute(tx);
  const head = await tx.selectFrom("audit_log").select(["sequence_num", "hash"])
    .where("org_id", "=", orgId).where("sequence_num", "is not", null)
    .orderBy("sequence_num", "desc").limit(1).executeTakeFirst();
  const rows = await tx.selectFrom("audit_log").selectAll().where("org_id", "=", orgId)
    .where("sequence_num", "is", null).orderBy("append_id").limit(SEAL_BATCH).execute();
  if (rows.length === 0) return 0;

  let sequence = Number(head?.sequence_num ?? 0);
  let prevHash = head?.hash ?? GENESIS_HASH;
  const seals = rows.map((row) => {
    // The hash covers the row as the verifier reads it back: the stored values, read here.
    const { append_id: _order, hash: _none, ...stored } = row;
    const fields: ChainedFields = { ...stored, sequence_num: ++sequence, prev_hash: prevHash };
    prevHash = auditRowHash(fields);
    return sql`(${row.id}::text, ${sequence}::bigint, ${fields.prev_hash}::text, ${prevHash}::text)`;
  });
  await sql`
    UPDATE audit_log SET sequence_num = v.sequence_num, prev_hash = v.prev_hash, hash = v.hash
    FROM (VALUES ${sql.join(seals)}) AS v (id, sequence_num, prev_hash, hash)
    WHERE audit_log.id = v.id AND audit_log.sequence_num IS NULL
  `.execute(tx);
  return rows.length;
}

/** An organisation's rows still waiting for the sealer: how many, and the oldest one's time. */
export async function unsealedBacklog(
  db: DbOrTx,
  orgId?: string,
): Promise<{ rows: number; oldestCreatedAt: Date | null }> {
  let query = db.selectFrom("audit_log").where("sequence_num", "is", null);
  if (orgId !== undefined) query = query.where("org_id", "=", orgId);
  const found = await query.select((eb) => [eb.fn.countAll<string>().as("n"), eb.fn.min("created_at").as("oldest")])
    .executeTakeFirstOrThrow();
  return { rows: Number(found.n), oldestCreatedAt: found.oldest === null ? null : new Date(found.oldest) };
}
