/** Webhooks: endpoints (secrets encrypted), one delivery per event and endpoint, every attempt recorded. */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE webhook_endpoints (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      url text NOT NULL,
      label text,
      description text,
      enabled boolean NOT NULL DEFAULT true,
      enabled_events text[] NOT NULL DEFAULT '{}',
      attribute_blocklist text[] NOT NULL DEFAULT '{}',
      event_filter_conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
      api_version text NOT NULL,
      key_inflection text NOT NULL DEFAULT 'snake',
      secret_enc text NOT NULL,
      previous_secret_enc text,
      previous_secret_expires_at timestamptz,
      consecutive_failures integer NOT NULL DEFAULT 0,
      disabled_reason text,
      disabled_at timestamptz,
      cloned_from text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz
    );
    CREATE INDEX webhook_endpoints_scope_idx ON webhook_endpoints (org_id, environment) WHERE deleted_at IS NULL;

    CREATE TABLE webhook_deliveries (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      environment text NOT NULL,
      endpoint_id text NOT NULL REFERENCES webhook_endpoints(id),
      event_id text REFERENCES events(id),
      event_type text NOT NULL,
      session_id text,
      idempotency_key text NOT NULL,
      url text NOT NULL,
      payload_enc text,
      status text NOT NULL CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed')),
      attempt_count integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      is_test boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      UNIQUE (event_id, endpoint_id)
    );
    CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC);
    CREATE INDEX webhook_deliveries_session_idx ON webhook_deliveries (org_id, environment, session_id, created_at DESC);

    CREATE TABLE webhook_attempts (
      id bigserial PRIMARY KEY,
      delivery_id text NOT NULL REFERENCES webhook_deliveries(id),
      attempt_number integer NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms integer NOT NULL,
      status_code integer,
      response_excerpt text,
      error text
    );
    CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, attempt_number);

    -- Wakes the relay as soon as an event commits, so delivery does not wait for a poll.
    CREATE FUNCTION notify_event_written() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('verifa_events', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION notify_event_written();
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER events_notify ON events;
    DROP FUNCTION notify_event_written();
    DROP TABLE webhook_attempts, webhook_deliveries, webhook_endpoints;
  `.execute(db);
}
