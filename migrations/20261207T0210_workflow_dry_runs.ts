/**
 * Workflow dry runs are run by the worker, not the API process (issue #15 item 11): the API stores
 * the request here and enqueues `workflow.dry-run`; the worker writes the outcome back, its body
 * encrypted (check outputs can carry extracted document data). Rows are deleted once the result
 * is read, and an hour after they were made if nobody read them.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE workflow_dry_runs (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL CHECK (environment IN ('sandbox', 'live')),
      session_id text NOT NULL,
      -- The graph to walk (the customer's configuration, no personal data).
      graph jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
      result_enc text,
      error_code text,
      error_detail text,
      error_status integer,
      created_at timestamptz NOT NULL,
      finished_at timestamptz
    );
    CREATE INDEX workflow_dry_runs_created_idx ON workflow_dry_runs (created_at);
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE workflow_dry_runs`.execute(db);
}
