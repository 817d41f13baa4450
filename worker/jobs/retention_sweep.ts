/** Owns the hourly retention sweep: every organisation's `data_retention_days` applied (core/retention). */
import type { JobDefinition } from "./job.ts";
import { sweepRetention } from "../../core/retention/sweep.ts";

export const retentionSweepJob: JobDefinition = {
  name: "retention.sweep",
  schedule: "41 * * * *",
  retryLimit: 2,
  retryDelaySeconds: 60,
  // A first sweep after enabling retention may find a backlog; each batch commits on its own,
  // so a job cut off by expiry (or a crash) loses nothing and the retry resumes.
  expireInSeconds: 3_600,
  // One sweep at a time per worker; two workers' sweeps skip each other's rows (SKIP LOCKED).
  localConcurrency: 1,
  heartbeatSeconds: 30,
  async handler(deps) {
    const report = await sweepRetention(deps);
    const { due, redacted, held, kept_auto_redact_off, skipped, failed } = report.totals;
    if (due > 0) {
      deps.log.info("retention sweep", { due, redacted, held, kept_auto_redact_off, skipped, failed });
    }
    // Failed sessions rolled back and stay due; the next hourly run retries them.
  },
};
