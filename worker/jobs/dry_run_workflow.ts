/**
 * Owns running a workflow dry run on the worker (core/verification/dry_runs.ts): the API queued it
 * and is waiting for the outcome, so the walk runs at once and its failure is written as the
 * outcome, not retried later (one retry covers a worker that died mid-walk).
 */
import type { JobDefinition } from "./job.ts";
import { DRY_RUN_JOB, runDryRun } from "../../core/verification/dry_runs.ts";

export const dryRunWorkflowJob: JobDefinition<{ dry_run_id: string }> = {
  name: DRY_RUN_JOB,
  retryLimit: 1,
  retryDelaySeconds: 1,
  expireInSeconds: 300,
  notify: true,
  // The checks share the engines' one sandbox; two at once keep a slow walk from holding up the next.
  localConcurrency: 2,
  async handler(deps, payload) {
    await runDryRun(deps, payload.dry_run_id);
  },
};
