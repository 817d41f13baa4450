/**
 * Dashboard sessions learn when they were last used and when their operator last proved the
 * passkey (issue #15): `last_seen_at` ends a session left idle (VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES),
 * `reauthenticated_at` is the latest WebAuthn assertion (the sign-in or a step-up), which
 * destructive actions require to be recent. Existing sessions count as seen, and as proved, when
 * they were created.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE operator_sessions
      ADD COLUMN last_seen_at timestamptz,
      ADD COLUMN reauthenticated_at timestamptz
  `.execute(db);
  await sql`UPDATE operator_sessions SET last_seen_at = created_at, reauthenticated_at = created_at`.execute(db);
  await sql`ALTER TABLE operator_sessions ALTER COLUMN last_seen_at SET NOT NULL`.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE operator_sessions DROP COLUMN last_seen_at, DROP COLUMN reauthenticated_at`.execute(db);
}
