/**
 * Owns finding live sessions that wait in `processing` with nothing working on them — their job
 * was lost (failed after its retries while the database was down, deleted by hand) — and queueing
 * them again. A duplicate job is harmless: the engine skips a decided session and refuses to start
 * beside a run that is alive.
 */
import { sql } from "kysely";
import type { CoreDeps } from "../deps.ts";
import { SESSION_PROCESS_JOB } from "../jobs/job_queue.ts";
import { RUN_LEASE_MS } from "./engine.ts";

/** A session untouched this long while processing is stalled (a run takes seconds, a backlog minutes). */
export const STALLED_AFTER_MS = 15 * 60_000;

export async function requeueStalledSessions(deps: CoreDeps, batchSize = 200): Promise<number> {
  const now = deps.clock();
  const stalledBefore = new Date(now.getTime() - STALLED_AFTER_MS);
  const leaseBefore = new Date(now.getTime() - RUN_LEASE_MS);
  return await deps.db.transaction().execute(async (tx) => {
    // Across every organisation: this is the worker's own housekeeping, keyed by session id only.
    const stalled = await tx.selectFrom("sessions as s").select(["s.id"])
      .where("s.status", "=", "processing").where("s.updated_at", "<", stalledBefore)
      .where(({ not, exists, selectFrom }) =>
        not(exists(
          selectFrom("workflow_runs as r").select(sql`1`.as("one"))
            .whereRef("r.id", "=", "s.current_run_id").where("r.status", "=", "running")
            .where("r.heartbeat_at", ">=", leaseBefore),
        ))
      )
      .orderBy("s.updated_at").limit(batchSize).forUpdate().skipLocked().execute();
    for (const session of stalled) {
      await deps.jobs.enqueue(tx, SESSION_PROCESS_JOB, { session_id: session.id, trigger: "capture" }, {
        singletonKey: session.id,
      });
      // Counted as touched, so the next sweep waits another STALLED_AFTER_MS before queueing again.
      await tx.updateTable("sessions").set({ updated_at: now }).where("id", "=", session.id).execute();
    }
    if (stalled.length) deps.log.warn("requeued stalled sessions", { count: stalled.length });
    return stalled.length;
  });
}
