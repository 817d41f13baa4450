/** Owns the sweep that expires sessions whose capture window has passed. */
import { type JobDefinition, loggedSweep } from "./job.ts";
import { expireStaleSessions } from "../../core/sessions/service.ts";

export const expireStaleSessionsJob: JobDefinition = {
  name: "session.expire-stale",
  schedule: "* * * * *",
  retryLimit: 2,
  retryDelaySeconds: 10,
  expireInSeconds: 300,
  handler: loggedSweep("expired stale sessions", expireStaleSessions),
};
