/**
 * Owns every queue's name and delivery options (retries, backoff, expiry, notify), shared by the
 * worker that runs the jobs and the API processes that enqueue them.
 */
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
