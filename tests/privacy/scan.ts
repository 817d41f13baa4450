/**
 * Owns the privacy tests' proof of erasure: every text, bytea, json and array column of every table
 * (all schemas, pg-boss's included) and every stored object, searched for known values; and every
 * encrypted column or blind index of a session's rows checked to be gone.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import type { TestWorld } from "../helpers/test_app.ts";
import { blobKeys } from "../helpers/capture.ts";

interface Column {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
}

async function columns(world: TestWorld): Promise<Column[]> {
  const rows = await sql<Column>`
    SELECT c.table_schema, c.table_name, c.column_name, c.data_type
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
      AND c.data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'ARRAY')
  `.execute(world.db);
  return rows.rows;
}

/** Where each value still appears: `schema.table.column` per hit; [] when erased everywhere. */
export async function findInDatabase(world: TestWorld, values: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const col of await columns(world)) {
    const ref = sql`${sql.ref(`${col.table_schema}.${col.table_name}.${col.column_name}`)}`;
    // bytea is searched as its UTF-8 text (escape encoding) as well as raw bytes below.
    const asText = col.data_type === "bytea" ? sql`encode(${ref}, 'escape')` : sql`${ref}::text`;
    for (const value of values) {
      const found = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(`${col.table_schema}.${col.table_name}`)}
        WHERE position(lower(${value}) in lower(${asText})) > 0
      `.execute(world.db);
      if (found.rows[0].n > 0) hits.push(`${col.table_schema}.${col.table_name}.${col.column_name} ∋ ${value}`);
    }
  }
  return hits;
}

/** Stored objects (the filesystem blob store) whose bytes contain a value, and those under a prefix. */
export async function findInObjects(world: TestWorld, values: string[], prefix: string) {
  const keys = await blobKeys(world);
  const hits: string[] = [];
  for (const key of keys) {
    const bytes = new TextDecoder("latin1").decode(await Deno.readFile(`${world.blobDir}/${key}`)).toLowerCase();
    for (const value of values) if (bytes.includes(value.toLowerCase())) hits.push(`${key} ∋ ${value}`);
  }
  return { hits, underPrefix: keys.filter((key) => key.startsWith(prefix)), total: keys.length };
}

/**
 * No ciphertext or digest of the session is left to decrypt or match: every `_enc`, `_bidx`,
 * `_hmac` and `_hash` column of a row that hangs off the session (its own row, rows keyed by
 * session_id, its case's notes and actions, its deliveries) is NULL.
 */
export async function remainingSecrets(world: TestWorld, sessionId: string): Promise<string[]> {
  const all = await sql<Column>`
    SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public'
  `.execute(world.db);
  const byTable = new Map<string, string[]>();
  for (const c of all.rows) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  const caseIds = (await world.db.selectFrom("review_cases").select("id").where("session_id", "=", sessionId)
    .execute()).map((r) => r.id);
  const left: string[] = [];
  for (const [table, cols] of byTable) {
    const secret = cols.filter((c) => /(_enc|_bidx|_hmac|_hash|digest)$/.test(c) || c === "embedding_enc");
    // The audit chain's own hashes prove the log intact; they hold no session data.
    if (secret.length === 0 || table.startsWith("audit")) continue;
    let where;
    if (table === "sessions") where = sql`id = ${sessionId}`;
    else if (cols.includes("session_id")) where = sql`session_id = ${sessionId}`;
    else if (cols.includes("case_id") && caseIds.length) where = sql`case_id IN (${sql.join(caseIds)})`;
    else continue;
    for (const column of secret) {
      const n = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where} AND ${sql.ref(column)} IS NOT NULL
      `.execute(world.db);
      if (n.rows[0].n > 0) left.push(`${table}.${column} (${n.rows[0].n})`);
    }
  }
  return left;
}

export async function assertErased(world: TestWorld, sessionId: string, values: string[], prefix: string) {
  assert.deepEqual(await findInDatabase(world, values), [], "plaintext left in the database");
  const objects = await findInObjects(world, values, prefix);
  assert.deepEqual(objects.hits, [], "plaintext left in stored objects");
  assert.deepEqual(objects.underPrefix, [], "objects left under the session's prefix");
  assert.deepEqual(await remainingSecrets(world, sessionId), [], "ciphertext or digests left");
}
