/**
 * Owns the tests of the audit log's storage guarantees: one linear hash chain per organisation
 * under concurrent appends, rows that commit with the caller's transaction or not at all, the
 * append-only triggers, and `deno task verify-audit` (run as a subprocess) passing an untouched log
 * and naming the first broken row after an UPDATE or DELETE made behind the API's back.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestDatabase } from "../helpers/test_app.ts";
import { runAdminTask } from "../helpers/admin_task.ts";
import { provisionOrganization } from "../../core/orgs/provision.ts";
import { appendAuditEvent, type AuditEntry, auditRowHash, type SealedAuditRow } from "../../core/audit/log.ts";
import { verifyOrgChain } from "../../core/audit/verify.ts";
import { sealAuditLog } from "../../core/audit/seal.ts";
import type { Db } from "../../core/db/create_db.ts";

function entry(orgId: string, n: number): AuditEntry {
  return {
    orgId,
    environment: n % 3 === 0 ? null : "sandbox",
    actor: { type: "system", id: "test" },
    action: "test.appended",
    targetType: "session",
    targetId: `ses_${String(n).padStart(24, "0")}`,
    details: { n, nested: { b: 2, a: [1, "x"] }, skipped: undefined },
  };
}

/** Concurrent appends, then the seal that gives them their places in the chain. */
async function appendMany(db: Db, orgId: string, count: number, from = 0): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => appendAuditEvent(db, entry(orgId, from + i), new Date())));
  await sealAuditLog(db, orgId);
}

/** The organisation's sealed rows, in chain order. */
async function chain(db: Db, orgId: string): Promise<SealedAuditRow[]> {
  const rows = await db.selectFrom("audit_log").selectAll().where("org_id", "=", orgId)
    .where("sequence_num", "is not", null).orderBy("sequence_num").execute();
  return rows as SealedAuditRow[];
}

/** `deno task verify-audit` against the test database, as an operator runs it. */
function verifyAudit(databaseUrl: string, ...args: string[]) {
  return runAdminTask(databaseUrl, "verify-audit", args);
}

/** What an attacker with the owner's or a superuser's rights can do: switch the guard off around a change. */
async function behindTheApisBack(db: Db, statement: ReturnType<typeof sql>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(tx);
    await statement.execute(tx);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(tx);
  });
}

Deno.test("audit log chain", async (t) => {
  const database = await createTestDatabase({ poolSize: 12 });
  const { db } = database;
  const orgA = await provisionOrganization(db, { name: "A", slug: "audit-a" });
  const orgB = await provisionOrganization(db, { name: "B", slug: "audit-b" });
  /** The row the UPDATE step alters, as it was: put back later to reach the next break. */
  let altered: { id: string; details: Record<string, unknown> } | undefined;
  try {
    await t.step("concurrent appends of two organisations keep one linear chain each", async () => {
      await Promise.all([appendMany(db, orgA.org_id, 60), appendMany(db, orgB.org_id, 25)]);
      for (const [org, count] of [[orgA.org_id, 60], [orgB.org_id, 25]] as const) {
        const rows = await chain(db, org);
        assert.deepEqual(rows.map((r) => r.sequence_num), Array.from({ length: count }, (_, i) => i + 1));
        assert.equal(rows[0].prev_hash, "0".repeat(64));
        for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
        for (const row of rows) assert.equal(row.hash, auditRowHash(row));
        const report = await verifyOrgChain(db, org);
        assert.equal(report.broken, null);
        assert.equal(report.rows, count);
        assert.deepEqual(report.head, { sequenceNum: count, hash: rows.at(-1)!.hash });
      }
      // details are stored as given, minus what JSON drops.
      const first = (await chain(db, orgA.org_id))[0];
      assert.deepEqual(Object.keys(first.details).sort(), ["n", "nested"]);
    });

    await t.step("a row commits with the caller's transaction or not at all", async () => {
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await appendAuditEvent(tx, entry(orgA.org_id, 1000), new Date());
          throw new Error("the recorded change failed");
        }),
        /the recorded change failed/,
      );
      assert.equal((await chain(db, orgA.org_id)).length, 60);
      const id = await db.transaction().execute((tx) => appendAuditEvent(tx, entry(orgA.org_id, 1001), new Date()));
      await sealAuditLog(db);
      const last = (await chain(db, orgA.org_id)).at(-1)!;
      assert.equal(last.id, id);
      assert.equal(last.sequence_num, 61);
    });

    await t.step("UPDATE, DELETE and TRUNCATE are refused", async () => {
      const row = (await chain(db, orgB.org_id))[4];
      await assert.rejects(
        db.updateTable("audit_log").set({ action: "test.rewritten" }).where("id", "=", row.id).execute(),
        /append-only: UPDATE refused/,
      );
      await assert.rejects(
        db.deleteFrom("audit_log").where("id", "=", row.id).execute(),
        /append-only: DELETE refused/,
      );
      await assert.rejects(sql`TRUNCATE audit_log`.execute(db), /append-only: TRUNCATE refused/);
      assert.equal((await chain(db, orgB.org_id)).length, 25);
    });

    await t.step("the verifier passes an untouched log", async () => {
      const all = await verifyAudit(database.url);
      assert.equal(all.code, 0, all.stdout + all.stderr);
      assert.match(all.stdout, /^audit chain intact: 86 rows$/m);
      const one = await verifyAudit(database.url, "--org", "audit-b");
      assert.equal(one.code, 0, one.stdout + one.stderr);
      assert.match(one.stdout, /^audit chain intact: 25 rows$/m);
      const head = (await chain(db, orgB.org_id)).at(-1)!;
      assert.match(one.stdout, new RegExp(`head 25:${head.hash}`));
      const anchored = await verifyAudit(database.url, "--org", orgB.org_id, "--anchor", `25:${head.hash}`);
      assert.equal(anchored.code, 0, anchored.stdout + anchored.stderr);
    });

    await t.step("an UPDATE behind the API's back is named by the verifier", async () => {
      const target = (await chain(db, orgA.org_id))[6];
      altered = { id: target.id, details: target.details };
      await behindTheApisBack(
        db,
        sql`UPDATE audit_log SET details = details || '{"n": 999}' WHERE id = ${target.id}`,
      );
      const result = await verifyAudit(database.url, "--org", orgA.org_id);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`sequence_num 7 \\(${target.id}\\): hash mismatch`));
      // Every organisation: A is broken, B still intact, and the run fails.
      const all = await verifyAudit(database.url);
      assert.equal(all.code, 1);
      assert.match(all.stdout, /BROKEN .*audit-a.*sequence_num 7/);
      assert.match(all.stdout, /ok .*audit-b\): 25 rows/);
    });

    await t.step("a rewrite with a recomputed hash breaks the next row's link", async () => {
      const rows = await chain(db, orgA.org_id);
      const forged = { ...rows[19], action: "test.forged" };
      await behindTheApisBack(
        db,
        sql`UPDATE audit_log SET action = ${forged.action}, hash = ${auditRowHash(forged)} WHERE id = ${forged.id}`,
      );
      // Row 7 still shows first; put it back and the forgery is what remains.
      assert.equal((await verifyOrgChain(db, orgA.org_id)).broken?.sequenceNum, 7);
      await behindTheApisBack(
        db,
        sql`UPDATE audit_log SET details = ${JSON.stringify(altered!.details)}::jsonb WHERE id = ${altered!.id}`,
      );
      const after = await verifyAudit(database.url, "--org", "audit-a");
      assert.equal(after.code, 1);
      assert.match(after.stdout, new RegExp(`sequence_num 21 \\(${rows[20].id}\\): prev_hash does not match`));
    });

    await t.step("a DELETE behind the API's back is named by the verifier", async () => {
      const rows = await chain(db, orgB.org_id);
      await behindTheApisBack(db, sql`DELETE FROM audit_log WHERE id = ${rows[11].id}`);
      const result = await verifyAudit(database.url, "--org", "audit-b");
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(
        result.stdout,
        new RegExp(`sequence_num 13 \\(${rows[12].id}\\): gap in sequence: row 12 is missing`),
      );
    });

    await t.step("rows removed from the end show against a recorded anchor", async () => {
      const orgC = await provisionOrganization(db, { name: "C", slug: "audit-c" });
      await appendMany(db, orgC.org_id, 5);
      const rows = await chain(db, orgC.org_id);
      await behindTheApisBack(db, sql`DELETE FROM audit_log WHERE id = ${rows[4].id}`);
      // The chain alone still holds…
      assert.equal((await verifyAudit(database.url, "--org", "audit-c")).code, 0);
      // …the head recorded earlier does not.
      const result = await verifyAudit(database.url, "--org", "audit-c", "--anchor", `5:${rows[4].hash}`);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /sequence_num 5 \(missing\): the log ends at row 4/);
    });

    await t.step("an unknown organisation is a usage error", async () => {
      const result = await verifyAudit(database.url, "--org", "no-such-org");
      assert.equal(result.code, 65);
      assert.match(result.stderr, /organisation no-such-org not found/);
    });
  } finally {
    await database.drop();
  }
});
