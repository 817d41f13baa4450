/**
 * Identities: the persistent record of one person per organisation and environment, upserted by
 * `external_ref` when a session reaches an outcome. Personal data is one encrypted JSON value;
 * the searchable parts also get HMAC blind indexes, so search never reads plaintext. Sessions
 * point at their identity; the outbox gets an index for an identity's audit trail.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE identities (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      external_ref text NOT NULL,
      status text NOT NULL
        CHECK (status IN ('pending', 'verified', 'rejected', 'failed', 'redacted', 'merged')),
      -- AES-256-GCM under the key ring, bound to (identities, pii_enc, id); null once redacted.
      pii_enc text,
      email_bidx text,
      phone_bidx text,
      document_number_bidx text,
      name_dob_bidx text,
      country text,
      tags text[] NOT NULL DEFAULT '{}',
      custom_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
      is_flagged boolean NOT NULL DEFAULT false,
      flag_reason text,
      flagged_at timestamptz,
      flagged_by text,
      legal_hold boolean NOT NULL DEFAULT false,
      latest_session_id text REFERENCES sessions(id),
      session_count integer NOT NULL DEFAULT 0,
      first_verified_at timestamptz,
      last_verified_at timestamptz,
      merged_into text REFERENCES identities(id),
      merged_at timestamptz,
      archived_at timestamptz,
      redacted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'merged') = (merged_into IS NOT NULL) OR status = 'redacted')
    );
    -- A redacted identity gives its external_ref back: the same person verified again after an
    -- erasure starts a new record. A merged one keeps it, and routes it to the identity it joined.
    CREATE UNIQUE INDEX identities_external_ref_idx ON identities (org_id, environment, external_ref)
      WHERE status <> 'redacted';
    CREATE INDEX identities_scope_created_idx ON identities (org_id, environment, created_at DESC, id DESC);
    CREATE INDEX identities_email_idx ON identities (org_id, environment, email_bidx) WHERE email_bidx IS NOT NULL;
    CREATE INDEX identities_phone_idx ON identities (org_id, environment, phone_bidx) WHERE phone_bidx IS NOT NULL;
    CREATE INDEX identities_document_number_idx ON identities (org_id, environment, document_number_bidx)
      WHERE document_number_bidx IS NOT NULL;
    CREATE INDEX identities_name_dob_idx ON identities (org_id, environment, name_dob_bidx)
      WHERE name_dob_bidx IS NOT NULL;

    ALTER TABLE sessions ADD COLUMN identity_id text REFERENCES identities(id);
    CREATE INDEX sessions_identity_idx ON sessions (org_id, environment, identity_id, created_at DESC)
      WHERE identity_id IS NOT NULL;

    CREATE INDEX events_identity_idx ON events (identity_id, created_at) WHERE identity_id IS NOT NULL;
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX events_identity_idx;
    ALTER TABLE sessions DROP COLUMN identity_id;
    DROP TABLE identities;
  `.execute(db);
}
