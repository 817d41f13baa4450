/**
 * Legal hold on sessions (issue #9): while `legal_hold` is true no redaction path (the API, bulk,
 * an identity's erasure, the retention sweep) may erase the session. Identities already carry
 * their own `legal_hold` (migration 0007).
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sessions
      ADD COLUMN legal_hold boolean NOT NULL DEFAULT false,
      ADD COLUMN legal_hold_reason text,
      ADD COLUMN legal_hold_set_at timestamptz;
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sessions DROP COLUMN legal_hold, DROP COLUMN legal_hold_reason, DROP COLUMN legal_hold_set_at;
  `.execute(db);
}
