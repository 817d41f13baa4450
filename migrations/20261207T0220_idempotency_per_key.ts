/**
 * Stored Idempotency-Key replies belong to the API key that made the request, not to the whole
 * org and environment (issue #15): another key repeating the same Idempotency-Key must never be
 * answered with the first key's reply (which may carry a new API key's secret).
 *
 * Rows stored before this migration cannot be attributed to a key, so they are dropped: a retry
 * of a request made before the upgrade (within its 24 h window) runs again instead of replaying.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DELETE FROM idempotency_keys;
    ALTER TABLE idempotency_keys ADD COLUMN api_key_id text NOT NULL;
    ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
    ALTER TABLE idempotency_keys ADD PRIMARY KEY (org_id, environment, api_key_id, key);
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  // Two keys' rows may share an Idempotency-Key: they cannot all survive the old primary key.
  await sql`
    DELETE FROM idempotency_keys;
    ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
    ALTER TABLE idempotency_keys DROP COLUMN api_key_id;
    ALTER TABLE idempotency_keys ADD PRIMARY KEY (org_id, environment, key);
  `.execute(db);
}
