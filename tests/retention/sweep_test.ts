/**
 * Owns the retention sweep's behaviour (issue #9): which sessions it erases (terminal, past
 * `data_retention_days`, auto-redact on, no legal hold) and which it leaves (young, active, held,
 * auto-redact off, no policy); `session.retention-expired` exactly once; a dry run that changes
 * nothing byte for byte; two sweeps side by side never erasing a session twice; a failing session
 * holding back none of its batch; and a session seeded with known PII through the API leaving no
 * trace after the sweep.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, sessionRow } from "../helpers/sessions.ts";
import { captureDocuments, consentFrom, tokenOf } from "../helpers/capture.ts";
import { newId } from "../../core/ids.ts";
import { sessionBlobPrefix } from "../../core/documents/service.ts";
import { sweepRetention } from "../../core/retention/sweep.ts";
import { retentionSweepJob } from "../../worker/jobs/retention_sweep.ts";
import { assertErased, findInDatabase } from "../privacy/scan.ts";
import { databaseSnapshot, eventCounts, seedSessions, setRetention } from "./seed.ts";

Deno.test("the retention sweep erases exactly the due sessions, once", async (t) => {
  const world = await createTestWorld();
  try {
    const scope = { orgId: world.org.org_id, environment: "sandbox" as const };
    await setRetention(world, { data_retention_days: 30, auto_redact_on_retention_expiry: true });
    const old = [
      ...await seedSessions(world, { count: 5, terminalDaysAgo: 40 }),
      ...await seedSessions(world, { count: 2, terminalDaysAgo: 31, status: "expired" }),
      ...await seedSessions(world, { count: 1, terminalDaysAgo: 45, status: "failed" }),
      ...await seedSessions(world, { count: 2, terminalDaysAgo: 40, environment: "live" }),
    ];
    const young = await seedSessions(world, { count: 3, terminalDaysAgo: 29 });
    const held = await seedSessions(world, { count: 2, terminalDaysAgo: 60, legalHold: true });
    // Still capturing 90 days on: not terminal, so never due (expiry of capture is another job).
    const [active] = await seedSessions(world, { count: 1, terminalDaysAgo: 90 });
    await world.db.updateTable("sessions").set({ status: "capturing", completed_at: null }).where("id", "=", active)
      .execute();
    // A held identity protects its sessions too.
    const identityId = newId("idn");
    await world.db.insertInto("identities").values({
      id: identityId,
      org_id: scope.orgId,
      environment: "sandbox",
      external_ref: "retention-held-person",
      status: "verified",
      pii_enc: null,
      email_bidx: null,
      phone_bidx: null,
      document_number_bidx: null,
      name_dob_bidx: null,
      country: null,
      custom_fields: JSON.stringify({}),
      flag_reason: null,
      flagged_at: null,
      flagged_by: null,
      legal_hold: true,
      latest_session_id: null,
      first_verified_at: null,
      last_verified_at: null,
      merged_into: null,
      merged_at: null,
      archived_at: null,
    }).execute();
    const [heldByIdentity] = await seedSessions(world, { count: 1, terminalDaysAgo: 50 });
    await world.db.updateTable("sessions").set({ identity_id: identityId }).where("id", "=", heldByIdentity).execute();

    const other = await world.provisionOrg("keeps-but-no-auto");
    await setRetention(world, { data_retention_days: 10, auto_redact_on_retention_expiry: false }, other.org_id);
    const kept = await seedSessions(world, { orgId: other.org_id, count: 4, terminalDaysAgo: 20 });
    const forever = await world.provisionOrg("no-policy");
    const untouched = await seedSessions(world, { orgId: forever.org_id, count: 2, terminalDaysAgo: 3650 });

    await t.step("a dry run reports what would go and changes nothing, byte for byte", async () => {
      const before = await databaseSnapshot(world);
      const report = await sweepRetention(world.deps, { dryRun: true });
      assert.deepEqual(await databaseSnapshot(world), before);
      assert.equal(report.dry_run, true);
      const mine = report.orgs.find((o) => o.org_id === scope.orgId)!;
      assert.equal(mine.due, old.length + held.length + 1);
      assert.equal(mine.redacted, old.length);
      assert.equal(mine.held_session, 2);
      assert.equal(mine.held_identity, 1);
      const theirs = report.orgs.find((o) => o.org_id === other.org_id)!;
      assert.equal(theirs.kept_auto_redact_off, 4);
      assert.equal(theirs.redacted, 0);
      assert.ok(!report.orgs.some((o) => o.org_id === forever.org_id), "an org without a policy is not swept");
    });

    await t.step("the scheduled job redacts the due sessions and leaves the rest", async () => {
      assert.equal(retentionSweepJob.schedule, "41 * * * *");
      await retentionSweepJob.handler(world.deps, {});
      for (const id of old) {
        const row = await sessionRow(world, id);
        assert.equal(row.retention_status, "redacted", id);
        assert.equal(row.fields_enc, null);
        assert.equal(row.applicant_name_enc, null);
        assert.equal(
          await world.deps.blobs.exists(
            `${sessionBlobPrefix({ orgId: row.org_id, environment: row.environment }, id)}documents/front.bin`,
          ),
          false,
        );
      }
      for (const id of [...young, ...held, active, heldByIdentity, ...kept, ...untouched]) {
        const row = await sessionRow(world, id);
        assert.equal(row.retention_status, "active", id);
        assert.ok(row.fields_enc, id);
        const prefix = sessionBlobPrefix({ orgId: row.org_id, environment: row.environment }, id);
        assert.equal(await world.deps.blobs.exists(`${prefix}documents/front.bin`), true, id);
      }
      const counts = await eventCounts(world, [...old, ...young, ...held, heldByIdentity, ...kept]);
      for (const id of old) assert.deepEqual(counts.get(id), { redacted: 1, expired: 1 }, id);
      for (const id of [...young, ...held, heldByIdentity, ...kept]) {
        assert.deepEqual(counts.get(id), { redacted: 0, expired: 0 }, id);
      }
      const expired = await world.db.selectFrom("events").select("payload")
        .where("session_id", "=", old[0]).where("type", "=", "session.retention-expired").executeTakeFirstOrThrow();
      assert.equal((expired.payload as Record<string, unknown>).data_retention_days, 30);
      const receipts = await world.db.selectFrom("audit_log").select(["actor_type", "actor_id", "details"])
        .where("target_id", "=", old[0]).where("action", "=", "session.redacted").execute();
      assert.equal(receipts.length, 1);
      assert.equal(receipts[0].actor_id, "retention.sweep");
      assert.equal((receipts[0].details as Record<string, unknown>).reason, "retention");
    });

    await t.step("a second run finds nothing new and fires nothing twice", async () => {
      const report = await sweepRetention(world.deps);
      const mine = report.orgs.find((o) => o.org_id === scope.orgId)!;
      assert.equal(mine.due, 3, "only the three held sessions are still due");
      assert.equal(mine.redacted, 0);
      const counts = await eventCounts(world, old);
      for (const id of old) assert.deepEqual(counts.get(id), { redacted: 1, expired: 1 });
    });

    await t.step("a released hold makes the session due at the next run", async () => {
      await world.db.updateTable("sessions").set({ legal_hold: false }).where("id", "=", held[0]).execute();
      const report = await sweepRetention(world.deps);
      assert.equal(report.orgs.find((o) => o.org_id === scope.orgId)!.redacted, 1);
      assert.equal((await sessionRow(world, held[0])).retention_status, "redacted");
      assert.equal((await sessionRow(world, held[1])).retention_status, "active");
    });

    await t.step("two sweeps side by side never redact the same session twice", async () => {
      const many = await seedSessions(world, { count: 60, terminalDaysAgo: 35 });
      const [a, b] = await Promise.all([
        sweepRetention(world.deps, { batchSize: 7, concurrency: 3 }),
        sweepRetention(world.deps, { batchSize: 11, concurrency: 3 }),
      ]);
      const redacted = [a, b].map((r) => r.orgs.find((o) => o.org_id === scope.orgId)!.redacted);
      assert.equal(redacted[0] + redacted[1], 60, JSON.stringify(redacted));
      const counts = await eventCounts(world, many);
      for (const id of many) assert.deepEqual(counts.get(id), { redacted: 1, expired: 1 }, id);
      const receipts = await world.db.selectFrom("audit_log").select("target_id")
        .where("target_id", "in", many).where("action", "=", "session.redacted").execute();
      assert.equal(receipts.length, 60);
    });

    await t.step("a session whose erasure fails is the only one of its batch left", async () => {
      const batch = await seedSessions(world, { count: 12, terminalDaysAgo: 35 });
      const failing = batch[5];
      const failingPrefix = sessionBlobPrefix(scope, failing);
      // The blob store refusing this one session's objects (as a store briefly down for it would).
      const blobs = {
        ...world.deps.blobs,
        deletePrefix: (prefix: string) =>
          prefix === failingPrefix
            ? Promise.reject(new Error("blob store unavailable"))
            : world.deps.blobs.deletePrefix(prefix),
      };
      const report = await sweepRetention({ ...world.deps, blobs }, { batchSize: 50 });
      const mine = report.orgs.find((o) => o.org_id === scope.orgId)!;
      assert.equal(mine.redacted, 11);
      assert.equal(mine.failed, 1);
      const row = await sessionRow(world, failing);
      assert.equal(row.retention_status, "active");
      assert.ok(row.fields_enc);
      assert.equal(await world.deps.blobs.exists(`${failingPrefix}documents/front.bin`), true);
      const counts = await eventCounts(world, batch);
      const receipts = await world.db.selectFrom("audit_log").select("target_id")
        .where("target_id", "in", batch).where("action", "=", "session.redacted").execute();
      for (const id of batch) {
        const expected = id === failing ? 0 : 1;
        assert.deepEqual(counts.get(id), { redacted: expected, expired: expected }, id);
        assert.equal(receipts.filter((r) => r.target_id === id).length, expected, id);
      }
      // The next run, with the store back, takes it.
      assert.equal((await sweepRetention(world.deps)).orgs.find((o) => o.org_id === scope.orgId)!.redacted, 1);
      assert.equal((await sessionRow(world, failing)).retention_status, "redacted");
    });
  } finally {
    await world.close();
  }
});

Deno.test("after retention runs, the PII scan finds none of a real session's data", async () => {
  const world = await createTestWorld();
  try {
    const key = world.org.sandbox_secret_key;
    const PII = {
      first_name: "Ottoline",
      last_name: "Brackenfeld",
      email: "ottoline.brackenfeld@example.net",
      document_number: "OB7730915",
      ip: "198.51.100.203",
      user_agent: "RetentionProbe/4.2",
    };
    const created = await call(world, "POST", "/api/v1/sessions", {
      key,
      body: {
        fields: {
          first_name: PII.first_name,
          last_name: PII.last_name,
          email: PII.email,
          document_number: PII.document_number,
        },
        applicant_email: PII.email,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    const token = tokenOf(created.body);
    assert.equal((await consentFrom(world, token, PII.ip, PII.user_agent)).status, 200);
    await captureDocuments(world, token);
    const approved = await call(world, "POST", `/api/v1/sessions/${id}/simulate`, {
      key,
      body: { action: "approve" },
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal((await sessionRow(world, id)).status, "completed");
    const values = Object.values(PII);
    assert.ok((await findInDatabase(world, [id])).length > 0);

    await setRetention(world, { data_retention_days: 7, auto_redact_on_retention_expiry: true });
    assert.equal((await sweepRetention(world.deps)).totals.redacted, 0, "not due yet");
    world.clock.advance(8 * 86_400_000);
    const report = await sweepRetention(world.deps);
    assert.equal(report.totals.redacted, 1);
    const prefix = sessionBlobPrefix({ orgId: world.org.org_id, environment: "sandbox" }, id);
    await assertErased(world, id, values, prefix);
    const got = await call(world, "GET", `/api/v1/sessions/${id}`, { key });
    assert.equal(got.body.retention_status, "redacted");
  } finally {
    await world.close();
  }
});
