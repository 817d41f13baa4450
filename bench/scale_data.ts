/**
 * Owns the scale benchmark's data set: generated sessions shaped like real ones across 50
 * organisations and both environments (statuses in realistic shares, created over the past year,
 * an `external_ref` on most, encrypted PII columns, a result for every decided session), loaded
 * once into a kept database and found again by later runs.
 *
 * Every row is a pure function of its number `g` (a seeded PRNG), so the measurements can name real rows of a
 * tenant (its references, its ids) without reading them back. The consent IP is a real AES-GCM
 * ciphertext under the servers' key, bound to its row, because the session list decrypts it; the
 * other PII columns, which no list reads, are ciphertext-shaped stand-ins of realistic length.
 * Not generated: events, audit rows, identities, documents (no list or filter here reads them).
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../core/db/database.ts";
import { createDb } from "../core/db/create_db.ts";
import type { KeyRing } from "../core/crypto/key_ring.ts";
import { provisionOrganization } from "../core/orgs/provision.ts";
import { sessionFieldContext } from "../core/sessions/service.ts";
import { prng } from "./phone_photo.ts";

export const ORGS = 50;
/** The organisation whose sessions span two years, so about half are past a one-year retention window. */
export const RETENTION_ORG = ORGS - 1;
const DAY_S = 86_400;
const BATCH = 20_000;

export type Environment = "live" | "sandbox";

export interface GeneratedSession {
  g: number;
  id: string;
  /** Index of the organisation, 0 to ORGS - 1. */
  org: number;
  environment: Environment;
  status: string;
  /** Seconds before the load that it was created. */
  createdAgoS: number;
  externalRef: string | null;
}

/** Shares of each status, by environment (sandbox sessions never process). */
const STATUS_SHARES: Record<Environment, [string, number][]> = {
  live: [
    ["completed", 0.6],
    ["expired", 0.2],
    ["under_review", 0.05],
    ["failed", 0.03],
    ["awaiting_external", 0.01],
    ["processing", 0.01],
    ["capturing", 0.05],
    ["pending", 0.05],
  ],
  sandbox: [["completed", 0.65], ["expired", 0.2], ["sandbox_pending", 0.03], ["capturing", 0.06], ["pending", 0.06]],
};

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

function pick(rand: () => number, shares: [string, number][]): string {
  let x = rand();
  for (const [value, share] of shares) {
    if ((x -= share) < 0) return value;
  }
  return shares[0][0];
}

/** The six base-36 characters that make `g` unique inside ids and references. */
export const serial = (g: number) => g.toString(36).padStart(6, "0");

export function generatedSession(g: number): GeneratedSession {
  const rand = prng(Math.imul(g, 0x9e3779b1) ^ 0x5bd1e995);
  const org = g % ORGS;
  const environment: Environment = rand() < 0.7 ? "live" : "sandbox";
  // Random characters first, as newId's are, so id order says nothing about creation order.
  let head = "";
  for (let i = 0; i < 18; i++) head += BASE36[Math.floor(rand() * 36)];
  const years = org === RETENTION_ORG ? 2 : 1;
  return {
    g,
    id: `ses_${head}${serial(g)}`,
    org,
    environment,
    status: pick(rand, STATUS_SHARES[environment]),
    createdAgoS: Math.floor(rand() * years * 365 * DAY_S),
    externalRef: rand() < 0.9 ? `ord-${serial(g)}-${Math.floor(rand() * 10_000)}` : null,
  };
}

/** What the rows of one organisation reference: its id and, per environment, its default workflow and starter key. */
export interface LoadedOrg {
  id: string;
  workflow: Record<Environment, string>;
  apiKeyId: Record<Environment, string>;
}

/** Random base64url text the stand-ins are cut from (made once per database). */
function standInPool(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(3072));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
}

/**
 * Ciphertext-shaped stand-ins: `v1:bench:` and as many base64url characters as `bytes` bytes
 * encrypt to, cut from the pool at a place the row's hash `h` picks (byte `k` of it). Cutting
 * instead of hashing per column keeps a load of millions of rows from being spent in sha256.
 */
function standInFunction(pool: string) {
  return sql.raw(`
    CREATE OR REPLACE FUNCTION bench_ciphertext(h bytea, k int, bytes int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT 'v1:bench:' || substr('${pool}', 1 + (get_byte(h, k) * 11 + get_byte(h, k + 1)) % 1024,
        ((bytes + 28) * 4 + 2) / 3)
    $$`);
}

/**
 * Inserts `rows` with their results in one statement; `orgOf` maps a row to the organisation it
 * belongs to, `now` is the moment `createdAgoS` counts back from. The bench_ciphertext function
 * must exist (ensureStandInFunction).
 */
export async function insertSessions(
  db: Kysely<Database>,
  keyRing: KeyRing,
  rows: GeneratedSession[],
  orgOf: (row: GeneratedSession) => LoadedOrg,
  now: Date,
): Promise<void> {
  const nowS = now.getTime() / 1000;
  const orgs = rows.map(orgOf);
  const consentIp = rows.map((row) =>
    row.status === "pending"
      ? null
      : keyRing.encryptJson(`203.0.${row.g % 256}.${(row.g >> 8) % 256}`, sessionFieldContext(row.id, "consent_ip_enc"))
  );
  await sql`
    WITH src AS (
      SELECT u.*, to_timestamp(u.created_epoch) AS created_at, sha256(convert_to(u.id, 'UTF8')) AS h,
        u.status <> 'pending' AS consented,
        u.status IN ('completed', 'failed', 'under_review', 'awaiting_external') AS decided
      FROM unnest(${rows.map((r) => r.id)}::text[], ${orgs.map((o) => o.id)}::text[],
        ${rows.map((r) => r.environment)}::text[], ${rows.map((r) => r.status)}::text[],
        ${rows.map((r) => nowS - r.createdAgoS)}::float8[], ${rows.map((r) => r.externalRef)}::text[],
        ${consentIp}::text[], ${rows.map((r, i) => orgs[i].workflow[r.environment])}::text[],
        ${rows.map((r, i) => orgs[i].apiKeyId[r.environment])}::text[])
        AS u(id, org_id, environment, status, created_epoch, external_ref, consent_ip_enc, workflow_id, api_key_id)
    ), timed AS (
      SELECT src.*,
        CASE WHEN consented THEN created_at + interval '1 minute' END AS started_at,
        CASE WHEN decided THEN created_at + (3 + get_byte(h, 5) % 27) * interval '1 minute' END AS completed_at,
        CASE WHEN status = 'expired' THEN created_at + interval '20 minutes' END AS expired_at
      FROM src
    ), inserted AS (
      INSERT INTO sessions (id, org_id, environment, status, external_ref, country, workflow_id, workflow_version,
        metadata, fields_enc, applicant_email_enc, applicant_name_enc, document_type, processing_attempts,
        consent_ip_enc, consent_ip_bidx, consent_at, consent_version, consent_user_agent_enc, capture_token_hash,
        capture_token_enc, token_expires_at, api_key_id, created_at, updated_at, started_at, completed_at, expired_at,
        capture_completed_at)
      SELECT id, org_id, environment, status, external_ref,
        (ARRAY['GB', 'US', 'DE', 'FR', 'ES', 'IT', 'NL', 'CA'])[1 + get_byte(h, 0) % 8], workflow_id, 1,
        jsonb_build_object('customer_id', 'cus_' || encode(substring(h FROM 1 FOR 6), 'hex'),
          'plan', CASE WHEN get_byte(h, 1) % 4 = 0 THEN 'premium' ELSE 'basic' END),
        bench_ciphertext(h, 10, 90),
        CASE WHEN get_byte(h, 2) < 150 THEN bench_ciphertext(h, 12, 40) END,
        CASE WHEN get_byte(h, 2) < 150 THEN bench_ciphertext(h, 14, 24) END,
        CASE WHEN consented AND status NOT IN ('capturing', 'pending')
          THEN (ARRAY['passport', 'drivers_license', 'national_id'])[1 + get_byte(h, 3) % 3] END,
        CASE WHEN decided THEN 1 ELSE 0 END,
        consent_ip_enc,
        CASE WHEN consented THEN encode(substring(h FROM 8 FOR 16), 'hex') END,
        started_at, CASE WHEN consented THEN 'v1' END,
        CASE WHEN consented THEN bench_ciphertext(h, 16, 110) END,
        CASE WHEN status IN ('pending', 'capturing') THEN encode(h, 'hex') END,
        CASE WHEN status IN ('pending', 'capturing') THEN bench_ciphertext(h, 18, 40) END,
        created_at + interval '20 minutes', api_key_id, created_at,
        coalesce(completed_at, expired_at, started_at, created_at), started_at, completed_at, expired_at,
        CASE WHEN decided THEN completed_at - interval '1 minute' END
      FROM timed
      RETURNING id, org_id, environment, status, completed_at
    )
    INSERT INTO session_results (session_id, org_id, environment, status, face_match_passed, face_match_score,
      age_check_passed, extracted_age, extracted_data_enc, rejection_reason, rejection_reason_code, processing_mode,
      country_used, check_results, created_at)
    SELECT id, org_id, environment, outcome, outcome <> 'rejected', round((0.55 + get_byte(h, 9) / 600.0)::numeric, 3),
      true, 18 + get_byte(h, 10) % 60, bench_ciphertext(h, 20, 300),
      CASE WHEN outcome = 'rejected' THEN 'Face does not match the document photo' END,
      CASE WHEN outcome = 'rejected' THEN 'face_mismatch' END,
      CASE WHEN environment = 'sandbox' THEN 'sandbox' ELSE 'workflow' END, 'GB',
      jsonb_build_object('document', jsonb_build_object('passed', true, 'score', 0.97),
        'face_match', jsonb_build_object('passed', outcome <> 'rejected', 'score', 0.9),
        'liveness', jsonb_build_object('passed', true), 'age', jsonb_build_object('passed', true)),
      completed_at
    FROM (
      SELECT *, CASE WHEN status = 'under_review' THEN 'needs_review'
             WHEN get_byte(h, 7) < 40 THEN 'rejected' ELSE 'approved' END AS outcome
      FROM (SELECT inserted.*, sha256(convert_to(id, 'UTF8')) AS h FROM inserted
            WHERE status IN ('completed', 'under_review')) hashed
    ) decided
  `.execute(db);
}

export async function ensureStandInFunction(db: Kysely<Database>): Promise<void> {
  await standInFunction(standInPool()).execute(db);
}

/** An organisation's default workflows and starter keys, by environment. */
export async function loadedOrg(db: Kysely<Database>, id: string): Promise<LoadedOrg> {
  const workflows = await db.selectFrom("workflows").select(["id", "environment"])
    .where("org_id", "=", id).where("is_default", "=", true).execute();
  const keys = await db.selectFrom("api_keys").select(["id", "environment"])
    .where("org_id", "=", id).where("kind", "=", "secret").orderBy("created_at").execute();
  const of = (rows: { id: string; environment: string }[], env: Environment) =>
    rows.find((r) => r.environment === env)!.id;
  return {
    id,
    workflow: { live: of(workflows, "live"), sandbox: of(workflows, "sandbox") },
    apiKeyId: { live: of(keys, "live"), sandbox: of(keys, "sandbox") },
  };
}

export interface ScaleData {
  databaseUrl: string;
  sessions: number;
  /** The loaded organisations by index. */
  orgs: LoadedOrg[];
  /** When the rows were generated: `createdAgoS` counts back from it. */
  loadedAt: Date;
  loadSeconds: number;
  /** True when this run loaded the rows; false when it found them from an earlier run. */
  loadedNow: boolean;
}

const LOADED_MARK = "bench_scale_loaded";

/**
 * The database `verifa_scale_<count>` with `count` generated sessions: found as an earlier run
 * left it (marked loaded only once every row and index is in), or made anew and loaded.
 * Secondary indexes are dropped for the load and built after it (far faster than maintaining
 * them row by row), then the tables are vacuumed and analysed, as autovacuum would leave them.
 */
export async function ensureScaleData(
  database: (name: string, options?: { fresh?: boolean }) => Promise<string>,
  keyRing: KeyRing,
  count: number,
  log: (line: string) => void,
): Promise<ScaleData> {
  const name = `verifa_scale_${count}`;
  let url = await database(name);
  const found = await readMark(url);
  if (found) {
    log(`found ${count} sessions loaded on ${found.loadedAt.toISOString()} (in ${found.loadSeconds.toFixed(0)} s)`);
    return { databaseUrl: url, sessions: count, ...found, loadedNow: false, orgs: await orgsOf(url) };
  }
  url = await database(name, { fresh: true });
  const db = createDb(url, 1);
  const started = performance.now();
  const loadedAt = new Date();
  try {
    // One connection: its settings hold for the whole load. Losing the last commits on a crash
    // only means loading again (the mark is written last).
    await sql`SET synchronous_commit = off`.execute(db);
    await sql`SET maintenance_work_mem = '1GB'`.execute(db);
    await sql`ALTER SYSTEM SET max_wal_size = '8GB'`.execute(db);
    await sql`SELECT pg_reload_conf()`.execute(db);
    await ensureStandInFunction(db);
    const orgs: LoadedOrg[] = [];
    for (let n = 0; n < ORGS; n++) {
      const slug = `scale-${String(n + 1).padStart(2, "0")}`;
      const org = await provisionOrganization(db, { name: `Scale ${n + 1}`, slug });
      orgs.push(await loadedOrg(db, org.org_id));
    }
    const indexes = await secondaryIndexes(db);
    for (const index of indexes) await sql`DROP INDEX ${sql.id(index.name)}`.execute(db);
    log(`loading ${count} sessions in batches of ${BATCH} (${indexes.length} secondary indexes dropped until the end)`);
    let pending: Promise<void> | null = null;
    let lastLog = performance.now();
    for (let start = 0; start < count; start += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => generatedSession(start + i));
      // The next batch is generated and encrypted here while Postgres writes the previous one.
      await pending;
      pending = insertSessions(db, keyRing, rows, (row) => orgs[row.org], loadedAt);
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        const rate = start / ((lastLog - started) / 1000);
        log(`  ${start} sessions (${rate.toFixed(0)}/s, about ${((count - start) / rate / 60).toFixed(0)} min left)`);
      }
    }
    await pending;
    for (const index of indexes) {
      const t0 = performance.now();
      await sql.raw(index.definition).execute(db);
      log(`  index ${index.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    log("  vacuum analyze");
    await sql`VACUUM (ANALYZE) sessions`.execute(db);
    await sql`VACUUM (ANALYZE) session_results`.execute(db);
    const seconds = (performance.now() - started) / 1000;
    await sql`CREATE TABLE ${sql.table(LOADED_MARK)} (sessions bigint NOT NULL, loaded_at timestamptz NOT NULL,
      seconds double precision NOT NULL)`.execute(db);
    await sql`INSERT INTO ${sql.table(LOADED_MARK)} VALUES (${count}, ${loadedAt}, ${seconds})`.execute(db);
    log(`loaded ${count} sessions in ${seconds.toFixed(0)} s`);
    return { databaseUrl: url, sessions: count, orgs, loadedAt, loadSeconds: seconds, loadedNow: true };
  } finally {
    await db.destroy();
  }
}

async function readMark(url: string): Promise<{ loadedAt: Date; loadSeconds: number } | null> {
  const db = createDb(url, 1);
  try {
    const { rows: [table] } = await sql<{ ok: boolean }>`SELECT to_regclass(${LOADED_MARK}) IS NOT NULL AS ok`
      .execute(db);
    if (!table.ok) return null;
    const { rows: [mark] } = await sql<{ loaded_at: Date; seconds: number }>`
      SELECT loaded_at, seconds FROM ${sql.table(LOADED_MARK)}`.execute(db);
    return mark ? { loadedAt: mark.loaded_at, loadSeconds: mark.seconds } : null;
  } finally {
    await db.destroy();
  }
}

async function orgsOf(url: string): Promise<LoadedOrg[]> {
  const db = createDb(url, 1);
  try {
    const rows = await db.selectFrom("organizations").select("id").where("slug", "like", "scale-%").orderBy("slug")
      .execute();
    return await Promise.all(rows.map((row) => loadedOrg(db, row.id)));
  } finally {
    await db.destroy();
  }
}

/** The plain indexes of the two loaded tables (not those behind a primary key or unique constraint). */
async function secondaryIndexes(db: Kysely<Database>): Promise<{ name: string; definition: string }[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid
    WHERE i.indrelid IN ('sessions'::regclass, 'session_results'::regclass) AND k.oid IS NULL
    ORDER BY c.relname`.execute(db);
  return rows;
}
