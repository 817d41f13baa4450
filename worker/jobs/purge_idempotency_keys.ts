/** Owns the hourly purge of idempotency records past their 24-hour window. */
import { type JobDefinition, loggedSweep } from "./job.ts";
import { purgeExpiredIdempotencyKeys } from "../../core/idempotency/store.ts";

export const purgeIdempotencyKeysJob: JobDefinition = {
  name: "idempotency.purge",
  schedule: "17 * * * *",
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 600,
  handler: loggedSweep("purged idempotency keys", (deps) => purgeExpiredIdempotencyKeys(deps.db, deps.clock())),
};
