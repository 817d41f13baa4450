/** Owns the scheduled sealing of the audit log (core/audit/seal.ts): every organisation's new rows get their place in the chain. */
import { type JobDefinition, loggedSweep } from "./job.ts";
import { sealAuditLog } from "../../core/audit/seal.ts";

export const sealAuditLogJob: JobDefinition = {
  name: "audit.seal",
  // Every minute (SEALING_INTERVAL_SECONDS): a row waits a minute at most for its hashes.
  schedule: "* * * * *",
  retryLimit: 2,
  retryDelaySeconds: 10,
  expireInSeconds: 300,
  handler: loggedSweep("sealed audit rows", (deps) => sealAuditLog(deps.db)),
};
