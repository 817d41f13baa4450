/**
 * Owns running jobs on pg-boss in the product's own database: creating every queue with its
 * options, registering handlers and schedules, the outbox relay loop, the webhook connections the
 * jobs share, and stopping gracefully so in-flight jobs finish.
 */
import { PgBoss } from "pg-boss";
import type { CoreDeps } from "../core/deps.ts";
import { ALL_QUEUES, JOBS } from "./jobs/registry.ts";
import { startRelayLoop } from "./relay_loop.ts";
import { createWebhookConnections } from "../core/webhooks/http_sender.ts";
import { jobRequestId, withRequestId } from "../core/observability/request_scope.ts";

export { JOBS };

export interface WorkerHandle {
  boss: PgBoss;
  stop(): Promise<void>;
}

export async function startWorker(deps: CoreDeps, databaseUrl: string): Promise<WorkerHandle> {
  // Webhook deliveries reuse keep-alive connections per destination across jobs; closed at stop.
  const resources = { webhookConnections: createWebhookConnections() };
  // Supervision (expired and heartbeat-dead jobs are failed and retried there) every 10 s rather
  // than pg-boss's 60 s, so a job whose worker died resumes within seconds, not minutes.
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: 6,
    useListenNotify: true,
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
  });
  boss.on("error", (error: Error) => deps.log.error("pg-boss error", { error: error.message }));
  await boss.start();
  // Every queue exists before its first job, whichever process enqueues it.
  // createQueue leaves an existing queue as it was: updateQueue brings an installation's queues to
  // this version's options (e.g. a heartbeat added to session.process).
  for (const queue of ALL_QUEUES) {
    await boss.createQueue(queue.name, queue.options);
    await boss.updateQueue(queue.name, queue.options);
  }
  for (const job of JOBS) {
    const options = job.pollingIntervalSeconds !== undefined
      ? { pollingIntervalSeconds: job.pollingIntervalSeconds, notifyPollingIntervalSeconds: job.pollingIntervalSeconds }
      : {};
    // One pg-boss worker per slot, so each knows its id and can be told to fetch again the moment
    // it finishes a job. Left alone, pg-boss waits its polling interval after every job when
    // batchSize is 1 (its burst mode needs batches), so a backlog drained at localConcurrency jobs
    // per polling interval (webhook.deliver: 8 per 30 s NOTIFY backstop, 8 per second at 1 s).
    for (let slot = 0; slot < (job.localConcurrency ?? 1); slot++) {
      let workerId = "";
      workerId = await boss.work(
        job.name,
        { ...options, localConcurrency: 1 },
        async (jobs: { id: string; data: object }[]) => {
          for (const item of jobs) {
            // A job a request enqueued runs under that request's id: its log lines name it.
            await withRequestId(jobRequestId(item.data), async () => {
              const started = performance.now();
              await job.handler(deps, item.data, resources);
              deps.log.debug("job done", {
                job: job.name,
                job_id: item.id,
                duration_ms: Math.round(performance.now() - started),
              });
            });
          }
          // A slot that just ran a job fetches again at once; one whose fetch comes back empty
          // waits for NOTIFY or its poll as before. A failed job does not get here: no hot loop.
          if (workerId) boss.notifyWorker(workerId);
        },
      );
    }
    if (job.schedule) await boss.schedule(job.name, job.schedule, {}, { tz: "UTC" });
  }
  const relay = await startRelayLoop(deps, databaseUrl);
  deps.log.info("worker started", { jobs: JOBS.map((j) => j.name).join(",") });
  return {
    boss,
    stop: async () => {
      await relay.stop();
      await boss.stop({ graceful: true, timeout: 20_000 });
      resources.webhookConnections.close();
    },
  };
}
