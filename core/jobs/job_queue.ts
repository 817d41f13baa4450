/**
 * Owns the contract between domain services and the job queue: a job is enqueued inside the
 * caller's transaction, so it exists exactly when the state change that needs it commits.
 * The pg-boss implementation lives in worker/ (core imports no queue framework).
 */
import type { DbOrTx } from "../db/create_db.ts";

/** Payloads carry ids only, never PII (a list of ids, e.g. a batch of webhook deliveries). */
export type JobPayload = Record<string, string | number | boolean | null | string[]>;

export interface JobQueue {
  /** `delaySeconds` counts from the database's clock, which is the one pg-boss schedules by. */
  enqueue(
    tx: DbOrTx,
    name: string,
    payload: JobPayload,
    options?: { singletonKey?: string; delaySeconds?: number },
  ): Promise<void>;
  /** Many jobs of one queue in a single statement (the outbox relay's batches). */
  enqueueMany(tx: DbOrTx, name: string, payloads: JobPayload[]): Promise<void>;
}

export const SESSION_PROCESS_JOB = "session.process";
