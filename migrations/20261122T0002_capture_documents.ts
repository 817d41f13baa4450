/**
 * Capture and documents: workflows (with each org's default, whose data requirements drive the
 * capture steps), capture progress on sessions, and the documents table.
 */
import { type Kysely, sql } from "kysely";

// Written out here rather than imported: migrations never import application code.
const DEFAULT_DATA_REQUIREMENTS = JSON.stringify({
  document_types: ["passport", "drivers_license", "national_id", "residence_permit"],
  selfie: true,
  user_info_fields: [],
  proof_of_address: false,
});

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE workflows (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      name text NOT NULL,
      description text,
      is_default boolean NOT NULL DEFAULT false,
      is_active boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      data_requirements jsonb NOT NULL,
      graph jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX workflows_one_default_idx ON workflows (org_id, environment) WHERE is_default;

    ALTER TABLE sessions
      ADD COLUMN consent_at timestamptz,
      ADD COLUMN consent_version text,
      ADD COLUMN consent_user_agent_enc text,
      ADD COLUMN document_country text,
      ADD COLUMN document_state text,
      ADD COLUMN user_fields_enc text,
      ADD COLUMN client_signals jsonb,
      ADD COLUMN capture_completed_at timestamptz,
      -- Blind index of the applicant IP, so velocity (sessions per IP) is countable without decrypting.
      ADD COLUMN consent_ip_bidx text;
    CREATE INDEX sessions_consent_ip_idx ON sessions (org_id, environment, consent_ip_bidx, created_at);

    CREATE TABLE documents (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      environment text NOT NULL,
      session_id text NOT NULL REFERENCES sessions(id),
      doc_type text NOT NULL,
      document_type text NOT NULL,
      side text,
      mime_type text NOT NULL,
      size_bytes integer NOT NULL,
      width integer,
      height integer,
      quality jsonb,
      storage_key text NOT NULL,
      thumbnail_key text,
      content_hmac text NOT NULL,
      upload_source text NOT NULL CHECK (upload_source IN ('api', 'capture', 'dashboard')),
      poa_document_type text,
      poa_document_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (session_id, doc_type)
    );
    CREATE INDEX documents_content_hmac_idx ON documents (org_id, environment, content_hmac);
  `.execute(db);

  // Organisations that exist before this migration get their default workflow in both environments.
  await sql`
    INSERT INTO workflows (id, org_id, environment, name, description, is_default, data_requirements)
    SELECT 'wfl_' || substr(md5(random()::text || o.id || e.env), 1, 24), o.id, e.env,
           'ID & Selfie + Age Verification', 'Government ID, selfie and face match, age check.', true,
           ${DEFAULT_DATA_REQUIREMENTS}::jsonb
    FROM organizations o CROSS JOIN (VALUES ('sandbox'), ('live')) AS e(env)
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE documents;
    DROP TABLE workflows;
    ALTER TABLE sessions
      DROP COLUMN consent_at, DROP COLUMN consent_version, DROP COLUMN consent_user_agent_enc,
      DROP COLUMN document_country, DROP COLUMN document_state, DROP COLUMN user_fields_enc,
      DROP COLUMN client_signals, DROP COLUMN capture_completed_at, DROP COLUMN consent_ip_bidx;
  `.execute(db);
}
