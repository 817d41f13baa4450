/** Owns the scheduled purge of rate-limit windows that are over (core/rate_limits/windows.ts). */
import { type JobDefinition, loggedSweep } from "./job.ts";
import { purgePastWindows } from "../../core/rate_limits/windows.ts";

export const purgeRateLimitWindowsJob: JobDefinition = {
  name: "rate-limits.purge",
  // Every five minutes: the table then holds at most seven one-minute windows per counted key.
  schedule: "*/5 * * * *",
  retryLimit: 2,
  retryDelaySeconds: 30,
  expireInSeconds: 300,
  handler: loggedSweep("purged rate-limit windows", (deps) => purgePastWindows(deps.db, deps.clock())),
};
