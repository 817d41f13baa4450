/**
 * Owns processing a live session (the `session.process` job): pinning the workflow version it
 * runs, walking the graph with the checks, and writing the decision — result, session status,
 * event, the run's record and the duplicate-detection identifiers — in one transaction. A run
 * paused at a wait node keeps its context encrypted until the external decision resumes it.
 * Safe to run twice: only a session still `processing` is touched, and a run left `running` by a
 * worker that died is marked failed and replaced.
 */
import type { CoreDeps } from "../deps.ts";
import type { SessionRow, WorkflowRunRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { newId } from "../ids.ts";
import { recordEvent } from "../events/outbox.ts";
import { updateSessionRow } from "../sessions/repository.ts";
import { scopeOf } from "../capture/service.ts";
import { decideSession } from "../outcomes/decide.ts";
import { endErasedProcessing, lockSessionForDecision } from "../outcomes/erasure_guard.ts";
import type { NodeResult, WalkEnd, WorkflowGraph } from "../workflows/graph.ts";
import { walkGraph } from "../workflows/graph.ts";
import { versionForSession } from "../workflows/workflows.ts";
import { ageOn, type EarlierDecisions, isoDay } from "./check.ts";
import { runCheck } from "./check_runner.ts";
import { type FaceEvidence, gatherEvidence, type SessionEvidence } from "./evidence.ts";
import type { DocumentExtraction, ExtractedData } from "./extraction.ts";
import { identifierDigests, recordIdentifiers } from "./identifiers.ts";
import { decideOutcome } from "./outcome.ts";
import { findLatestRun, type RunTrigger, updateRun } from "./runs.ts";
import { FACE_DESCRIPTOR_MODEL } from "../engines/face_similarity.ts";

export interface ProcessSessionJob {
  session_id: string;
  trigger?: RunTrigger;
}

/**
 * A session whose `session.process` job began this many times without a decision is failed on the
 * next delivery, not retried forever. Equal to the queue's retryLimit, so the last delivery pg-boss
 * makes is the one that fails it, even when every earlier one died mid-run.
 */
export const MAX_PROCESSING_ATTEMPTS = 5;

/** What a paused run keeps (encrypted) so the external decision can resume it. */
interface PausedState {
  context: Record<string, unknown>;
  decisions: EarlierDecisions;
  errored: string[];
  extracted: ExtractedData;
  path: NodeResult[];
}

function runContext(runId: string) {
  return { table: "workflow_runs", column: "context_enc", rowId: runId };
}

type Begun =
  | { kind: "skip" }
  | {
    kind: "run";
    session: SessionRow;
    scope: Scope;
    run: WorkflowRunRow;
    graph: WorkflowGraph;
    resume: { from: string; decision: "continue" | "fail" | "reject"; state: PausedState } | null;
  };

/** A run whose heartbeat is older than this belongs to a worker that died (a node takes seconds). */
export const RUN_LEASE_MS = 60_000;

/** Thrown (so pg-boss retries later) when another worker's run of the session is alive. */
export class RunInProgressError extends Error {
  constructor(sessionId: string) {
    super(`a run of session ${sessionId} is in progress on another worker`);
  }
}

function resumable(
  run: WorkflowRunRow | undefined,
): run is WorkflowRunRow & { paused_at_node: string; context_enc: string } {
  return !!run && !!run.external_decision && !!run.context_enc && !!run.paused_at_node;
}

/**
 * Locks the session and opens (or resumes) its run, which becomes the session's current run: only
 * it may decide. A run another worker is still heartbeating is left alone; one a dead worker left
 * is resumed if it was resuming an external decision, else failed and replaced.
 */
async function beginRun(deps: CoreDeps, job: ProcessSessionJob, now: Date): Promise<Begun> {
  return await deps.db.transaction().execute(async (tx): Promise<Begun> => {
    const session = await tx.selectFrom("sessions").selectAll().where("id", "=", job.session_id)
      .forUpdate().executeTakeFirst();
    if (!session || session.status !== "processing") return { kind: "skip" };
    const scope = scopeOf(session);
    if (session.retention_status === "redacted") {
      // Erased while queued: its documents are gone, and nothing may be decided or written for it.
      await endErasedProcessing(tx, scope, session, now);
      return { kind: "skip" };
    }
    const latest = await findLatestRun(tx, scope, session.id);
    const alive = latest?.status === "running" && latest.id === session.current_run_id &&
      (latest.heartbeat_at ?? latest.started_at).getTime() > now.getTime() - RUN_LEASE_MS;
    if (alive) throw new RunInProgressError(session.id);

    const deliveries = session.engine_deliveries + 1;
    await updateSessionRow(tx, scope, session.id, { engine_deliveries: deliveries });
    if ((latest?.status === "paused" || latest?.status === "running") && resumable(latest)) {
      await updateRun(tx, scope, latest.id, { status: "running", heartbeat_at: now });
      await updateSessionRow(tx, scope, session.id, { current_run_id: latest.id });
      return {
        kind: "run",
        session,
        scope,
        run: latest,
        graph: latest.graph_snapshot as unknown as WorkflowGraph,
        resume: {
          from: latest.paused_at_node,
          decision: latest.external_decision as "continue" | "fail" | "reject",
          state: deps.keyRing.decryptJson<PausedState>(latest.context_enc, runContext(latest.id)),
        },
      };
    }
    if (latest?.status === "running") {
      await updateRun(tx, scope, latest.id, {
        status: "failed",
        error: "interrupted: the worker stopped before the run ended; a new run replaces it",
        completed_at: now,
      });
    }
    const version = deliveries > MAX_PROCESSING_ATTEMPTS ? undefined : await versionForSession(tx, scope, session);
    if (!version) {
      // Nothing can decide this session: fail it (like the processing_error preset) rather than retry forever.
      await decideSession(deps, tx, scope, session.id, () => ({
        source: "workflow",
        sessionStatus: "failed",
        resultStatus: null,
        result: { kind: "none" },
        event: null,
        completedAt: session.completed_at,
      }), now);
      deps.log.error("session processing failed", {
        session_id: session.id,
        reason: deliveries > MAX_PROCESSING_ATTEMPTS ? "too many attempts" : "no workflow",
      });
      return { kind: "skip" };
    }
    const run = await tx.insertInto("workflow_runs").values({
      id: newId("wfr"),
      org_id: scope.orgId,
      environment: scope.environment,
      session_id: session.id,
      workflow_id: version.workflow.id,
      workflow_version: version.version,
      trigger: job.trigger ?? "capture",
      status: "running",
      graph_snapshot: JSON.stringify(version.graph),
      node_results: JSON.stringify([]),
      started_at: now,
      heartbeat_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    await updateSessionRow(tx, scope, session.id, {
      current_run_id: run.id,
      ...(session.workflow_version === null ? { workflow_version: version.version } : {}),
    });
    return { kind: "run", session, scope, run, graph: version.graph, resume: null };
  });
}

/** Starts the slow measurements the graph will need side by side (OCR runs in its own thread). */
function prefetch(evidence: SessionEvidence, graph: WorkflowGraph): void {
  const policies = new Set(Object.values(graph.nodes).flatMap((n) => n.type === "policy" ? [n.policy] : []));
  const needsDocument = [
    "document_ocr",
    "document_expiration",
    "age_verification",
    "identity_crossref",
    "id_document_filter",
    "duplicate_detection",
    "watchlist_screening",
  ];
  // A failure here is the check's to handle when it asks again.
  if (needsDocument.some((p) => policies.has(p))) evidence.extraction().catch(() => {});
  if (["face_match", "liveness", "duplicate_detection"].some((p) => policies.has(p))) evidence.faces().catch(() => {});
}

/** Non-PII facts from the document that conditionals may route on (`extracted.<key>`). */
function extractedFacts(data: ExtractedData, now: Date): Record<string, unknown> {
  return {
    document_type: data.document_type ?? null,
    issuing_country: data.document_issuing_country ?? null,
    issuing_state: data.document_issuing_state ?? null,
    nationality: data.nationality ?? null,
    age: data.date_of_birth ? ageOn(data.date_of_birth, isoDay(now)) : null,
  };
}

export interface WalkOutcome {
  end: WalkEnd;
  path: NodeResult[];
  context: Record<string, unknown>;
  decisions: EarlierDecisions;
  errored: string[];
}

/** Walks a graph over a session's evidence; with `runId` every attempt is recorded. */
export async function walkSession(
  deps: CoreDeps,
  evidence: SessionEvidence,
  graph: WorkflowGraph,
  target: { runId: string; persist: boolean },
  resume: { from: string; decision: "continue" | "fail"; state: PausedState } | null = null,
): Promise<WalkOutcome> {
  const session = evidence.session;
  const context: Record<string, unknown> = resume?.state.context ?? {
    checks: {},
    extracted: {},
    session: { country: session.country, document_type: session.document_type, metadata: session.metadata },
  };
  const decisions: EarlierDecisions = resume?.state.decisions ?? {};
  const errored: string[] = resume?.state.errored ?? [];
  // A resumed walk already measured what came before the gate; what follows measures as it goes.
  if (!resume) prefetch(evidence, graph);
  const { end, path } = await walkGraph(graph, context, async (policy, node) => {
    const nodeDef = graph.nodes[node];
    const options = nodeDef.type === "policy" ? nodeDef.options : undefined;
    const outcome = await runCheck(deps, { ...target, node }, policy, options, evidence, decisions);
    const checks = context.checks as Record<string, unknown>;
    if (outcome.decision) {
      decisions[policy] = outcome.decision;
      checks[policy] = { status: outcome.status, score: outcome.decision.score, ...outcome.decision.outputs };
    } else {
      errored.push(policy);
      checks[policy] = { status: "error" };
    }
    const extraction = await evidence.measured().extraction?.catch(() => null);
    if (extraction) context.extracted = extractedFacts(extraction.data, evidence.now);
    if (target.persist) {
      await updateRun(deps.db, evidence.scope, target.runId, { current_node: node, heartbeat_at: deps.clock() });
    }
    return outcome.status;
  }, resume ? { from: resume.from, resume: resume.decision } : {});
  return { end, path: [...(resume?.state.path ?? []), ...path], context, decisions, errored };
}

export async function processSession(
  deps: CoreDeps,
  job: ProcessSessionJob,
): Promise<"decided" | "paused" | "skipped"> {
  const now = deps.clock();
  const begun = await beginRun(deps, job, now);
  if (begun.kind === "skip") return "skipped";
  const { session, scope, run, graph, resume } = begun;
  const evidence = gatherEvidence(deps, session, scope, now);
  const started = performance.now();

  let walk: WalkOutcome;
  if (resume?.decision === "reject") {
    walk = {
      end: { kind: "terminal", outcome: "rejected", node: resume.from },
      path: [...resume.state.path, {
        node: resume.from,
        type: "wait",
        result: "reject",
        routed_to: null,
        duration_ms: 0,
      }],
      context: resume.state.context,
      decisions: resume.state.decisions,
      errored: resume.state.errored,
    };
  } else {
    walk = await walkSession(
      deps,
      evidence,
      graph,
      { runId: run.id, persist: true },
      resume && {
        from: resume.from,
        decision: resume.decision as "continue" | "fail",
        state: resume.state,
      },
    );
  }

  const measured = evidence.measured();
  const extraction: DocumentExtraction | null = (await measured.extraction?.catch(() => null)) ?? null;
  const faces: FaceEvidence | null = (await measured.faces?.catch(() => null)) ?? null;
  const extracted = extraction?.data ?? resume?.state.extracted ?? {};
  const elapsed = (run.duration_ms ?? 0) + Math.round(performance.now() - started);
  const decidedAt = deps.clock();

  return await deps.db.transaction().execute(async (tx) => {
    // Another run (or an API call, or an erasure) got there first; this one's attempts stay as the record of it.
    const supersede = async () => {
      await updateRun(tx, scope, run.id, { status: "superseded", completed_at: decidedAt, duration_ms: elapsed });
      return "skipped" as const;
    };
    const isCurrent = (current: SessionRow) => current.status === "processing" && current.current_run_id === run.id;
    const nodeResults = JSON.stringify(walk.path);
    if (walk.end.kind === "paused") {
      const locked = await lockSessionForDecision(tx, scope, session.id);
      if (locked.erased) await endErasedProcessing(tx, scope, locked.session, decidedAt);
      if (locked.erased || !isCurrent(locked.session)) return await supersede();
      const state: PausedState = { ...walk, extracted };
      await updateRun(tx, scope, run.id, {
        status: "paused",
        paused_at_node: walk.end.node,
        current_node: walk.end.node,
        node_results: nodeResults,
        context_enc: deps.keyRing.encryptJson(state, runContext(run.id)),
        external_decision: null,
        duration_ms: elapsed,
      });
      await updateSessionRow(tx, scope, session.id, { status: "awaiting_external", updated_at: decidedAt });
      await recordEvent(tx, scope, {
        type: "session.awaiting_external",
        sessionId: session.id,
        payload: { status: "awaiting_external", node: walk.end.node },
      }, decidedAt);
      return "paused";
    }

    const outcome = decideOutcome(walk.end.outcome, walk.path, walk.decisions, walk.errored, extracted, resume);
    const verdict = await decideSession(deps, tx, scope, session.id, (current) =>
      isCurrent(current)
        ? {
          source: "workflow",
          sessionStatus: outcome.sessionStatus,
          resultStatus: outcome.result.status,
          result: {
            kind: "replace",
            result: outcome.result,
            mode: "workflow",
            countryUsed: extracted.document_issuing_country ?? session.country ?? null,
          },
          event: outcome.event,
        }
        : "stale", decidedAt);
    if (verdict.kind === "erased") await endErasedProcessing(tx, scope, verdict.session, decidedAt);
    if (verdict.kind !== "decided") return await supersede();
    await updateRun(tx, scope, run.id, {
      status: "completed",
      final_status: walk.end.outcome,
      paused_at_node: null,
      current_node: walk.end.node,
      node_results: nodeResults,
      context_enc: null,
      completed_at: decidedAt,
      duration_ms: elapsed,
    });
    // Only what this decision read replaces what an earlier one recorded (a reject on resume reads nothing).
    const face = faces?.selfie ?? faces?.document ?? null;
    if (extraction || resume?.state.extracted) {
      await recordIdentifiers(
        tx,
        deps,
        scope,
        session.id,
        identifierDigests(deps.indexKey, extracted, evidence.claims()),
        face && faces?.versions ? { embedding: face.embedding, model: FACE_DESCRIPTOR_MODEL } : undefined,
        decidedAt,
      );
    }
    return "decided";
  });
}
