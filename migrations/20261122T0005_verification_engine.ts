/**
 * The live verification engine's records: workflow runs (one per processing of a session, with
 * the graph it walked, the node results and, while paused at a wait node, its encrypted context),
 * immutable check attempts (one row per try of a check, with the encrypted inputs its decision
 * can be replayed from), and the blind indexes and encrypted face templates duplicate detection
 * compares within an organisation.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE workflow_runs (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      session_id text NOT NULL REFERENCES sessions(id),
      workflow_id text,
      workflow_version integer,
      -- What started it: capture completion, reprocess, a workflow trigger, an external decision, a dry run.
      trigger text NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'paused', 'completed', 'failed', 'superseded')),
      graph_snapshot jsonb NOT NULL,
      current_node text,
      paused_at_node text,
      node_results jsonb NOT NULL DEFAULT '[]',
      -- The walk's context (extracted data included) kept while paused, so a decision resumes it.
      context_enc text,
      final_status text CHECK (final_status IN ('approved', 'rejected', 'needs_review')),
      external_decision text,
      external_metadata jsonb,
      error text,
      resumed_from text REFERENCES workflow_runs(id),
      started_at timestamptz NOT NULL,
      -- Refreshed at every node: a running run whose heartbeat stopped belongs to a dead worker.
      heartbeat_at timestamptz,
      completed_at timestamptz,
      duration_ms integer,
      -- clock_timestamp(), not now(): a run inserted by a transaction that waited on a lock sorts after.
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX workflow_runs_session_idx ON workflow_runs (org_id, environment, session_id, created_at);

    -- The run allowed to decide the session, and how many times the job began since processing was
    -- last requested (a job that keeps dying fails the session instead of leaving it processing).
    ALTER TABLE sessions
      ADD COLUMN current_run_id text,
      ADD COLUMN engine_deliveries integer NOT NULL DEFAULT 0;

    CREATE TABLE check_attempts (
      id text PRIMARY KEY,
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      session_id text NOT NULL REFERENCES sessions(id),
      run_id text NOT NULL REFERENCES workflow_runs(id),
      node text NOT NULL,
      policy text NOT NULL,
      attempt integer NOT NULL CHECK (attempt >= 1),
      status text NOT NULL
        CHECK (status IN ('pending', 'passed', 'failed', 'error', 'skipped', 'requires_retry')),
      score double precision,
      reasons jsonb NOT NULL DEFAULT '[]',
      -- What conditionals read (scores, levels, flags): never PII.
      outputs jsonb NOT NULL DEFAULT '{}',
      options jsonb NOT NULL DEFAULT '{}',
      -- The measurements the decision was made from (may hold PII, so encrypted): replayable.
      inputs_enc text,
      versions jsonb NOT NULL DEFAULT '{}',
      duration_ms integer NOT NULL,
      error text,
      decided_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (run_id, node, attempt)
    );
    CREATE INDEX check_attempts_session_idx ON check_attempts (org_id, environment, session_id, policy, created_at);

    -- An attempt is a record of what happened: it is written 'pending' before the check runs (so a
    -- crash leaves a trace) and settled once; after that only redaction may touch it, to drop its inputs.
    CREATE FUNCTION check_attempts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'pending' THEN
        RETURN NEW;
      END IF;
      IF NEW.inputs_enc IS NULL AND (to_jsonb(NEW) - 'inputs_enc') = (to_jsonb(OLD) - 'inputs_enc') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'check_attempts rows are immutable: a retry writes a new attempt';
    END
    $$;
    CREATE TRIGGER check_attempts_no_update BEFORE UPDATE ON check_attempts
      FOR EACH ROW EXECUTE FUNCTION check_attempts_immutable();

    -- HMAC blind indexes of a decided session's identifiers, for duplicate detection without plaintext.
    CREATE TABLE session_identifiers (
      session_id text NOT NULL REFERENCES sessions(id),
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      kind text NOT NULL CHECK (kind IN ('document_number', 'email', 'phone', 'name_dob')),
      digest text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (session_id, kind)
    );
    CREATE INDEX session_identifiers_lookup_idx ON session_identifiers (org_id, environment, kind, digest);

    -- Face embeddings are biometric data: encrypted, compared after decryption within one org.
    CREATE TABLE face_templates (
      session_id text PRIMARY KEY REFERENCES sessions(id),
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      embedding_enc text NOT NULL,
      model text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX face_templates_scope_idx ON face_templates (org_id, environment, created_at);
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sessions DROP COLUMN current_run_id, DROP COLUMN engine_deliveries;
    DROP TABLE face_templates;
    DROP TABLE session_identifiers;
    DROP TABLE check_attempts;
    DROP FUNCTION check_attempts_immutable();
    DROP TABLE workflow_runs;
  `.execute(db);
}
