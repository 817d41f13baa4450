/** Owns the hourly purge of dry-run outcomes nobody came back for (core/verification/dry_runs.ts). */
import type { JobDefinition } from "./job.ts";
import { purgeStaleDryRuns } from "../../core/verification/dry_runs.ts";

export const purgeDryRunsJob: JobDefinition = {
  name: "workflow-dry-runs.purge",
  schedule: "23 * * * *",
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 600,
  async handler(deps) {
    const purged = await purgeStaleDryRuns(deps);
    if (purged > 0) deps.log.info("purged dry runs", { count: purged });
  },
};
