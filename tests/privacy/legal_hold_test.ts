/**
 * Owns the legal-hold tests of issue #15: setting and releasing a hold takes the opt-in
 * `legal_hold:write` scope (not sessions:write or identities:write, and never through PATCH), a
 * release needs a reason and is audited with it, and merging a held identity into an unheld one is
 * refused, so retention never erases the held identity's sessions.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { assertError } from "../helpers/capture.ts";
import { sweepRetention } from "../../core/retention/sweep.ts";
import { setRetention } from "../retention/seed.ts";
import { DAY_MS } from "../../core/retention/policy.ts";

const SESSIONS = "/api/v1/sessions";
const IDENTITIES = "/api/v1/identities";

async function mint(world: TestWorld, scopes: string[]): Promise<{ id: string; secret: string }> {
  const res = await call(world, "POST", "/api/v1/api-keys", { key: world.org.sandbox_secret_key, body: { scopes } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id, secret: res.body.secret };
}

async function sessionRow(world: TestWorld, id: string) {
  return await world.db.selectFrom("sessions").select(["legal_hold", "identity_id", "retention_status"])
    .where("id", "=", id).executeTakeFirstOrThrow();
}

/** An approved session of `ref`, and the identity it made. */
async function verifiedPerson(world: TestWorld, ref: string): Promise<{ sessionId: string; identityId: string }> {
  const key = world.org.sandbox_secret_key;
  const session = await createSession(world, key, { external_ref: ref, fields: { last_name: `Holder-${ref}` } });
  const approved = await call(world, "POST", `${SESSIONS}/${session.id}/simulate`, {
    key,
    body: { action: "approve" },
  });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const identityId = (await sessionRow(world, session.id)).identity_id;
  assert.ok(identityId, "the approved session made an identity");
  return { sessionId: session.id, identityId };
}

async function auditRows(world: TestWorld, action: string, targetId: string): Promise<Body[]> {
  const res = await call(world, "GET", `/api/v1/events?action=${action}&resource_id=${targetId}`, {
    key: world.org.sandbox_secret_key,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

Deno.test("legal holds take legal_hold:write; a release needs a reason and is audited with it", async (t) => {
  const world = await createTestWorld();
  try {
    const defaults = await mint(world, ["sessions:read", "sessions:create", "sessions:write", "identities:read"]);
    const identityWriter = await mint(world, ["identities:read", "identities:write"]);
    const holder = await mint(world, ["legal_hold:write"]);
    const { sessionId, identityId } = await verifiedPerson(world, "held_person");

    await t.step("a default-scope key can neither set nor release a hold, by endpoint or PATCH", async () => {
      for (const path of [`${SESSIONS}/${sessionId}/legal-hold`, `${SESSIONS}/${sessionId}/legal-hold/release`]) {
        const res = await call(world, "POST", path, { key: defaults.secret, body: { reason: "x" } });
        assertError(res, 403, "insufficient_scope", /legal_hold:write/);
      }
      const patched = await call(world, "PATCH", `${SESSIONS}/${sessionId}`, {
        key: defaults.secret,
        body: { legal_hold: true, legal_hold_reason: "Litigation" },
      });
      const error = assertError(patched, 422, "validation_error");
      assert.match(error.fields.legal_hold, /legal-hold/);
      assert.equal((await sessionRow(world, sessionId)).legal_hold, false);
    });

    await t.step("identities:write does not reach an identity's hold either", async () => {
      const patched = await call(world, "PATCH", `${IDENTITIES}/${identityId}`, {
        key: identityWriter.secret,
        body: { legal_hold: true },
      });
      assertError(patched, 422, "validation_error");
      const posted = await call(world, "POST", `${IDENTITIES}/${identityId}/legal-hold`, {
        key: identityWriter.secret,
        body: {},
      });
      assertError(posted, 403, "insufficient_scope", /legal_hold:write/);
    });

    await t.step("legal_hold:write places a session hold, audited with its reason", async () => {
      const res = await call(world, "POST", `${SESSIONS}/${sessionId}/legal-hold`, {
        key: holder.secret,
        body: { reason: "Litigation 2026-114" },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.legal_hold, true);
      assert.equal(res.body.legal_hold_reason, "Litigation 2026-114");
      assert.ok(res.body.legal_hold_set_at);
      const [row] = await auditRows(world, "legal_hold.set", sessionId);
      assert.equal(row.actor, `api_key:${holder.id}`);
      assert.equal(row.metadata.reason, "Litigation 2026-114");
    });

    await t.step("sessions:write cannot lift it through PATCH (the issue's attack)", async () => {
      const res = await call(world, "PATCH", `${SESSIONS}/${sessionId}`, {
        key: defaults.secret,
        body: { legal_hold: false },
      });
      assertError(res, 422, "validation_error");
      assert.equal((await sessionRow(world, sessionId)).legal_hold, true);
    });

    await t.step("a release without a reason is refused and changes nothing", async () => {
      for (const body of [{}, { reason: "" }, { reason: 7 }]) {
        const res = await call(world, "POST", `${SESSIONS}/${sessionId}/legal-hold/release`, {
          key: holder.secret,
          body,
        });
        const error = assertError(res, 422, "validation_error");
        assert.ok(error.fields.reason, JSON.stringify(error.fields));
      }
      assert.equal((await sessionRow(world, sessionId)).legal_hold, true);
      assert.deepEqual(await auditRows(world, "legal_hold.released", sessionId), []);
    });

    await t.step("a release with a reason lifts the hold and is audited with that reason", async () => {
      const res = await call(world, "POST", `${SESSIONS}/${sessionId}/legal-hold/release`, {
        key: holder.secret,
        body: { reason: "Case 2026-114 settled" },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.legal_hold, false);
      assert.equal(res.body.legal_hold_reason, null);
      const [row] = await auditRows(world, "legal_hold.released", sessionId);
      assert.equal(row.actor, `api_key:${holder.id}`);
      assert.equal(row.metadata.reason, "Case 2026-114 settled");
    });

    await t.step("an identity's hold works the same way", async () => {
      const held = await call(world, "POST", `${IDENTITIES}/${identityId}/legal-hold`, {
        key: holder.secret,
        body: { reason: "Regulator request" },
      });
      assert.equal(held.status, 200, JSON.stringify(held.body));
      assert.equal(held.body.legal_hold, true);
      const refused = await call(world, "POST", `${IDENTITIES}/${identityId}/legal-hold/release`, {
        key: holder.secret,
        body: {},
      });
      assertError(refused, 422, "validation_error");
      const released = await call(world, "POST", `${IDENTITIES}/${identityId}/legal-hold/release`, {
        key: holder.secret,
        body: { reason: "Request closed" },
      });
      assert.equal(released.status, 200, JSON.stringify(released.body));
      assert.equal(released.body.legal_hold, false);
      const [row] = await auditRows(world, "legal_hold.released", identityId);
      assert.equal(row.metadata.reason, "Request closed");
    });
  } finally {
    await world.close();
  }
});

Deno.test("merging a held identity into an unheld one is refused; retention keeps its sessions", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    const kept = await verifiedPerson(world, "merge_primary");
    const held = await verifiedPerson(world, "merge_held");
    const hold = await call(world, "POST", `${IDENTITIES}/${held.identityId}/legal-hold`, {
      key,
      body: { reason: "Litigation 2026-200" },
    });
    assert.equal(hold.status, 200, JSON.stringify(hold.body));

    await t.step("the merge (and its preview) is 409 legal_hold and moves nothing", async () => {
      const input = { primary_identity_id: kept.identityId, secondary_identity_id: held.identityId };
      for (const path of [`${IDENTITIES}/merge`, `${IDENTITIES}/merge/preview`]) {
        const res = await call(world, "POST", path, { key, body: input });
        assertError(res, 409, "legal_hold", /legal hold/);
      }
      assert.equal((await sessionRow(world, held.sessionId)).identity_id, held.identityId);
      const identity = await call(world, "GET", `${IDENTITIES}/${held.identityId}`, { key });
      assert.equal(identity.body.status, "verified");
      assert.equal(identity.body.legal_hold, true);
    });

    await t.step("retention then erases the unheld identity's session but not the held one's", async () => {
      await setRetention(world, { data_retention_days: 1, auto_redact_on_retention_expiry: true });
      world.clock.advance(3 * DAY_MS);
      await sweepRetention(world.deps);
      assert.equal((await sessionRow(world, kept.sessionId)).retention_status, "redacted");
      assert.equal((await sessionRow(world, held.sessionId)).retention_status, "active");
    });
  } finally {
    await world.close();
  }
});
