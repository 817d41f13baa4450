/**
 * Owns the canary choice: which version of a workflow a session runs. `rollout_percentage` of
 * sessions get the current version and the rest `previous_version`; the choice hashes the session
 * id, so a session always lands on the same side, and raising the percentage only moves sessions
 * onto the new version (a session's bucket does not depend on the percentage).
 */
import { createHash } from "node:crypto";
import type { WorkflowRow } from "../db/database.ts";

export type RolloutState = Pick<WorkflowRow, "id" | "version" | "rollout_percentage" | "previous_version">;

/**
 * The session's bucket, 0–99, for this version of this workflow. Hashing the workflow and version
 * in as well means each canary samples a fresh set of sessions rather than always the same ones.
 */
export function rolloutBucket(workflowId: string, version: number, sessionId: string): number {
  const digest = createHash("sha256").update(`${workflowId}:${version}:${sessionId}`).digest();
  return Math.floor((digest.readUInt32BE(0) / 2 ** 32) * 100);
}

/** The version a session runs under the workflow's current rollout. */
export function pickVersion(workflow: RolloutState, sessionId: string): number {
  const previous = workflow.previous_version;
  if (previous === null || workflow.rollout_percentage >= 100) return workflow.version;
  if (workflow.rollout_percentage <= 0) return previous;
  return rolloutBucket(workflow.id, workflow.version, sessionId) < workflow.rollout_percentage
    ? workflow.version
    : previous;
}

/** Share of new sessions each version receives (the current and previous version; others 0). */
export function trafficPercentage(workflow: RolloutState, version: number): number {
  const previous = workflow.previous_version;
  const rollout = previous === null ? 100 : workflow.rollout_percentage;
  if (version === workflow.version) return rollout;
  return version === previous ? 100 - rollout : 0;
}
