/**
 * Owns merging identities through HTTP: the preview, a merge moving sessions, tags, flags and
 * missing personal data to the primary, merge-multiple, erasing the secondary on request, and the
 * refusals (another environment or org, redacted or merged identities, the primary twice, scope).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, sessionRow } from "../helpers/sessions.ts";
import { createIdentity, decidedSession, IDENTITIES, identityRow, keyWithScopes } from "../helpers/identities.ts";

const MERGE = `${IDENTITIES}/merge`;

Deno.test("merging identities", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const post = (path: string, body: unknown, k = key) => call(world, "POST", path, { key: k, body });
  try {
    const primarySession = await decidedSession(world, key, "person_a", "approve");
    world.clock.advance(1000);
    const secondarySessions = [
      await decidedSession(world, key, "person_a_dup", "approve"),
      await decidedSession(world, key, "person_a_dup", "decline"),
    ];
    const primary = (await call(world, "GET", `${IDENTITIES}/person_a`, { key })).body;
    const secondary = (await call(world, "GET", `${IDENTITIES}/person_a_dup`, { key })).body;
    await post(`${IDENTITIES}/${primary.id}/tags/set`, { tags: ["vip", "b2b"] });
    await post(`${IDENTITIES}/${secondary.id}/tags/set`, { tags: ["b2b", "support"] });
    await post(`${IDENTITIES}/${secondary.id}/flag`, { reason: "duplicate account" });
    await call(world, "PATCH", `${IDENTITIES}/${primary.id}`, { key, body: { first_name: "Janet" } });
    await call(world, "PATCH", `${IDENTITIES}/${secondary.id}`, { key, body: { email: "jane@example.com" } });

    await t.step("preview shows the outcome and the conflicting fields, and changes nothing", async () => {
      const res = await post(`${MERGE}/preview`, {
        primary_identity_id: primary.id,
        secondary_identity_id: secondary.id,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.primary.id, primary.id);
      assert.deepEqual(res.body.secondaries.map((s: { id: string }) => s.id), [secondary.id]);
      assert.equal(res.body.result.session_count, 3);
      assert.deepEqual(res.body.result.tags, ["vip", "b2b", "support"]);
      assert.equal(res.body.result.is_flagged, true);
      assert.deepEqual(res.body.conflicting_fields, ["first_name"]);
      assert.equal((await identityRow(world, secondary.id)).status, "rejected");
      assert.equal((await sessionRow(world, secondarySessions[0].id)).identity_id, secondary.id);
    });

    await t.step("merge across environments or orgs is 404, and nothing moves", async () => {
      const live = await createIdentity(world, world.org.live_secret_key, "person_a_live");
      const other = await world.provisionOrg("other-org");
      const foreign = await createIdentity(world, other.sandbox_secret_key, "person_a_foreign");
      for (const id of [live.id, foreign.id]) {
        for (const path of [MERGE, `${MERGE}/preview`]) {
          const res = await post(path, { primary_identity_id: primary.id, secondary_identity_id: id });
          assert.equal(res.status, 404, `${path} ${JSON.stringify(res.body)}`);
          assert.equal(res.body.error, "not_found");
          const reversed = await post(path, { primary_identity_id: id, secondary_identity_id: primary.id });
          assert.equal(reversed.status, 404);
        }
      }
      // With the live key, the sandbox primary is the one that does not exist.
      const fromLive = await post(
        MERGE,
        { primary_identity_id: primary.id, secondary_identity_id: live.id },
        world.org.live_secret_key,
      );
      assert.equal(fromLive.status, 404);
      assert.equal((await identityRow(world, live.id)).status, "pending");
      assert.equal((await identityRow(world, primary.id)).session_count, 1);
    });

    await t.step("bad requests are 422; identities:write is required", async () => {
      for (
        const body of [
          {},
          { primary_identity_id: primary.id },
          { primary_identity_id: primary.id, secondary_identity_id: primary.id },
          {
            primary_identity_id: primary.id,
            secondary_identity_id: secondary.id,
            secondary_identity_ids: [secondary.id],
          },
          { primary_identity_id: primary.id, secondary_identity_ids: [] },
          { primary_identity_id: primary.id, secondary_identity_ids: [secondary.id, secondary.id] },
        ]
      ) {
        const res = await post(MERGE, body);
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(res.body.error, "validation_error");
      }
      const readOnly = await keyWithScopes(world, ["identities:read"]);
      const denied = await post(
        MERGE,
        { primary_identity_id: primary.id, secondary_identity_id: secondary.id },
        readOnly,
      );
      assert.equal(denied.status, 403);
      assert.equal(
        (await post(
          `${MERGE}/preview`,
          { primary_identity_id: primary.id, secondary_identity_id: secondary.id },
          readOnly,
        )).status,
        200,
      );
    });

    await t.step("merge moves the sessions, combines counts, tags, flag and missing data", async () => {
      const res = await post(MERGE, { primary_identity_id: "person_a", secondary_identity_id: "person_a_dup" });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { primary: merged, secondary: pointer } = res.body;
      assert.equal(merged.id, primary.id);
      assert.equal(merged.session_count, 3);
      assert.deepEqual(merged.tags, ["vip", "b2b", "support"]);
      assert.equal(merged.is_flagged, true);
      assert.equal(merged.flag_reason, "duplicate account");
      assert.equal(merged.status, "verified", "the primary keeps its own status");
      assert.equal(merged.latest_session_id, primarySession.id);
      assert.equal(merged.extracted_data.first_name, "Janet", "the primary's data wins");
      assert.equal(merged.extracted_data.email, "jane@example.com", "the secondary fills gaps");
      assert.equal(pointer.id, secondary.id);
      assert.equal(pointer.status, "merged");
      assert.equal(pointer.merged_into, primary.id);
      assert.equal(pointer.session_count, 0);
      for (const s of secondarySessions) assert.equal((await sessionRow(world, s.id)).identity_id, primary.id);
      const sessions = await call(world, "GET", `${IDENTITIES}/${primary.id}/sessions`, { key });
      assert.equal(sessions.body.pagination.total, 3);
      // The email searched for finds the primary only.
      const found = await post(`${IDENTITIES}/search`, { email: "jane@example.com" });
      assert.deepEqual(found.body.data.map((i: { id: string }) => i.id), [primary.id]);
      const audit = await call(world, "GET", `${IDENTITIES}/${secondary.id}/audit-log`, { key });
      assert.equal(audit.body.data.at(-1).payload.merged_into, primary.id);
    });

    await t.step("a merged or redacted identity cannot be merged again; a merged one cannot be primary", async () => {
      const again = await post(MERGE, { primary_identity_id: primary.id, secondary_identity_id: secondary.id });
      assert.equal(again.status, 409);
      assert.equal(again.body.error, "conflict");
      const intoMerged = await post(MERGE, { primary_identity_id: secondary.id, secondary_identity_id: primary.id });
      assert.equal(intoMerged.status, 409);
      const erased = await createIdentity(world, key, "erased");
      await call(world, "DELETE", `${IDENTITIES}/${erased.id}`, { key });
      const res = await post(MERGE, { primary_identity_id: primary.id, secondary_identity_id: erased.id });
      assert.equal(res.status, 409);
    });

    await t.step("merge-multiple answers merged_count and merged_ids; redact_secondary erases them", async () => {
      const a = await createIdentity(world, key, "multi_a");
      const b = await createIdentity(world, key, "multi_b");
      await call(world, "PATCH", `${IDENTITIES}/${b.id}`, { key, body: { phone: "+1 415 555 0100" } });
      const c = await decidedSession(world, key, "multi_c", "approve");
      const res = await post(MERGE, {
        primary_identity_id: a.id,
        secondary_identity_ids: [b.id, "multi_c"],
        redact_secondary: true,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.merged_count, 2);
      assert.equal(res.body.merged_ids.length, 2);
      assert.ok(res.body.merged_ids.includes(b.id));
      // A stub primary takes over the verification of the secondary that had one.
      assert.equal(res.body.primary.status, "verified");
      assert.equal(res.body.primary.latest_session_id, c.id);
      assert.equal(res.body.primary.session_count, 1);
      assert.equal(res.body.primary.extracted_data.phone, "+1 415 555 0100");
      const row = await identityRow(world, b.id);
      assert.equal(row.status, "redacted");
      assert.equal(row.merged_into, a.id);
      assert.equal(row.pii_enc, null);
      assert.equal(row.phone_bidx, null);
    });
  } finally {
    await world.close();
  }
});
