/** Owns the shape every job module exports: jobs are data (name, options, schedule, handler). */
import type { CoreDeps } from "../../core/deps.ts";

export interface JobDefinition<Payload extends object = Record<string, never>> {
  name: string;
  /** Cron expression when the job runs on a schedule. */
  schedule?: string;
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
  /** Must be safe to run twice: pg-boss delivers at least once. Payloads carry ids only. */
  handler(deps: CoreDeps, payload: Payload): Promise<void>;
}
