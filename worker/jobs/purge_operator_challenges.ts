/** Owns the scheduled purge of spent dashboard sign-in challenges (core/operators/challenge_purge.ts). */
import { type JobDefinition, loggedSweep } from "./job.ts";
import { purgeSpentChallenges } from "../../core/operators/challenge_purge.ts";

export const purgeOperatorChallengesJob: JobDefinition = {
  name: "operator-challenges.purge",
  // Every ten minutes: challenges live five, so at most a quarter-hour's worth is ever kept.
  schedule: "*/10 * * * *",
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 600,
  handler: loggedSweep("purged operator challenges", (deps) => purgeSpentChallenges(deps.db, deps.clock())),
};
