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
  async handler(deps, payload) {
    await attemptDelivery(deps, payload);
  },
};
