/**
 * Owns the tests of opening, reading and annotating review cases over HTTP: cases opened by
 * needs_review outcomes and by POST /cases (with its errors), the session DTO's case link, list
 * filters and tabs, counts, the detail view, PATCH, notes (encrypted, oldest first), SLA colours,
 * scopes and tenant isolation.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, createSession, ISO_TIMESTAMP, sessionEventTypes } from "../helpers/sessions.ts";
import { caseActions, casePath, CASES, expectStatus, mintKey, openCase, seedReviewers } from "../helpers/cases.ts";

/** The operators these tests name as reviewers (a key names only an existing operator). */
const REVIEWERS = ["orguser_alice", "orguser_boss"];

const HOUR = 3_600_000;

Deno.test("review cases: opening, reading, annotating", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await seedReviewers(world, REVIEWERS);
    await t.step("simulate require-review opens a case with case.created, linked from the session", async () => {
      const { caseId, sessionId } = await openCase(world, key);
      assert.match(caseId, /^case_[a-z0-9]{24}$/);
      const types = await sessionEventTypes(world, sessionId);
      assert.ok(types.includes("case.created") && types.includes("session.requires-review"), types.join(","));
      const session = await expectStatus(world, 200, "GET", `/api/v1/sessions/${sessionId}`, key);
      assert.equal(session.case_status, "open");
      const listed = await expectStatus(
        world,
        200,
        "GET",
        `/api/v1/sessions?external_ref=${session.external_ref}`,
        key,
      );
      assert.equal(listed.data[0].case_id, caseId);
      const event = await world.db.selectFrom("events").selectAll().where("session_id", "=", sessionId)
        .where("type", "=", "case.created").executeTakeFirstOrThrow();
      assert.deepEqual(event.payload, { case_id: caseId, status: "open", decision: null, reason_code: null });
    });

    await t.step("the needs_review_watchlist preset opens one too; other outcomes do not", async () => {
      await openCase(world, key, "needs_review_watchlist");
      const approved = await createSession(world, key);
      await expectStatus(world, 200, "POST", `/api/v1/sessions/${approved.id}/simulate`, key, { action: "approve" });
      const read = await expectStatus(world, 200, "GET", `/api/v1/sessions/${approved.id}`, key);
      assert.equal(read.case_id, null);
    });

    await t.step("GET /cases/{id}: the case with session, documents, result, check results and history", async () => {
      const { caseId, sessionId } = await openCase(world, key, "needs_review_watchlist");
      const body = await expectStatus(world, 200, "GET", casePath(caseId), key);
      assert.equal(body.id, caseId);
      assert.equal(body.session_id, sessionId);
      assert.equal(body.status, "open");
      assert.equal(body.source, "sandbox");
      assert.equal(body.priority, "normal");
      assert.equal(body.decision, null);
      assert.equal(body.assigned_to, null);
      assert.match(body.entered_review_at, ISO_TIMESTAMP);
      assert.equal(body.sla_status, "green");
      assert.equal(body.session.status, "under_review");
      assert.deepEqual(body.documents, []);
      assert.equal(body.result.status, "needs_review");
      assert.equal(body.result.extracted_data.first_name, "Jane");
      assert.equal(body.check_results.watchlist_screening.status, "failed");
      assert.equal(body.risk_signals[0].signal, "watchlist_hit");
      assert.deepEqual(body.history.map((h: { action: string }) => h.action), ["opened"]);
    });

    await t.step("POST /cases opens a case for a session under review that has none, with its errors", async () => {
      const session = await createSession(world, key);
      const pending = await call(world, "POST", CASES, { key, body: { session_id: session.id } });
      assert.equal(pending.status, 400);
      assert.equal(pending.body.error, "invalid_session_state");
      // A session under review from before cases existed: its case is opened through the API.
      await world.db.updateTable("sessions").set({ status: "under_review" }).where("id", "=", session.id).execute();
      const created = await expectStatus(world, 201, "POST", CASES, key, {
        sessionId: session.id,
        priority: "high",
        metadata: { ticket: "T-1" },
      });
      assert.equal(created.source, "api");
      assert.equal(created.priority, "high");
      assert.deepEqual(created.metadata, { ticket: "T-1" });
      const again = await call(world, "POST", CASES, { key, body: { session_id: session.id } });
      assert.equal(again.status, 409);
      assert.equal(again.body.error, "conflict");
      const missing = await call(world, "POST", CASES, { key, body: { session_id: "ses_nope" } });
      assert.equal(missing.status, 404);
      const bad = await call(world, "POST", CASES, { key, body: { session_id: session.id, priority: "asap", x: 1 } });
      assert.equal(bad.status, 422);
      assert.ok(bad.body.fields.priority && bad.body.fields.x, JSON.stringify(bad.body.fields));
      const noId = await call(world, "POST", CASES, { key, body: {} });
      assert.equal(noId.status, 422);
      assert.ok(noId.body.fields.session_id);
    });

    await t.step("PATCH merges metadata and custom fields, sets priority, refuses unknown keys", async () => {
      const { caseId } = await openCase(world, key);
      await expectStatus(world, 200, "PATCH", casePath(caseId), key, { metadata: { a: 1, b: 2 } });
      const patched = await expectStatus(world, 200, "PATCH", casePath(caseId), key, {
        metadata: { a: null, c: 3 },
        custom_fields: { queue: "emea" },
        priority: "urgent",
      });
      assert.deepEqual(patched.metadata, { b: 2, c: 3 });
      assert.deepEqual(patched.custom_fields, { queue: "emea" });
      assert.equal(patched.priority, "urgent");
      const bad = await call(world, "PATCH", casePath(caseId), { key, body: { status: "approved" } });
      assert.equal(bad.status, 422);
      const badPriority = await call(world, "PATCH", casePath(caseId), { key, body: { priority: "p0" } });
      assert.equal(badPriority.status, 422);
      assert.equal((await call(world, "PATCH", casePath("case_nope"), { key, body: {} })).status, 404);
    });

    await t.step("notes: added by a reviewer, stored encrypted, listed oldest first", async () => {
      const { caseId } = await openCase(world, key);
      await expectStatus(world, 201, "POST", casePath(caseId, "notes"), key, {
        reviewer_id: "orguser_alice",
        text: "Passport number looks re-typed",
      });
      world.clock.advance(1000);
      const second = await expectStatus(world, 201, "POST", casePath(caseId, "notes"), key, { text: "Second" });
      assert.match(second.id, /^note_/);
      assert.match(second.author, /^key_/, "without reviewer_id the API key is the author");
      const list = await expectStatus(world, 200, "GET", casePath(caseId, "notes"), key);
      assert.deepEqual(list.data.map((n: { text: string }) => n.text), ["Passport number looks re-typed", "Second"]);
      assert.equal(list.data[0].author, "orguser_alice");
      assert.equal(list.pagination.total, 2);
      const stored = await world.db.selectFrom("case_notes").select("text_enc").where("case_id", "=", caseId).execute();
      assert.ok(stored.every((n) => !n.text_enc.includes("Passport")));
      for (const body of [{}, { text: "" }, { text: "x".repeat(10_001) }, { text: "ok", reviewer_id: "bad id!" }]) {
        const res = await call(world, "POST", casePath(caseId, "notes"), { key, body });
        assert.equal(res.status, 422, JSON.stringify(body));
      }
      assert.equal((await call(world, "GET", casePath("case_nope", "notes"), { key })).status, 404);
      assert.ok((await caseActions(world, caseId)).some((a) => a.action === "note_added"));
    });

    await t.step("SLA colour from entered_review_at: green < 4 h, yellow < 24 h, red from 24 h", async () => {
      const { caseId } = await openCase(world, key);
      const colour = async () => (await expectStatus(world, 200, "GET", casePath(caseId), key)).sla_status;
      assert.equal(await colour(), "green");
      world.clock.advance(4 * HOUR - 60_000);
      assert.equal(await colour(), "green");
      world.clock.advance(60_000);
      assert.equal(await colour(), "yellow");
      world.clock.advance(20 * HOUR - 1000);
      assert.equal(await colour(), "yellow");
      world.clock.advance(1000);
      assert.equal(await colour(), "red");
      const listed = await expectStatus(world, 200, "GET", `${CASES}?tab=all`, key);
      assert.ok(listed.data.every((c: { sla_status: string }) => ["green", "yellow", "red"].includes(c.sla_status)));
    });

    await t.step("list filters, tabs and counts", async () => {
      const fresh = await createTestWorld();
      const k = fresh.org.sandbox_secret_key;
      try {
        await seedReviewers(fresh, REVIEWERS);
        const a = await openCase(fresh, k);
        fresh.clock.advance(1000);
        const b = await openCase(fresh, k);
        fresh.clock.advance(1000);
        const c = await openCase(fresh, k);
        fresh.clock.advance(1000);
        const d = await openCase(fresh, k);
        await expectStatus(fresh, 200, "POST", casePath(b.caseId, "claim"), k, { reviewer_id: "alice@example.com" });
        await expectStatus(fresh, 200, "POST", casePath(c.caseId, "escalate"), k, {
          escalated_to: "orguser_boss",
          reason: "Looks like a known fraud ring",
        });
        await expectStatus(fresh, 200, "POST", casePath(d.caseId, "claim"), k, {});

        const ids = async (query: string) =>
          (await expectStatus(fresh, 200, "GET", `${CASES}${query}`, k)).data.map((x: { id: string }) => x.id);
        assert.deepEqual(await ids(""), [a.caseId, b.caseId, c.caseId, d.caseId], "queue order: oldest first");
        assert.deepEqual(await ids("?status=open"), [a.caseId]);
        assert.deepEqual(await ids("?status=in_review,escalated"), [b.caseId, c.caseId, d.caseId]);
        assert.deepEqual(
          await ids("?assigned_to=orguser_alice"),
          [b.caseId],
          "the email named the operator: their id holds it",
        );
        assert.deepEqual(await ids("?tab=unassigned"), [a.caseId]);
        assert.deepEqual(await ids("?tab=escalated"), [c.caseId]);
        assert.deepEqual(await ids("?tab=mine&reviewer_id=orguser_alice"), [b.caseId]);
        assert.deepEqual(await ids("?tab=mine"), [d.caseId], "mine defaults to the API key as reviewer");
        assert.deepEqual(await ids("?tab=pending_second_review"), []);
        assert.deepEqual(await ids(`?session_id=${a.sessionId}`), [a.caseId]);
        const page = await expectStatus(fresh, 200, "GET", `${CASES}?limit=2&offset=1`, k);
        assert.deepEqual(page.data.map((x: { id: string }) => x.id), [b.caseId, c.caseId]);
        assert.deepEqual(page.pagination, { total: 4, limit: 2, offset: 1 });
        for (const query of ["?status=closed", "?tab=inbox", "?limit=500", "?assigned_to=no%20spaces"]) {
          const res = await call(fresh, "GET", `${CASES}${query}`, { key: k });
          assert.equal(res.status, 400, query);
          assert.equal(res.body.error, "invalid_parameter");
        }

        assert.deepEqual(await expectStatus(fresh, 200, "GET", `${CASES}/counts?reviewer_id=orguser_alice`, k), {
          unassigned: 1,
          mine: 1,
          pending_second_review: 0,
          escalated: 1,
          all: 4,
        });
        const own = await expectStatus(fresh, 200, "GET", `${CASES}/counts`, k);
        assert.equal(own.mine, 1, "the key's own claim");
      } finally {
        await fresh.close();
      }
    });

    await t.step("scopes: reads need cases:read, changes cases:decide (legacy cases:write works)", async () => {
      const { caseId } = await openCase(world, key);
      const none = await mintKey(world, ["sessions:read"]);
      const reader = await mintKey(world, ["cases:read"]);
      const legacy = await mintKey(world, ["cases:write"]);
      for (const [method, path] of [["GET", CASES], ["GET", casePath(caseId)], ["GET", `${CASES}/counts`]]) {
        const res = await call(world, method, path, { key: none });
        assert.equal(res.status, 403, path);
        assert.equal(res.body.error, "insufficient_scope");
        assert.equal((await call(world, method, path, { key: reader })).status, 200, path);
      }
      const claim = await call(world, "POST", casePath(caseId, "claim"), { key: reader, body: {} });
      assert.equal(claim.status, 403);
      assert.equal((await call(world, "POST", casePath(caseId, "claim"), { key: legacy, body: {} })).status, 200);
      assert.equal((await call(world, "GET", casePath(caseId), { key: legacy })).status, 200);
      assert.equal((await call(world, "GET", casePath(caseId))).status, 401);
    });

    await t.step("another org's or environment's case is a 404", async () => {
      const { caseId } = await openCase(world, key);
      const other = await world.provisionOrg("other-org");
      for (const k of [other.sandbox_secret_key, world.org.live_secret_key]) {
        const res = await call(world, "GET", casePath(caseId), { key: k });
        assert.deepEqual(res.body, { error: "not_found", detail: "Case not found.", status_code: 404 });
        assert.equal((await call(world, "POST", casePath(caseId, "claim"), { key: k, body: {} })).status, 404);
        const list = await expectStatus(world, 200, "GET", CASES, k);
        assert.equal(list.pagination.total, 0);
      }
    });
  } finally {
    await world.close();
  }
});
