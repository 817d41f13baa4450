/**
 * Block-list items a reviewer's rejection builds from a session (issue #15 item 7) name that
 * session, so its erasure can find them: the face items go with the session, the others are
 * listed in its erasure receipt. Items added before this column are matched by the note every
 * such item was written with ("Blocked from session ses_….").
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE custom_list_items ADD COLUMN source_session_id text`.execute(db);
  await sql`
    UPDATE custom_list_items
    SET source_session_id = substring(notes from '^Blocked from session (ses_[0-9a-z]+)\\.$')
    WHERE notes ~ '^Blocked from session ses_[0-9a-z]+\\.$'
  `.execute(db);
  await sql`
    CREATE INDEX custom_list_items_source_session_idx ON custom_list_items (org_id, environment, source_session_id)
    WHERE source_session_id IS NOT NULL
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX custom_list_items_source_session_idx`.execute(db);
  await sql`ALTER TABLE custom_list_items DROP COLUMN source_session_id`.execute(db);
}
