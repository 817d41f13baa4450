/**
 * Owns the tests of who an Idempotency-Key reply belongs to (issue #15): replies are stored per
 * API key, and a request is authorised (its scopes checked) before any stored reply is replayed,
 * so a key that repeats another key's Idempotency-Key never sees that key's reply, such as the
 * secret of an API key it just minted.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call } from "../helpers/sessions.ts";
import { assertError } from "../helpers/capture.ts";

const KEYS = "/api/v1/api-keys";

async function mint(world: TestWorld, scopes: string[]): Promise<{ id: string; secret: string }> {
  const res = await call(world, "POST", KEYS, { key: world.org.sandbox_secret_key, body: { scopes } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id, secret: res.body.secret };
}

function createKey(world: TestWorld, key: string, idempotencyKey: string, body: Body) {
  return call(world, "POST", KEYS, { key, body, headers: { "Idempotency-Key": idempotencyKey } });
}

Deno.test("Idempotency-Key replies belong to the key that made the request", async (t) => {
  const world = await createTestWorld();
  const body = { label: "minted under X", scopes: ["sessions:read"] };
  try {
    const a = await mint(world, ["api_keys:write", "sessions:read"]);
    let first: Body = {};

    await t.step("key A creates an API key with Idempotency-Key X", async () => {
      const res = await createKey(world, a.secret, "X", body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.secret, /^vk_sandbox_/);
      first = res.body;
    });

    await t.step("key B of the same org without api_keys:write repeats X: 403, never the secret", async () => {
      const b = await mint(world, ["sessions:read", "sessions:create"]);
      const res = await createKey(world, b.secret, "X", body);
      assertError(res, 403, "insufficient_scope", /api_keys:write/);
      assert.equal(res.headers.get("Idempotent-Replayed"), null);
      assert.ok(!JSON.stringify(res.body).includes(first.secret), "B saw A's new secret");
      assert.ok(!JSON.stringify(res.body).includes(first.id), "B saw A's new key");
    });

    await t.step("key C with the scope repeating X gets its own fresh result, not A's", async () => {
      const c = await mint(world, ["api_keys:write", "sessions:read"]);
      const res = await createKey(world, c.secret, "X", body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.headers.get("Idempotent-Replayed"), null);
      assert.notEqual(res.body.id, first.id);
      assert.notEqual(res.body.secret, first.secret);
      // And C's own retry replays C's reply.
      const again = await createKey(world, c.secret, "X", body);
      assert.equal(again.headers.get("Idempotent-Replayed"), "true");
      assert.equal(again.body.id, res.body.id);
    });

    await t.step("key A repeating X still gets its own reply", async () => {
      const res = await createKey(world, a.secret, "X", body);
      assert.equal(res.status, 201);
      assert.equal(res.headers.get("Idempotent-Replayed"), "true");
      assert.deepEqual(res.body, first);
    });

    await t.step("a key that lost the scope is refused before its own stored reply is replayed", async () => {
      const d = await mint(world, ["api_keys:write", "sessions:read"]);
      const created = await createKey(world, d.secret, "Y", body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const narrowed = await call(world, "PATCH", `${KEYS}/${d.id}`, {
        key: world.org.sandbox_secret_key,
        body: { scopes: ["sessions:read"] },
      });
      assert.equal(narrowed.status, 200, JSON.stringify(narrowed.body));
      const res = await createKey(world, d.secret, "Y", body);
      assertError(res, 403, "insufficient_scope");
      assert.ok(!JSON.stringify(res.body).includes(created.body.secret));
    });

    await t.step("the stored replies are one per key", async () => {
      const rows = await world.db.selectFrom("idempotency_keys").select(["api_key_id"]).where("key", "=", "X")
        .where("org_id", "=", world.org.org_id).execute();
      assert.equal(rows.length, 2, JSON.stringify(rows));
      assert.ok(rows.some((row) => row.api_key_id === a.id));
    });
  } finally {
    await world.close();
  }
});
