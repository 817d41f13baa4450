/** Owns the sweep that queues again the live sessions left in `processing` with no job working on them. */
import type { JobDefinition } from "./job.ts";
import { requeueStalledSessions } from "../../core/verification/stalled_sessions.ts";

export const requeueStalledSessionsJob: JobDefinition = {
  name: "session.requeue-stalled",
  schedule: "*/5 * * * *",
  retryLimit: 2,
  retryDelaySeconds: 30,
  expireInSeconds: 300,
  async handler(deps) {
    await requeueStalledSessions(deps);
  },
};
