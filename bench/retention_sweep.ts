/**
 * The retention sweep benchmark (issue #9): BENCH_RETENTION_SESSIONS (default 100,000) terminal
 * sessions past their retention window, seeded with generate_series (each with encrypted-looking
 * fields and a result row; one in BENCH_RETENTION_OBJECT_SHARE, default 10, with two small sealed
 * objects in the filesystem blob store), erased by the real sweep (core/retention/sweep.ts:
 * redactSessionBatch per page — every PII column, objects, the erasure ledger,
 * `session.redacted` + `session.retention-expired` and the audit receipt of every session), in
 * process, at its default batch size and concurrency; afterwards it checks that every session has
 * its two events and its receipt. Baseline in the same run: an identical copy of the rows in a second organisation
 * removed by bare DELETEs (results, then sessions, in the same batches) plus deleting the same
 * objects — the floor of "make the rows and objects go away". Reports sessions per second of each
 * and the ratio.
 */
import { sql } from "kysely";
import type { Benchmark, BenchResult } from "./benchmark.ts";
import { withBenchStack } from "./stack.ts";
import { round2, round3 } from "./report.ts";
import { createDb } from "../core/db/create_db.ts";
import { KeyRing } from "../core/crypto/key_ring.ts";
import { sealObject } from "../core/crypto/object_envelope.ts";
import { createFsBlobStore } from "../core/storage/fs_blob_store.ts";
import { silentLogger } from "../core/logger.ts";
import { provisionOrganization } from "../core/orgs/provision.ts";
import { sessionBlobPrefix } from "../core/documents/service.ts";
import type { CoreDeps } from "../core/deps.ts";
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, sweepRetention } from "../core/retention/sweep.ts";
import { LEDGER_PREFIX } from "../core/privacy/erasure_ledger.ts";

const NAME = "retention-sweep";

function positiveInt(name: string, fallback: number): number {
  const raw = Deno.env.get(name)?.trim();
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export const retentionSweepBench: Benchmark = {
  name: NAME,
  async run(): Promise<BenchResult> {
    const count = positiveInt("BENCH_RETENTION_SESSIONS", 100_000);
    const objectShare = positiveInt("BENCH_RETENTION_OBJECT_SHARE", 10);
    return await withBenchStack({ bench: NAME }, async (stack) => {
      const db = createDb(stack.databaseUrl, DEFAULT_CONCURRENCY + 2);
      const blobDir = await Deno.makeTempDir({ prefix: "verifa-bench-retention-" });
      try {
        const keyRing = new KeyRing([{ id: "bench", key: crypto.getRandomValues(new Uint8Array(32)) }]);
        const blobs = await createFsBlobStore(blobDir);
        const deps: CoreDeps = {
          db,
          keyRing,
          indexKey: crypto.getRandomValues(new Uint8Array(32)),
          signingKeys: [{ id: "s", key: crypto.getRandomValues(new Uint8Array(32)) }],
          publicUrl: "http://localhost",
          clock: () => new Date(),
          log: silentLogger,
          blobs,
          jobs: {
            enqueue: () => Promise.reject(new Error("no jobs in the bench")),
            enqueueMany: () => Promise.reject(new Error("no jobs in the bench")),
          },
          webhooks: { allowPrivate: false, resolve: () => Promise.resolve([]), retryScheduleMs: [], timeoutMs: 1 },
        };
        const swept = await provisionOrganization(db, { name: "Swept", slug: "swept" });
        const deleted = await provisionOrganization(db, { name: "Deleted", slug: "deleted" });
        await db.updateTable("organizations").set({
          settings: JSON.stringify({ data_retention_days: 30, auto_redact_on_retention_expiry: true }),
        }).where("id", "=", swept.org_id).execute();

        const seedStart = performance.now();
        const withObjects: Record<string, string[]> = { [swept.org_id]: [], [deleted.org_id]: [] };
        for (const [tag, orgId] of [["s", swept.org_id], ["d", deleted.org_id]] as const) {
          console.error(`${NAME}: seeding ${count} sessions (${tag})`);
          await sql`
            INSERT INTO sessions (id, org_id, environment, status, metadata, fields_enc, applicant_name_enc,
              applicant_email_enc, consent_ip_enc, created_at, updated_at, completed_at)
            SELECT 'ses_bench' || ${tag} || lpad(g::text, 7, '0'), ${orgId}, 'sandbox', 'completed',
              '{"ref":"x"}'::jsonb, 'v1:bench:' || md5('f' || g), 'v1:bench:' || md5('n' || g),
              'v1:bench:' || md5('e' || g), 'v1:bench:' || md5('i' || g),
              now() - interval '41 days', now() - interval '40 days', now() - interval '40 days'
            FROM generate_series(1, ${count}) g
          `.execute(db);
          await sql`
            INSERT INTO session_results (session_id, org_id, environment, status, extracted_data_enc, processing_mode)
            SELECT 'ses_bench' || ${tag} || lpad(g::text, 7, '0'), ${orgId}, 'sandbox', 'approved',
              'v1:bench:' || md5('x' || g), 'sandbox'
            FROM generate_series(1, ${count}) g
          `.execute(db);
          for (let g = 1; g <= count; g += objectShare) {
            const id = `ses_bench${tag}${String(g).padStart(7, "0")}`;
            withObjects[orgId].push(id);
            const prefix = sessionBlobPrefix({ orgId, environment: "sandbox" }, id);
            for (const name of ["front.bin", "front_thumb.bin"]) {
              const key = `${prefix}documents/${name}`;
              await blobs.put(key, sealObject(keyRing, key, crypto.getRandomValues(new Uint8Array(2048))), "x");
            }
          }
        }
        await sql`ANALYZE`.execute(db);
        const seedSeconds = (performance.now() - seedStart) / 1000;
        console.error(`${NAME}: seeded ${2 * count} sessions in ${seedSeconds.toFixed(1)} s`);

        // Baseline: bare DELETEs of the copy, in the sweep's batch size, and the same objects removed.
        console.error(`${NAME}: baseline (bare DELETEs)`);
        const objectsOf = new Set(withObjects[deleted.org_id]);
        const baseStart = performance.now();
        for (;;) {
          const ids = (await db.selectFrom("sessions").select("id").where("org_id", "=", deleted.org_id)
            .orderBy("id").limit(DEFAULT_BATCH_SIZE).execute()).map((r) => r.id);
          if (ids.length === 0) break;
          await db.transaction().execute(async (tx) => {
            await tx.deleteFrom("session_results").where("session_id", "in", ids).execute();
            await tx.deleteFrom("sessions").where("id", "in", ids).execute();
          });
          for (const id of ids) {
            if (objectsOf.has(id)) {
              await blobs.deletePrefix(sessionBlobPrefix({ orgId: deleted.org_id, environment: "sandbox" }, id));
            }
          }
        }
        const baseSeconds = (performance.now() - baseStart) / 1000;

        console.error(`${NAME}: retention sweep`);
        let lastLog = performance.now();
        const sweepStart = performance.now();
        const report = await sweepRetention(deps, {
          onProgress: (p) => {
            if (performance.now() - lastLog < 10_000) return;
            lastLog = performance.now();
            const rate = p.done / ((lastLog - sweepStart) / 1000);
            console.error(`${NAME}: ${p.done}/${p.total} (${rate.toFixed(0)}/s)`);
          },
        });
        const sweepSeconds = (performance.now() - sweepStart) / 1000;
        const redacted = report.totals.redacted;
        if (redacted !== count || report.totals.failed > 0) {
          throw new Error(`the sweep redacted ${redacted} of ${count} (failed ${report.totals.failed})`);
        }
        const { n: receipts } = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n"))
          .where("org_id", "=", swept.org_id).where("action", "=", "session.redacted").executeTakeFirstOrThrow();
        const { n: events } = await db.selectFrom("events").select((eb) => eb.fn.countAll<string>().as("n"))
          .where("org_id", "=", swept.org_id).where("type", "in", ["session.redacted", "session.retention-expired"])
          .executeTakeFirstOrThrow();
        if (Number(receipts) !== count || Number(events) !== 2 * count) {
          throw new Error(`the sweep wrote ${receipts} receipts and ${events} events for ${count} sessions`);
        }
        const ledgerObjects = await countFiles(`${blobDir}/${LEDGER_PREFIX}`);
        const leftObjects = await countFiles(blobDir) - ledgerObjects;
        const baseRate = count / baseSeconds;
        const sweepRate = count / sweepSeconds;
        // Product over baseline, as every benchmark here prints it.
        const ratio = sweepRate / baseRate;
        const lines = [
          `== ${NAME}: ${count} due sessions (1 in ${objectShare} with 2 objects), batch ${DEFAULT_BATCH_SIZE}, ` +
          `concurrency ${DEFAULT_CONCURRENCY} ==`,
          `seeding ${2 * count} sessions: ${seedSeconds.toFixed(1)} s`,
          `baseline: bare DELETEs + object deletes   ${round2(baseRate)} sessions/s  (${baseSeconds.toFixed(1)} s)`,
          `retention sweep (redact + events + audit) ${round2(sweepRate)} sessions/s  (${sweepSeconds.toFixed(1)} s)`,
          `ratio sweep/baseline: ${round3(ratio)} (the baseline is ${round2(1 / ratio)}× faster: the sweep's price ` +
          `for every PII table, erasure receipts, events, row locks)`,
          `receipts ${receipts}, events ${events}; session objects left in the store: ${leftObjects}; ` +
          `erasure-ledger objects: ${ledgerObjects}`,
        ];
        return {
          name: NAME,
          lines,
          pass: true,
          record: {
            bench: NAME,
            sessions: count,
            object_share: objectShare,
            seed_seconds: round2(seedSeconds),
            baseline_sessions_per_second: round2(baseRate),
            sweep_sessions_per_second: round2(sweepRate),
            ratio: round3(ratio),
            ledger_objects: ledgerObjects,
          },
        };
      } finally {
        await db.destroy();
        await Deno.remove(blobDir, { recursive: true }).catch(() => {});
      }
    });
  },
};

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  const entries = await Array.fromAsync(Deno.readDir(dir)).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  });
  for (const entry of entries) {
    n += entry.isDirectory ? await countFiles(`${dir}/${entry.name}`) : 1;
  }
  return n;
}
