/** Owns the hourly purge of dry-run outcomes nobody came back for (core/verification/dry_runs.ts). */
import { type JobDefinition, loggedSweep } from "./job.ts";
import { purgeStaleDryRuns } from "../../core/verification/dry_runs.ts";

export const purgeDryRunsJob: JobDefinition = {
  name: "workflow-dry-runs.purge",
  schedule: "23 * * * *",
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 600,
  handler: loggedSweep("purged dry runs", purgeStaleDryRuns),
};
