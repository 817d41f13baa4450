/**
 * Owns the identity upsert that runs in the transaction deciding a session: created or updated by
 * external_ref, the session linked, status following the latest outcome, personal data folded in,
 * counts and timestamps, the outbox events, and what happens after an erasure or a merge.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, createSession, sessionEvents, sessionRow } from "../helpers/sessions.ts";
import { decidedSession, IDENTITIES, identityEventTypes, identityRow } from "../helpers/identities.ts";
import { buildPayload } from "../../core/webhooks/payload.ts";

Deno.test("identities follow their sessions' outcomes", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const get = (ref: string) => call(world, "GET", `${IDENTITIES}/${encodeURIComponent(ref)}`, { key });
  try {
    await t.step("an approved session with an external_ref creates a verified identity and links to it", async () => {
      const session = await decidedSession(world, key, "user_approve", "approve");
      const { status, body } = await get("user_approve");
      assert.equal(status, 200, JSON.stringify(body));
      assert.match(body.id, /^idn_[a-z0-9]{24}$/);
      assert.equal(body.status, "verified");
      assert.equal(body.external_ref, "user_approve");
      assert.equal(body.session_count, 1);
      assert.equal(body.latest_session_id, session.id);
      assert.equal(body.latest_result_id, session.id);
      assert.equal(body.is_sandbox, true);
      assert.equal(body.face_match_passed, true);
      assert.equal(body.age_check_passed, true);
      assert.equal(body.extracted_age, 28);
      assert.equal(body.rejection_reason, null);
      assert.equal(body.extracted_data.first_name, "Jane");
      assert.equal(body.extracted_data.last_name, "Doe");
      assert.equal(body.extracted_data.document_number, "D1234567");
      assert.deepEqual(body.extracted_data.address.city, "San Francisco");
      assert.ok(body.first_verified_at);
      assert.equal(body.first_verified_at, body.last_verified_at);

      const row = await sessionRow(world, session.id);
      assert.equal(row.identity_id, body.id);
      const dto = await call(world, "GET", `/api/v1/sessions/${session.id}`, { key });
      assert.equal(dto.body.identity_id, body.id);
      // The decision's event carries the identity, and so does its webhook payload.
      const decision = (await sessionEvents(world, session.id)).find((e) => e.type === "session.approved")!;
      assert.equal(decision.identity_id, body.id);
      assert.deepEqual((await identityEventTypes(world, body.id)).sort(), ["identity.created", "session.approved"]);
    });

    await t.step("the next outcome updates the same identity: approve then decline → rejected", async () => {
      const first = (await get("user_approve")).body;
      world.clock.advance(60_000);
      const second = await decidedSession(world, key, "user_approve", "decline");
      const { body } = await get("user_approve");
      assert.equal(body.id, first.id);
      assert.equal(body.status, "rejected");
      assert.equal(body.session_count, 2);
      assert.equal(body.latest_session_id, second.id);
      assert.equal(body.face_match_passed, false);
      assert.match(body.rejection_reason, /face/i);
      // A rejection keeps the verification dates of the earlier approval.
      assert.equal(body.first_verified_at, first.first_verified_at);
      assert.equal(body.last_verified_at, first.last_verified_at);
      const types = await identityEventTypes(world, body.id);
      assert.equal(types.filter((t) => t === "identity.updated").length, 1);
      assert.equal(types.filter((t) => t === "identity.created").length, 1);

      world.clock.advance(60_000);
      await decidedSession(world, key, "user_approve", "approve");
      const again = (await get("user_approve")).body;
      assert.equal(again.status, "verified");
      assert.equal(again.session_count, 3);
      assert.equal(again.first_verified_at, first.first_verified_at);
      assert.ok(again.last_verified_at > first.last_verified_at);
    });

    await t.step("needs_review leaves a new identity pending; a failed session makes it failed", async () => {
      await decidedSession(world, key, "user_review", "require-review");
      assert.equal((await get("user_review")).body.status, "pending");
      await decidedSession(world, key, "user_review", "processing_error");
      const { body } = await get("user_review");
      assert.equal(body.status, "failed");
      assert.equal(body.session_count, 2);
    });

    await t.step("needs_review does not change an existing status", async () => {
      await decidedSession(world, key, "user_keep", "approve");
      await decidedSession(world, key, "user_keep", "require-review");
      assert.equal((await get("user_keep")).body.status, "verified");
    });

    await t.step("a rejected session does not overwrite a verified person's data, only fills gaps", async () => {
      const id = (await get("user_keep")).body.id;
      await call(world, "PATCH", `${IDENTITIES}/${id}`, { key, body: { first_name: "Janet", document_number: null } });
      await decidedSession(world, key, "user_keep", "reject_underage");
      const { body } = await get(id);
      assert.equal(body.status, "rejected");
      assert.equal(body.extracted_data.first_name, "Janet");
      assert.equal(body.extracted_data.document_number, "D1234567");
    });

    await t.step("sessions of a new person decided concurrently make one identity", async () => {
      const sessions = await Promise.all(
        Array.from({ length: 4 }, () => createSession(world, key, { external_ref: "user_race" })),
      );
      const results = await Promise.all(
        sessions.map((s) =>
          call(world, "POST", `/api/v1/sessions/${s.id}/simulate`, { key, body: { action: "approve" } })
        ),
      );
      assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200]);
      const rows = await world.db.selectFrom("identities").selectAll().where("external_ref", "=", "user_race")
        .execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0].session_count, 4);
      assert.deepEqual((await identityEventTypes(world, rows[0].id)).filter((t) => t.startsWith("identity.")).sort(), [
        "identity.created",
        "identity.updated",
        "identity.updated",
        "identity.updated",
      ]);
    });

    await t.step("a session without external_ref has no identity", async () => {
      const session = await decidedSession(world, key, null, "approve");
      assert.equal((await sessionRow(world, session.id)).identity_id, null);
      const events = await sessionEvents(world, session.id);
      assert.ok(events.every((e) => e.identity_id === null));
    });

    await t.step("a stub created by the API is updated (identity.updated), not duplicated", async () => {
      const stub = await call(world, "POST", IDENTITIES, { key, body: { external_ref: "user_stub" } });
      assert.equal(stub.status, 201);
      await decidedSession(world, key, "user_stub", "approve");
      const { body } = await get("user_stub");
      assert.equal(body.id, stub.body.id);
      assert.equal(body.status, "verified");
      const types = await identityEventTypes(world, body.id);
      assert.ok(types.includes("identity.updated"));
      assert.equal(types.filter((t) => t === "identity.created").length, 1);
    });

    await t.step("identity events become flat webhook payloads without personal data", async () => {
      const id = (await get("user_stub")).body.id;
      const event = await world.db.selectFrom("events").selectAll().where("identity_id", "=", id)
        .where("type", "=", "identity.updated").executeTakeFirstOrThrow();
      const payload = await buildPayload(world.deps, world.db, event);
      assert.equal(payload.event, "identity.updated");
      assert.equal(payload.identity_id, id);
      assert.equal(payload.external_ref, "user_stub");
      assert.equal(payload.status, "verified");
      assert.ok(!JSON.stringify(payload).includes("Jane"), JSON.stringify(payload));
    });

    await t.step("sessions are only linked within their own environment", async () => {
      const live = world.org.live_secret_key;
      const session = await createSession(world, live, { external_ref: "user_approve" });
      assert.equal((await sessionRow(world, session.id)).identity_id, null);
      assert.equal((await call(world, "GET", `${IDENTITIES}/user_approve`, { key: live })).status, 404);
    });

    await t.step("after an erasure, the same external_ref starts a new identity", async () => {
      const old = (await get("user_review")).body;
      const erased = await call(world, "DELETE", `${IDENTITIES}/${old.id}`, { key });
      assert.equal(erased.status, 200, JSON.stringify(erased.body));
      const session = await decidedSession(world, key, "user_review", "approve");
      const { body } = await get("user_review");
      assert.notEqual(body.id, old.id);
      assert.equal(body.status, "verified");
      assert.equal(body.session_count, 1);
      assert.equal((await sessionRow(world, session.id)).identity_id, body.id);
      assert.equal((await identityRow(world, old.id)).status, "redacted");
      assert.equal((await identityRow(world, old.id)).session_count, 2);
    });

    await t.step("a merged identity's external_ref routes new sessions to the identity it joined", async () => {
      await decidedSession(world, key, "user_primary", "approve");
      await decidedSession(world, key, "user_secondary", "approve");
      const merged = await call(world, "POST", `${IDENTITIES}/merge`, {
        key,
        body: { primary_identity_id: "user_primary", secondary_identity_id: "user_secondary" },
      });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      const session = await decidedSession(world, key, "user_secondary", "decline");
      const primary = (await get(merged.body.primary.id)).body;
      assert.equal((await sessionRow(world, session.id)).identity_id, primary.id);
      assert.equal(primary.session_count, 3);
      assert.equal(primary.status, "rejected");
      assert.equal((await get("user_secondary")).body.status, "merged");
    });
  } finally {
    await world.close();
  }
});
