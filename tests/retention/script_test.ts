/**
 * Owns `scripts/retention.ts` as an operator runs it (a real subprocess on the test's database and
 * blob folder): the dry run's report changes nothing; a run killed mid-way (SIGKILL), then one
 * stopped by Ctrl-C, then a last one, together redact every due session exactly once.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createTestWorld } from "../helpers/test_app.ts";
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

    await t.step("killed mid-run (SIGKILL): what committed stays, the rest is untouched", async () => {
      const run = await interruptAt(spawn(["--batch-size", "25", "--concurrency", "2"]), 40, "SIGKILL");
      assert.ok(run.signalled, run.stderr);
      assert.equal(run.status.success, false);
      const n = Number(await redactedCount());
      assert.ok(n >= 40 && n < 600, `redacted after the kill: ${n}`);
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
      // Each erasure is in the erasure ledger (a run killed between its entry and its commit may
      // leave a second entry for a session the next run erased), and nothing else is.
      const { entries } = await readErasures(world.deps.blobs, new Date(Date.now() - 3_600_000));
      assert.deepEqual(new Set(entries.map((e) => e.id)), new Set(due));
      assert.ok(entries.every((e) => e.kind === "session" && e.reason === "retention"));
      assert.equal(entries.length, all.length - objects.length);
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
