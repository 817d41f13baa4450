/**
 * Owns the tests of reviewers as principals (issue #15, item 4), over the API and the dashboard: an
 * API key acts as itself and names a reviewer only with `cases:delegate` and only an active
 * reviewing operator of its org; one key deciding twice, under any names, never completes dual
 * review; two different principals (two keys, a key and an operator) do; a dashboard operator
 * decides as themselves.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { call, sessionRow, setOrgSettings } from "../helpers/sessions.ts";
import { caseActions, casePath, expectStatus, openCase, seedReviewers } from "../helpers/cases.ts";
import { keyWithScopes } from "../helpers/identities.ts";
import { assertError } from "../helpers/capture.ts";
import { signIn } from "../helpers/dashboard_pages.ts";

const ALICE = "orguser_alice";
const BOB = "orguser_bob";
const DECIDE = ["cases:read", "cases:decide"];
const DELEGATE = [...DECIDE, "cases:delegate"];

async function caseRow(world: TestWorld, id: string) {
  return await world.db.selectFrom("review_cases").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** The key's id, as a key acting as itself is recorded: read from the case it claimed. */
async function claimAsItself(world: TestWorld, key: string, caseId: string): Promise<string> {
  const claimed = await expectStatus(world, 200, "POST", casePath(caseId, "claim"), key, {});
  assert.match(claimed.assigned_to, /^key_/);
  return claimed.assigned_to;
}

Deno.test("reviewers are principals", async (t) => {
  const world = await createTestWorld();
  const starter = world.org.sandbox_secret_key;
  try {
    await seedReviewers(world, [ALICE, BOB]);
    // A disabled operator and a viewer exist too, but neither reviews.
    await seedReviewers(world, ["orguser_gone", "orguser_viewer"]);
    await world.db.updateTable("operator_users").set({ disabled_at: new Date() }).where("id", "=", "orguser_gone")
      .execute();
    await world.db.updateTable("operator_users").set({ role: "viewer" }).where("id", "=", "orguser_viewer").execute();
    const other = await world.provisionOrg("other-org");
    await seedReviewers(world, ["orguser_elsewhere"], other.org_id);

    await t.step("without cases:delegate a key acts as itself: naming a reviewer is 403", async () => {
      const plain = await keyWithScopes(world, DECIDE);
      const { caseId } = await openCase(world, starter);
      for (const action of ["claim", "approve"]) {
        const named = await call(world, "POST", casePath(caseId, action), { key: plain, body: { reviewer_id: ALICE } });
        assertError(named, 403, "insufficient_scope", /cases:delegate/);
      }
      const keyId = await claimAsItself(world, plain, caseId);
      // Naming itself is acting as itself.
      const approved = await expectStatus(world, 200, "POST", casePath(caseId, "approve"), plain, {
        reviewer_id: keyId,
      });
      assert.equal(approved.decided_by, keyId);
      const notes = await call(world, "POST", casePath(caseId, "notes"), {
        key: plain,
        body: { reviewer_id: BOB, text: "as bob" },
      });
      assertError(notes, 403, "insufficient_scope");
    });

    await t.step("with cases:delegate only an active reviewing operator of the org may be named (422)", async () => {
      const delegating = await keyWithScopes(world, DELEGATE);
      const { caseId } = await openCase(world, starter);
      for (const named of ["orguser_ghost", "orguser_gone", "orguser_viewer", "orguser_elsewhere", "key_somebody"]) {
        const res = await call(world, "POST", casePath(caseId, "claim"), {
          key: delegating,
          body: { reviewer_id: named },
        });
        const error = assertError(res, 422, "validation_error");
        assert.ok(error.fields.reviewer_id, named);
      }
      const assignGhost = await call(world, "POST", casePath(caseId, "assign"), {
        key: delegating,
        body: { reviewer_id: "orguser_ghost" },
      });
      assert.ok(assertError(assignGhost, 422, "validation_error").fields.reviewer_id);
      const escalateGhost = await call(world, "POST", casePath(caseId, "escalate"), {
        key: delegating,
        body: { escalated_to: "orguser_ghost", reason: "x" },
      });
      assert.ok(assertError(escalateGhost, 422, "validation_error").fields.escalated_to);
      // An operator's email names them; the case records their id.
      const claimed = await expectStatus(world, 200, "POST", casePath(caseId, "claim"), delegating, {
        reviewer_id: "alice@example.com",
      });
      assert.equal(claimed.assigned_to, ALICE);
    });

    await t.step("one key deciding twice under two names never completes dual review", async () => {
      await setOrgSettings(world, world.org.org_id, { dual_review: true });
      const delegating = await keyWithScopes(world, DELEGATE);
      const { caseId, sessionId } = await openCase(world, starter);
      const delegatingId = await claimAsItself(world, delegating, caseId);
      await expectStatus(world, 200, "POST", casePath(caseId, "release"), delegating, {});
      await expectStatus(world, 200, "POST", casePath(caseId, "claim"), delegating, { reviewer_id: ALICE });
      const first = await expectStatus(world, 200, "POST", casePath(caseId, "approve"), delegating, {
        reviewer_id: ALICE,
      });
      assert.equal(first.status, "pending_second_review");
      assert.equal(first.first_reviewer, ALICE);
      const row = await caseRow(world, caseId);
      assert.equal(row.first_principal, delegatingId, "the acting key is recorded beside the named reviewer");
      const recommended = (await caseActions(world, caseId)).find((a) => a.action === "recommended")!;
      assert.equal(recommended.actor, ALICE);
      assert.equal(recommended.details.acting_principal, delegatingId);

      await expectStatus(world, 200, "POST", casePath(caseId, "assign"), delegating, { reviewer_id: BOB });
      for (const [action, extra] of [["approve", {}], ["reject", { reason_code: "data_mismatch" }]] as const) {
        const second = await call(world, "POST", casePath(caseId, action), {
          key: delegating,
          body: { reviewer_id: BOB, ...extra },
        });
        assertError(second, 409, "conflict", /different reviewer/);
      }
      // Nor as itself: it is the same principal.
      await expectStatus(world, 200, "POST", casePath(caseId, "assign"), delegating, { reviewer_id: delegatingId });
      assertError(
        await call(world, "POST", casePath(caseId, "approve"), { key: delegating, body: {} }),
        409,
        "conflict",
        /different reviewer/,
      );
      assert.equal((await caseRow(world, caseId)).status, "pending_second_review");
      assert.equal((await sessionRow(world, sessionId)).status, "under_review");

      // Another key, acting for bob, is a different principal: it completes the review.
      const bobsKey = await keyWithScopes(world, DELEGATE);
      await expectStatus(world, 200, "POST", casePath(caseId, "assign"), bobsKey, { reviewer_id: BOB });
      const final = await expectStatus(world, 200, "POST", casePath(caseId, "approve"), bobsKey, { reviewer_id: BOB });
      assert.equal(final.status, "approved");
      assert.equal(final.decided_by, BOB);
      assert.equal((await sessionRow(world, sessionId)).status, "completed");
    });

    await t.step("two keys acting as themselves complete dual review", async () => {
      const one = await keyWithScopes(world, DECIDE);
      const two = await keyWithScopes(world, DECIDE);
      const { caseId } = await openCase(world, starter);
      const oneId = await claimAsItself(world, one, caseId);
      assert.equal(
        (await expectStatus(world, 200, "POST", casePath(caseId, "approve"), one, {})).first_reviewer,
        oneId,
      );
      assertError(await call(world, "POST", casePath(caseId, "approve"), { key: one, body: {} }), 409, "conflict");
      const final = await expectStatus(world, 200, "POST", casePath(caseId, "approve"), two, {});
      assert.equal(final.status, "approved");
      assert.match(final.decided_by, /^key_/);
      assert.notEqual(final.decided_by, oneId);
    });

    await t.step("dashboard operators decide as themselves, never as the operator a form names", async () => {
      const alice = await signIn(world, world.org.org_id, "reviewer");
      const bob = await signIn(world, world.org.org_id, "reviewer");
      const delegating = await keyWithScopes(world, DELEGATE);
      const { caseId } = await openCase(world, starter);
      await expectStatus(world, 200, "POST", casePath(caseId, "claim"), delegating, {
        reviewer_id: alice.operator.id,
      });
      await expectStatus(world, 200, "POST", casePath(caseId, "approve"), delegating, {
        reviewer_id: alice.operator.id,
      });
      // Alice, named by the key as the first reviewer, cannot be the second one in the dashboard.
      const byAlice = await alice.post(`/dashboard/review/${caseId}/decision`, { decision: "approve" });
      assert.equal(byAlice.status, 409);
      assert.equal((await caseRow(world, caseId)).status, "pending_second_review");
      // Bob decides as bob, whatever reviewer the form claims.
      const byBob = await bob.post(`/dashboard/review/${caseId}/decision`, {
        decision: "approve",
        reviewer_id: alice.operator.id,
      });
      assert.equal(byBob.status, 303, byBob.html.slice(0, 300));
      const decided = await caseRow(world, caseId);
      assert.equal(decided.status, "approved");
      assert.equal(decided.decided_by, bob.operator.id);
      assert.equal(decided.first_reviewer, alice.operator.id);
    });
  } finally {
    await world.close();
  }
});
