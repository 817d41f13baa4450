/** Owns the shape every job module exports: jobs are data (name, options, schedule, handler). */
import type { CoreDeps } from "../../core/deps.ts";
import type { WebhookConnections } from "../../core/webhooks/http_sender.ts";

/** What the worker process holds for its jobs beyond the core dependencies, for as long as it runs. */
export interface WorkerResources {
  /** Keep-alive connections per webhook destination, shared by every delivery job. */
  webhookConnections: WebhookConnections;
}

export interface JobDefinition<Payload extends object = Record<string, never>> {
  name: string;
  /** Cron expression when the job runs on a schedule. */
  schedule?: string;
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
  /** Wake workers through LISTEN/NOTIFY instead of waiting for the next poll. */
  notify?: boolean;
  /** Jobs of this queue one worker process runs at once. */
  localConcurrency?: number;
  /**
   * How often an idle worker looks for jobs whose `startAfter` has come (pg-boss default: 2 s,
   * and 30 s on NOTIFY queues, because NOTIFY only fires for jobs runnable at once). Set it on
   * queues whose delayed jobs must start on time, such as webhook retries.
   */
  pollingIntervalSeconds?: number;
  /**
   * A running job's worker refreshes its heartbeat every half of this; a job whose heartbeat is
   * older (its worker died, e.g. SIGKILL) is failed and retried at the next supervision pass
   * instead of staying `active` until `expireInSeconds`. pg-boss minimum: 10.
   */
  heartbeatSeconds?: number;
  /**
   * Must be safe to run twice: pg-boss delivers at least once. Payloads carry ids only. The worker
   * passes its resources; a test calling a handler directly may leave them out.
   */
  handler(deps: CoreDeps, payload: Payload, resources?: WorkerResources): Promise<void>;
}

/**
 * The handler of a scheduled sweep: runs it and logs how many rows it changed, only when it
 * changed some (an every-minute sweep must not log every minute).
 */
export function loggedSweep(message: string, sweep: (deps: CoreDeps) => Promise<number>): JobDefinition["handler"] {
  return async (deps) => {
    const count = await sweep(deps);
    if (count > 0) deps.log.info(message, { count });
  };
}
