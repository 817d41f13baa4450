/**
 * Indexes for the session and result lists at millions of rows (issue #17, bench/scale.ts and
 * docs/scaling.md): every list answers a page and a `total`, and the total is what grew with the
 * data — without these, counting a tenant's sessions of one status, or its results, read every one
 * of the tenant's rows from the heap (60-400 ms at a million sessions).
 *
 * - sessions (org, environment, status, created_at, id): the status filter's page in order and
 *   its count as an index-only scan.
 * - sessions (org, environment, external_ref trigrams), one GIN index (btree_gin for the two
 *   scope columns): `q` matches `external_ref ILIKE '%q%'`, which no btree serves, and a trigram
 *   index over every tenant's references gave back every tenant's candidates for a common
 *   substring (43,000 rows rechecked, 180 ms, for a six-character q at a million sessions) where
 *   this one gives the tenant's own. The planner ORs it with the primary key for `id = q`.
 * - sessions (org, id) over terminal sessions not yet redacted: the retention sweep's due pages
 *   (core/retention/policy.ts, by id after the last) walked the whole primary key, every tenant's
 *   rows, to find one organisation's (8 s for the first page at a million sessions).
 * - session_results (org, environment, created_at, session_id) and the same with status: the
 *   results list's order (newest first, session id as tie-break) and its counts, index-only. The
 *   first replaces session_results_scope_idx, a prefix of it.
 *
 * Plain CREATE INDEX, as every migration here: it runs in the migration's transaction and holds
 * writes on the table while it builds (docs/scaling.md has the build times measured here).
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE EXTENSION IF NOT EXISTS btree_gin;
    CREATE INDEX sessions_scope_status_created_idx ON sessions (org_id, environment, status, created_at DESC, id DESC);
    CREATE INDEX sessions_scope_external_ref_trgm_idx
      ON sessions USING gin (org_id, environment, external_ref gin_trgm_ops);
    CREATE INDEX sessions_retention_due_idx ON sessions (org_id, id)
      WHERE status IN ('completed', 'expired', 'failed') AND retention_status <> 'redacted';
    CREATE INDEX session_results_scope_created_idx
      ON session_results (org_id, environment, created_at DESC, session_id DESC);
    CREATE INDEX session_results_scope_status_created_idx
      ON session_results (org_id, environment, status, created_at DESC, session_id DESC);
    DROP INDEX session_results_scope_idx;
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX session_results_scope_idx ON session_results (org_id, environment, created_at DESC);
    DROP INDEX session_results_scope_status_created_idx;
    DROP INDEX session_results_scope_created_idx;
    DROP INDEX sessions_retention_due_idx;
    DROP INDEX sessions_scope_external_ref_trgm_idx;
    DROP INDEX sessions_scope_status_created_idx;
  `.execute(db);
}
