/**
 * Owns the `webhook.deliver` job: one attempt of each of a batch of one endpoint's deliveries (the
 * retry schedule lives in the deliveries themselves).
 */
import type { JobDefinition } from "./job.ts";
import { attemptDeliveries, DELIVER_JOB, type QueuedDeliverJob } from "../../core/webhooks/delivery.ts";

export const deliverWebhookJob: JobDefinition<QueuedDeliverJob> = {
  name: DELIVER_JOB,
  // pg-boss retries cover a worker dying mid-attempt; HTTP failures follow the contract's own schedule.
  retryLimit: 3,
  retryDelaySeconds: 5,
  // A job's 25 requests share their endpoint's 8 connections with the other jobs of this worker
  // on that endpoint: against an endpoint that lets every request run into the 30 s timeout, the
  // last of 8 × 25 waits 25 × 30 s. Expiry must not cut that short (it would send the batch again
  // while it still runs); a dead worker is noticed by the heartbeat, not by expiry.
  expireInSeconds: 900,
  notify: true,
  localConcurrency: 8,
  // Retries are delayed jobs, which NOTIFY does not announce: poll often enough that each retry
  // starts within a second of its scheduled time rather than on pg-boss's 30 s backstop.
  pollingIntervalSeconds: 1,
  // A worker killed mid-attempt (SIGKILL, OOM) must not hold its deliveries for expireInSeconds:
  // with a heartbeat they are retried within about 10 s + one supervision interval.
  heartbeatSeconds: 10,
  async handler(deps, payload, resources) {
    await attemptDeliveries(deps, payload, resources?.webhookConnections);
  },
};
