/**
 * Owns running jobs on pg-boss in the product's own database: creating each queue with its
 * options, registering schedules, and stopping gracefully so in-flight jobs finish.
 */
import { PgBoss } from "pg-boss";
import type { CoreDeps } from "../core/deps.ts";
import type { JobDefinition } from "./jobs/job.ts";
import { expireStaleSessionsJob } from "./jobs/expire_stale_sessions.ts";
import { purgeIdempotencyKeysJob } from "./jobs/purge_idempotency_keys.ts";
import { QUEUES } from "./queues.ts";

// deno-lint-ignore no-explicit-any
export const JOBS: JobDefinition<any>[] = [expireStaleSessionsJob, purgeIdempotencyKeysJob];

export interface WorkerHandle {
  boss: PgBoss;
  stop(): Promise<void>;
}

export async function startWorker(deps: CoreDeps, databaseUrl: string): Promise<WorkerHandle> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 4 });
  boss.on("error", (error: Error) => deps.log.error("pg-boss error", { error: error.message }));
  await boss.start();
  // Queues whose jobs other processes enqueue exist before the first enqueue, with their options.
  for (const queue of QUEUES) await boss.createQueue(queue.name, queue.options);
  for (const job of JOBS) {
    await boss.createQueue(job.name, {
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: job.expireInSeconds,
    });
    await boss.work(job.name, async (jobs: { id: string; data: object }[]) => {
      for (const item of jobs) {
        const started = performance.now();
        await job.handler(deps, item.data);
        deps.log.debug("job done", {
          job: job.name,
          job_id: item.id,
          duration_ms: Math.round(performance.now() - started),
        });
      }
    });
    if (job.schedule) await boss.schedule(job.name, job.schedule, {}, { tz: "UTC" });
  }
  deps.log.info("worker started", { jobs: JOBS.map((j) => j.name).join(",") });
  return { boss, stop: () => boss.stop({ graceful: true, timeout: 20_000 }) };
}
