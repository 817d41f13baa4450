/**
 * Owns the pg-boss client that API processes use to enqueue jobs inside their own transactions
 * (pg-boss's `db` option runs its INSERT on the caller's connection). Started lazily: a process
 * that never enqueues never opens it.
 */
import { PgBoss } from "pg-boss";
import { CompiledQuery } from "kysely";
import type { JobQueue } from "../core/jobs/job_queue.ts";
import type { DbOrTx } from "../core/db/create_db.ts";
import type { Logger } from "../core/logger.ts";
import { ALL_QUEUES } from "./jobs/registry.ts";
import { outsideRequest, withJobRequestId } from "../core/observability/request_scope.ts";

export interface PgBossQueue extends JobQueue {
  stop(): Promise<void>;
}

export function createPgBossQueue(databaseUrl: string, log: Logger): PgBossQueue {
  let starting: Promise<PgBoss> | null = null;
  const ready = () =>
    starting ??= outsideRequest(async () => {
      const boss = new PgBoss({ connectionString: databaseUrl, max: 2, supervise: false, schedule: false });
      boss.on("error", (error: Error) => log.error("pg-boss client error", { error: error.message }));
      await boss.start();
      // Queues are created with the worker's options; creating an existing queue changes nothing.
      for (const queue of ALL_QUEUES) await boss.createQueue(queue.name, queue.options);
      return boss;
    });
  // pg-boss runs its SQL through this adapter, on the caller's transaction.
  const onTransaction = (tx: DbOrTx) => ({
    executeSql: async (text: string, values?: unknown[]) => // deno-lint-ignore no-explicit-any
    ({ rows: (await tx.executeQuery(CompiledQuery.raw(text, values ?? []))).rows as any[] }),
  });
  return {
    async enqueue(tx, name, payload, options) {
      const boss = await ready();
      // The enqueuing request's id rides along (an id only), so the job's log lines name it.
      await boss.send(name, withJobRequestId(payload), {
        singletonKey: options?.singletonKey,
        startAfter: options?.delaySeconds,
        db: onTransaction(tx),
      });
    },
    async enqueueMany(tx, name, payloads) {
      if (payloads.length === 0) return;
      const boss = await ready();
      await boss.insert(name, payloads.map((data) => ({ data: withJobRequestId(data) })), { db: onTransaction(tx) });
    },
    async stop() {
      if (starting) await (await starting).stop({ graceful: false });
    },
  };
}
