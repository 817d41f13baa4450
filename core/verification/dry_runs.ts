/**
 * Owns workflow dry runs: walking a graph (sent, a workflow's current version, or the session's
 * own) over a stored session's documents with the real checks, writing nothing to the session —
 * what this workflow would decide. The walk runs OCR and face models, so it runs on the worker
 * (`workflow.dry-run`), never in the API process: the API validates the request, stores it in
 * `workflow_dry_runs` and enqueues the job in one transaction, then waits for the worker's
 * outcome. The outcome's body is encrypted (check outputs can carry extracted data) and the row is
 * deleted once read, or by the hourly purge if nobody came back for it.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { Scope } from "../orgs/api_keys.ts";
import type { WorkflowDryRunsTable } from "../db/database.ts";
import type { Selectable } from "kysely";
import { AppError, type ErrorCode, notFound, validationError } from "../errors.ts";
import { newId } from "../ids.ts";
import { findSession } from "../sessions/repository.ts";
import { parseOrThrow } from "../validation.ts";
import type { WorkflowGraph } from "../workflows/graph.ts";
import { validateWorkflowGraph } from "../workflows/definition.ts";
import { findWorkflowById, versionForSession } from "../workflows/workflows.ts";
import { walkSession } from "./engine.ts";
import { gatherEvidence } from "./evidence.ts";
import { checkResults } from "./outcome.ts";

export const DRY_RUN_JOB = "workflow.dry-run";
/** Unread outcomes (a caller that gave up waiting and never asked again) go after this long. */
export const DRY_RUN_RETENTION_MS = 60 * 60 * 1000;

type DryRunRow = Selectable<WorkflowDryRunsTable>;

export const dryRunSchema = z.strictObject({
  session_id: z.string().min(1).max(100),
  graph: z.unknown().optional(),
  workflow_id: z.string().min(1).max(100).optional(),
});

function redactedSession(): AppError {
  return new AppError(
    "invalid_session_state",
    "Cannot dry-run a workflow on a redacted session.",
    undefined,
    undefined,
    409,
  );
}

function resultContext(id: string) {
  return { table: "workflow_dry_runs", column: "result_enc", rowId: id };
}

/**
 * Validates the request (422, 404 and 409 are answered here, before anything is queued), resolves
 * the graph and queues the walk. Returns the dry run's id.
 */
export async function queueDryRun(deps: CoreDeps, scope: Scope, body: unknown): Promise<string> {
  const input = parseOrThrow(dryRunSchema, body);
  if (input.graph !== undefined && input.workflow_id !== undefined) {
    throw validationError({ graph: "send either graph or workflow_id, not both" });
  }
  let graph: WorkflowGraph;
  if (input.graph !== undefined) {
    const errors = validateWorkflowGraph(input.graph);
    if (Object.keys(errors).length) throw validationError(errors);
    graph = input.graph as WorkflowGraph;
  }
  const session = await findSession(deps.db, scope, input.session_id);
  if (session.retention_status === "redacted") throw redactedSession();
  if (input.graph === undefined) {
    // A named workflow runs at its current version (no canary bucket); else the session's own, as it would run.
    const workflow = input.workflow_id ? await findWorkflowById(deps.db, scope, input.workflow_id) : undefined;
    if (input.workflow_id && !workflow) throw notFound("Workflow");
    const version = await versionForSession(
      deps.db,
      scope,
      workflow ? { id: session.id, workflow_id: workflow.id, workflow_version: workflow.version } : session,
    );
    if (!version) throw notFound("Workflow");
    graph = version.graph;
  }
  const id = newId("dry");
  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto("workflow_dry_runs").values({
      id,
      org_id: scope.orgId,
      environment: scope.environment,
      session_id: session.id,
      graph: JSON.stringify(graph!),
      status: "queued",
      created_at: deps.clock(),
    }).execute();
    await deps.jobs.enqueue(tx, DRY_RUN_JOB, { dry_run_id: id });
  });
  return id;
}

/** A dry run as the API answers it: the outcome once the worker is done, else where it stands. */
export type DryRunReply =
  | { done: true; body: Record<string, unknown> }
  | { done: false; body: { id: string; dry_run: true; session_id: string; status: "queued" | "running" } };

/**
 * Reads the scope's dry run once. A finished one is answered (its error thrown as the AppError the
 * walk ended with) and deleted: the outcome is handed out once.
 */
export async function readDryRun(deps: CoreDeps, scope: Scope, id: string): Promise<DryRunReply> {
  const row = await deps.db.selectFrom("workflow_dry_runs").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
  if (!row) throw notFound("Dry run");
  if (row.status === "queued" || row.status === "running") {
    return { done: false, body: { id: row.id, dry_run: true, session_id: row.session_id, status: row.status } };
  }
  await deps.db.deleteFrom("workflow_dry_runs")
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).execute();
  if (row.status === "failed") {
    throw new AppError(
      (row.error_code ?? "internal_error") as ErrorCode,
      row.error_detail ?? "The dry run failed.",
      undefined,
      undefined,
      row.error_status ?? 500,
    );
  }
  return { done: true, body: deps.keyRing.decryptJson<Record<string, unknown>>(row.result_enc!, resultContext(id)) };
}

/**
 * Waits up to `waitMs` for the worker (polling with a backoff from 25 ms to 500 ms), then answers
 * as readDryRun does: the outcome, or where the run stands for the caller to ask again.
 */
export async function awaitDryRun(deps: CoreDeps, scope: Scope, id: string, waitMs: number): Promise<DryRunReply> {
  const deadline = performance.now() + waitMs;
  let delay = 25;
  for (;;) {
    const reply = await readDryRun(deps, scope, id);
    if (reply.done || performance.now() >= deadline) return reply;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - performance.now()))));
    delay = Math.min(delay * 2, 500);
  }
}

/**
 * The worker's half: walks the stored graph and writes the outcome. Safe to run twice (a finished
 * or vanished row is left alone). Every failure is written as the run's outcome rather than
 * retried: a caller is waiting for an answer now, not for a retry minutes later.
 */
export async function runDryRun(deps: CoreDeps, id: string): Promise<void> {
  const claimed = await deps.db.updateTable("workflow_dry_runs").set({ status: "running" })
    .where("id", "=", id).where("status", "in", ["queued", "running"]).returningAll().executeTakeFirst();
  if (!claimed) return;
  const finish = (values: Partial<Omit<DryRunRow, "id" | "graph">>) =>
    deps.db.updateTable("workflow_dry_runs").set({ ...values, finished_at: deps.clock() })
      .where("id", "=", id).where("org_id", "=", claimed.org_id).where("environment", "=", claimed.environment)
      .execute();
  try {
    const result = await walkDryRun(deps, claimed);
    await finish({ status: "completed", result_enc: deps.keyRing.encryptJson(result, resultContext(id)) });
  } catch (error) {
    const known = error instanceof AppError;
    if (!known) {
      deps.log.error("dry run failed", {
        dry_run_id: id,
        org_id: claimed.org_id,
        error: error instanceof Error ? error.name : typeof error,
      });
    }
    await finish({
      status: "failed",
      error_code: known ? error.code : "internal_error",
      error_detail: known ? error.detail : "The dry run failed. Quote the X-Request-Id header when reporting it.",
      error_status: known ? error.status : 500,
    });
  }
}

async function walkDryRun(deps: CoreDeps, row: DryRunRow): Promise<Record<string, unknown>> {
  const scope = { orgId: row.org_id, environment: row.environment };
  const session = await findSession(deps.db, scope, row.session_id);
  // Redacted while queued: the documents are gone.
  if (session.retention_status === "redacted") throw redactedSession();
  const started = performance.now();
  const evidence = gatherEvidence(deps, session, scope, deps.clock());
  const walk = await walkSession(deps, evidence, row.graph as unknown as WorkflowGraph, {
    runId: "dry_run",
    persist: false,
  });
  return {
    session_id: session.id,
    dry_run: true,
    status: walk.end.kind === "paused" ? "paused" : "completed",
    final_status: walk.end.kind === "terminal" ? walk.end.outcome : null,
    paused_at_node: walk.end.kind === "paused" ? walk.end.node : null,
    node_results: walk.path,
    check_results: checkResults(walk.decisions, walk.errored),
    duration_ms: Math.round(performance.now() - started),
  };
}

/** Deletes outcomes nobody came back for; returns how many went. */
export async function purgeStaleDryRuns(deps: CoreDeps): Promise<number> {
  const cutoff = new Date(deps.clock().getTime() - DRY_RUN_RETENTION_MS);
  const result = await deps.db.deleteFrom("workflow_dry_runs").where("created_at", "<", cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
