/**
 * Review cases: one case per session that needs a human (the review queue), the reviewers' notes
 * (encrypted: they may quote the applicant's data), and an append-only record of every action
 * taken on a case — claims, releases, escalations, recommendations, decisions, PII corrections and
 * check overrides — until the hash-chained audit log (issue #9) takes these over.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE review_cases (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      -- One case per session: a session that enters review again reopens its case.
      session_id text NOT NULL UNIQUE REFERENCES sessions(id),
      identity_id text,
      -- What opened it: the live workflow, a sandbox preset, or the API.
      source text NOT NULL CHECK (source IN ('workflow', 'sandbox', 'api')),
      status text NOT NULL
        CHECK (status IN ('open', 'in_review', 'escalated', 'pending_second_review', 'approved', 'rejected')),
      priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
      decision text CHECK (decision IN ('approved', 'rejected')),
      reason_code text,
      -- Reviewers' free text may quote the applicant: encrypted, like every other PII column.
      reason_enc text,
      assigned_to text,
      claimed_at timestamptz,
      -- A claim with no activity for 30 minutes goes back to the queue (the release job reads this).
      last_activity_at timestamptz NOT NULL,
      -- The SLA clock and the FIFO order of the queue.
      entered_review_at timestamptz NOT NULL,
      escalated_to text,
      escalated_by text,
      escalated_at timestamptz,
      escalation_reason_enc text,
      -- Dual review: the first reviewer's recommendation, which a different reviewer finalises.
      first_decision text CHECK (first_decision IN ('approved', 'rejected')),
      first_reason_code text,
      first_reviewer text,
      first_decided_at timestamptz,
      decided_by text,
      decided_at timestamptz,
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      custom_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    -- Claim-next takes the oldest open case of a tenant; the tabs filter on status as well.
    CREATE INDEX review_cases_queue_idx ON review_cases (org_id, environment, status, entered_review_at, id);
    CREATE INDEX review_cases_assignee_idx ON review_cases (org_id, environment, assigned_to, status);
    -- The release sweep looks across tenants for stale claims.
    CREATE INDEX review_cases_stale_claims_idx ON review_cases (last_activity_at) WHERE status = 'in_review';

    CREATE TABLE case_notes (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      case_id text NOT NULL REFERENCES review_cases(id),
      author text NOT NULL,
      text_enc text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX case_notes_case_idx ON case_notes (case_id, created_at, id);

    CREATE TABLE case_actions (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      case_id text NOT NULL REFERENCES review_cases(id),
      action text NOT NULL,
      actor text NOT NULL,
      from_status text,
      to_status text,
      -- Ids, codes and field names only; never PII.
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      -- What may be PII (a correction's before and after values, free-text reasons): encrypted.
      details_enc text,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX case_actions_case_idx ON case_actions (case_id, id);

    -- An action is a record of what happened: never changed, never removed. Only redaction may
    -- drop its encrypted details.
    CREATE FUNCTION case_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.details_enc IS NULL
        AND (to_jsonb(NEW) - 'details_enc') = (to_jsonb(OLD) - 'details_enc') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'case_actions rows are append-only';
    END
    $$;
    CREATE TRIGGER case_actions_append_only BEFORE UPDATE OR DELETE ON case_actions
      FOR EACH ROW EXECUTE FUNCTION case_actions_append_only();
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE case_actions;
    DROP FUNCTION case_actions_append_only();
    DROP TABLE case_notes;
    DROP TABLE review_cases;
  `.execute(db);
}
