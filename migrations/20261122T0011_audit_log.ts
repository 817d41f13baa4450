/**
 * The tamper-evident audit log (issue #9): one hash chain per organisation. Each row's `hash` is
 * SHA-256 over its own fields and the previous row's hash (core/audit/log.ts), and `sequence_num`
 * runs 1, 2, 3… per organisation with no gaps, so `scripts/verify_audit.ts` can prove that no row
 * was altered or removed. Triggers make the table append-only for every role that has not first
 * disabled them (which needs the table's owner or a superuser, and is what the chain then exposes).
 *
 * Not to be confused with `events`, the webhook outbox.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      -- Position in the organisation's chain, from 1, without gaps: a gap is a removed row.
      sequence_num bigint NOT NULL CHECK (sequence_num > 0),
      -- Null for organisation-wide actions (e.g. an operator changing settings for both environments).
      environment text CHECK (environment IN ('sandbox', 'live')),
      actor_type text NOT NULL CHECK (actor_type IN ('api_key', 'operator', 'system', 'script')),
      actor_id text NOT NULL,
      action text NOT NULL,
      target_type text,
      target_id text,
      -- Ids, counts, names of fields and the route: never personal data.
      details jsonb NOT NULL DEFAULT '{}',
      request_id text,
      created_at timestamptz NOT NULL,
      -- Hex SHA-256; the first row of an organisation links to 64 zeros.
      prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
      hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
      UNIQUE (org_id, sequence_num)
    );
    CREATE INDEX audit_log_target_idx ON audit_log (org_id, target_type, target_id, sequence_num);
    CREATE INDEX audit_log_action_idx ON audit_log (org_id, action, sequence_num);
    CREATE INDEX audit_log_created_idx ON audit_log (org_id, created_at);

    CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are never changed or removed; scripts/verify_audit.ts detects it if they are.';
    END;
    $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE audit_log;
    DROP FUNCTION audit_log_refuse_change();
  `.execute(db);
}
