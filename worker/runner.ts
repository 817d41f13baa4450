/**
 * Owns running jobs on pg-boss in the product's own database: creating every queue with its
 * options, registering handlers and schedules, the outbox relay loop, and stopping gracefully so
 * in-flight jobs finish.
 */
import { PgBoss } from "pg-boss";
import type { CoreDeps } from "../core/deps.ts";
import { ALL_QUEUES, JOBS } from "./jobs/registry.ts";
import { startRelayLoop } from "./relay_loop.ts";

export { JOBS };

export interface WorkerHandle {
  boss: PgBoss;
  stop(): Promise<void>;
}

export async function startWorker(deps: CoreDeps, databaseUrl: string): Promise<WorkerHandle> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 6, useListenNotify: true });
  boss.on("error", (error: Error) => deps.log.error("pg-boss error", { error: error.message }));
  await boss.start();
  // Every queue exists before its first job, whichever process enqueues it.
  for (const queue of ALL_QUEUES) await boss.createQueue(queue.name, queue.options);
  for (const job of JOBS) {
    await boss.work(
      job.name,
      { localConcurrency: job.localConcurrency ?? 1 },
      async (jobs: { id: string; data: object }[]) => {
        for (const item of jobs) {
          const started = performance.now();
          await job.handler(deps, item.data);
          deps.log.debug("job done", {
            job: job.name,
            job_id: item.id,
            duration_ms: Math.round(performance.now() - started),
          });
        }
      },
    );
    if (job.schedule) await boss.schedule(job.name, job.schedule, {}, { tz: "UTC" });
  }
  const relay = await startRelayLoop(deps, databaseUrl);
  deps.log.info("worker started", { jobs: JOBS.map((j) => j.name).join(",") });
  return {
    boss,
    stop: async () => {
      await relay.stop();
      await boss.stop({ graceful: true, timeout: 20_000 });
    },
  };
}
