/**
 * Owns running one check of a run: each try is an attempt row (written `pending`, settled once),
 * a transient failure is retried up to MAX_RETRIES times with backoff, and the inputs the decision
 * was made from are stored encrypted so it can be replayed.
 */
import type { CoreDeps } from "../deps.ts";
import type { CheckAttemptRow } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import { resolvedOptions } from "../workflows/policies.ts";
import type { CheckDecision, CheckModule, EarlierDecisions } from "./check.ts";
import { CHECKS } from "./checks/registry.ts";
import { underErasureLock } from "../outcomes/erasure_guard.ts";
import type { SessionEvidence } from "./evidence.ts";

/** Verifa's rule: a transient failure is retried up to 4 times. */
export const MAX_RETRIES = 4;
/** Waits before retry n (1-based): 0.25 s, 0.5 s, 1 s, 2 s. */
export const RETRY_BACKOFF_MS = [250, 500, 1000, 2000];

export type AttemptStatus = CheckAttemptRow["status"];

export interface CheckRun {
  /** The final status: the decision's, or `error` once retries ran out. */
  status: "passed" | "failed" | "skipped" | "error";
  decision: CheckDecision | null;
  attempts: number;
}

export interface RunTarget {
  runId: string;
  node: string;
  /** Nothing is written (dry runs). */
  persist: boolean;
}

export function attemptContext(attemptId: string) {
  return { table: "check_attempts", column: "inputs_enc", rowId: attemptId };
}

/**
 * A document the engines cannot decode is a finding about the document (resubmit it), not an
 * outage; other AppErrors are permanent errors; anything else (an engine crash, a lost
 * connection) is transient and retried.
 */
function classify(error: unknown): { kind: "unreadable" | "permanent" | "transient"; message: string } {
  if (error instanceof AppError) {
    return {
      kind: error.code === "image_unreadable" ? "unreadable" : "permanent",
      message: `${error.code}: ${error.detail}`,
    };
  }
  // Messages come from engines and drivers, never from applicant data; cut them short anyway.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: "transient", message: message.slice(0, 300) };
}

export async function runCheck(
  deps: CoreDeps,
  target: RunTarget,
  policy: string,
  nodeOptions: Record<string, unknown> | undefined,
  evidence: SessionEvidence,
  earlier: EarlierDecisions,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<CheckRun> {
  const check = CHECKS.get(policy) as CheckModule | undefined;
  if (!check) throw new Error(`no check module for policy ${policy}`);
  const options = resolvedOptions(policy, nodeOptions);
  const scope = evidence.scope;
  for (let attempt = 1;; attempt++) {
    const id = newId("chk");
    const started = performance.now();
    if (target.persist) {
      await deps.db.insertInto("check_attempts").values({
        id,
        org_id: scope.orgId,
        environment: scope.environment,
        session_id: evidence.session.id,
        run_id: target.runId,
        node: target.node,
        policy,
        attempt,
        status: "pending",
        score: null,
        reasons: JSON.stringify([]),
        outputs: JSON.stringify({}),
        options: JSON.stringify(options),
        versions: JSON.stringify({ check: `${policy}/${check.version}` }),
        duration_ms: 0,
        decided_at: deps.clock(),
      }).execute();
    }
    const settle = async (
      status: AttemptStatus,
      fields: { decision?: CheckDecision; inputs?: unknown; versions?: unknown[]; error?: string },
    ) => {
      if (!target.persist) return;
      // The measured inputs are personal data: an attempt settling after its session's erasure
      // keeps its status and nothing the measurement read (no inputs, no outputs).
      await underErasureLock(deps.db, scope, evidence.session.id, async (tx, erased) => {
        const keep = !erased;
        await tx.updateTable("check_attempts").set({
          status,
          score: fields.decision?.score ?? null,
          reasons: JSON.stringify(fields.decision?.reasons ?? []),
          outputs: JSON.stringify(keep ? fields.decision?.outputs ?? {} : {}),
          inputs_enc: keep && fields.inputs !== undefined
            ? deps.keyRing.encryptJson(fields.inputs, attemptContext(id))
            : null,
          versions: JSON.stringify({ check: `${policy}/${check.version}`, engines: fields.versions ?? [] }),
          duration_ms: Math.round(performance.now() - started),
          error: fields.error ?? null,
          decided_at: deps.clock(),
        }).where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
          .execute();
      });
    };
    let gathered;
    try {
      gathered = await check.gather({ deps, evidence, options, earlier, persist: target.persist });
    } catch (error) {
      const { kind, message } = classify(error);
      if (kind === "unreadable") {
        const decision: CheckDecision = {
          status: "failed",
          score: null,
          reasons: [{ code: "image_unreadable", detail: "A stored image could not be decoded." }],
          outputs: { unreadable: true },
        };
        // No inputs stored: there were no measurements, so there is nothing to replay.
        await settle("failed", { decision, error: message });
        return { status: "failed", decision, attempts: attempt };
      }
      // A dry run answers now rather than waiting out retries.
      const retry = kind === "transient" && target.persist && attempt <= MAX_RETRIES;
      deps.log.warn("check attempt failed", {
        policy,
        attempt,
        retry,
        error: message,
        session_id: evidence.session.id,
      });
      await settle(retry ? "requires_retry" : "error", { error: message });
      if (!retry) return { status: "error", decision: null, attempts: attempt };
      await sleep(RETRY_BACKOFF_MS[attempt - 1]);
      continue;
    }
    // decide is pure: if it throws, trying again cannot help.
    try {
      const decision = check.decide(gathered.inputs, options);
      await settle(decision.status, { decision, inputs: gathered.inputs, versions: gathered.versions });
      return { status: decision.status, decision, attempts: attempt };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : "decide failed";
      deps.log.error("check decision failed", { policy, error: message, session_id: evidence.session.id });
      await settle("error", { inputs: gathered.inputs, versions: gathered.versions, error: message });
      return { status: "error", decision: null, attempts: attempt };
    }
  }
}

/**
 * Decides an attempt again from its stored inputs and options, with the check's current logic;
 * null when it cannot be (no inputs stored, a key removed from the ring, logic that now throws).
 */
export function replayAttempt(deps: CoreDeps, row: CheckAttemptRow): CheckDecision | null {
  const check = CHECKS.get(row.policy);
  if (!check || !row.inputs_enc) return null;
  try {
    const inputs = deps.keyRing.decryptJson<unknown>(row.inputs_enc, attemptContext(row.id));
    return check.decide(inputs, row.options);
  } catch (error) {
    deps.log.warn("attempt replay failed", {
      attempt_id: row.id,
      error: error instanceof Error ? error.name : "error",
    });
    return null;
  }
}
