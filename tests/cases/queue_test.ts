/**
 * Owns the tests of the review queue over HTTP: claim, claim-next (FIFO, 204 when empty, never the
 * same case to two racing reviewers), release, assign, escalate (with case.escalated), and the
 * 30-minute release of idle claims by the scheduled job under an injected clock.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call } from "../helpers/sessions.ts";
import { caseActions, casePath, CASES, expectStatus, openCase, seedReviewers } from "../helpers/cases.ts";
import { releaseStaleCaseClaimsJob } from "../../worker/jobs/release_stale_case_claims.ts";
import { JOBS } from "../../worker/jobs/registry.ts";

/** The operators these tests name as reviewers (a key names only an existing operator). */
const REVIEWERS = [
  "orguser_alice",
  "orguser_bob",
  "orguser_lead",
  "orguser_carol",
  "orguser_dave",
  "orguser_boss",
  "orguser_cto",
  "orguser_x",
];

const MINUTE = 60_000;

Deno.test("review queue: claim, release, assign, escalate", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await seedReviewers(world, REVIEWERS);
    await t.step("claim takes an open case for the reviewer; another reviewer's claim is a 409", async () => {
      const { caseId } = await openCase(world, key);
      const claimed = await expectStatus(world, 200, "POST", casePath(caseId, "claim"), key, {
        reviewer_id: "orguser_alice",
      });
      assert.equal(claimed.status, "in_review");
      assert.equal(claimed.assigned_to, "orguser_alice");
      assert.equal(claimed.claimed_at, claimed.last_activity_at);
      assert.equal(Date.parse(claimed.claim_expires_at) - Date.parse(claimed.last_activity_at), 30 * MINUTE);
      const again = await expectStatus(world, 200, "POST", casePath(caseId, "claim"), key, {
        reviewerId: "orguser_alice",
      });
      assert.equal(again.assigned_to, "orguser_alice", "re-claiming one's own case renews it");
      const other = await call(world, "POST", casePath(caseId, "claim"), { key, body: { reviewer_id: "orguser_bob" } });
      assert.equal(other.status, 409);
      assert.equal(other.body.error, "conflict");
      for (const body of [{ reviewer_id: "" }, { reviewer_id: "has space" }, { reviewer_id: 7 }, { who: "x" }]) {
        assert.equal((await call(world, "POST", casePath(caseId, "claim"), { key, body })).status, 422);
      }
      assert.equal((await call(world, "POST", casePath("case_nope", "claim"), { key, body: {} })).status, 404);
    });

    await t.step("release puts a claimed case back; releasing an open case is a 409", async () => {
      const { caseId } = await openCase(world, key);
      const notClaimed = await call(world, "POST", casePath(caseId, "release"), { key, body: {} });
      assert.equal(notClaimed.status, 409);
      await expectStatus(world, 200, "POST", casePath(caseId, "claim"), key, { reviewer_id: "orguser_alice" });
      const released = await expectStatus(world, 200, "POST", casePath(caseId, "release"), key, {
        reviewer_id: "orguser_lead",
      });
      assert.equal(released.status, "open");
      assert.equal(released.assigned_to, null);
      assert.equal(released.claimed_at, null);
      const history = (await caseActions(world, caseId)).map((a) => [a.action, a.actor]);
      assert.deepEqual(history, [["opened", "system"], ["claimed", "orguser_alice"], ["released", "orguser_lead"]]);
    });

    await t.step("assign gives an open case to a reviewer and moves a claim to another", async () => {
      const { caseId } = await openCase(world, key);
      const assigned = await expectStatus(world, 200, "POST", casePath(caseId, "assign"), key, {
        reviewer_id: "orguser_carol",
      });
      assert.equal(assigned.status, "in_review");
      assert.equal(assigned.assigned_to, "orguser_carol");
      const moved = await expectStatus(world, 200, "POST", casePath(caseId, "assign"), key, {
        reviewer_id: "orguser_dave",
        assigned_by: "orguser_lead",
      });
      assert.equal(moved.assigned_to, "orguser_dave");
      assert.equal((await call(world, "POST", casePath(caseId, "assign"), { key, body: {} })).status, 422);
    });

    await t.step("escalate sends the case to a senior reviewer with case.escalated; the reason is sealed", async () => {
      const { caseId, sessionId } = await openCase(world, key);
      await expectStatus(world, 200, "POST", casePath(caseId, "claim"), key, { reviewer_id: "orguser_alice" });
      const byOther = await call(world, "POST", casePath(caseId, "escalate"), {
        key,
        body: { reviewer_id: "orguser_bob", escalated_to: "orguser_boss", reason: "why" },
      });
      assert.equal(byOther.status, 409, "only the reviewer holding the case escalates it");
      const missing = await call(world, "POST", casePath(caseId, "escalate"), { key, body: { reason: "x" } });
      assert.equal(missing.status, 422);
      assert.ok(missing.body.fields.escalated_to);
      const escalated = await expectStatus(world, 200, "POST", casePath(caseId, "escalate"), key, {
        reviewer_id: "orguser_alice",
        escalated_to: "orguser_boss",
        reason: "Document of Jane Doe may be forged",
        notes: "See the MRZ line",
      });
      assert.equal(escalated.status, "escalated");
      assert.equal(escalated.escalated_to, "orguser_boss");
      assert.equal(escalated.escalated_by, "orguser_alice");
      assert.equal(escalated.assigned_to, "orguser_boss");
      assert.equal(escalated.escalation_reason, "Document of Jane Doe may be forged");
      const row = await world.db.selectFrom("review_cases").selectAll().where("id", "=", caseId)
        .executeTakeFirstOrThrow();
      assert.ok(!row.escalation_reason_enc!.includes("Jane"));
      const notes = await expectStatus(world, 200, "GET", casePath(caseId, "notes"), key);
      assert.deepEqual(notes.data.map((n: { author: string; text: string }) => [n.author, n.text]), [
        ["orguser_alice", "See the MRZ line"],
      ]);
      const event = await world.db.selectFrom("events").selectAll().where("session_id", "=", sessionId)
        .where("type", "=", "case.escalated").executeTakeFirstOrThrow();
      assert.equal((event.payload as { case_id: string }).case_id, caseId);
      assert.equal((event.payload as { status: string }).status, "escalated");
      const twice = await call(world, "POST", casePath(caseId, "escalate"), {
        key,
        body: { reviewer_id: "orguser_boss", escalated_to: "orguser_cto", reason: "again" },
      });
      assert.equal(twice.status, 409);
      const claim = await call(world, "POST", casePath(caseId, "claim"), { key, body: { reviewer_id: "orguser_x" } });
      assert.equal(claim.status, 409, "an escalated case is not claimable");
    });
  } finally {
    await world.close();
  }
});

Deno.test("claim-next: FIFO, 204 when empty, and racing reviewers never share a case", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await seedReviewers(world, REVIEWERS);
    await t.step("an empty queue answers 204 with no body", async () => {
      const res = await world.request("POST", `${CASES}/next`, { key, body: { reviewer_id: "orguser_alice" } });
      assert.equal(res.status, 204);
      assert.equal(await res.text(), "");
    });

    await t.step("takes the case that entered review first, with its detail", async () => {
      const first = await openCase(world, key);
      world.clock.advance(1000);
      const second = await openCase(world, key);
      const next = await expectStatus(world, 200, "POST", `${CASES}/next`, key, { reviewer_id: "orguser_alice" });
      assert.equal(next.id, first.caseId);
      assert.equal(next.status, "in_review");
      assert.equal(next.assigned_to, "orguser_alice");
      assert.equal(next.result.status, "needs_review");
      assert.ok(next.check_results.face_match);
      const then = await expectStatus(world, 200, "POST", `${CASES}/next`, key, {});
      assert.equal(then.id, second.caseId);
      assert.match(then.assigned_to, /^key_/);
      assert.equal((await world.request("POST", `${CASES}/next`, { key })).status, 204);
    });

    await t.step("40 concurrent claim-next calls by two reviewers claim 12 cases exactly once each", async () => {
      const opened = [];
      for (let i = 0; i < 12; i++) opened.push((await openCase(world, key)).caseId);
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          world.json<{ id: string; assigned_to: string }>("POST", `${CASES}/next`, {
            key,
            body: { reviewer_id: i % 2 ? "orguser_alice" : "orguser_bob" },
          })),
      );
      const claimed = replies.filter((r) => r.status === 200);
      assert.ok(replies.every((r) => r.status === 200 || r.status === 204), replies.map((r) => r.status).join(","));
      assert.equal(claimed.length, 12);
      const ids = claimed.map((r) => r.body.id);
      assert.equal(new Set(ids).size, 12, "no case was handed out twice");
      assert.deepEqual([...ids].sort(), [...opened].sort());
      const rows = await world.db.selectFrom("case_actions").select(["case_id"]).where("action", "=", "claimed")
        .where("case_id", "in", opened).execute();
      assert.equal(rows.length, 12, "one claim recorded per case");
      for (const reply of claimed) {
        const stored = await expectStatus(world, 200, "GET", casePath(reply.body.id), key);
        assert.equal(stored.assigned_to, reply.body.assigned_to);
      }
    });
  } finally {
    await world.close();
  }
});

Deno.test("claims idle for 30 minutes go back to the queue (scheduled job, injected clock)", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const sweep = () => releaseStaleCaseClaimsJob.handler(world.deps, {});
  try {
    await seedReviewers(world, REVIEWERS);
    await t.step("the job is registered on a schedule", () => {
      assert.ok(JOBS.includes(releaseStaleCaseClaimsJob));
      assert.equal(releaseStaleCaseClaimsJob.schedule, "* * * * *");
    });

    let idle = "";
    let busy = "";
    let escalated = "";
    await t.step("after 29 minutes nothing is released; activity restarts the timer", async () => {
      idle = (await openCase(world, key)).caseId;
      busy = (await openCase(world, key)).caseId;
      escalated = (await openCase(world, key)).caseId;
      await expectStatus(world, 200, "POST", casePath(idle, "claim"), key, { reviewer_id: "orguser_alice" });
      await expectStatus(world, 200, "POST", casePath(busy, "claim"), key, { reviewer_id: "orguser_bob" });
      await expectStatus(world, 200, "POST", casePath(escalated, "escalate"), key, {
        escalated_to: "orguser_boss",
        reason: "senior look",
      });
      world.clock.advance(20 * MINUTE);
      await expectStatus(world, 201, "POST", casePath(busy, "notes"), key, { reviewer_id: "orguser_bob", text: "hm" });
      world.clock.advance(9 * MINUTE);
      await sweep();
      for (const id of [idle, busy]) {
        assert.equal((await expectStatus(world, 200, "GET", casePath(id), key)).status, "in_review");
      }
    });

    await t.step("at 30 minutes the idle claim is released by the system; the active one stays", async () => {
      world.clock.advance(1 * MINUTE + 1000);
      await sweep();
      const released = await expectStatus(world, 200, "GET", casePath(idle), key);
      assert.equal(released.status, "open");
      assert.equal(released.assigned_to, null);
      assert.equal((await expectStatus(world, 200, "GET", casePath(busy), key)).status, "in_review");
      assert.equal((await expectStatus(world, 200, "GET", casePath(escalated), key)).status, "escalated");
      const last = (await caseActions(world, idle)).at(-1)!;
      assert.equal(last.action, "auto_released");
      assert.equal(last.actor, "system");
      assert.deepEqual(last.details, { released_reviewer: "orguser_alice", idle_minutes: 30 });
      // Anyone may now take it again.
      await expectStatus(world, 200, "POST", casePath(idle, "claim"), key, { reviewer_id: "orguser_carol" });
    });

    await t.step("running the sweep twice changes nothing more", async () => {
      const before = (await caseActions(world, idle)).length;
      await sweep();
      assert.equal((await caseActions(world, idle)).length, before);
      world.clock.advance(21 * MINUTE);
      await sweep();
      assert.equal((await expectStatus(world, 200, "GET", casePath(busy), key)).status, "open");
    });
  } finally {
    await world.close();
  }
});
