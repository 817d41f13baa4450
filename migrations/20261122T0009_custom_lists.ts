/**
 * Custom allow/block/flag lists of an organisation (issue #7): the lists (`custom_lists`), their
 * items (`custom_list_items`, values encrypted, looked up by HMAC), and the matches recorded on
 * sessions by the `check_against_list` check (`list_matches`), each markable as a false positive.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE custom_lists (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      name text NOT NULL,
      list_type text NOT NULL CHECK (list_type IN ('name', 'email', 'phone', 'ip_address', 'government_id',
        'country', 'geolocation', 'browser_fingerprint', 'device_fingerprint', 'face', 'string')),
      match_mode text NOT NULL DEFAULT 'flag' CHECK (match_mode IN ('block', 'flag', 'allow')),
      description text,
      is_active boolean NOT NULL DEFAULT true,
      archived_at timestamptz,
      item_count integer NOT NULL DEFAULT 0 CHECK (item_count >= 0),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX custom_lists_scope_idx ON custom_lists (org_id, environment, created_at DESC);

    CREATE TABLE custom_list_items (
      id text PRIMARY KEY,
      list_id text NOT NULL REFERENCES custom_lists(id),
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      list_type text NOT NULL,
      -- The value as sent (per list type), AES-256-GCM under the key ring.
      value_enc text NOT NULL,
      -- HMAC-SHA256 blind index of the normalised value (core/lists/item_values.ts): the exact lookup,
      -- and what makes an item unique within its list.
      lookup_hmac text NOT NULL,
      -- Name lists only: lower-case, accents folded, for trigram candidate search (the notes' rule).
      name_normalized text,
      notes text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      UNIQUE (list_id, lookup_hmac)
    );
    CREATE INDEX custom_list_items_list_idx ON custom_list_items (list_id, created_at DESC);
    CREATE INDEX custom_list_items_lookup_idx ON custom_list_items (org_id, environment, lookup_hmac);
    CREATE INDEX custom_list_items_name_trgm_idx ON custom_list_items USING gin (name_normalized gin_trgm_ops)
      WHERE name_normalized IS NOT NULL;

    -- An item may be deleted later; its matches stay as the record of what was decided (no FK on item_id).
    CREATE TABLE list_matches (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      session_id text NOT NULL REFERENCES sessions(id),
      list_id text NOT NULL REFERENCES custom_lists(id),
      item_id text NOT NULL,
      list_type text NOT NULL,
      match_mode text NOT NULL,
      matched_on text NOT NULL,
      score real,
      false_positive boolean NOT NULL DEFAULT false,
      false_positive_by text,
      false_positive_at timestamptz,
      false_positive_reason text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (session_id, item_id)
    );
    CREATE INDEX list_matches_scope_idx ON list_matches (org_id, environment, session_id);
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE list_matches;
    DROP TABLE custom_list_items;
    DROP TABLE custom_lists;
  `.execute(db);
}
