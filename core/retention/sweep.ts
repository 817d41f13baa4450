/**
 * Owns applying the retention policy (policy.ts): the scheduled worker job and `scripts/retention.ts`
 * both call `sweepRetention`, which erases due sessions in batches, or with `dryRun` only reports.
 *
 * Exactly once, by construction: each page of due sessions is erased by `redactSessionBatch` in one
 * transaction that also records every session's `session.retention-expired`, with the rows taken
 * `FOR UPDATE SKIP LOCKED` — two sweeps side by side skip each other's sessions instead of waiting,
 * and a session already redacted answers `already_redacted` and fires nothing. A batch commits
 * whole or not at all, so an interrupted run loses at most the batches in flight (rolled back: each
 * of their sessions untouched) and the next run, finding the redacted ones no longer due, carries
 * on where it stopped. A batch that fails is retried one session at a time, so one session's
 * failure never holds back the others.
 */
import type { CoreDeps } from "../deps.ts";
import type { AuditActor } from "../audit/log.ts";
import { type RedactionReceipt, type RedactionRequest, redactSessionBatch } from "../privacy/redaction.ts";
import type { Environment } from "../db/database.ts";
import { countDue, type DueSession, dueSessions, orgPolicies } from "./policy.ts";

/** Sessions a batch erases in one transaction (and a page of due sessions reads). */
export const DEFAULT_BATCH_SIZE = 200;
/** Batches in flight at once: each holds one pooled connection for ~20 set-based statements. */
export const DEFAULT_CONCURRENCY = 4;

export const RETENTION_ACTOR: AuditActor = { type: "system", id: "retention.sweep" };

export interface OrgRetentionReport {
  org_id: string;
  slug: string;
  data_retention_days: number | null;
  sensitive_data_retention_days: number | null;
  auto_redact_on_retention_expiry: boolean;
  /** Terminal, not redacted and past `data_retention_days`. */
  due: number;
  /** Of those, erased in this run (or, in a dry run, that would be). */
  redacted: number;
  held_session: number;
  held_identity: number;
  /** Due but kept because `auto_redact_on_retention_expiry` is off. */
  kept_auto_redact_off: number;
  /** Another sweep held the row, or it was redacted meanwhile. */
  skipped: number;
  failed: number;
}

export interface RetentionReport {
  dry_run: boolean;
  started_at: string;
  finished_at: string;
  /** True when `signal` stopped the run early; the next run resumes. */
  interrupted: boolean;
  orgs: OrgRetentionReport[];
  totals: {
    due: number;
    redacted: number;
    held: number;
    kept_auto_redact_off: number;
    skipped: number;
    failed: number;
  };
}

export interface SweepProgress {
  /** Due sessions looked at so far / due at the start (auto-redact organisations only). */
  done: number;
  total: number;
  redacted: number;
}

export interface SweepOptions {
  dryRun?: boolean;
  /** An organisation id or slug; all organisations when absent. */
  org?: string;
  batchSize?: number;
  concurrency?: number;
  actor?: AuditActor;
  /** Checked between batches: the run stops cleanly, everything committed so far stays. */
  signal?: AbortSignal;
  onProgress?: (progress: SweepProgress) => void;
}

export async function sweepRetention(deps: CoreDeps, options: SweepOptions = {}): Promise<RetentionReport> {
  const started = deps.clock();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const actor = options.actor ?? RETENTION_ACTOR;
  const policies = (await orgPolicies(deps.db, started, options.org)).filter((p) => p.cutoff !== null);

  const orgs: OrgRetentionReport[] = [];
  for (const policy of policies) {
    const counts = await countDue(deps.db, policy);
    const held = counts.held_session + counts.held_identity;
    const auto = policy.settings.auto_redact_on_retention_expiry;
    orgs.push({
      org_id: policy.orgId,
      slug: policy.slug,
      data_retention_days: policy.settings.data_retention_days,
      sensitive_data_retention_days: policy.settings.sensitive_data_retention_days,
      auto_redact_on_retention_expiry: auto,
      due: counts.due,
      redacted: options.dryRun && auto ? counts.due - held : 0,
      held_session: counts.held_session,
      held_identity: counts.held_identity,
      kept_auto_redact_off: auto ? 0 : counts.due - held,
      skipped: 0,
      failed: 0,
    });
  }

  const progress: SweepProgress = {
    done: 0,
    total: orgs.filter((o) => o.auto_redact_on_retention_expiry).reduce((n, o) => n + o.due, 0),
    redacted: 0,
  };
  let interrupted = false;
  if (!options.dryRun) {
    for (const [i, policy] of policies.entries()) {
      const report = orgs[i];
      if (!report.auto_redact_on_retention_expiry || report.due === 0) continue;
      // Holds are counted from what the pages show, which is what this run really met.
      report.held_session = 0;
      report.held_identity = 0;
      let afterId: string | undefined;
      const inFlight = new Set<Promise<void>>();
      while (!options.signal?.aborted) {
        const page = await dueSessions(deps.db, policy, { afterId, limit: batchSize });
        if (page.length === 0) break;
        afterId = page[page.length - 1].id;
        // The next page is read while this one is erased (keyset pages never overlap).
        const batch = applyBatch(deps, policy.orgId, page, actor, report, started).then(() => {
          progress.done += page.length;
          progress.redacted = sumRedacted(orgs);
          options.onProgress?.({ ...progress });
        }).finally(() => inFlight.delete(batch));
        inFlight.add(batch);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
  }

  const totals = { due: 0, redacted: 0, held: 0, kept_auto_redact_off: 0, skipped: 0, failed: 0 };
  for (const o of orgs) {
    totals.due += o.due;
    totals.redacted += o.redacted;
    totals.held += o.held_session + o.held_identity;
    totals.kept_auto_redact_off += o.kept_auto_redact_off;
    totals.skipped += o.skipped;
    totals.failed += o.failed;
  }
  return {
    dry_run: options.dryRun ?? false,
    started_at: started.toISOString(),
    finished_at: deps.clock().toISOString(),
    interrupted,
    orgs,
    totals,
  };
}

function sumRedacted(orgs: OrgRetentionReport[]): number {
  return orgs.reduce((n, o) => n + o.redacted, 0);
}

/** One page: held sessions counted, the rest erased per environment, each environment in one batch. */
async function applyBatch(
  deps: CoreDeps,
  orgId: string,
  page: DueSession[],
  actor: AuditActor,
  report: OrgRetentionReport,
  now: Date,
): Promise<void> {
  const byEnvironment = new Map<Environment, DueSession[]>();
  for (const due of page) {
    if (due.hold === "session") report.held_session++;
    else if (due.hold === "identity") report.held_identity++;
    else if (byEnvironment.has(due.environment)) byEnvironment.get(due.environment)!.push(due);
    else byEnvironment.set(due.environment, [due]);
  }
  for (const [environment, sessions] of byEnvironment) {
    const scope = { orgId, environment };
    const requests = sessions.map((due) => expiryRequest(due, report, now));
    let receipts: RedactionReceipt[];
    try {
      receipts = await redactSessionBatch(deps, scope, requests, actor, "retention", { skipLocked: true });
    } catch {
      // The batch rolled back whole. Each session again on its own, so the one that failed (e.g. the
      // blob store briefly down for it) is the only one left for the next run.
      receipts = [];
      for (const request of requests) {
        try {
          receipts.push(...await redactSessionBatch(deps, scope, [request], actor, "retention", { skipLocked: true }));
        } catch (error) {
          report.failed++;
          deps.log.error("retention redaction failed", {
            org_id: orgId,
            session_id: request.sessionId,
            error: (error as Error).message,
          });
        }
      }
    }
    for (const receipt of receipts) {
      if (receipt.status === "deleted") report.redacted++;
      else if (receipt.status === "legal_hold") report.held_session++; // a hold set since the page was read
      else report.skipped++;
    }
  }
}

function expiryRequest(due: DueSession, report: OrgRetentionReport, now: Date): RedactionRequest {
  return {
    sessionId: due.id,
    alsoRecord: [{
      type: "session.retention-expired",
      payload: {
        retention_status: "redacted",
        data_retention_days: report.data_retention_days,
        terminal_at: due.terminal_at.toISOString(),
        swept_at: now.toISOString(),
      },
    }],
  };
}
