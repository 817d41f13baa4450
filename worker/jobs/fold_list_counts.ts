/** Owns the scheduled folding of list-total deltas (core/sessions/list_counts.ts), so totals stay cheap to read. */
import { type JobDefinition, loggedSweep } from "./job.ts";
import { foldListCounts } from "../../core/sessions/list_counts.ts";

export const foldListCountsJob: JobDefinition = {
  name: "list-counts.fold",
  schedule: "* * * * *",
  retryLimit: 2,
  retryDelaySeconds: 10,
  expireInSeconds: 300,
  handler: loggedSweep("folded list-count deltas", (deps) => foldListCounts(deps.db)),
};
