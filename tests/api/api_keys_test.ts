/**
 * Owns the API keys API tests (`/api/v1/api-keys`): minting (secret shown once, stored hashed),
 * scope and environment rules, list/get/patch/expire, tenant isolation, expiry, the IP and origin
 * allowlists, and what publishable keys may do.
 */
import { ACTIVE_KEY_TTL_MS } from "../../core/orgs/active_key_cache.ts";
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { ISO_TIMESTAMP } from "../helpers/sessions.ts";
import { serveApp } from "../../api/server.ts";
import { hashSecret } from "../../core/crypto/hmac.ts";

type Json = Record<string, unknown>;

const KEY_FIELDS = [
  "id",
  "type",
  "environment",
  "key_prefix",
  "is_active",
  "created_at",
  "label",
  "note",
  "scopes",
  "api_version",
  "default_key_inflection",
  "allowed_ips",
  "expires_at",
  "last_used_at",
];

const DEFAULT_SCOPES = ["sessions:read", "sessions:create", "sessions:write", "verifications:read", "identities:read"];

function assertErrorBody(body: unknown, status: number, code: string): void {
  assert.ok(body && typeof body === "object", `expected an error body, got ${JSON.stringify(body)}`);
  const b = body as Json;
  assert.equal(b.error, code, JSON.stringify(b));
  assert.equal(b.status_code, status);
  assert.equal(typeof b.detail, "string");
  assert.ok((b.detail as string).length > 0);
}

function assertIsoTime(value: unknown): void {
  assert.equal(typeof value, "string");
  assert.match(value as string, ISO_TIMESTAMP);
}

/** Mints a key through the API with the given creator key; fails the test unless it is a 201. */
async function mint(world: TestWorld, creator: string, body: Json): Promise<Json & { secret: string; id: string }> {
  const res = await world.json("POST", "/api/v1/api-keys", { key: creator, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as Json & { secret: string; id: string };
}

Deno.test("API keys API", async (t) => {
  const world = await createTestWorld();
  const sandbox = world.org.sandbox_secret_key;
  const live = world.org.live_secret_key;
  try {
    let created: Json & { secret: string; id: string };

    await t.step("create returns 201 with the secret, a warning and the key object", async () => {
      const res = await world.json("POST", "/api/v1/api-keys", {
        key: sandbox,
        body: { label: "Backend", note: "for the billing service" },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      created = res.body as typeof created;
      for (const field of KEY_FIELDS) assert.ok(field in created, `missing ${field}`);
      assert.match(created.id, /^key_[a-z0-9]+$/);
      assert.match(created.secret, /^vk_sandbox_[A-Za-z0-9]{32,}$/);
      assert.equal(typeof created.warning, "string");
      assert.ok((created.warning as string).length > 0);
      assert.equal(created.type, "api-key");
      assert.equal(created.environment, "sandbox");
      assert.ok(created.secret.startsWith(created.key_prefix as string));
      assert.ok((created.key_prefix as string).startsWith("vk_sandbox_"));
      assert.ok(
        (created.key_prefix as string).length < created.secret.length - 16,
        "key_prefix must not leak the secret",
      );
      assert.equal(created.is_active, true);
      assertIsoTime(created.created_at);
      assert.equal(created.label, "Backend");
      assert.equal(created.note, "for the billing service");
      assert.equal(created.api_version, "2026-01-01");
      assert.equal(created.default_key_inflection, "snake");
      assert.equal(created.allowed_ips, null);
      assert.equal(created.expires_at, null);
      assert.equal(created.last_used_at, null);
    });

    await t.step("default scopes are the five of the notes", () => {
      assert.deepEqual([...(created.scopes as string[])].sort(), [...DEFAULT_SCOPES].sort());
    });

    await t.step("secret prefixes follow type and environment", async () => {
      const liveKey = await mint(world, live, {});
      assert.match(liveKey.secret, /^vk_live_/);
      assert.equal(liveKey.environment, "live");
      const pub = await mint(world, sandbox, { type: "publishable" });
      assert.match(pub.secret, /^vk_pub_sandbox_/);
      assert.equal(pub.type, "publishable-key");
      assert.deepEqual(pub.scopes, ["sessions:create"]);
      const liveImplicit = await mint(world, live, { environment: "live", label: "explicit live" });
      assert.match(liveImplicit.secret, /^vk_live_/);
    });

    await t.step("the new key authenticates, and its use is recorded", async () => {
      const res = await world.json("GET", "/api/v1/sessions", { key: created.secret });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const bearer = await world.json("GET", "/api/v1/sessions", {
        headers: { Authorization: `Bearer ${created.secret}` },
      });
      assert.equal(bearer.status, 200);
      const got = await world.json("GET", `/api/v1/api-keys/${created.id}`, { key: sandbox });
      assertIsoTime(got.body.last_used_at);
    });

    await t.step("the secret is never returned again", async () => {
      const got = await world.json("GET", `/api/v1/api-keys/${created.id}`, { key: sandbox });
      assert.equal(got.status, 200);
      assert.equal("secret" in got.body, false);
      assert.equal("warning" in got.body, false);
      assert.ok(!JSON.stringify(got.body).includes(created.secret));
      const list = await world.json<{ data: Json[] }>("GET", "/api/v1/api-keys", { key: sandbox });
      assert.equal(list.status, 200);
      assert.ok(list.body.data.some((k) => k.id === created.id));
      for (const key of list.body.data) assert.equal("secret" in key, false);
      assert.ok(!JSON.stringify(list.body).includes(created.secret));
    });

    await t.step("the database stores only a hash of the secret", async () => {
      const row = await world.db.selectFrom("api_keys").selectAll().where("id", "=", created.id)
        .executeTakeFirstOrThrow();
      assert.notEqual(row.key_hash, created.secret);
      assert.equal(row.key_hash, hashSecret(created.secret));
      const randomPart = created.secret.slice("vk_sandbox_".length);
      for (const [column, value] of Object.entries(row)) {
        const text = value instanceof Date ? value.toISOString() : JSON.stringify(value) ?? "";
        assert.ok(!text.includes(created.secret), `column ${column} holds the secret`);
        assert.ok(!text.includes(randomPart), `column ${column} holds the secret's random part`);
      }
    });

    await t.step("list is paginated and scoped to the calling key's org and environment", async () => {
      const list = await world.json<{ data: Json[]; pagination: Json }>("GET", "/api/v1/api-keys?limit=2", {
        key: sandbox,
      });
      assert.equal(list.status, 200);
      assert.equal(list.body.data.length, 2);
      assert.equal(list.body.pagination.limit, 2);
      assert.equal(list.body.pagination.offset, 0);
      assert.ok((list.body.pagination.total as number) >= 4);
      const all = await world.json<{ data: Json[] }>("GET", "/api/v1/api-keys?limit=100", { key: sandbox });
      assert.ok(all.body.data.every((k) => k.environment === "sandbox"));
      const liveList = await world.json<{ data: Json[] }>("GET", "/api/v1/api-keys?limit=100", { key: live });
      assert.ok(liveList.body.data.length >= 1);
      assert.ok(liveList.body.data.every((k) => k.environment === "live"));
      assert.ok(!liveList.body.data.some((k) => k.id === created.id));
    });

    await t.step("environment mismatch on create is a 422", async () => {
      const res = await world.json("POST", "/api/v1/api-keys", { key: sandbox, body: { environment: "live" } });
      assertErrorBody(res.body, 422, "validation_error");
      assert.equal(res.status, 422);
      assert.ok("environment" in (res.body.fields as Json));
      const back = await world.json("POST", "/api/v1/api-keys", { key: live, body: { environment: "sandbox" } });
      assert.equal(back.status, 422);
    });

    await t.step("a key without api_keys scopes gets 403 insufficient_scope", async () => {
      const list = await world.json("GET", "/api/v1/api-keys", { key: created.secret });
      assert.equal(list.status, 403);
      assertErrorBody(list.body, 403, "insufficient_scope");
      const post = await world.json("POST", "/api/v1/api-keys", { key: created.secret, body: {} });
      assert.equal(post.status, 403);
      assertErrorBody(post.body, 403, "insufficient_scope");
      const patch = await world.json("PATCH", `/api/v1/api-keys/${created.id}`, {
        key: created.secret,
        body: { scopes: ["api_keys:write"] },
      });
      assertErrorBody(patch.body, 403, "insufficient_scope");
      const expire = await world.json("POST", `/api/v1/api-keys/${created.id}/expire`, { key: created.secret });
      assertErrorBody(expire.body, 403, "insufficient_scope");
    });

    await t.step("a key cannot grant scopes it lacks", async () => {
      const manager = await mint(world, sandbox, { scopes: ["api_keys:write", "sessions:read"] });
      const escalate = await world.json("POST", "/api/v1/api-keys", {
        key: manager.secret,
        body: { scopes: ["sessions:write"] },
      });
      assert.equal(escalate.status, 403, JSON.stringify(escalate.body));
      assertErrorBody(escalate.body, 403, "insufficient_scope");
      // Without `scopes` the new key would get the five defaults, which the manager does not hold.
      const defaults = await world.json("POST", "/api/v1/api-keys", { key: manager.secret, body: {} });
      assertErrorBody(defaults.body, 403, "insufficient_scope");
      // Nor can it raise a key's scopes by patching (its own included).
      const selfPatch = await world.json("PATCH", `/api/v1/api-keys/${manager.id}`, {
        key: manager.secret,
        body: { scopes: ["api_keys:write", "sessions:read", "redact:write"] },
      });
      assertErrorBody(selfPatch.body, 403, "insufficient_scope");
      // What it holds it may hand out.
      const narrow = await world.json("POST", "/api/v1/api-keys", {
        key: manager.secret,
        body: { scopes: ["sessions:read"] },
      });
      assert.equal(narrow.status, 201, JSON.stringify(narrow.body));
      assert.deepEqual(narrow.body.scopes, ["sessions:read"]);
      const before = await world.db.selectFrom("api_keys").select("scopes").where("id", "=", manager.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual([...before.scopes].sort(), ["api_keys:write", "sessions:read"]);
    });

    await t.step("unknown scopes, unknown body keys, bad CIDRs and past expiry are 422", async () => {
      const cases: [Json, string][] = [
        [{ scopes: ["sessions:everything"] }, "scopes.0"],
        [{ scopes: [] }, "scopes"],
        [{ lable: "typo" }, "lable"],
        [{ allowed_ips: ["10.0.0.0/33"] }, "allowed_ips.0"],
        [{ allowed_ips: ["not-an-ip"] }, "allowed_ips.0"],
        [{ allowed_ips: ["300.1.1.1"] }, "allowed_ips.0"],
        [{ expires_at: new Date(world.clock.now().getTime() - 60_000).toISOString() }, "expires_at"],
        [{ expires_at: "tomorrow" }, "expires_at"],
        [{ default_key_inflection: "pascal" }, "default_key_inflection"],
        [{ api_version: "1999-01-01" }, "api_version"],
        [{ allowed_origins: ["https://shop.example"] }, "allowed_origins"],
      ];
      for (const [body, field] of cases) {
        const res = await world.json("POST", "/api/v1/api-keys", { key: sandbox, body });
        assert.equal(res.status, 422, `${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
        assertErrorBody(res.body, 422, "validation_error");
        assert.ok(field in (res.body.fields as Json), `${JSON.stringify(body)} → ${JSON.stringify(res.body.fields)}`);
      }
      const patch = await world.json("PATCH", `/api/v1/api-keys/${created.id}`, {
        key: sandbox,
        body: { environment: "live" },
      });
      assertErrorBody(patch.body, 422, "validation_error");
      const pastPatch = await world.json("PATCH", `/api/v1/api-keys/${created.id}`, {
        key: sandbox,
        body: { expires_at: "2001-01-01T00:00:00Z" },
      });
      assertErrorBody(pastPatch.body, 422, "validation_error");
    });

    await t.step("create accepts camelCase and kebab-case body keys", async () => {
      const camel = await mint(world, sandbox, { defaultKeyInflection: "kebab", allowedIps: ["10.1.0.0/16"] });
      assert.equal(camel.default_key_inflection, "kebab");
      assert.deepEqual(camel.allowed_ips, ["10.1.0.0/16"]);
      const kebab = await mint(world, sandbox, { "api-version": "2026-02-01" });
      assert.equal(kebab.api_version, "2026-02-01");
    });

    await t.step("get and patch label, note, scopes, allowed_ips and default_key_inflection", async () => {
      const key = await mint(world, sandbox, { label: "before" });
      const patched = await world.json("PATCH", `/api/v1/api-keys/${key.id}`, {
        key: sandbox,
        body: {
          label: "after",
          note: "rotated quarterly",
          scopes: ["sessions:create", "verifications:read"],
          allowed_ips: ["203.0.113.0/24", "2001:db8::/32"],
          default_key_inflection: "camel",
        },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body.id, key.id);
      assert.equal(patched.body.label, "after");
      assert.equal(patched.body.note, "rotated quarterly");
      assert.deepEqual(patched.body.scopes, ["sessions:create", "verifications:read"]);
      assert.deepEqual(patched.body.allowed_ips, ["203.0.113.0/24", "2001:db8::/32"]);
      assert.equal(patched.body.default_key_inflection, "camel");
      assert.equal("secret" in patched.body, false);

      const got = await world.json("GET", `/api/v1/api-keys/${key.id}`, { key: sandbox });
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, patched.body);

      const cleared = await world.json("PATCH", `/api/v1/api-keys/${key.id}`, {
        key: sandbox,
        body: { allowed_ips: null, label: null },
      });
      assert.equal(cleared.status, 200);
      assert.equal(cleared.body.allowed_ips, null);
      assert.equal(cleared.body.label, null);
      assert.equal(cleared.body.note, "rotated quarterly", "fields not in the patch stay as they were");

      // The narrowed scopes take effect on the key's next request.
      const read = await world.json("GET", "/api/v1/sessions", { key: key.secret });
      assertErrorBody(read.body, 403, "insufficient_scope");
    });

    await t.step("another org's or environment's key id is a 404", async () => {
      const other = await world.provisionOrg("other-org");
      const theirs = await mint(world, other.sandbox_secret_key, { label: "theirs" });
      for (
        const [method, path, body] of [
          ["GET", `/api/v1/api-keys/${theirs.id}`, undefined],
          ["PATCH", `/api/v1/api-keys/${theirs.id}`, { label: "mine now" }],
          ["POST", `/api/v1/api-keys/${theirs.id}/expire`, undefined],
        ] as const
      ) {
        const res = await world.json(method, path, { key: sandbox, body });
        assert.equal(res.status, 404, `${method} ${path}`);
        assertErrorBody(res.body, 404, "not_found");
        const crossEnv = await world.json(method, path.replace(theirs.id, created.id), { key: live, body });
        assert.equal(crossEnv.status, 404, `${method} ${path} with the live key`);
        assertErrorBody(crossEnv.body, 404, "not_found");
      }
      const unknown = await world.json("GET", "/api/v1/api-keys/key_doesnotexist", { key: sandbox });
      assertErrorBody(unknown.body, 404, "not_found");
      // Nothing was changed by the refused calls.
      const still = await world.json("GET", `/api/v1/api-keys/${theirs.id}`, { key: other.sandbox_secret_key });
      assert.equal(still.body.label, "theirs");
      assert.equal(still.body.is_active, true);
      const mine = await world.json("GET", `/api/v1/api-keys/${created.id}`, { key: sandbox });
      assert.equal(mine.body.is_active, true);
      const theirList = await world.json<{ data: Json[] }>("GET", "/api/v1/api-keys?limit=100", {
        key: other.sandbox_secret_key,
      });
      assert.ok(theirList.body.data.length >= 2);
      assert.ok(theirList.body.data.every((k) => k.id !== created.id && k.id !== mine.body.id));
      const ourIds = new Set(
        (await world.db.selectFrom("api_keys").select("id").where("org_id", "=", world.org.org_id).execute())
          .map((r) => r.id),
      );
      assert.ok(theirList.body.data.every((k) => !ourIds.has(k.id as string)));
    });

    await t.step("expire revokes the key for good; expiring twice is fine", async () => {
      const key = await mint(world, sandbox, {});
      assert.equal((await world.json("GET", "/api/v1/sessions", { key: key.secret })).status, 200);
      const expired = await world.json("POST", `/api/v1/api-keys/${key.id}/expire`, { key: sandbox });
      assert.equal(expired.status, 200, JSON.stringify(expired.body));
      assert.deepEqual(expired.body, { id: key.id, expired: true });
      const after = await world.json("GET", "/api/v1/sessions", { key: key.secret });
      assert.equal(after.status, 401);
      assertErrorBody(after.body, 401, "unauthorized");
      const again = await world.json("POST", `/api/v1/api-keys/${key.id}/expire`, { key: sandbox });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, { id: key.id, expired: true });
      const got = await world.json("GET", `/api/v1/api-keys/${key.id}`, { key: sandbox });
      assert.equal(got.body.is_active, false);
      // Patching a revoked key does not bring it back.
      await world.json("PATCH", `/api/v1/api-keys/${key.id}`, { key: sandbox, body: { label: "revived?" } });
      assert.equal((await world.json("GET", "/api/v1/sessions", { key: key.secret })).status, 401);
    });

    await t.step("a key revoked by another API process stops authenticating here within the cache TTL", async () => {
      const key = await mint(world, sandbox, {});
      assert.equal((await world.json("GET", "/api/v1/sessions", { key: key.secret })).status, 200);
      // What another replica's revoke writes; this process has the key remembered.
      const revokedAt = Date.now();
      await world.db.updateTable("api_keys").set({ revoked_at: new Date() }).where("id", "=", key.id).execute();
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < ACTIVE_KEY_TTL_MS + 2_000) {
        status = (await world.json("GET", "/api/v1/sessions", { key: key.secret })).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(status, 401);
      assert.ok(Date.now() - revokedAt <= ACTIVE_KEY_TTL_MS + 2_000);
    });

    await t.step("a scope removed through this process applies to the key's next request", async () => {
      const key = await mint(world, sandbox, { scopes: ["sessions:read", "sessions:write"] });
      assert.equal((await world.json("GET", "/api/v1/sessions", { key: key.secret })).status, 200);
      const patched = await world.json("PATCH", `/api/v1/api-keys/${key.id}`, {
        key: sandbox,
        body: { scopes: ["sessions:write"] },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const res = await world.json("GET", "/api/v1/sessions", { key: key.secret });
      assert.equal(res.status, 403);
      assertErrorBody(res.body, 403, "insufficient_scope");
    });

    await t.step("a key stops authenticating once its expires_at passes", async () => {
      const expiresAt = new Date(world.clock.now().getTime() + 3_600_000).toISOString();
      const key = await mint(world, sandbox, { expires_at: expiresAt });
      assert.equal(new Date(key.expires_at as string).getTime(), new Date(expiresAt).getTime());
      assert.equal((await world.json("GET", "/api/v1/sessions", { key: key.secret })).status, 200);
      world.clock.advance(3_600_000 - 60_000);
      assert.equal((await world.json("GET", "/api/v1/sessions", { key: key.secret })).status, 200);
      world.clock.advance(61_000);
      const res = await world.json("GET", "/api/v1/sessions", { key: key.secret });
      assert.equal(res.status, 401);
      assertErrorBody(res.body, 401, "unauthorized");
      const got = await world.json("GET", `/api/v1/api-keys/${key.id}`, { key: sandbox });
      assert.equal(got.body.is_active, false);

      // An expired key stays dead: patching a new expiry onto it is refused.
      const revive = await world.json("PATCH", `/api/v1/api-keys/${key.id}`, {
        key: sandbox,
        body: { expires_at: new Date(world.clock.now().getTime() + 86_400_000).toISOString() },
      });
      assertErrorBody(revive.body, 409, "conflict");
      assert.equal((await world.json("GET", "/api/v1/sessions", { key: key.secret })).status, 401);
    });

    await t.step("a key cannot patch or expire a key holding scopes it lacks", async () => {
      const manager = await mint(world, sandbox, { scopes: ["api_keys:write", "sessions:read"] });
      const stronger = await mint(world, sandbox, {
        scopes: ["sessions:read", "sessions:write"],
        allowed_ips: ["10.0.0.0/8"],
      });
      const loosen = await world.json("PATCH", `/api/v1/api-keys/${stronger.id}`, {
        key: manager.secret,
        body: { allowed_ips: null },
      });
      assertErrorBody(loosen.body, 403, "insufficient_scope");
      const expire = await world.json("POST", `/api/v1/api-keys/${stronger.id}/expire`, { key: manager.secret });
      assertErrorBody(expire.body, 403, "insufficient_scope");
      const row = await world.db.selectFrom("api_keys").selectAll().where("id", "=", stronger.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row.allowed_ips, ["10.0.0.0/8"]);
      assert.equal(row.revoked_at, null);
      // A key it could have minted itself it may manage.
      const weaker = await mint(world, manager.secret, { scopes: ["sessions:read"] });
      const label = await world.json("PATCH", `/api/v1/api-keys/${weaker.id}`, {
        key: manager.secret,
        body: { label: "ok" },
      });
      assert.equal(label.status, 200, JSON.stringify(label.body));
    });

    await t.step("allowed_ips: a request without a matching peer address gets 403 ip_not_allowed", async () => {
      const key = await mint(world, sandbox, { allowed_ips: ["127.0.0.1/32"] });
      // app.request() has no peer address, so no address can match the allowlist.
      const res = await world.json("GET", "/api/v1/sessions", { key: key.secret });
      assert.equal(res.status, 403);
      assertErrorBody(res.body, 403, "ip_not_allowed");
      // X-Forwarded-For is not trusted unless the operator says so.
      const spoofed = await world.json("GET", "/api/v1/sessions", {
        key: key.secret,
        headers: { "X-Forwarded-For": "127.0.0.1" },
      });
      assertErrorBody(spoofed.body, 403, "ip_not_allowed");
    });

    await t.step("allowed_ips: a real listening server admits the allowed address only", async () => {
      const allowed = await mint(world, sandbox, { allowed_ips: ["127.0.0.0/8"] });
      const exact = await mint(world, sandbox, { allowed_ips: ["10.0.0.0/8", "127.0.0.1"] });
      const elsewhere = await mint(world, sandbox, { allowed_ips: ["10.0.0.0/8", "::1/128"] });
      // Port 0: the OS picks a free port, read back from the listening socket.
      const server = serveApp(world.app, 0, "127.0.0.1");
      const { port } = server.addr as Deno.NetAddr;
      try {
        const get = async (key: string) => {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/sessions`, { headers: { "X-API-Key": key } });
          return { status: res.status, body: await res.json() };
        };
        assert.equal((await get(allowed.secret)).status, 200);
        assert.equal((await get(exact.secret)).status, 200);
        const refused = await get(elsewhere.secret);
        assert.equal(refused.status, 403);
        assertErrorBody(refused.body, 403, "ip_not_allowed");
      } finally {
        await server.shutdown();
      }
    });

    await t.step("publishable keys may only create sessions", async () => {
      const pub = world.org.sandbox_publishable_key;
      for (
        const [method, path] of [
          ["GET", "/api/v1/sessions"],
          ["GET", "/api/v1/api-keys"],
          ["POST", "/api/v1/api-keys"],
          ["GET", "/api/v1/results"],
        ]
      ) {
        const res = await world.json(method, path, { key: pub, body: method === "POST" ? {} : undefined });
        assert.equal(res.status, 403, `${method} ${path}`);
        assertErrorBody(res.body, 403, "insufficient_scope");
      }
      const create = await world.json("POST", "/api/v1/sessions", { key: pub, body: {} });
      assert.equal(create.status, 201, JSON.stringify(create.body));
      assert.match(create.body.id as string, /^ses_/);
      // Publishable keys cannot be given other scopes.
      const pk = await mint(world, sandbox, { type: "publishable", scopes: ["sessions:read"] });
      assert.deepEqual(pk.scopes, ["sessions:create"]);
      const patch = await world.json("PATCH", `/api/v1/api-keys/${pk.id}`, {
        key: sandbox,
        body: { scopes: ["sessions:read"] },
      });
      assertErrorBody(patch.body, 422, "validation_error");
    });

    await t.step("publishable keys enforce allowed_origins via the Origin header", async () => {
      const pk = await mint(world, sandbox, { type: "publishable", allowed_origins: ["https://shop.example"] });
      assert.deepEqual(pk.allowed_origins, ["https://shop.example"]);
      const wrong = await world.json("POST", "/api/v1/sessions", {
        key: pk.secret,
        body: {},
        headers: { Origin: "https://evil.example" },
      });
      assert.equal(wrong.status, 403);
      assertErrorBody(wrong.body, 403, "origin_not_allowed");
      const none = await world.json("POST", "/api/v1/sessions", { key: pk.secret, body: {} });
      assertErrorBody(none.body, 403, "origin_not_allowed");
      const lookalike = await world.json("POST", "/api/v1/sessions", {
        key: pk.secret,
        body: {},
        headers: { Origin: "https://shop.example.evil.example" },
      });
      assertErrorBody(lookalike.body, 403, "origin_not_allowed");
      const ok = await world.json("POST", "/api/v1/sessions", {
        key: pk.secret,
        body: {},
        headers: { Origin: "https://shop.example" },
      });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.headers.get("access-control-allow-origin"), "https://shop.example");

      const badOrigin = await world.json("POST", "/api/v1/api-keys", {
        key: sandbox,
        body: { type: "publishable", allowed_origins: ["https://shop.example/path"] },
      });
      assertErrorBody(badOrigin.body, 422, "validation_error");
    });

    await t.step("CORS preflight answers without a key", async () => {
      const res = await world.request("OPTIONS", "/api/v1/sessions", {
        headers: {
          Origin: "https://shop.example",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "x-api-key, content-type",
        },
      });
      assert.ok(res.status === 204 || res.status === 200, `preflight status ${res.status}`);
      await res.body?.cancel();
      assert.equal(res.headers.get("access-control-allow-origin"), "https://shop.example");
      assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/);
      const allowHeaders = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase();
      assert.ok(allowHeaders.includes("x-api-key"));
      assert.ok(allowHeaders.includes("content-type"));
    });
  } finally {
    await world.close();
  }
});
