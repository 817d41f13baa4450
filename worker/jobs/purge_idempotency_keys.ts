/** Owns the hourly purge of idempotency records past their 24-hour window. */
import type { JobDefinition } from "./job.ts";
import { purgeExpiredIdempotencyKeys } from "../../core/idempotency/store.ts";

export const purgeIdempotencyKeysJob: JobDefinition = {
  name: "idempotency.purge",
  schedule: "17 * * * *",
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 600,
  async handler(deps) {
    const purged = await purgeExpiredIdempotencyKeys(deps.db, deps.clock());
    if (purged > 0) deps.log.info("purged idempotency keys", { count: purged });
  },
};
