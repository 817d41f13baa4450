/** Owns the sweep that puts review-case claims idle for 30 minutes back in the queue. */
import { type JobDefinition, loggedSweep } from "./job.ts";
import { releaseStaleClaims } from "../../core/cases/queue.ts";

export const releaseStaleCaseClaimsJob: JobDefinition = {
  name: "case.release-stale-claims",
  // Every minute: a claim is released at most a minute after its 30 minutes run out.
  schedule: "* * * * *",
  retryLimit: 2,
  retryDelaySeconds: 10,
  expireInSeconds: 300,
  handler: loggedSweep("released stale case claims", releaseStaleClaims),
};
