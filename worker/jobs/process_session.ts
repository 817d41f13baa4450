/**
 * Owns the `session.process` job: the live verification of a session whose capture completed (or
 * that was reprocessed, triggered or resumed by an external decision). Payload: the session id only.
 */
import type { JobDefinition } from "./job.ts";
import { SESSION_PROCESS_JOB } from "../../core/jobs/job_queue.ts";
import { MAX_PROCESSING_ATTEMPTS, processSession, type ProcessSessionJob } from "../../core/verification/engine.ts";

export const processSessionJob: JobDefinition<ProcessSessionJob> = {
  name: SESSION_PROCESS_JOB,
  // MAX_PROCESSING_ATTEMPTS deliveries may run; the one after fails the session (core/verification/engine.ts).
  retryLimit: MAX_PROCESSING_ATTEMPTS,
  retryDelaySeconds: 5,
  // A run takes seconds; a job held longer than this by a live worker is stuck, not slow.
  expireInSeconds: 900,
  // Applicants wait on the outcome screen: wake a worker at once instead of at its next poll.
  notify: true,
  // A worker that died mid-run is noticed within ~30 s and the job retried (the engine replaces the run).
  heartbeatSeconds: 30,
  async handler(deps, payload) {
    const outcome = await processSession(deps, payload);
    deps.log.info("session processed", { session_id: payload.session_id, outcome });
  },
};
