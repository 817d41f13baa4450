/**
 * Owns `scripts/retention.ts` as an operator runs it (a real subprocess on the test's database and
 * blob folder): the dry run's report changes nothing; a run killed inside a batch's transaction
 * leaves every session of the batch untouched; a run killed mid-way (SIGKILL) leaves whole
 * sessions only, then one stopped by Ctrl-C, then a last one, together redact every due session
 * exactly once.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { sql } from "kysely";
import { createTestWorld, waitFor } from "../helpers/test_app.ts";
import type { KeyEntry } from "../../core/config.ts";
import { databaseSnapshot, eventCounts, seedSessions, setRetention } from "./seed.ts";
import { LEDGER_PREFIX, readErasures } from "../../core/privacy/erasure_ledger.ts";

const SCRIPT = new URL("../../scripts/retention.ts", import.meta.url).pathname;

function keyEntry(id: string): KeyEntry {
  return { id, key: crypto.getRandomValues(new Uint8Array(32)) };
}
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

Deno.test("scripts/retention: dry run, then an interrupted run that resumes without double work", async (t) => {
  const keys = { encryptionKeys: [keyEntry("k1")], indexKey: keyEntry("x").key, signingKeys: [keyEntry("s1")] };
  const world = await createTestWorld({ keys });
  const env = {
    DATABASE_URL: world.databaseUrl,
    VERIFA_ENCRYPTION_KEYS: keys.encryptionKeys.map((k) => `${k.id}:${b64(k.key)}`).join(","),
    VERIFA_INDEX_KEY: b64(keys.indexKey),
    VERIFA_SIGNING_KEYS: keys.signingKeys.map((k) => `${k.id}:${b64(k.key)}`).join(","),
    VERIFA_BLOB_DIR: world.blobDir,
    VERIFA_LOG_LEVEL: "error",
    NO_COLOR: "1",
  };
  const spawn = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, ...args],
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  /** Reads the child's stderr until its progress bar shows at least `atLeast` done, then signals it. */
  const interruptAt = async (child: Deno.ChildProcess, atLeast: number, signal: Deno.Signal) => {
    const decoder = new TextDecoder();
    const stdout = new Response(child.stdout).text();
    let text = "";
    let signalled = false;
    for await (const chunk of child.stderr) {
      text += decoder.decode(chunk, { stream: true });
      const done = [...text.matchAll(/\] (\d+)\/(\d+) /g)].map((m) => Number(m[1])).pop() ?? 0;
      if (!signalled && done >= atLeast) {
        child.kill(signal);
        signalled = true;
      }
    }
    return { status: await child.status, stderr: text, stdout: await stdout, signalled };
  };

  try {
    await setRetention(world, { data_retention_days: 30, auto_redact_on_retention_expiry: true });
    const due = await seedSessions(world, { count: 600, terminalDaysAgo: 45 });
    const young = await seedSessions(world, { count: 5, terminalDaysAgo: 5 });
    const held = await seedSessions(world, { count: 3, terminalDaysAgo: 90, legalHold: true });

    await t.step("--dry-run prints the report and changes nothing", async () => {
      const before = await databaseSnapshot(world);
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", SCRIPT, "--dry-run", "--json"],
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const report = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.equal(report.dry_run, true);
      assert.deepEqual(report.totals, {
        due: 603,
        redacted: 600,
        held: 3,
        kept_auto_redact_off: 0,
        skipped: 0,
        failed: 0,
      });
      assert.deepEqual(await databaseSnapshot(world), before);
      const text = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", SCRIPT, "--dry-run"],
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.match(new TextDecoder().decode(text.stdout), /would redact 600, held 3 \(session\)/);
    });

    const redactedCount = async () =>
      (await world.db.selectFrom("sessions").select((eb) => eb.fn.countAll<string>().as("n"))
        .where("id", "in", due).where("retention_status", "=", "redacted").executeTakeFirstOrThrow()).n;

    /** Per due session: redacted or not, its two events, its audit receipts, and whether its fields are still there. */
    const stateOfDue = async () => {
      const rows = await world.db.selectFrom("sessions").select(["id", "retention_status", "fields_enc"])
        .where("id", "in", due).execute();
      const events = await eventCounts(world, due);
      const receipts = await world.db.selectFrom("audit_log").select("target_id")
        .where("target_id", "in", due).where("action", "=", "session.redacted").execute();
      return rows.map((r) => ({
        id: r.id,
        redacted: r.retention_status === "redacted",
        fields: r.fields_enc !== null,
        events: events.get(r.id)!,
        receipts: receipts.filter((a) => a.target_id === r.id).length,
      }));
    };
    const otherBackendsInTransaction = async () =>
      (await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
      `.execute(world.db)).rows[0].n;

    await t.step("killed inside a batch's transaction (SIGKILL): every session of the batch is untouched", async () => {
      // One batch of all 600: its audit receipts are its last statements, after the objects, the
      // erasure ledger and the events; the kill lands while they are being appended.
      const child = spawn(["--batch-size", "600", "--concurrency", "1"]);
      const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
      await waitFor("the batch to append its audit receipts", async () => {
        const { rows } = await sql`
          SELECT 1 FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
            AND query ILIKE 'insert into "audit_log"%'
        `.execute(world.db);
        return rows.length > 0 ? true : undefined;
      }, { maxDelayMs: 5 });
      child.kill("SIGKILL");
      assert.equal((await child.status).success, false);
      await output;
      // Postgres ends the dead client's transaction when it sees the connection gone.
      await waitFor(
        "the killed run's transaction to end",
        async () => await otherBackendsInTransaction() === 0 ? true : undefined,
      );
      for (const s of await stateOfDue()) {
        assert.deepEqual(s, {
          id: s.id,
          redacted: false,
          fields: true,
          events: { redacted: 0, expired: 0 },
          receipts: 0,
        });
      }
    });

    await t.step("killed mid-run (SIGKILL): what committed stays, the rest is untouched", async () => {
      const run = await interruptAt(spawn(["--batch-size", "25", "--concurrency", "2"]), 40, "SIGKILL");
      assert.ok(run.signalled, run.stderr);
      assert.equal(run.status.success, false);
      const n = Number(await redactedCount());
      assert.ok(n >= 40 && n < 600, `redacted after the kill: ${n}`);
      await waitFor(
        "the killed run's transactions to end",
        async () => await otherBackendsInTransaction() === 0 ? true : undefined,
      );
      // Whole sessions only: each is redacted with its events and receipt, or not touched at all.
      for (const s of await stateOfDue()) {
        const expected = s.redacted
          ? { redacted: true, fields: false, events: { redacted: 1, expired: 1 }, receipts: 1 }
          : { redacted: false, fields: true, events: { redacted: 0, expired: 0 }, receipts: 0 };
        assert.deepEqual(s, { id: s.id, ...expected });
      }
    });

    await t.step("stopped by Ctrl-C (SIGINT): finishes the sessions in flight and says how to resume", async () => {
      const before = Number(await redactedCount());
      const run = await interruptAt(spawn(["--batch-size", "25", "--concurrency", "2"]), 40, "SIGINT");
      assert.ok(run.signalled, run.stderr);
      assert.equal(run.status.code, 130, run.stderr);
      assert.match(run.stderr, /run the command again to resume/);
      const n = Number(await redactedCount());
      assert.ok(n > before && n < 600, `redacted after Ctrl-C: ${before} → ${n}`);
    });

    await t.step("the next run finishes the rest; each session was redacted exactly once", async () => {
      const out = await spawn(["--json"]).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const report = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.equal(report.totals.failed, 0);
      assert.equal(report.totals.held, 3);
      assert.equal(Number(await redactedCount()), 600);
      const counts = await eventCounts(world, [...due, ...young, ...held]);
      for (const id of due) assert.deepEqual(counts.get(id), { redacted: 1, expired: 1 }, id);
      for (const id of [...young, ...held]) assert.deepEqual(counts.get(id), { redacted: 0, expired: 0 }, id);
      const receipts = await world.db.selectFrom("audit_log").select("target_id")
        .where("action", "=", "session.redacted").execute();
      assert.equal(receipts.length, 600);
      assert.equal(new Set(receipts.map((r) => r.target_id)).size, 600);
      // Every object of a redacted session is gone; the young and held keep theirs.
      const ledgerFolder = `${world.blobDir}/${LEDGER_PREFIX}`;
      const all = await Array.fromAsync(walk(world.blobDir));
      const objects = all.filter((path) => !path.startsWith(ledgerFolder));
      assert.equal(objects.length, young.length + held.length);
      // Each erasure is in the erasure ledger (a run killed between its entries and its commit
      // leaves entries for sessions a later run erased again), and nothing else is; every ledger
      // object is readable, and a batch's erasures share one object.
      const { entries, unreadable } = await readErasures(world.deps.blobs, new Date(Date.now() - 3_600_000));
      assert.deepEqual(unreadable, []);
      assert.deepEqual(new Set(entries.map((e) => e.id)), new Set(due));
      assert.ok(entries.every((e) => e.kind === "session" && e.reason === "retention"));
      const ledgerObjects = all.length - objects.length;
      assert.ok(ledgerObjects > 0 && ledgerObjects <= entries.length / 20, `${ledgerObjects} for ${entries.length}`);
    });
  } finally {
    await world.close();
  }
});

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) yield* walk(`${dir}/${entry.name}`);
    else yield `${dir}/${entry.name}`;
  }
}
