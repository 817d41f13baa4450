/** Foundation schema: organisations, API keys, sessions, results, the event outbox, idempotency records. */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE organizations (
      id text PRIMARY KEY,
      name text NOT NULL,
      slug text NOT NULL UNIQUE,
      settings jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      kind text NOT NULL CHECK (kind IN ('secret', 'publishable')),
      key_prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      label text,
      note text,
      scopes text[] NOT NULL,
      api_version text NOT NULL,
      default_key_inflection text NOT NULL DEFAULT 'snake',
      allowed_ips text[],
      allowed_origins text[],
      rate_limit_per_minute integer,
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX api_keys_scope_idx ON api_keys (org_id, environment, created_at DESC);

    CREATE TABLE sessions (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      status text NOT NULL,
      external_ref text,
      country text,
      workflow_id text,
      redirect_url text,
      checks text[],
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      tags text[] NOT NULL DEFAULT '{}',
      fields_enc text,
      applicant_email_enc text,
      applicant_name_enc text,
      send_email boolean NOT NULL DEFAULT false,
      document_type text,
      retention_status text NOT NULL DEFAULT 'active',
      processing_attempts integer NOT NULL DEFAULT 0,
      consent_ip_enc text,
      capture_token_hash text UNIQUE,
      capture_token_enc text,
      token_expires_at timestamptz,
      api_key_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      completed_at timestamptz,
      expired_at timestamptz
    );
    CREATE INDEX sessions_scope_created_idx ON sessions (org_id, environment, created_at DESC, id DESC);
    CREATE INDEX sessions_scope_external_ref_idx ON sessions (org_id, environment, external_ref);
    CREATE INDEX sessions_capture_deadline_idx ON sessions (token_expires_at)
      WHERE status IN ('pending', 'capturing');

    CREATE TABLE session_results (
      session_id text PRIMARY KEY REFERENCES sessions(id),
      org_id text NOT NULL,
      environment text NOT NULL,
      status text NOT NULL CHECK (status IN ('approved', 'rejected', 'needs_review')),
      face_match_passed boolean,
      face_match_score double precision,
      age_check_passed boolean,
      extracted_age integer,
      extracted_data_enc text,
      rejection_reason text,
      rejection_reason_code text,
      processing_mode text NOT NULL,
      country_used text,
      check_results jsonb NOT NULL DEFAULT '{}'::jsonb,
      risk_signals jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX session_results_scope_idx ON session_results (org_id, environment, created_at DESC);

    -- The outbox: written in the same transaction as the state change it reports.
    CREATE TABLE events (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      environment text NOT NULL,
      type text NOT NULL,
      session_id text,
      identity_id text,
      idempotency_key text NOT NULL UNIQUE,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      relayed_at timestamptz
    );
    CREATE INDEX events_unrelayed_idx ON events (created_at) WHERE relayed_at IS NULL;
    CREATE INDEX events_session_idx ON events (session_id, created_at);

    CREATE TABLE idempotency_keys (
      org_id text NOT NULL,
      environment text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
      response_status integer,
      response_content_type text,
      response_body_enc text,
      locked_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, environment, key)
    );
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE idempotency_keys, events, session_results, sessions, api_keys, organizations`.execute(db);
}
