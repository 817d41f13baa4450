/**
 * Owns the tests of the audit log's sealing (issue #17): requests append rows with no lock and no
 * place in the chain, and the sealer (the worker's `audit.seal` job, `deno task verify-audit
 * --seal`, the audit API before it reads) chains them afterwards. Through the doors users use:
 * 16 concurrent audited API calls of one organisation become one valid chain; an API process
 * killed (SIGKILL) mid-change leaves neither the change nor its row, and one killed after its
 * change committed leaves both, the row sealed later by the worker; a call's change and the
 * middleware's row commit together (killed between them, or the row refused, neither is kept —
 * in the API and the dashboard); two workers sealing at once
 * make one chain; a transaction that commits late is sealed after the rows sealed before it, never
 * skipped; `verify-audit` reports a row left unsealed longer than allowed; and sealing is the one
 * change the append-only trigger lets through.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { parseConfig } from "../../core/config.ts";
import { generateKeyMaterial } from "../../core/embedded/dev_secrets.ts";
import { appendAuditEvent, type AuditEntry, type SealedAuditRow } from "../../core/audit/log.ts";
import { sealAuditLog } from "../../core/audit/seal.ts";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";
import { runAdminTask } from "../helpers/admin_task.ts";
import { baseEnv, freePort, Proc } from "../helpers/subprocess.ts";
import { call, createSession } from "../helpers/sessions.ts";
import { createOperator, dashboardRequest, signedInCookie } from "../helpers/dashboard.ts";

const GENESIS = "0".repeat(64);

function verifyAudit(world: TestWorld, ...args: string[]) {
  return runAdminTask(world.databaseUrl, "verify-audit", args);
}

async function rowsOf(world: TestWorld, orgId: string) {
  return await world.db.selectFrom("audit_log").selectAll().where("org_id", "=", orgId).orderBy("append_id").execute();
}

/** The organisation's sealed rows in chain order, checked to be 1…n, each linked to the one before. */
async function assertOneChain(world: TestWorld, orgId: string): Promise<SealedAuditRow[]> {
  const rows = await world.db.selectFrom("audit_log").selectAll().where("org_id", "=", orgId)
    .where("sequence_num", "is not", null).orderBy("sequence_num").execute() as SealedAuditRow[];
  assert.deepEqual(rows.map((r) => Number(r.sequence_num)), rows.map((_, i) => i + 1));
  rows.forEach((row, i) => assert.equal(row.prev_hash, i === 0 ? GENESIS : rows[i - 1].hash));
  return rows;
}

async function unsealedCount(world: TestWorld, orgId?: string): Promise<number> {
  let query = world.db.selectFrom("audit_log").where("sequence_num", "is", null);
  if (orgId) query = query.where("org_id", "=", orgId);
  const { n } = await query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(n);
}

function entry(orgId: string, n: number): AuditEntry {
  return {
    orgId,
    environment: "sandbox",
    actor: { type: "system", id: "test" },
    action: "test.appended",
    targetType: null,
    targetId: null,
    details: { n },
  };
}

/** Sends the job through pg-boss and waits until some worker has completed it. */
async function sealThroughWorker(worker: WorkerHandle): Promise<string> {
  const jobId = await worker.boss.send("audit.seal", {});
  assert.ok(jobId);
  return jobId;
}

async function jobFinished(worker: WorkerHandle, jobId: string): Promise<string> {
  return await waitFor(`audit.seal job ${jobId}`, async () => {
    const job = await worker.boss.getJobById("audit.seal", jobId);
    return job && ["completed", "failed"].includes(job.state) ? job.state : undefined;
  }, { timeoutMs: 60_000, maxDelayMs: 200 });
}

Deno.test("audit sealing: lock-free appends, one chain, nothing lost in a crash", async (t) => {
  const keyEnv = generateKeyMaterial();
  const config = parseConfig({ DATABASE_URL: "postgres://unused/unused", ...keyEnv });
  const world = await createTestWorld({ keys: config });
  const workers: WorkerHandle[] = [];
  try {
    await t.step("16 concurrent audited API calls of one organisation make one valid chain", async () => {
      const org = await world.provisionOrg("writers");
      const before = (await rowsOf(world, org.org_id)).length;
      const created = await Promise.all(Array.from({ length: 16 }, async (_, i) => {
        const res = await world.json("POST", "/api/v1/sessions", {
          key: org.sandbox_secret_key,
          body: { external_ref: `writer-${i}` },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.id as string;
      }));
      // Appended, not yet chained: no request waited for another's place in the chain.
      const appended = (await rowsOf(world, org.org_id)).filter((r) => r.action === "api.session.create");
      assert.deepEqual(appended.map((r) => r.target_id).sort(), [...created].sort());
      assert.ok(appended.every((r) => r.sequence_num === null && r.hash === null));

      const sealed = await verifyAudit(world, "--org", "writers", "--seal");
      assert.equal(sealed.code, 0, sealed.stdout + sealed.stderr);
      const chain = await assertOneChain(world, org.org_id);
      assert.equal(chain.length, before + 16);
      const sessionRows = chain.filter((r) => r.action === "api.session.create");
      assert.equal(sessionRows.length, 16);
      // In insertion order: the sealer keeps the order the rows were appended in.
      assert.deepEqual(sessionRows.map((r) => r.id), appended.map((r) => r.id));
      const check = await verifyAudit(world, "--org", "writers");
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(
        check.stdout,
        new RegExp(
          `^ok ${org.org_id} \\(writers\\): ${before + 16} rows, head ${before + 16}:${chain.at(-1)!.hash}$`,
          "m",
        ),
      );
      assert.match(check.stdout, /^audit chain intact: \d+ rows$/m);
    });

    await t.step("an API process killed mid-change leaves neither the change nor its audit row", async () => {
      const api = await startApi(world, keyEnv);
      try {
        const session = await api.call("POST", "/api/v1/sessions", world.org.sandbox_secret_key, {
          external_ref: "k1",
        });
        assert.equal(session.status, 201);
        // The legal hold's transaction, having set the hold, waits on inserting its audit row.
        await killWhileAuditRowWaits(
          world,
          api,
          () =>
            api.call("POST", `/api/v1/sessions/${session.body.id}/legal-hold`, world.org.sandbox_secret_key, {
              reason: "litigation",
            }),
        );
        const held = await world.db.selectFrom("sessions").select("legal_hold").where("id", "=", session.body.id)
          .executeTakeFirstOrThrow();
        assert.equal(held.legal_hold, false, "the change rolled back");
        const audited = (await rowsOf(world, world.org.org_id)).filter((r) => r.action === "legal_hold.set");
        assert.deepEqual(audited, [], "and its audit row with it");
      } finally {
        await api.proc.crash();
      }
    });

    await t.step(
      "an API process killed after its change committed leaves the row, which the worker seals",
      async () => {
        const api = await startApi(world, keyEnv);
        let sessionId: string;
        try {
          const session = await api.call("POST", "/api/v1/sessions", world.org.sandbox_secret_key, {
            external_ref: "k2",
          });
          sessionId = session.body.id;
          const held = await api.call(
            "POST",
            `/api/v1/sessions/${sessionId}/legal-hold`,
            world.org.sandbox_secret_key,
            {
              reason: "litigation",
            },
          );
          assert.equal(held.status, 200, JSON.stringify(held.body));
        } finally {
          await api.proc.crash();
        }
        const [row] = (await rowsOf(world, world.org.org_id)).filter((r) =>
          r.action === "legal_hold.set" && r.target_id === sessionId
        );
        assert.ok(row, "the committed change has its audit row");
        assert.equal(row.sequence_num, null, "not sealed yet: no worker ran");

        workers.push(await startWorker(world.deps, world.databaseUrl));
        assert.equal(await jobFinished(workers[0], await sealThroughWorker(workers[0])), "completed");
        const chain = await assertOneChain(world, world.org.org_id);
        assert.ok(chain.some((r) => r.id === row.id), "sealed by the worker");
        assert.equal(await unsealedCount(world), 0);
        const check = await verifyAudit(world);
        assert.equal(check.code, 0, check.stdout + check.stderr);
      },
    );

    await t.step(
      "an API process killed while a call's audit row waits keeps the change and its row together",
      async () => {
        const api = await startApi(world, keyEnv);
        try {
          const session = await api.call("POST", "/api/v1/sessions", world.org.sandbox_secret_key, {
            external_ref: "k3",
          });
          assert.equal(session.status, 201);
          // The tag is written first; the middleware's row follows in the same transaction, sent
          // together with the COMMIT (core/db/request_transaction.ts executeAtCommit), and waits.
          // Killed there, the tag must not be visible on its own at any moment; and since the
          // COMMIT had already reached Postgres, the transaction completes once the row can be
          // written: the tag and its row commit together.
          await killWhileAuditRowWaits(
            world,
            api,
            () =>
              api.call("POST", `/api/v1/sessions/${session.body.id}/tags`, world.org.sandbox_secret_key, {
                tag: "vip",
              }),
            async () => {
              const row = await world.db.selectFrom("sessions").select("tags").where("id", "=", session.body.id)
                .executeTakeFirstOrThrow();
              assert.deepEqual(row.tags, [], "the tag is not visible before its audit row commits");
            },
          );
          const after = await world.db.selectFrom("sessions").select("tags").where("id", "=", session.body.id)
            .executeTakeFirstOrThrow();
          assert.deepEqual(after.tags, ["vip"], "the change committed with its row");
          const audited = (await rowsOf(world, world.org.org_id)).filter((r) =>
            r.action === "api.session.tag.create" && r.target_id === session.body.id
          );
          assert.equal(audited.length, 1, "and its audit row with it");
          const created = (await rowsOf(world, world.org.org_id)).filter((r) =>
            r.action === "api.session.create" && r.target_id === session.body.id
          );
          assert.equal(created.length, 1, "the call before it kept its row");
        } finally {
          await api.proc.crash();
        }
      },
    );

    await t.step("a call whose audit row cannot be written changes nothing and answers 500", async () => {
      const key = world.org.sandbox_secret_key;
      const session = await createSession(world, key, { external_ref: "k4" });
      const operator = await createOperator(world, { role: "admin" });
      const signedIn = await signedInCookie(world, operator);
      // The fault: the audit table refuses these two actions' rows (a stand-in for a full disk or a
      // revoked grant). NOT VALID: the rows already there are not checked.
      await sql`ALTER TABLE audit_log ADD CONSTRAINT refuse_two_actions
        CHECK (action NOT IN ('api.session.tag.create', 'dashboard.session.expire')) NOT VALID`.execute(world.db);
      try {
        const tagged = await call(world, "POST", `/api/v1/sessions/${session.id}/tags`, { key, body: { tag: "vip" } });
        assert.equal(tagged.status, 500, JSON.stringify(tagged.body));
        assert.deepEqual((await call(world, "GET", `/api/v1/sessions/${session.id}/tags`, { key })).body.tags, []);

        const expired = await dashboardRequest(
          world,
          signedIn,
          "POST",
          `/dashboard/verifications/${session.id}/expire`,
          {},
        );
        assert.equal(expired.status, 500);
        await expired.body?.cancel();
        assert.equal((await call(world, "GET", `/api/v1/sessions/${session.id}`, { key })).body.status, "pending");
      } finally {
        await sql`ALTER TABLE audit_log DROP CONSTRAINT refuse_two_actions`.execute(world.db);
      }
      // With the fault gone, the same calls change the session and are recorded.
      assert.equal(
        (await call(world, "POST", `/api/v1/sessions/${session.id}/tags`, { key, body: { tag: "vip" } })).status,
        200,
      );
      const expired = await dashboardRequest(
        world,
        signedIn,
        "POST",
        `/dashboard/verifications/${session.id}/expire`,
        {},
      );
      assert.equal(expired.status, 303);
      await expired.body?.cancel();
      const actions = (await rowsOf(world, world.org.org_id)).filter((r) => r.target_id === session.id)
        .map((r) => r.action);
      assert.deepEqual(actions.filter((a) => a !== "api.session.create").sort(), [
        "api.session.tag.create",
        "dashboard.session.expire",
      ]);
    });

    await t.step("two workers sealing at once make one chain per organisation", async () => {
      const orgs = await Promise.all(["seal-a", "seal-b", "seal-c"].map((slug) => world.provisionOrg(slug)));
      // More than a batch (500) per organisation, so the sealers take turns over several.
      for (const org of orgs) {
        for (let from = 0; from < 1200; from += 100) {
          await Promise.all(
            Array.from({ length: 100 }, (_, i) => appendAuditEvent(world.db, entry(org.org_id, from + i), new Date())),
          );
        }
      }
      workers.push(await startWorker(world.deps, world.databaseUrl));
      const jobs = await Promise.all([sealThroughWorker(workers[0]), sealThroughWorker(workers[1])]);
      const race = verifyAudit(world, "--seal");
      assert.deepEqual(await Promise.all(jobs.map((id) => jobFinished(workers[0], id))), ["completed", "completed"]);
      const raced = await race;
      assert.equal(raced.code, 0, raced.stdout + raced.stderr);
      for (const org of orgs) {
        const chain = await assertOneChain(world, org.org_id);
        assert.equal(chain.filter((r) => r.action === "test.appended").length, 1200);
      }
      assert.equal(await unsealedCount(world), 0);
      const check = await verifyAudit(world);
      assert.equal(check.code, 0, check.stdout + check.stderr);
    });

    await t.step("a row whose transaction commits late is sealed after the rows sealed before it", async () => {
      const org = await world.provisionOrg("late");
      let commit!: () => void;
      const go = new Promise<void>((resolve) => (commit = resolve));
      let lateId = "";
      const appendedEarly = Promise.withResolvers<void>();
      const late = world.db.transaction().execute(async (tx) => {
        lateId = await appendAuditEvent(tx, entry(org.org_id, 0), new Date());
        appendedEarly.resolve();
        await go;
      });
      await appendedEarly.promise;
      for (let n = 1; n <= 3; n++) await appendAuditEvent(world.db, entry(org.org_id, n), new Date());
      await sealAuditLog(world.db, org.org_id);
      const first = await assertOneChain(world, org.org_id);
      assert.ok(!first.some((r) => r.id === lateId), "the open transaction's row is not visible yet");
      commit();
      await late;
      const rows = await rowsOf(world, org.org_id);
      assert.equal(rows[0].id, lateId, "it was appended first");
      assert.equal(rows[0].sequence_num, null, "and is waiting, not skipped");
      await sealAuditLog(world.db, org.org_id);
      const chain = await assertOneChain(world, org.org_id);
      assert.equal(chain.at(-1)!.id, lateId, "sealed next, after the rows already chained");
      assert.equal(chain.length, first.length + 1);
      assert.equal((await verifyAudit(world, "--org", "late")).code, 0);
    });

    await t.step("verify-audit reports a row left unsealed longer than allowed", async () => {
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
      const org = await world.provisionOrg("stale");
      await sealAuditLog(world.db, org.org_id);
      const id = await appendAuditEvent(world.db, entry(org.org_id, 1), new Date());
      const created = (await rowsOf(world, org.org_id)).find((r) => r.id === id)!.created_at;

      const fresh = await verifyAudit(world, "--org", "stale");
      assert.equal(fresh.code, 0, fresh.stdout + fresh.stderr);
      assert.match(fresh.stdout, /^ok .*\(stale\): \d+ rows.*\(\+1 not sealed yet\)$/m);

      // Older than one second (waiting for the wall clock to pass it), with one second allowed.
      await waitFor(
        "the row to be over a second old",
        () => Promise.resolve(Date.now() - new Date(created).getTime() > 1100 ? true : undefined),
      );
      const stale = await verifyAudit(world, "--org", "stale", "--max-unsealed-age", "1");
      assert.equal(stale.code, 1, stale.stdout + stale.stderr);
      assert.match(
        stale.stdout,
        new RegExp(
          `^UNSEALED ${org.org_id} \\(stale\\): 1 rows not sealed, the oldest from ${
            new Date(created).toISOString()
          } \\(older than 1 s`,
          "m",
        ),
      );
      assert.match(stale.stdout, /^audit rows left unsealed in 1 of 1 organisations$/m);
      // Every organisation at once: the run fails for the one, the others are still ok.
      const all = await verifyAudit(world, "--max-unsealed-age", "1");
      assert.equal(all.code, 1);
      assert.match(all.stdout, /^ok .*\(writers\): /m);

      const bad = await verifyAudit(world, "--max-unsealed-age", "soon");
      assert.equal(bad.code, 64);
      assert.match(bad.stderr, /--max-unsealed-age takes a whole number of seconds/);

      const sealed = await verifyAudit(world, "--org", "stale", "--seal", "--max-unsealed-age", "1");
      assert.equal(sealed.code, 0, sealed.stdout + sealed.stderr);
      assert.equal(await unsealedCount(world, org.org_id), 0);
    });

    await t.step("sealing is the one change the append-only trigger lets through", async () => {
      const org = await world.provisionOrg("trigger");
      const id = await appendAuditEvent(world.db, entry(org.org_id, 1), new Date());
      // An unsealed row cannot be rewritten either, nor sealed with another change smuggled in.
      await assert.rejects(
        world.db.updateTable("audit_log").set({ action: "test.rewritten" }).where("id", "=", id).execute(),
        /append-only: UPDATE refused/,
      );
      await assert.rejects(
        world.db.updateTable("audit_log").set({
          action: "test.rewritten",
          sequence_num: 1,
          prev_hash: GENESIS,
          hash: "f".repeat(64),
        }).where("id", "=", id).execute(),
        /append-only: UPDATE refused/,
      );
      await assert.rejects(world.db.deleteFrom("audit_log").where("id", "=", id).execute(), /DELETE refused/);
      await sealAuditLog(world.db, org.org_id);
      const [sealed] = await assertOneChain(world, org.org_id);
      assert.equal(sealed.id, id);
      // Once sealed, the chain fields are as fixed as the rest.
      await assert.rejects(
        world.db.updateTable("audit_log").set({ hash: "f".repeat(64) }).where("id", "=", id).execute(),
        /append-only: UPDATE refused/,
      );
      assert.equal(await sealAuditLog(world.db, org.org_id), 0, "sealing again changes nothing");
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await world.close();
  }
});

/**
 * Holds audit_log so that the call `send` makes waits on inserting its audit row, runs `whileWaiting`,
 * kills the API process there (SIGKILL), and returns once the killed process's transaction ended.
 */
async function killWhileAuditRowWaits(
  world: TestWorld,
  api: Api,
  send: () => Promise<unknown>,
  whileWaiting: () => Promise<void> = async () => {},
): Promise<void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const lockHeld = world.db.transaction().execute(async (tx) => {
    await sql`LOCK TABLE audit_log IN SHARE MODE`.execute(tx);
    await released;
  });
  const pending = send().catch((error) => error);
  let blocked: number;
  try {
    blocked = await waitFor("the call's transaction waiting on its audit row", async () => {
      const rows = await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND query ILIKE 'insert into "audit_log"%'`.execute(world.db);
      return rows.rows[0]?.pid;
    });
    await whileWaiting();
    await api.proc.crash();
  } finally {
    // Whatever failed, the table is let go, or every later step would wait on it.
    release();
    await lockHeld;
  }
  assert.ok((await pending) instanceof Error, "the client got no answer");
  await waitFor("the killed API's transaction to end", async () => {
    const rows = await sql`SELECT 1 FROM pg_stat_activity WHERE pid = ${blocked}`.execute(world.db);
    return rows.rows.length === 0 ? true : undefined;
  });
}

interface Api {
  proc: Proc;
  // deno-lint-ignore no-explicit-any
  call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** The real API process (api/main.ts) on the test world's database, with no worker of its own. */
async function startApi(world: TestWorld, keyEnv: Record<string, string>): Promise<Api> {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = new Proc(
    [Deno.execPath(), "run", "-A", "api/main.ts"],
    baseEnv({
      DATABASE_URL: world.databaseUrl,
      ...keyEnv,
      PORT: String(port),
      VERIFA_PUBLIC_URL: base,
      VERIFA_RUN_WORKER: "false",
      VERIFA_METRICS_PORT: String(freePort()),
      VERIFA_BLOB_DIR: world.blobDir,
      VERIFA_LOG_LEVEL: "warn",
    }),
  );
  await waitFor("the API process to be ready", async () => {
    if (proc.exit) throw new Error(`the API exited\n${proc.describe()}`);
    try {
      const response = await fetch(`${base}/readyz`);
      await response.body?.cancel();
      return response.status === 200 ? true : undefined;
    } catch {
      return undefined;
    }
  }, { timeoutMs: 120_000, maxDelayMs: 500 });
  return {
    proc,
    async call(method, path, key, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { "X-API-Key": key, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}
