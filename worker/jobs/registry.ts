/** Owns the list of jobs the worker runs and of every queue that must exist before anyone enqueues. */
import type { JobDefinition } from "./job.ts";
import { expireStaleSessionsJob } from "./expire_stale_sessions.ts";
import { purgeIdempotencyKeysJob } from "./purge_idempotency_keys.ts";
import { purgeOperatorChallengesJob } from "./purge_operator_challenges.ts";
import { purgeRateLimitWindowsJob } from "./purge_rate_limit_windows.ts";
import { dryRunWorkflowJob } from "./dry_run_workflow.ts";
import { purgeDryRunsJob } from "./purge_dry_runs.ts";
import { deliverWebhookJob } from "./deliver_webhook.ts";
import { processSessionJob } from "./process_session.ts";
import { releaseStaleCaseClaimsJob } from "./release_stale_case_claims.ts";
import { requeueStalledSessionsJob } from "./requeue_stalled_sessions.ts";
import { retentionSweepJob } from "./retention_sweep.ts";
import { sealAuditLogJob } from "./seal_audit_log.ts";
import { foldListCountsJob } from "./fold_list_counts.ts";
import { type QueueDefinition, queueOf } from "../queues.ts";

// deno-lint-ignore no-explicit-any
export const JOBS: JobDefinition<any>[] = [
  processSessionJob,
  expireStaleSessionsJob,
  purgeIdempotencyKeysJob,
  purgeOperatorChallengesJob,
  purgeRateLimitWindowsJob,
  dryRunWorkflowJob,
  purgeDryRunsJob,
  deliverWebhookJob,
  releaseStaleCaseClaimsJob,
  requeueStalledSessionsJob,
  retentionSweepJob,
  sealAuditLogJob,
  foldListCountsJob,
];

export const ALL_QUEUES: QueueDefinition[] = JOBS.map(queueOf);
