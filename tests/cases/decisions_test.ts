/**
 * Owns the tests of deciding review cases over HTTP: approve and reject completing the session in
 * one transaction (session, result, identity hook, events, webhook payload), their errors, the
 * reject reason codes and the block-list option, dual review refusing the same reviewer, escalated
 * cases decided by their senior reviewer, PII corrections (re-encrypted, audited) and check
 * overrides that continue to a decision.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, sessionEventTypes, sessionRow } from "../helpers/sessions.ts";
import { keyWithScopes } from "../helpers/identities.ts";
import { caseActions, casePath, expectStatus, openCase, seedReviewers } from "../helpers/cases.ts";
import { buildPayload } from "../../core/webhooks/payload.ts";
import { actionDetailsContext } from "../../core/cases/change.ts";
import { resultDataContext } from "../../core/sessions/service.ts";
import { REJECTION_REASON_CODES, REJECTION_REASONS } from "../../core/cases/reasons.ts";

/** The operators these tests name as reviewers (a key names only an existing operator). */
const REVIEWERS = ["orguser_alice", "orguser_bob", "orguser_boss", "orguser_carol"];

const ALICE = "orguser_alice";
const BOB = "orguser_bob";

async function claimedCase(world: TestWorld, key: string, preset = "require-review", reviewer = ALICE) {
  const opened = await openCase(world, key, preset);
  await expectStatus(world, 200, "POST", casePath(opened.caseId, "claim"), key, { reviewer_id: reviewer });
  return opened;
}

async function resultRow(world: TestWorld, sessionId: string) {
  return await world.db.selectFrom("session_results").selectAll().where("session_id", "=", sessionId)
    .executeTakeFirstOrThrow();
}

async function eventOf(world: TestWorld, sessionId: string, type: string) {
  return await world.db.selectFrom("events").selectAll().where("session_id", "=", sessionId).where("type", "=", type)
    .executeTakeFirstOrThrow();
}

Deno.test("case decisions", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await seedReviewers(world, REVIEWERS);
    await t.step("approve completes the session, its result and events in the same transaction", async () => {
      const { caseId, sessionId } = await claimedCase(world, key);
      const approved = await expectStatus(world, 200, "POST", casePath(caseId, "approve"), key, {
        reviewer_id: ALICE,
        reason: "Checked the document by hand",
      });
      assert.equal(approved.status, "approved");
      assert.equal(approved.decision, "approved");
      assert.equal(approved.final, true);
      assert.equal(approved.decided_by, ALICE);
      assert.ok(approved.decided_at);
      assert.equal(approved.reason, "Checked the document by hand");
      const session = await sessionRow(world, sessionId);
      assert.equal(session.status, "completed");
      assert.ok(session.completed_at);
      const result = await expectStatus(world, 200, "GET", `/api/v1/sessions/${sessionId}/result`, key);
      assert.equal(result.status, "approved");
      assert.equal(result.rejection_reason, null);
      assert.equal(result.extracted_data.first_name, "Jane", "the extracted data is kept");
      const types = await sessionEventTypes(world, sessionId);
      assert.ok(types.includes("session.approved") && types.includes("case.approved"), types.join(","));
      assert.equal(types.filter((t) => t.startsWith("case.created")).length, 1);
      const read = await expectStatus(world, 200, "GET", `/api/v1/sessions/${sessionId}`, key);
      assert.equal(read.case_status, "approved");

      const payload = await buildPayload(world.deps, world.db, await eventOf(world, sessionId, "case.approved"));
      assert.equal(payload.event, "case.approved");
      assert.equal(payload.case_id, caseId);
      assert.equal(payload.session_id, sessionId);
      assert.equal(payload.status, "approved");
      assert.equal(payload.decision, "approved");
      const sessionPayload = await buildPayload(
        world.deps,
        world.db,
        await eventOf(world, sessionId, "session.approved"),
      );
      assert.equal(sessionPayload.status, "approved");
      assert.equal((sessionPayload.result as Body).status, "approved");
      const history = (await caseActions(world, caseId)).map((a) => a.action);
      assert.deepEqual(history, ["opened", "claimed", "approved"]);
    });

    await t.step("decision errors: unclaimed, someone else's claim, already decided, unknown case", async () => {
      const { caseId } = await openCase(world, key);
      const open = await call(world, "POST", casePath(caseId, "approve"), { key, body: {} });
      assert.equal(open.status, 409);
      await expectStatus(world, 200, "POST", casePath(caseId, "claim"), key, { reviewer_id: ALICE });
      const other = await call(world, "POST", casePath(caseId, "approve"), { key, body: { reviewer_id: BOB } });
      assert.equal(other.status, 409);
      assert.match(other.body.detail, /assigned to orguser_alice/);
      const unknown = await call(world, "POST", casePath(caseId, "approve"), { key, body: { verdict: "yes" } });
      assert.equal(unknown.status, 422);
      await expectStatus(world, 200, "POST", casePath(caseId, "approve"), key, { reviewer_id: ALICE });
      const twice = await call(world, "POST", casePath(caseId, "reject"), {
        key,
        body: { reviewer_id: ALICE, reason_code: "other", reason: "changed my mind" },
      });
      assert.equal(twice.status, 409);
      for (const action of ["claim", "release", "escalate", "assign"]) {
        const res = await call(world, "POST", casePath(caseId, action), {
          key,
          body: action === "escalate"
            ? { escalated_to: BOB, reason: "x" }
            : action === "assign"
            ? { reviewer_id: BOB }
            : {},
        });
        assert.equal(res.status, 409, action);
      }
      assert.equal((await call(world, "POST", casePath("case_nope", "approve"), { key, body: {} })).status, 404);
    });

    await t.step("reject needs a reason code from the catalogue; other needs the free text", async () => {
      const { caseId } = await claimedCase(world, key);
      for (
        const [body, field] of [
          [{ reviewer_id: ALICE }, "reason_code"],
          [{ reviewer_id: ALICE, reason_code: "bad_vibes" }, "reason_code"],
          [{ reviewer_id: ALICE, reason_code: "other" }, "reason"],
          [{ reviewer_id: ALICE, reason_code: "underage", add_to_blocklist: "yes" }, "add_to_blocklist"],
        ] as const
      ) {
        const res = await call(world, "POST", casePath(caseId, "reject"), { key, body });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.ok(res.body.fields[field], JSON.stringify(res.body.fields));
      }
      assert.ok(REJECTION_REASON_CODES.includes("document_fraudulent"));
    });

    await t.step("reject declines the session with the code; the reviewer's words stay on the case", async () => {
      const { caseId, sessionId } = await claimedCase(world, key);
      const rejected = await expectStatus(world, 200, "POST", casePath(caseId, "reject"), key, {
        reviewer_id: ALICE,
        reason_code: "face_mismatch",
        reason: "Selfie is of a different person than Jane Doe",
      });
      assert.equal(rejected.status, "rejected");
      assert.equal(rejected.decision, "rejected");
      assert.equal(rejected.reason_code, "face_mismatch");
      const result = await resultRow(world, sessionId);
      assert.equal(result.status, "rejected");
      assert.equal(result.rejection_reason_code, "face_mismatch");
      assert.equal(result.rejection_reason, REJECTION_REASONS.face_mismatch);
      const types = await sessionEventTypes(world, sessionId);
      assert.ok(types.includes("session.declined") && types.includes("case.rejected"), types.join(","));
      const row = await world.db.selectFrom("review_cases").selectAll().where("id", "=", caseId)
        .executeTakeFirstOrThrow();
      assert.ok(row.reason_enc && !row.reason_enc.includes("Jane"));
      const payload = await buildPayload(world.deps, world.db, await eventOf(world, sessionId, "case.rejected"));
      assert.equal(payload.status, "rejected");
      assert.equal(payload.reason_code, "face_mismatch");
      assert.ok(!JSON.stringify(payload).includes("different person"), "no free text in webhooks");
      const declined = await buildPayload(world.deps, world.db, await eventOf(world, sessionId, "session.declined"));
      assert.equal(declined.status, "declined");
      assert.equal((declined.result as Body).rejection_reason_code, "face_mismatch");
    });

    await t.step("add_to_blocklist calls the lists module; if it fails, nothing is decided", async () => {
      const { caseId, sessionId } = await claimedCase(world, key);
      const res = await call(world, "POST", casePath(caseId, "reject"), {
        key,
        body: { reviewer_id: ALICE, reason_code: "document_fraudulent", add_to_blocklist: true },
      });
      if (res.status === 200) {
        assert.equal(res.body.status, "rejected");
        assert.ok(Array.isArray(res.body.blocked));
      } else {
        // The lists module may still be its stub (it refuses): the whole decision rolls back.
        assert.equal(res.status, 500, JSON.stringify(res.body));
        assert.equal((await sessionRow(world, sessionId)).status, "under_review");
        assert.equal((await expectStatus(world, 200, "GET", casePath(caseId), key)).status, "in_review");
      }
    });

    await t.step("an escalated case is decided by its senior reviewer, not by the one who escalated", async () => {
      const { caseId } = await claimedCase(world, key);
      await expectStatus(world, 200, "POST", casePath(caseId, "escalate"), key, {
        reviewer_id: ALICE,
        escalated_to: "orguser_boss",
        reason: "second opinion",
      });
      const byAlice = await call(world, "POST", casePath(caseId, "approve"), { key, body: { reviewer_id: ALICE } });
      assert.equal(byAlice.status, 409);
      const decided = await expectStatus(world, 200, "POST", casePath(caseId, "approve"), key, {
        reviewer_id: "orguser_boss",
      });
      assert.equal(decided.status, "approved");
      assert.equal(decided.decided_by, "orguser_boss");
    });
  } finally {
    await world.close();
  }
});

Deno.test("dual review: the final decision must come from a different reviewer", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await seedReviewers(world, REVIEWERS);
    // The second reviewer authenticates with a credential of their own: one key is one reviewer (issue #15).
    const bobsKey = await keyWithScopes(world, ["cases:read", "cases:decide", "cases:delegate"]);
    await t.step("dual_review is an org setting, off by default", async () => {
      // Review settings govern live data: only a live key changes them (issue #15).
      const live = world.org.live_secret_key;
      assert.equal((await expectStatus(world, 200, "GET", "/api/v1/settings", key)).dual_review, false);
      const bad = await call(world, "PATCH", "/api/v1/settings", { key: live, body: { dual_review: "yes" } });
      assert.equal(bad.status, 422);
      const on = await expectStatus(world, 200, "PATCH", "/api/v1/settings", live, { dual_review: true });
      assert.equal(on.dual_review, true);
    });

    await t.step("the first rejection is a recommendation; the same reviewer cannot finalise", async () => {
      const { caseId, sessionId } = await claimedCase(world, key);
      const first = await expectStatus(world, 200, "POST", casePath(caseId, "reject"), key, {
        reviewer_id: ALICE,
        reason_code: "data_mismatch",
      });
      assert.equal(first.status, "pending_second_review");
      assert.equal(first.final, false);
      assert.equal(first.decision, null);
      assert.equal(first.first_decision, "rejected");
      assert.equal(first.first_reason_code, "data_mismatch");
      assert.equal(first.first_reviewer, ALICE);
      assert.equal(first.assigned_to, null);
      assert.equal((await sessionRow(world, sessionId)).status, "under_review", "the session waits");
      assert.ok(!(await sessionEventTypes(world, sessionId)).includes("session.declined"));
      const counts = await expectStatus(world, 200, "GET", "/api/v1/cases/counts", key);
      assert.equal(counts.pending_second_review, 1);

      for (const action of ["approve", "reject"]) {
        const same = await call(world, "POST", casePath(caseId, action), {
          key,
          body: { reviewer_id: ALICE, ...(action === "reject" ? { reason_code: "data_mismatch" } : {}) },
        });
        assert.equal(same.status, 409, action);
        assert.match(same.body.detail, /different reviewer/);
      }
      const assignSame = await call(world, "POST", casePath(caseId, "assign"), { key, body: { reviewer_id: ALICE } });
      assert.equal(assignSame.status, 409);

      const final = await expectStatus(world, 200, "POST", casePath(caseId, "reject"), bobsKey, {
        reviewer_id: BOB,
        reason_code: "data_mismatch",
      });
      assert.equal(final.status, "rejected");
      assert.equal(final.final, true);
      assert.equal(final.decided_by, BOB);
      assert.equal(final.first_reviewer, ALICE);
      assert.equal((await sessionRow(world, sessionId)).status, "completed");
      assert.equal((await resultRow(world, sessionId)).status, "rejected");
      const history = (await caseActions(world, caseId)).map((a) => [a.action, a.actor]);
      assert.deepEqual(history, [["opened", "system"], ["claimed", ALICE], ["recommended", ALICE], ["rejected", BOB]]);
    });

    await t.step("the second reviewer may overturn the recommendation; an assignee holds it", async () => {
      const { caseId } = await claimedCase(world, key);
      await expectStatus(world, 200, "POST", casePath(caseId, "approve"), key, { reviewer_id: ALICE });
      await expectStatus(world, 200, "POST", casePath(caseId, "assign"), key, { reviewer_id: BOB });
      const carol = await call(world, "POST", casePath(caseId, "approve"), {
        key,
        body: { reviewer_id: "orguser_carol" },
      });
      assert.equal(carol.status, 409, "assigned to bob");
      const final = await expectStatus(world, 200, "POST", casePath(caseId, "reject"), bobsKey, {
        reviewer_id: BOB,
        reason_code: "other",
        reason: "Disagree with the recommendation",
      });
      assert.equal(final.status, "rejected");
      assert.equal(final.first_decision, "approved");
    });

    await t.step("the API key alone cannot be both reviewers", async () => {
      const { caseId } = await openCase(world, key);
      await expectStatus(world, 200, "POST", casePath(caseId, "claim"), key, {});
      await expectStatus(world, 200, "POST", casePath(caseId, "approve"), key, {});
      assert.equal((await call(world, "POST", casePath(caseId, "approve"), { key, body: {} })).status, 409);
    });
  } finally {
    await world.close();
  }
});

Deno.test("PII corrections and check overrides", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await seedReviewers(world, REVIEWERS);
    await t.step("PUT result/pii re-encrypts the corrected data and records before and after, sealed", async () => {
      const { caseId, sessionId } = await claimedCase(world, key);
      const res = await expectStatus(world, 200, "PUT", casePath(caseId, "result/pii"), key, {
        reviewer_id: ALICE,
        extracted_data: { first_name: "Janet", gender: null, address: { line1: "1 New St", city: "Oakland" } },
        reason: "OCR misread",
      });
      assert.deepEqual(res.corrected_fields.sort(), ["address", "first_name", "gender"]);
      assert.equal(res.result.extracted_data.first_name, "Janet");
      assert.equal(res.result.extracted_data.gender, undefined);
      assert.equal(res.result.extracted_data.last_name, "Doe");
      const row = await resultRow(world, sessionId);
      assert.ok(!row.extracted_data_enc!.includes("Janet"));
      const stored = world.deps.keyRing.decryptJson<Body>(row.extracted_data_enc!, resultDataContext(sessionId));
      assert.equal(stored.first_name, "Janet");
      const action = (await caseActions(world, caseId)).at(-1)!;
      assert.equal(action.action, "pii_corrected");
      assert.equal(action.actor, ALICE);
      assert.deepEqual((action.details.fields as string[]).sort(), ["address", "first_name", "gender"]);
      const sealed = world.deps.keyRing.decryptJson<Body>(action.details_enc!, actionDetailsContext(caseId));
      assert.deepEqual(sealed.before.first_name, "Jane");
      assert.deepEqual(sealed.after.first_name, "Janet");
      assert.equal(sealed.reason, "OCR misread");
      await assert.rejects(
        world.db.updateTable("case_actions").set({ actor: "mallory" }).where("case_id", "=", caseId).execute(),
        /append-only/,
      );
      await assert.rejects(world.db.deleteFrom("case_actions").where("case_id", "=", caseId).execute(), /append-only/);
    });

    await t.step("PII correction errors", async () => {
      const { caseId } = await claimedCase(world, key);
      for (
        const body of [
          { extracted_data: {} },
          { extracted_data: { ssn_hash: "x" } },
          { extracted_data: { date_of_birth: "12/01/1990" } },
          { extracted_data: "Janet" },
          {},
        ]
      ) {
        const res = await call(world, "PUT", casePath(caseId, "result/pii"), {
          key,
          body: { reviewer_id: ALICE, ...body },
        });
        assert.equal(res.status, 422, JSON.stringify(body));
      }
      const other = await call(world, "PUT", casePath(caseId, "result/pii"), {
        key,
        body: { reviewer_id: BOB, extracted_data: { first_name: "X" } },
      });
      assert.equal(other.status, 409);
      await expectStatus(world, 200, "POST", casePath(caseId, "approve"), key, { reviewer_id: ALICE });
      const decided = await call(world, "PUT", casePath(caseId, "result/pii"), {
        key,
        body: { reviewer_id: ALICE, extracted_data: { first_name: "X" } },
      });
      assert.equal(decided.status, 409);
    });

    await t.step("override a failed check: recorded as passed, and with nothing else failing, approved", async () => {
      const { caseId, sessionId } = await claimedCase(world, key, "needs_review_watchlist");
      const res = await expectStatus(world, 200, "POST", casePath(caseId, "override-check"), key, {
        reviewer_id: ALICE,
        policy: "watchlist_screening",
        reason: "Different date of birth from the listed person",
      });
      assert.deepEqual(res.overridden_check, {
        policy: "watchlist_screening",
        original_status: "failed",
        status: "passed",
      });
      assert.deepEqual(res.remaining_failed_checks, []);
      assert.equal(res.continued_to, "approved");
      assert.equal(res.status, "approved");
      assert.equal(res.decided_by, ALICE);
      const result = await resultRow(world, sessionId);
      assert.equal(result.status, "approved");
      const check = (result.check_results as Body).watchlist_screening;
      assert.equal(check.status, "passed");
      assert.equal(check.overridden, true);
      assert.equal(check.original_status, "failed");
      assert.equal(check.overridden_by, ALICE);
      assert.equal((await sessionRow(world, sessionId)).status, "completed");
      const actions = (await caseActions(world, caseId)).map((a) => a.action);
      assert.deepEqual(actions, ["opened", "claimed", "check_overridden", "approved"]);
    });

    await t.step("with another check still failing, the override is recorded and the case stays", async () => {
      const { caseId, sessionId } = await claimedCase(world, key, "needs_review_watchlist");
      const row = await resultRow(world, sessionId);
      const checks = { ...(row.check_results as Body), face_match: { status: "failed", score: 0.4 } };
      await world.db.updateTable("session_results").set({ check_results: JSON.stringify(checks) })
        .where("session_id", "=", sessionId).execute();
      const res = await expectStatus(world, 200, "POST", casePath(caseId, "override-check"), key, {
        reviewer_id: ALICE,
        policy: "face_match",
        reason: "Glasses",
      });
      assert.deepEqual(res.remaining_failed_checks, ["watchlist_screening"]);
      assert.equal(res.continued_to, null);
      assert.equal(res.status, "in_review");
      assert.equal((await resultRow(world, sessionId)).face_match_passed, true);
    });

    await t.step("override errors: passed check, unknown check, unclaimed case, missing reason", async () => {
      const { caseId } = await openCase(world, key);
      const unclaimed = await call(world, "POST", casePath(caseId, "override-check"), {
        key,
        body: { policy: "face_match", reason: "x" },
      });
      assert.equal(unclaimed.status, 409);
      await expectStatus(world, 200, "POST", casePath(caseId, "claim"), key, { reviewer_id: ALICE });
      const passed = await call(world, "POST", casePath(caseId, "override-check"), {
        key,
        body: { reviewer_id: ALICE, policy: "face_match", reason: "x" },
      });
      assert.equal(passed.status, 409);
      const unknown = await call(world, "POST", casePath(caseId, "override-check"), {
        key,
        body: { reviewer_id: ALICE, policy: "palm_reading", reason: "x" },
      });
      assert.equal(unknown.status, 422);
      assert.ok(unknown.body.fields.policy);
      const noReason = await call(world, "POST", casePath(caseId, "override-check"), {
        key,
        body: { reviewer_id: ALICE, policy: "face_match" },
      });
      assert.equal(noReason.status, 422);
    });

    await t.step("under dual review an override that continues becomes the first recommendation", async () => {
      await expectStatus(world, 200, "PATCH", "/api/v1/settings", world.org.live_secret_key, { dual_review: true });
      const { caseId, sessionId } = await claimedCase(world, key, "needs_review_watchlist");
      const res = await expectStatus(world, 200, "POST", casePath(caseId, "override-check"), key, {
        reviewer_id: ALICE,
        policy: "watchlist_screening",
        reason: "false positive",
      });
      assert.equal(res.continued_to, "pending_second_review");
      assert.equal((await sessionRow(world, sessionId)).status, "under_review");
      const sameKey = await call(world, "POST", casePath(caseId, "approve"), { key, body: { reviewer_id: BOB } });
      assert.equal(sameKey.status, 409, "the key that overrode (for alice) cannot finalise for bob");
      const bobsKey = await keyWithScopes(world, ["cases:read", "cases:decide", "cases:delegate"]);
      const final = await expectStatus(world, 200, "POST", casePath(caseId, "approve"), bobsKey, { reviewer_id: BOB });
      assert.equal(final.status, "approved");
    });
  } finally {
    await world.close();
  }
});
