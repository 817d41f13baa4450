/** Owns the shape every job module exports: jobs are data (name, options, schedule, handler). */
import type { CoreDeps } from "../../core/deps.ts";

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
  /** Must be safe to run twice: pg-boss delivers at least once. Payloads carry ids only. */
  handler(deps: CoreDeps, payload: Payload): Promise<void>;
}
