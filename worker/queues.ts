/**
 * Owns every queue's name and delivery options (retries, backoff, expiry, notify), shared by the
 * worker that runs the jobs and the API processes that enqueue them.
 */
import { SESSION_PROCESS_JOB } from "../core/jobs/job_queue.ts";
import type { JobDefinition } from "./jobs/job.ts";

export interface QueueDefinition {
  name: string;
  options: {
    retryLimit: number;
    retryDelay: number;
    retryBackoff: boolean;
    expireInSeconds: number;
    notify?: boolean;
    heartbeatSeconds?: number;
  };
}

/**
 * `session.process` is enqueued when a live capture completes. Its handler is the live
 * verification engine (workflows and on-premises checks); until that engine is installed the
 * jobs wait in the queue and the sessions stay `processing`, which is the truthful state.
 */
export const SESSION_PROCESS_QUEUE: QueueDefinition = {
  name: SESSION_PROCESS_JOB,
  options: { retryLimit: 4, retryDelay: 15, retryBackoff: true, expireInSeconds: 900 },
};

export function queueOf(job: JobDefinition<object>): QueueDefinition {
  return {
    name: job.name,
    options: {
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: job.expireInSeconds,
      notify: job.notify ?? false,
      ...(job.heartbeatSeconds !== undefined ? { heartbeatSeconds: job.heartbeatSeconds } : {}),
    },
  };
}
