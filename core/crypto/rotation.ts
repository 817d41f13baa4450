/**
 * Owns key rotation (issue #9): after the operator puts a new key first in VERIFA_ENCRYPTION_KEYS,
 * `rotateKeys` re-encrypts every stored `_enc` value of every table, and re-wraps every document
 * object's data key, under that key — after which the old key can leave the ring.
 *
 * Columns are found in information_schema (any column ending `_enc`), so a table added later is
 * covered — or, when its ciphertexts are bound to something other than its `id`, refused by name
 * until ROW_CONTEXTS says how (a wrong context would fail to decrypt, never corrupt). Work goes in
 * batches, each one transaction with its rows `FOR UPDATE SKIP LOCKED` and an update that only
 * lands if the value is still the one read, so a concurrent writer always wins and its value is
 * already under the new key. Values whose envelope already names the first key are skipped, which
 * is what makes a re-run after an interruption resume instead of starting over.
 */
import { sql } from "kysely";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import { needsRewrap, openObject, rewrapObject } from "./object_envelope.ts";
import { escapeLike } from "../db/like.ts";

type Row = Record<string, unknown>;

interface RowContext {
  /** Columns that identify the row (its primary key), for paging and the update. */
  key: string[];
  /** The CipherContext rowId the product encrypts the column with. */
  rowId: (row: Row) => string;
}

const BY_ID: RowContext = { key: ["id"], rowId: (row) => String(row.id) };

/**
 * Where the rowId is not the row's `id` (grep `encrypt(` / `encryptJson(` call sites): results
 * and face templates are keyed by their session, a case action's details by its case, a stored
 * Idempotency-Key reply by scope and key (idempotency/store.ts bodyContext; its primary key also
 * holds the API key).
 */
const ROW_CONTEXTS: Record<string, RowContext> = {
  "session_results.extracted_data_enc": { key: ["session_id"], rowId: (row) => String(row.session_id) },
  "face_templates.embedding_enc": { key: ["session_id"], rowId: (row) => String(row.session_id) },
  "case_actions.details_enc": { key: ["id"], rowId: (row) => String(row.case_id) },
  "idempotency_keys.response_body_enc": {
    key: ["org_id", "environment", "api_key_id", "key"],
    rowId: (row) => `${row.org_id}/${row.environment}/${row.key}`,
  },
};

export interface RotationProgress {
  /** `table.column`, or `blobs` for document objects. */
  target: string;
  done: number;
  total: number;
}

export interface RotationReport {
  primary_key_id: string;
  /** Values re-encrypted per `table.column`, and document objects re-wrapped under `blobs`. */
  rotated: Record<string, number>;
  /** Values that would not decrypt under the ring with their context (named, never skipped silently). */
  failed: { target: string; row: string; error: string }[];
  /** Objects a document row names that the blob store does not have. */
  missing_objects: number;
  /**
   * Values still under another key when the run ended, per `table.column` (only those not 0): rows
   * a concurrent transaction held (SKIP LOCKED) or that failed. Run again until this is empty.
   */
  remaining: Record<string, number>;
  interrupted: boolean;
}

export interface RotationOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: RotationProgress) => void;
}

/** Every `_enc` column of the public schema, with the tables whose rows carry it. */
export async function encryptedColumns(db: DbOrTx): Promise<{ table: string; column: string }[]> {
  const rows = await sql<{ table_name: string; column_name: string }>`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name LIKE '%\\_enc'
    ORDER BY c.table_name, c.column_name
  `.execute(db);
  return rows.rows.map((r) => ({ table: r.table_name, column: r.column_name }));
}

async function contextFor(db: DbOrTx, table: string, column: string): Promise<RowContext> {
  const known = ROW_CONTEXTS[`${table}.${column}`];
  if (known) return known;
  const hasId = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = ${table} AND column_name = 'id'
  `.execute(db);
  if (hasId.rows[0].n === 0) {
    throw new Error(`${table}.${column}: no id column and no entry in ROW_CONTEXTS; say how it is encrypted`);
  }
  return BY_ID;
}

/**
 * The LIKE pattern of every envelope made under the first key. Key ids may hold `_` (a LIKE
 * wildcard): unescaped, `v1:k_1:%` would also match values under `kx1`, which would then be
 * skipped as current while the run reports success.
 */
export function currentKeyPattern(primaryKeyId: string): string {
  return `${escapeLike(`v1:${primaryKeyId}:`)}%`;
}

/** How many values, objects included, are not yet under the first key. */
export async function countStale(deps: CoreDeps): Promise<Record<string, number>> {
  const prefix = currentKeyPattern(deps.keyRing.primaryKeyId);
  const out: Record<string, number> = {};
  for (const { table, column } of await encryptedColumns(deps.db)) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(table)}
      WHERE ${sql.ref(column)} IS NOT NULL AND ${sql.ref(column)} NOT LIKE ${prefix}
    `.execute(deps.db);
    out[`${table}.${column}`] = rows[0].n;
  }
  return out;
}

export async function rotateKeys(deps: CoreDeps, options: RotationOptions = {}): Promise<RotationReport> {
  const report: RotationReport = {
    primary_key_id: deps.keyRing.primaryKeyId,
    rotated: {},
    failed: [],
    missing_objects: 0,
    remaining: {},
    interrupted: false,
  };
  const columns = await encryptedColumns(deps.db);
  // Refuse before touching anything if a column's context is unknown.
  const contexts = new Map<string, RowContext>();
  for (const { table, column } of columns) contexts.set(`${table}.${column}`, await contextFor(deps.db, table, column));
  const stale = await countStale(deps);

  for (const { table, column } of columns) {
    if (options.signal?.aborted) break;
    const target = `${table}.${column}`;
    report.rotated[target] = await rotateColumn(
      deps,
      table,
      column,
      contexts.get(target)!,
      stale[target],
      report,
      options,
    );
  }
  if (!options.signal?.aborted) report.rotated.blobs = await rewrapDocuments(deps, report, options);
  report.interrupted = options.signal?.aborted ?? false;
  report.remaining = Object.fromEntries(Object.entries(await countStale(deps)).filter(([, n]) => n > 0));
  return report;
}

async function rotateColumn(
  deps: CoreDeps,
  table: string,
  column: string,
  context: RowContext,
  total: number,
  report: RotationReport,
  options: RotationOptions,
): Promise<number> {
  const target = `${table}.${column}`;
  const batchSize = options.batchSize ?? 200;
  const current = currentKeyPattern(deps.keyRing.primaryKeyId);
  const keyRef = sql.join(context.key.map((k) => sql.ref(k)));
  const rowIdColumns = [...new Set([...context.key, "id", "session_id", "case_id"])];
  const present = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table}
  `.execute(deps.db);
  const selectable = rowIdColumns.filter((c) => present.rows.some((r) => r.column_name === c));
  let after: unknown[] | null = null;
  let done = 0;
  let rotated = 0;
  while (!options.signal?.aborted) {
    const batch: Row[] = await deps.db.transaction().execute(async (tx) => {
      await sql`SET LOCAL verifa.key_rotation = 'on'`.execute(tx);
      const page = await sql<Row>`
        SELECT ${sql.join(selectable.map((c) => sql.ref(c)))}, ${sql.ref(column)} AS value
        FROM ${sql.table(table)}
        WHERE ${sql.ref(column)} IS NOT NULL AND ${sql.ref(column)} NOT LIKE ${current}
          ${after ? sql`AND (${keyRef}) > (${sql.join(after)})` : sql``}
        ORDER BY ${keyRef} LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      `.execute(tx);
      for (const row of page.rows) {
        const value = row.value as string;
        const cipherContext = { table, column, rowId: context.rowId(row) };
        let fresh: string;
        try {
          fresh = deps.keyRing.encrypt(deps.keyRing.decrypt(value, cipherContext), cipherContext);
        } catch (error) {
          report.failed.push({ target, row: cipherContext.rowId, error: (error as Error).message });
          continue;
        }
        const where = sql.join(context.key.map((k) => sql`${sql.ref(k)} = ${row[k]}`), sql` AND `);
        const updated = await sql`
          UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${fresh}
          WHERE ${where} AND ${sql.ref(column)} = ${value}
        `.execute(tx);
        if (Number(updated.numAffectedRows ?? 0) > 0) rotated++;
      }
      return page.rows;
    });
    if (batch.length === 0) break;
    const last = batch[batch.length - 1];
    after = context.key.map((k) => last[k]);
    done += batch.length;
    options.onProgress?.({ target, done: Math.min(done, total), total });
  }
  return rotated;
}

/**
 * Document objects (the only objects the product writes: documents.storage_key and thumbnail_key)
 * get their data key re-wrapped. Each batch locks its document rows, so a redaction (which deletes
 * those rows, then the objects) waits for the batch and cannot see an object put back after it.
 */
async function rewrapDocuments(deps: CoreDeps, report: RotationReport, options: RotationOptions): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  const { total } = await deps.db.selectFrom("documents").select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  let after = "";
  let done = 0;
  let rewrapped = 0;
  while (!options.signal?.aborted) {
    const rows = await deps.db.transaction().execute(async (tx) => {
      const page = await tx.selectFrom("documents").select(["id", "storage_key", "thumbnail_key"])
        .where("id", ">", after).orderBy("id").limit(batchSize).forUpdate().skipLocked().execute();
      for (const row of page) {
        for (const key of [row.storage_key, row.thumbnail_key]) {
          if (!key) continue;
          const sealed = await deps.blobs.get(key);
          if (!sealed) {
            report.missing_objects++;
            continue;
          }
          try {
            if (!needsRewrap(deps.keyRing, sealed)) continue;
            await deps.blobs.put(key, rewrapObject(deps.keyRing, key, sealed), "application/octet-stream");
            rewrapped++;
          } catch (error) {
            report.failed.push({ target: "blobs", row: key, error: (error as Error).message });
          }
        }
      }
      return page;
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    done += rows.length;
    options.onProgress?.({ target: "blobs", done, total: Number(total) });
  }
  return rewrapped;
}

/**
 * Decrypts every stored `_enc` value and opens every document object's data key with the ring as
 * it is now: the proof, after a rotation and the old key's removal, that everything still reads.
 * Returns what would not (empty when all is readable).
 */
export async function unreadable(deps: CoreDeps, batchSize = 500): Promise<string[]> {
  const problems: string[] = [];
  for (const { table, column } of await encryptedColumns(deps.db)) {
    const context = await contextFor(deps.db, table, column);
    const present = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table}
    `.execute(deps.db);
    const cols = [...new Set([...context.key, "id", "session_id", "case_id"])]
      .filter((c) => present.rows.some((r) => r.column_name === c));
    const keyRef = sql.join(context.key.map((k) => sql.ref(k)));
    let after: unknown[] | null = null;
    for (;;) {
      const { rows }: { rows: Row[] } = await sql<Row>`
        SELECT ${sql.join(cols.map((c) => sql.ref(c)))}, ${sql.ref(column)} AS value FROM ${sql.table(table)}
        WHERE ${sql.ref(column)} IS NOT NULL ${after ? sql`AND (${keyRef}) > (${sql.join(after)})` : sql``}
        ORDER BY ${keyRef} LIMIT ${batchSize}
      `.execute(deps.db);
      if (rows.length === 0) break;
      for (const row of rows) {
        try {
          deps.keyRing.decrypt(row.value as string, { table, column, rowId: context.rowId(row) });
        } catch (error) {
          problems.push(`${table}.${column} ${context.rowId(row)}: ${(error as Error).message}`);
        }
      }
      const last: Row = rows[rows.length - 1];
      after = context.key.map((k) => last[k]);
    }
  }
  const documents = await deps.db.selectFrom("documents").select(["storage_key", "thumbnail_key"]).execute();
  for (const key of documents.flatMap((d) => [d.storage_key, d.thumbnail_key])) {
    if (!key) continue;
    const sealed = await deps.blobs.get(key);
    try {
      if (sealed) openObject(deps.keyRing, key, sealed);
    } catch (error) {
      problems.push(`blobs ${key}: ${(error as Error).message}`);
    }
  }
  return problems;
}
