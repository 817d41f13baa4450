/** Owns the sweep that expires sessions whose capture window has passed. */
import type { JobDefinition } from "./job.ts";
import { expireStaleSessions } from "../../core/sessions/service.ts";

export const expireStaleSessionsJob: JobDefinition = {
  name: "session.expire-stale",
  schedule: "* * * * *",
  retryLimit: 2,
  retryDelaySeconds: 10,
  expireInSeconds: 300,
  async handler(deps) {
    const expired = await expireStaleSessions(deps);
    if (expired > 0) deps.log.info("expired stale sessions", { count: expired });
  },
};
