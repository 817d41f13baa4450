/**
 * Workflow versions: immutable snapshots of each edit (`workflow_versions`), the canary rollout
 * on workflows (`rollout_percentage`, `previous_version`), the version a session was pinned to
 * when its processing began (`sessions.workflow_version`), and version 1 — with the default graph
 * where a workflow had none — for every workflow that exists already.
 */
import { type Kysely, sql } from "kysely";

// Written out here rather than imported: migrations never import application code. A test checks
// it equals DEFAULT_GRAPH in core/workflows/templates.ts as of this migration.
export const DEFAULT_GRAPH_V1 = {
  entry: "start",
  nodes: {
    start: { type: "start", label: "Capture", next: "document_quality" },
    document_quality: {
      type: "policy",
      policy: "document_quality",
      on_pass: "document_ocr",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    document_ocr: {
      type: "policy",
      policy: "document_ocr",
      on_pass: "document_expiration",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    document_expiration: {
      type: "policy",
      policy: "document_expiration",
      on_pass: "face_match",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    face_match: {
      type: "policy",
      policy: "face_match",
      options: { security_level: "standard" },
      on_pass: "age_verification",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    age_verification: {
      type: "policy",
      policy: "age_verification",
      options: { minimum_age: 18 },
      on_pass: "risk_assessment",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    risk_assessment: {
      type: "policy",
      policy: "risk_assessment",
      on_pass: "risk_level",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    risk_level: {
      type: "conditional",
      label: "Route on risk level",
      conditions: [
        { field: "checks.risk_assessment.risk_level", operator: "==", value: "critical", next: "rejected" },
        { field: "checks.risk_assessment.risk_level", operator: "==", value: "high", next: "needs_review" },
      ],
      default: "approved",
    },
    approved: { type: "terminal", outcome: "approved" },
    needs_review: { type: "terminal", outcome: "needs_review" },
    rejected: { type: "terminal", outcome: "rejected" },
  },
};

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE workflow_versions (
      workflow_id text NOT NULL REFERENCES workflows(id),
      version integer NOT NULL CHECK (version >= 1),
      org_id text NOT NULL,
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      name text NOT NULL,
      description text,
      -- 'graph' (the DAG) or 'steps' (sent as Verifa's legacy ordered list; graph holds its linear mapping).
      format text NOT NULL DEFAULT 'graph' CHECK (format IN ('graph', 'steps')),
      data_requirements jsonb NOT NULL,
      graph jsonb NOT NULL,
      steps jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workflow_id, version)
    );

    -- A version is a snapshot sessions were (or will be) run with: it is never edited.
    CREATE FUNCTION workflow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'workflow_versions rows are immutable: write a new version instead';
    END
    $$;
    CREATE TRIGGER workflow_versions_no_update BEFORE UPDATE ON workflow_versions
      FOR EACH ROW EXECUTE FUNCTION workflow_versions_immutable();

    -- rollout_percentage of new sessions run "version"; the rest run previous_version.
    ALTER TABLE workflows
      ADD COLUMN rollout_percentage integer NOT NULL DEFAULT 100
        CHECK (rollout_percentage BETWEEN 0 AND 100),
      ADD COLUMN previous_version integer CHECK (previous_version >= 1);
    CREATE INDEX workflows_scope_idx ON workflows (org_id, environment, created_at);

    -- Set when processing begins; the session runs that version even if the workflow changes.
    ALTER TABLE sessions ADD COLUMN workflow_version integer;
  `.execute(db);

  await sql`UPDATE workflows SET graph = ${JSON.stringify(DEFAULT_GRAPH_V1)}::jsonb WHERE graph IS NULL`.execute(db);
  await sql`
    INSERT INTO workflow_versions
      (workflow_id, version, org_id, environment, name, description, format, data_requirements, graph, created_at)
    SELECT id, version, org_id, environment, name, description, 'graph', data_requirements, graph, created_at
    FROM workflows
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sessions DROP COLUMN workflow_version;
    DROP INDEX workflows_scope_idx;
    ALTER TABLE workflows DROP COLUMN rollout_percentage, DROP COLUMN previous_version;
    DROP TABLE workflow_versions;
    DROP FUNCTION workflow_versions_immutable();
  `.execute(db);
}
