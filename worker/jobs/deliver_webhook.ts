/** Owns the `webhook.deliver` job: one attempt of one delivery (the retry schedule lives in the delivery itself). */
import type { JobDefinition } from "./job.ts";
import { attemptDelivery, DELIVER_JOB, type DeliverJobPayload } from "../../core/webhooks/delivery.ts";

export const deliverWebhookJob: JobDefinition<DeliverJobPayload> = {
  name: DELIVER_JOB,
  // pg-boss retries cover a worker dying mid-attempt; HTTP failures follow the contract's own schedule.
  retryLimit: 3,
  retryDelaySeconds: 5,
  expireInSeconds: 120,
  notify: true,
  localConcurrency: 8,
  // Retries are delayed jobs, which NOTIFY does not announce: poll often enough that each retry
  // starts within a second of its scheduled time rather than on pg-boss's 30 s backstop.
  pollingIntervalSeconds: 1,
  // A worker killed mid-attempt (SIGKILL, OOM) must not hold its deliveries for expireInSeconds:
  // with a heartbeat they are retried within about 10 s + one supervision interval.
  heartbeatSeconds: 10,
  async handler(deps, payload) {
    await attemptDelivery(deps, payload);
  },
};
