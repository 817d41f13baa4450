/**
 * Dual review compares principals, not names (issue #15): the recommendation records who
 * authenticated for it (the API key, or the dashboard operator) beside the reviewer it names, so
 * one key naming two reviewers is still one reviewer. Cases recommended before this compare by
 * `first_reviewer`, as they did.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE review_cases ADD COLUMN first_principal text`.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE review_cases DROP COLUMN first_principal`.execute(db);
}
