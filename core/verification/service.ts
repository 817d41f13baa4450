/**
 * Owns what the API does with the live engine: re-running a session's workflow (reprocess, or a
 * workflow trigger), the external decision that resumes a paused run, reading the run and the
 * check attempts, and replaying a run's decisions from their stored inputs. (Dry runs of a graph
 * run on the worker: ./dry_runs.ts.)
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { SessionRow } from "../db/database.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, notFound, validationError } from "../errors.ts";
import { SESSION_PROCESS_JOB } from "../jobs/job_queue.ts";
import { findSession, updateSessionRow } from "../sessions/repository.ts";
import { parseOrThrow } from "../validation.ts";
import { findWorkflowById } from "../workflows/workflows.ts";
import { replayAttempt } from "./check_runner.ts";
import { findLatestRun, listAttempts, type RunTrigger, toAttemptDto, toRunDto, updateRun } from "./runs.ts";
import { POLICY_NAMES } from "../workflows/policies.ts";

function conflict(detail: string): AppError {
  return new AppError("invalid_session_state", detail, undefined, undefined, 409);
}

function assertLiveDecided(session: SessionRow, action: string): void {
  if (session.retention_status === "redacted") throw conflict(`Cannot ${action} a redacted session.`);
  if (session.environment !== "live") {
    throw conflict(`Sandbox sessions are decided by presets; use simulate instead of ${action}.`);
  }
  if (session.status !== "completed" && session.status !== "failed") {
    throw conflict(`Cannot ${action} a session in status "${session.status}": it must be completed or failed.`);
  }
}

async function rerun(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  session: SessionRow,
  workflowId: string | null,
  trigger: RunTrigger,
): Promise<SessionRow> {
  const now = deps.clock();
  // workflow_version null: the run pins the version current now, not the one of the first run.
  const updated = await updateSessionRow(tx, scope, session.id, {
    status: "processing",
    workflow_id: workflowId,
    workflow_version: null,
    processing_attempts: session.processing_attempts + 1,
    engine_deliveries: 0,
    completed_at: null,
    updated_at: now,
  });
  await deps.jobs.enqueue(tx, SESSION_PROCESS_JOB, { session_id: session.id, trigger }, { singletonKey: session.id });
  return updated;
}

/** Re-runs the session's workflow, at its current version, on the documents already stored. */
export async function reprocessSession(deps: CoreDeps, scope: Scope, id: string) {
  const session = await deps.db.transaction().execute(async (tx) => {
    const session = await findSession(tx, scope, id, { forUpdate: true });
    assertLiveDecided(session, "reprocess");
    return await rerun(deps, tx, scope, session, session.workflow_id, "reprocess");
  });
  return {
    session_id: session.id,
    status: session.status,
    message: "The workflow will run again on the stored documents.",
  };
}

export const triggerSchema = z.strictObject({ session_id: z.string().min(1).max(100) });

/** Runs a given workflow on a completed or failed session; the session keeps that workflow afterwards. */
export async function triggerWorkflow(deps: CoreDeps, scope: Scope, workflowId: string, body: unknown) {
  const input = parseOrThrow(triggerSchema, body);
  const session = await deps.db.transaction().execute(async (tx) => {
    const workflow = await findWorkflowById(tx, scope, workflowId);
    if (!workflow) throw notFound("Workflow");
    const session = await findSession(tx, scope, input.session_id, { forUpdate: true });
    if (!workflow.is_active) {
      throw new AppError("conflict", "The workflow is deactivated: activate it or trigger another.");
    }
    assertLiveDecided(session, "trigger a workflow on");
    return await rerun(deps, tx, scope, session, workflow.id, "workflow_trigger");
  });
  return { session_id: session.id, workflow_id: workflowId, status: session.status };
}

export const EXTERNAL_DECISIONS = ["continue", "fail", "reject"] as const;
export const externalDecisionSchema = z.strictObject({
  decision: z.enum(EXTERNAL_DECISIONS),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

const DECISION_MESSAGES: Record<typeof EXTERNAL_DECISIONS[number], string> = {
  continue: "The workflow resumes after the external gate.",
  fail: "The workflow takes the gate's on_fail route.",
  reject: "The session will be rejected.",
};

/** Resumes a run paused at a wait node; the worker applies the decision. */
export async function submitExternalDecision(deps: CoreDeps, scope: Scope, id: string, body: unknown) {
  const input = parseOrThrow(externalDecisionSchema, body);
  if (input.metadata && JSON.stringify(input.metadata).length > 16_384) {
    throw validationError({ metadata: "must be at most 16 KB" });
  }
  const session = await deps.db.transaction().execute(async (tx) => {
    const session = await findSession(tx, scope, id, { forUpdate: true });
    // The decision's metadata is stored on the run: nothing is written for an erased session.
    if (session.retention_status === "redacted") throw conflict("Cannot resume a redacted session.");
    if (session.status !== "awaiting_external") {
      throw conflict(`The session is "${session.status}", not awaiting an external decision.`);
    }
    const run = await findLatestRun(tx, scope, session.id);
    if (!run || run.status !== "paused") throw conflict("The session has no workflow run paused at an external gate.");
    await updateRun(tx, scope, run.id, {
      external_decision: input.decision,
      external_metadata: input.metadata ? JSON.stringify(input.metadata) : null,
    });
    const updated = await updateSessionRow(tx, scope, session.id, {
      status: "processing",
      engine_deliveries: 0,
      updated_at: deps.clock(),
    });
    await deps.jobs.enqueue(tx, SESSION_PROCESS_JOB, { session_id: session.id, trigger: "external_decision" }, {
      singletonKey: session.id,
    });
    return updated;
  });
  return {
    session_id: session.id,
    decision: input.decision,
    status: session.status,
    message: DECISION_MESSAGES[input.decision],
  };
}

export async function getWorkflowRun(deps: CoreDeps, scope: Scope, id: string) {
  const session = await findSession(deps.db, scope, id);
  const run = await findLatestRun(deps.db, scope, session.id);
  if (!run) throw new AppError("not_found", "No workflow run yet: the session has not been processed by a workflow.");
  return toRunDto(run);
}

/** The latest attempt of each check in the session's latest run. */
export async function listVerifications(deps: CoreDeps, scope: Scope, id: string) {
  const session = await findSession(deps.db, scope, id);
  const run = await findLatestRun(deps.db, scope, session.id);
  if (!run) return { data: [] };
  const attempts = await listAttempts(deps.db, scope, session.id, { runId: run.id });
  const latest = new Map<string, (typeof attempts)[number]>();
  for (const a of attempts) latest.set(a.node, a);
  return { data: [...latest.values()].map(toAttemptDto) };
}

export async function listPolicyAttempts(deps: CoreDeps, scope: Scope, id: string, policy: string) {
  if (!POLICY_NAMES.includes(policy)) throw notFound("Verification policy");
  const session = await findSession(deps.db, scope, id);
  const attempts = await listAttempts(deps.db, scope, session.id, { policy });
  return { session_id: session.id, policy, attempts: attempts.map(toAttemptDto) };
}

/** Decides each settled attempt of the latest run again from its stored inputs and compares. */
export async function replayWorkflowRun(deps: CoreDeps, scope: Scope, id: string) {
  const session = await findSession(deps.db, scope, id);
  const run = await findLatestRun(deps.db, scope, session.id);
  if (!run) throw new AppError("not_found", "No workflow run yet: the session has not been processed by a workflow.");
  const attempts = await listAttempts(deps.db, scope, session.id, { runId: run.id });
  const replayed = attempts.filter((a) => a.status !== "pending" && a.status !== "requires_retry").map((a) => {
    const decision = replayAttempt(deps, a);
    return {
      attempt_id: a.id,
      node: a.node,
      policy: a.policy,
      stored: { status: a.status, score: a.score },
      replayed: decision ? { status: decision.status, score: decision.score } : null,
      matches: decision ? decision.status === a.status && decision.score === a.score : null,
    };
  });
  return {
    run_id: run.id,
    session_id: session.id,
    replayed,
    all_match: replayed.every((r) => r.matches !== false),
  };
}
