/**
 * Owns turning a finished walk into what the API and webhooks report: the session status, the
 * result row's fields (face match, age, extracted data, rejection reason, check results, risk
 * signals) and the event — `session.resubmission-required` instead of `session.declined` when the
 * rejection came from unreadable document photos.
 */
import type { SessionEventType } from "../events/outbox.ts";
import type { PresetResult } from "../sessions/sandbox_presets.ts";
import type { SessionStatus } from "../sessions/status.ts";
import type { NodeResult, Outcome } from "../workflows/graph.ts";
import type { CheckDecision, EarlierDecisions } from "./check.ts";
import type { ExtractedData } from "./extraction.ts";

/** The same fields a sandbox preset fills, so both write one result shape. */
export type DecidedResult = PresetResult & { extracted_data: ExtractedData };

export interface DecidedOutcome {
  sessionStatus: SessionStatus;
  event: SessionEventType;
  result: DecidedResult;
}

const RESUBMISSION_REASON = "The document photos were too blurry or low-quality to read.";

/** The check whose failure led to the terminal: the last failed (or errored) policy node on the path. */
function decisiveFailure(path: NodeResult[]): NodeResult | undefined {
  return [...path].reverse().find((n) => n.type === "policy" && n.result !== "passed");
}

export function checkResults(decisions: EarlierDecisions, errored: string[]): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  for (const [policy, d] of Object.entries(decisions)) {
    results[policy] = { status: d.status, score: d.score, reasons: d.reasons.map((r) => r.code), ...d.outputs };
  }
  for (const policy of errored) results[policy] ??= { status: "error", score: null, reasons: ["check_error"] };
  return results;
}

export function decideOutcome(
  outcome: Outcome,
  path: NodeResult[],
  decisions: EarlierDecisions,
  errored: string[],
  extracted: ExtractedData,
  external: { decision: string } | null,
): DecidedOutcome {
  const face: CheckDecision | undefined = decisions.face_match;
  const age: CheckDecision | undefined = decisions.age_verification;
  const risk: CheckDecision | undefined = decisions.risk_assessment;
  const result: DecidedResult = {
    status: outcome,
    face_match_passed: face && face.status !== "skipped" ? face.status === "passed" : null,
    face_match_score: typeof face?.outputs.similarity === "number" ? face.outputs.similarity : null,
    age_check_passed: age && age.status !== "skipped" ? age.status === "passed" : null,
    extracted_age: typeof age?.outputs.age === "number" ? age.outputs.age : null,
    extracted_data: extracted,
    rejection_reason: null,
    rejection_reason_code: null,
    check_results: checkResults(decisions, errored),
    risk_signals: Array.isArray(risk?.outputs.signals) ? risk.outputs.signals as unknown[] : [],
  };
  if (outcome === "approved") return { sessionStatus: "completed", event: "session.approved", result };
  if (outcome === "needs_review") return { sessionStatus: "under_review", event: "session.requires-review", result };

  if (external?.decision === "reject") {
    result.rejection_reason = "Rejected by an external decision.";
    result.rejection_reason_code = "external_rejection";
    return { sessionStatus: "completed", event: "session.declined", result };
  }
  const failure = decisiveFailure(path);
  const decision = failure?.policy ? decisions[failure.policy] : undefined;
  if (failure?.policy === "document_quality" && decision?.status === "failed") {
    result.rejection_reason = RESUBMISSION_REASON;
    result.rejection_reason_code = "document_unreadable";
    return { sessionStatus: "completed", event: "session.resubmission-required", result };
  }
  const first = decision?.reasons[0];
  result.rejection_reason = first?.detail ??
    (failure ? `The ${failure.policy ?? failure.node} step did not pass.` : "Rejected by the workflow.");
  result.rejection_reason_code = first?.code ?? (failure?.result === "error" ? "check_error" : "workflow_rejected");
  return { sessionStatus: "completed", event: "session.declined", result };
}
