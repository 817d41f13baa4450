/**
 * Owns workflow runs and check attempts as stored and as the API shows them: finding a session's
 * runs and attempts (always within its org and environment), and their response shapes.
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { CheckAttemptRow, WorkflowRunRow, WorkflowRunsTable } from "../db/database.ts";
import type { Updateable } from "kysely";
import type { Scope } from "../orgs/api_keys.ts";

export type RunTrigger = "capture" | "submit" | "reprocess" | "workflow_trigger" | "external_decision";

export async function findLatestRun(db: DbOrTx, scope: Scope, sessionId: string): Promise<WorkflowRunRow | undefined> {
  return await db.selectFrom("workflow_runs").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("session_id", "=", sessionId)
    .orderBy("created_at", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
}

export async function updateRun(db: DbOrTx, scope: Scope, id: string, values: Updateable<WorkflowRunsTable>) {
  await db.updateTable("workflow_runs").set(values)
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .execute();
}

export async function listAttempts(
  db: DbOrTx,
  scope: Scope,
  sessionId: string,
  filter: { policy?: string; runId?: string } = {},
): Promise<CheckAttemptRow[]> {
  let query = db.selectFrom("check_attempts").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("session_id", "=", sessionId);
  if (filter.policy) query = query.where("policy", "=", filter.policy);
  if (filter.runId) query = query.where("run_id", "=", filter.runId);
  return await query.orderBy("created_at").orderBy("attempt").execute();
}

export function toRunDto(run: WorkflowRunRow) {
  return {
    id: run.id,
    session_id: run.session_id,
    workflow_id: run.workflow_id,
    workflow_version: run.workflow_version,
    trigger: run.trigger,
    status: run.status,
    final_status: run.final_status,
    current_node: run.current_node,
    paused_at_node: run.paused_at_node,
    external_decision: run.external_decision,
    external_metadata: run.external_metadata,
    node_results: run.node_results,
    graph_snapshot: run.graph_snapshot,
    error: run.error,
    created_at: run.created_at,
    started_at: run.started_at,
    completed_at: run.completed_at,
    duration_ms: run.duration_ms,
  };
}

export function toAttemptDto(row: CheckAttemptRow) {
  return {
    id: row.id,
    session_id: row.session_id,
    run_id: row.run_id,
    node: row.node,
    policy: row.policy,
    attempt_number: row.attempt,
    status: row.status,
    score: row.score,
    reasons: row.reasons,
    outputs: row.outputs,
    options: row.options,
    versions: row.versions,
    duration_ms: row.duration_ms,
    error: row.error,
    replayable: row.inputs_enc !== null,
    created_at: row.created_at,
    decided_at: row.decided_at,
  };
}
