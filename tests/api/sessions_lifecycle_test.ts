/**
 * Owns the Sessions API after create, through HTTP: list filters and pagination, the full session
 * object, environment and org isolation, patch, resume, expire, tags, and the expiry sweep.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import {
  assertPngDataUrl,
  type Body,
  call,
  createSession,
  insertWorkflow,
  SESSION_NOT_FOUND,
  sessionEvents,
  sessionEventTypes,
  sessionRow,
} from "../helpers/sessions.ts";
import { hashSecret } from "../../core/crypto/hmac.ts";
import { expireStaleSessions } from "../../core/sessions/service.ts";

const SESSIONS = "/api/v1/sessions";
const MINUTE = 60_000;

async function list(world: TestWorld, key: string, query = ""): Promise<Body> {
  const res = await call(world, "GET", `${SESSIONS}${query}`, { key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** The clock runs in real time between advances, so "now" is known only to a window. */
function assertWithin(iso: string, from: Date, to: Date, plusMs = 0): void {
  assert.equal(typeof iso, "string");
  const t = new Date(iso).getTime();
  assert.ok(t >= from.getTime() + plusMs && t <= to.getTime() + plusMs, `${iso} is outside the expected window`);
}

const ids = (page: Body) => page.data.map((s: Body) => s.id);

Deno.test("GET /api/v1/sessions", async (t) => {
  const world = await createTestWorld();
  // A fresh org so totals are exact; the world's org creates noise that must never show up.
  const org = await world.provisionOrg("list-org");
  const key = org.sandbox_secret_key;
  try {
    const t0 = world.clock.now().getTime();
    const a = await createSession(world, key, { external_ref: "cust-alpha-001" });
    world.clock.advance(10 * MINUTE);
    const b = await createSession(world, key, { external_ref: "cust-beta-002" });
    world.clock.advance(10 * MINUTE);
    const c = await createSession(world, key, { external_ref: "other-003" });
    const d = await createSession(world, key, {});
    await call(world, "POST", `${SESSIONS}/${b.id}/expire`, { key });
    await call(world, "POST", `${SESSIONS}/${c.id}/simulate`, { key, body: { action: "approve" } });
    const live = await createSession(world, org.live_secret_key, { external_ref: "cust-alpha-001" });
    const foreign = await createSession(world, world.org.sandbox_secret_key, { external_ref: "cust-alpha-001" });

    await t.step("lists the key's sessions newest first with pagination totals", async () => {
      const page = await list(world, key);
      assert.deepEqual(new Set(ids(page)), new Set([a.id, b.id, c.id, d.id]));
      const times = page.data.map((s: Body) => s.created_at);
      assert.deepEqual(times, [...times].sort().reverse());
      assert.equal(page.data.at(-1).id, a.id);
      assert.deepEqual(page.pagination, { total: 4, limit: 50, offset: 0 });
      assert.equal(page.data.find((s: Body) => s.id === a.id).external_ref, "cust-alpha-001");
    });

    await t.step("limit and offset page through without overlap", async () => {
      const all = ids(await list(world, key));
      const first = await list(world, key, "?limit=3");
      const second = await list(world, key, "?limit=3&offset=3");
      assert.deepEqual(first.pagination, { total: 4, limit: 3, offset: 0 });
      assert.deepEqual(second.pagination, { total: 4, limit: 3, offset: 3 });
      assert.deepEqual([...ids(first), ...ids(second)], all);
      assert.deepEqual(ids(await list(world, key, "?offset=10")), []);
    });

    await t.step("bad paging and dates are 400", async () => {
      for (
        const query of [
          "?limit=101",
          "?limit=0",
          "?limit=abc",
          "?offset=-1",
          "?created_after=yesterday",
          "?created_before=2024-13-45",
          "?status=bogus",
        ]
      ) {
        const res = await call(world, "GET", `${SESSIONS}${query}`, { key });
        assert.equal(res.status, 400, query);
        assert.equal(res.body.status_code, 400);
        assert.equal(typeof res.body.error, "string");
      }
      assert.equal((await list(world, key, "?limit=100")).pagination.limit, 100);
    });

    await t.step("status filters, including a comma-separated list", async () => {
      assert.deepEqual(new Set(ids(await list(world, key, "?status=pending"))), new Set([a.id, d.id]));
      assert.deepEqual(ids(await list(world, key, "?status=expired")), [b.id]);
      const both = await list(world, key, "?status=expired,completed");
      assert.deepEqual(new Set(ids(both)), new Set([b.id, c.id]));
      assert.equal(both.pagination.total, 2);
      assert.deepEqual(new Set(ids(await list(world, key, "?status=expired&status=completed"))), new Set([b.id, c.id]));
      assert.deepEqual(ids(await list(world, key, "?status=under_review")), []);
    });

    await t.step("q finds a session id or an external_ref substring", async () => {
      assert.deepEqual(ids(await list(world, key, `?q=${a.id}`)), [a.id]);
      assert.deepEqual(ids(await list(world, key, "?q=alpha")), [a.id]);
      assert.deepEqual(new Set(ids(await list(world, key, "?q=cust-"))), new Set([a.id, b.id]));
      assert.equal((await list(world, key, "?q=cust-")).pagination.total, 2);
      // The search text is literal: LIKE wildcards match nothing here.
      assert.deepEqual(ids(await list(world, key, "?q=%25")), []);
      assert.deepEqual(ids(await list(world, key, "?q=_")), []);
      assert.deepEqual(ids(await list(world, key, "?q=nothing-like-this")), []);
    });

    await t.step("external_ref matches exactly and combines with status", async () => {
      assert.deepEqual(ids(await list(world, key, "?external_ref=cust-alpha-001")), [a.id]);
      assert.deepEqual(ids(await list(world, key, "?external_ref=cust-alpha")), []);
      assert.deepEqual(ids(await list(world, key, "?external_ref=cust-alpha-001&status=pending")), [a.id]);
      assert.deepEqual(ids(await list(world, key, "?external_ref=cust-beta-002&status=pending")), []);
    });

    await t.step("created_after and created_before bound the creation time", async () => {
      const at = (ms: number) => encodeURIComponent(new Date(t0 + ms).toISOString());
      assert.deepEqual(
        new Set(ids(await list(world, key, `?created_after=${at(5 * MINUTE)}`))),
        new Set([b.id, c.id, d.id]),
      );
      assert.deepEqual(
        new Set(ids(await list(world, key, `?created_before=${at(15 * MINUTE)}`))),
        new Set([a.id, b.id]),
      );
      const window = await list(world, key, `?created_after=${at(5 * MINUTE)}&created_before=${at(15 * MINUTE)}`);
      assert.deepEqual(ids(window), [b.id]);
      assert.equal(window.pagination.total, 1);
      assert.deepEqual(ids(await list(world, key, "?created_before=2000-01-01")), []);
      assert.equal((await list(world, key, "?created_after=2000-01-01")).pagination.total, 4);
    });

    await t.step("the sandbox list never shows live sessions, nor the live list sandbox ones", async () => {
      const sandboxIds = ids(await list(world, key, "?limit=100"));
      assert.ok(!sandboxIds.includes(live.id));
      const livePage = await list(world, org.live_secret_key);
      assert.deepEqual(ids(livePage), [live.id]);
      assert.equal(livePage.data[0].is_sandbox, false);
      assert.deepEqual(ids(await list(world, org.live_secret_key, "?q=cust-alpha")), [live.id]);
    });

    await t.step("another org's sessions never appear", async () => {
      for (const query of ["?limit=100", "?external_ref=cust-alpha-001", `?q=${foreign.id}`, "?q=cust"]) {
        assert.ok(!ids(await list(world, key, query)).includes(foreign.id), query);
      }
      assert.ok(!ids(await list(world, world.org.sandbox_secret_key, "?limit=100")).includes(a.id));
    });
  } finally {
    await world.close();
  }
});

Deno.test("single session operations", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const liveKey = world.org.live_secret_key;
  const get = async (id: string, k = key) => {
    const res = await call(world, "GET", `${SESSIONS}/${id}`, { key: k });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const patch = (id: string, body: unknown) => call(world, "PATCH", `${SESSIONS}/${id}`, { key, body });
  const post = (id: string, action: string, body?: unknown, k = key) =>
    call(world, "POST", `${SESSIONS}/${id}/${action}`, { key: k, body });
  await insertWorkflow(world, world.org.org_id, "sandbox", "wfl_x");
  try {
    await t.step("GET returns every documented field", async () => {
      const created = await createSession(world, key, {
        external_ref: "get_1",
        country: "US",
        workflow_id: "wfl_x",
        metadata: { plan: "pro" },
        checks: ["face_match"],
      });
      const s = await get(created.id);
      assert.equal(s.id, created.id);
      assert.equal(s.status, "pending");
      assert.equal(s.is_sandbox, true);
      assert.equal(s.environment, "sandbox");
      assert.equal(s.created_at, created.created_at);
      assert.equal(s.updated_at, created.created_at);
      assert.equal(s.external_ref, "get_1");
      assert.deepEqual(s.metadata, { plan: "pro" });
      assert.equal(s.country, "US");
      assert.deepEqual(s.checks, ["face_match"]);
      assert.equal(s.workflow_id, "wfl_x");
      assert.equal(s.document_type, null);
      assert.equal(s.retention_status, "active");
      assert.equal(s.processing_attempts, 0);
      assert.equal(s.consent_ip, null);
      assert.equal(s.capture_url, created.capture_url);
      assert.equal(s.token_expires_at, created.expires_at);
      assert.ok("case_id" in s && s.case_id === null);
      assert.ok("case_status" in s && s.case_status === null);
      assert.deepEqual(s.tags, []);
      assert.ok(!("qr_code_data_url" in s) || typeof s.qr_code_data_url === "string");
      for (const secret of ["capture_token_hash", "capture_token_enc", "fields_enc", "org_id", "api_key_id"]) {
        assert.ok(!(secret in s), `${secret} leaks into the session object`);
      }
    });

    await t.step("GET of an unknown id is 404 with the contract body", async () => {
      const res = await call(world, "GET", `${SESSIONS}/ses_doesnotexist`, { key });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, SESSION_NOT_FOUND);
    });

    await t.step("the other environment's key and another org's key get 404 on every operation", async () => {
      const s = await createSession(world, key, { external_ref: "iso_1", metadata: { keep: true } });
      await post(s.id, "tags", { tag: "original" });
      const other = await world.provisionOrg("iso-other-org");
      const attempts: [string, string, unknown?][] = [
        ["GET", ""],
        ["PATCH", "", { metadata: { hacked: true } }],
        ["POST", "/resume"],
        ["POST", "/expire"],
        ["GET", "/tags"],
        ["POST", "/tags", { tag: "hacked" }],
        ["PUT", "/tags", { tags: ["hacked"] }],
        ["DELETE", "/tags/original"],
        ["GET", "/result"],
      ];
      for (const intruder of [liveKey, other.sandbox_secret_key, other.live_secret_key]) {
        for (const [method, suffix, body] of attempts) {
          const res = await call(world, method, `${SESSIONS}/${s.id}${suffix}`, { key: intruder, body });
          assert.equal(res.status, 404, `${method} ${suffix} gave ${res.status}`);
          assert.deepEqual(res.body, SESSION_NOT_FOUND, `${method} ${suffix}`);
        }
        const results = await call(world, "GET", `/api/v1/results/${s.id}`, { key: intruder });
        assert.equal(results.status, 404);
        assert.deepEqual(results.body, SESSION_NOT_FOUND);
      }
      const simulateOther = await post(s.id, "simulate", { action: "approve" }, other.sandbox_secret_key);
      assert.equal(simulateOther.status, 404);
      assert.deepEqual(simulateOther.body, SESSION_NOT_FOUND);
      const simulateLive = await post(s.id, "simulate", { action: "approve" }, liveKey);
      assert.equal(simulateLive.status, 403);

      const after = await get(s.id);
      assert.equal(after.status, "pending");
      assert.deepEqual(after.metadata, { keep: true });
      assert.deepEqual(after.tags, ["original"]);
      assert.deepEqual(await sessionEventTypes(world, s.id), ["session.created"]);

      // And the other way round: a sandbox key cannot see a live session.
      const liveSession = await createSession(world, liveKey);
      const res = await call(world, "GET", `${SESSIONS}/${liveSession.id}`, { key });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, SESSION_NOT_FOUND);
    });

    await t.step("PATCH merges metadata, deletes null keys and changes external_ref", async () => {
      const s = await createSession(world, key, { external_ref: "p_1", metadata: { a: 1, b: 2, nested: { x: 1 } } });
      world.clock.advance(1000);
      const res = await patch(s.id, {
        external_ref: "p_2",
        metadata: { b: null, c: 3, nested: { y: 2 }, camelKey: 1 },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.id, s.id);
      assert.equal(res.body.external_ref, "p_2");
      assert.deepEqual(res.body.metadata, { a: 1, c: 3, nested: { y: 2 }, camelKey: 1 });
      assert.ok(res.body.updated_at > s.created_at);
      assert.equal(res.body.status, "pending");
      assert.equal(res.body.capture_url, s.capture_url);
      assert.deepEqual((await get(s.id)).metadata, res.body.metadata);

      const camel = await patch(s.id, { externalRef: "p_3" });
      assert.equal(camel.status, 200);
      assert.equal(camel.body.external_ref, "p_3");
      assert.deepEqual(camel.body.metadata, res.body.metadata);

      const cleared = await patch(s.id, { external_ref: null });
      assert.equal(cleared.body.external_ref, null);
    });

    await t.step("PATCH keeps a metadata key named __proto__ as an ordinary key", async () => {
      const s = await createSession(world, key, { metadata: { a: 1 } });
      const res = await world.json("PATCH", `/api/v1/sessions/${s.id}`, {
        key,
        body: '{"metadata": {"__proto__": {"polluted": true}, "b": 2}}',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const metadata = (await get(s.id)).metadata;
      assert.deepEqual(Object.keys(metadata).sort(), ["__proto__", "a", "b"]);
      assert.deepEqual(metadata["__proto__"], { polluted: true });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    await t.step("PATCH refuses unknown keys and metadata over the limits, leaving the session unchanged", async () => {
      const metadata = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, i]));
      const s = await createSession(world, key, { external_ref: "p_lim", metadata });
      for (const body of [{ status: "completed" }, { country: "US" }, { tags: ["x"] }]) {
        const res = await patch(s.id, body);
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(res.body.error, "validation_error");
        assert.equal(typeof res.body.fields[Object.keys(body)[0]], "string");
      }
      const tooMany = await patch(s.id, { external_ref: "p_changed", metadata: { extra1: 1, extra2: 2 } });
      assert.equal(tooMany.status, 422);
      assert.equal(typeof tooMany.body.fields.metadata, "string", JSON.stringify(tooMany.body));
      const tooBig = await patch(s.id, { metadata: { k0: "x".repeat(17 * 1024) } });
      assert.equal(tooBig.status, 422);
      assert.ok(Object.keys(tooBig.body.fields).some((f) => f.startsWith("metadata")), JSON.stringify(tooBig.body));
      const after = await get(s.id);
      assert.equal(after.external_ref, "p_lim");
      assert.deepEqual(after.metadata, metadata);

      // Replacing a key and deleting another keeps the count at the limit: allowed.
      const swap = await patch(s.id, { metadata: { k0: null, extra: 1, k1: "changed" } });
      assert.equal(swap.status, 200);
      assert.equal(Object.keys(swap.body.metadata).length, 49);
      assert.equal((await patch(s.id, { metadata: { fiftieth: 1 } })).status, 200);
    });

    await t.step("expire: pending becomes expired, fires session.expired, and cannot expire twice", async () => {
      const s = await createSession(world, key);
      world.clock.advance(2 * MINUTE);
      const before = world.clock.now();
      const res = await post(s.id, "expire");
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { id: s.id, status: "expired", expired_at: res.body.expired_at });
      assertWithin(res.body.expired_at, before, world.clock.now());
      const got = await get(s.id);
      assert.equal(got.status, "expired");
      assert.equal(got.capture_url, null);
      assert.deepEqual(await sessionEventTypes(world, s.id), ["session.created", "session.expired"]);
      const [, expiredEvent] = await sessionEvents(world, s.id);
      assert.equal(expiredEvent.environment, "sandbox");
      assert.equal(expiredEvent.org_id, world.org.org_id);
      assert.match(expiredEvent.idempotency_key, /^idk_/);

      const again = await post(s.id, "expire");
      assert.equal(again.status, 400);
      assert.equal(again.body.error, "invalid_session_state");
      assert.equal((await sessionEvents(world, s.id)).length, 2);
    });

    await t.step("expire refuses completed sessions", async () => {
      const s = await createSession(world, key);
      await post(s.id, "simulate", { action: "approve" });
      const res = await post(s.id, "expire");
      assert.equal(res.status, 400);
      assert.equal(res.body.error, "invalid_session_state");
      assert.equal((await get(s.id)).status, "completed");
    });

    await t.step("resume: an expired session gets a new token and window; the old token is dead", async () => {
      const s = await createSession(world, key);
      const oldToken = s.capture_url.split("/verify/")[1];
      assert.equal((await post(s.id, "expire")).status, 200);
      world.clock.advance(5 * MINUTE);
      const before = world.clock.now();
      const res = await post(s.id, "resume");
      const after = world.clock.now();
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ["capture_url", "expires_at", "id", "qr_code_data_url", "status"]);
      assert.equal(res.body.id, s.id);
      assert.equal(res.body.status, "pending");
      assert.match(res.body.capture_url, /^http:\/\/verifa\.test\/verify\/tok_[0-9a-z]+$/);
      assert.notEqual(res.body.capture_url, s.capture_url);
      assertWithin(res.body.expires_at, before, after, 20 * MINUTE);
      assert.notEqual(res.body.expires_at, s.expires_at);
      assertPngDataUrl(res.body.qr_code_data_url);
      assert.notEqual(res.body.qr_code_data_url, s.qr_code_data_url);

      const got = await get(s.id);
      assert.equal(got.status, "pending");
      assert.equal(got.capture_url, res.body.capture_url);
      assert.equal(got.token_expires_at, res.body.expires_at);
      assert.equal(got.expired_at ?? null, null);
      const row = await sessionRow(world, s.id);
      assert.equal(row.capture_token_hash, hashSecret(res.body.capture_url.split("/verify/")[1]));
      const oldHolder = await world.db.selectFrom("sessions").select("id")
        .where("capture_token_hash", "=", hashSecret(oldToken)).executeTakeFirst();
      assert.equal(oldHolder, undefined, "the old token still resolves to a session");
    });

    await t.step("resume: an abandoned pending session gets a fresh token too", async () => {
      const s = await createSession(world, key);
      const res = await post(s.id, "resume");
      assert.equal(res.status, 200);
      assert.notEqual(res.body.capture_url, s.capture_url);
      assert.equal((await get(s.id)).capture_url, res.body.capture_url);
    });

    await t.step("resume and simulate honour Idempotency-Key like every POST", async () => {
      const s = await createSession(world, key);
      const headers = { "Idempotency-Key": `resume-${s.id}` };
      const first = await call(world, "POST", `${SESSIONS}/${s.id}/resume`, { key, headers });
      const replay = await call(world, "POST", `${SESSIONS}/${s.id}/resume`, { key, headers });
      assert.equal(first.status, 200);
      assert.equal(replay.status, 200);
      assert.deepEqual(replay.body, first.body);
      // The replay issued no third token: the first resume's URL is still the live one.
      assert.equal((await get(s.id)).capture_url, first.body.capture_url);

      const simHeaders = { "Idempotency-Key": `simulate-${s.id}` };
      const sim = await call(world, "POST", `${SESSIONS}/${s.id}/simulate`, {
        key,
        body: { action: "approve" },
        headers: simHeaders,
      });
      const simReplay = await call(world, "POST", `${SESSIONS}/${s.id}/simulate`, {
        key,
        body: { action: "approve" },
        headers: simHeaders,
      });
      assert.equal(sim.status, 200);
      assert.equal(simReplay.status, 200);
      assert.deepEqual(simReplay.body, sim.body);
      assert.deepEqual(await sessionEventTypes(world, s.id), ["session.created", "session.approved"]);

      // A key already spent on another endpoint is a different request.
      const reused = await call(world, "POST", `${SESSIONS}/${s.id}/expire`, { key, headers: simHeaders });
      assert.equal(reused.status, 422);
      assert.equal(reused.body.error, "idempotency_mismatch");
    });

    await t.step("resume refuses completed and failed sessions", async () => {
      for (const action of ["approve", "decline", "processing_error"]) {
        const s = await createSession(world, key);
        assert.equal((await post(s.id, "simulate", { action })).status, 200);
        const before = await get(s.id);
        const res = await post(s.id, "resume");
        assert.equal(res.status, 400, action);
        assert.equal(res.body.error, "invalid_session_state");
        assert.equal(res.body.status_code, 400);
        const after = await get(s.id);
        assert.equal(after.status, before.status);
        assert.equal(after.capture_url, null);
      }
    });

    await t.step("tags: add is a no-op when present, PUT replaces with de-duplication, DELETE removes", async () => {
      const s = await createSession(world, key);
      const tags = (res: { body: Body }) => res.body.tags;
      const added = await post(s.id, "tags", { tag: "vip" });
      assert.equal(added.status, 200);
      assert.deepEqual(added.body, { id: s.id, tags: ["vip"] });
      assert.deepEqual(tags(await post(s.id, "tags", { tag: "vip" })), ["vip"]);
      assert.deepEqual(tags(await post(s.id, "tags", { tag: "needs follow up" })), ["vip", "needs follow up"]);
      assert.deepEqual(tags(await call(world, "GET", `${SESSIONS}/${s.id}/tags`, { key })), ["vip", "needs follow up"]);

      const replaced = await call(world, "PUT", `${SESSIONS}/${s.id}/tags`, {
        key,
        body: { tags: ["b", "a", "b", "c", "a"] },
      });
      assert.equal(replaced.status, 200);
      assert.deepEqual(replaced.body, { id: s.id, tags: ["b", "a", "c"] });

      const removed = await call(world, "DELETE", `${SESSIONS}/${s.id}/tags/a`, { key });
      assert.equal(removed.status, 200);
      assert.deepEqual(removed.body, { id: s.id, tags: ["b", "c"] });
      await post(s.id, "tags", { tag: "with space" });
      const encoded = await call(world, "DELETE", `${SESSIONS}/${s.id}/tags/with%20space`, { key });
      assert.deepEqual(tags(encoded), ["b", "c"]);
      assert.deepEqual(tags(await call(world, "DELETE", `${SESSIONS}/${s.id}/tags/absent`, { key })), ["b", "c"]);
      assert.deepEqual((await get(s.id)).tags, ["b", "c"]);

      const cleared = await call(world, "PUT", `${SESSIONS}/${s.id}/tags`, { key, body: { tags: [] } });
      assert.deepEqual(tags(cleared), []);
    });

    await t.step("concurrent changes to one session serialise: none is lost, one outcome wins", async () => {
      const s = await createSession(world, key);
      const tagged = await Promise.all(
        Array.from({ length: 8 }, (_, i) => post(s.id, "tags", { tag: `c${i}` })),
      );
      assert.ok(tagged.every((r) => r.status === 200));
      const patched = await Promise.all(
        Array.from({ length: 8 }, (_, i) => patch(s.id, { metadata: { [`m${i}`]: i } })),
      );
      assert.ok(patched.every((r) => r.status === 200));
      const got = await get(s.id);
      assert.deepEqual([...got.tags].sort(), Array.from({ length: 8 }, (_, i) => `c${i}`));
      assert.equal(Object.keys(got.metadata).length, 8);

      const [expired, approved] = await Promise.all([
        post(s.id, "expire"),
        post(s.id, "simulate", { action: "approve" }),
      ]);
      assert.deepEqual([expired.status, approved.status].sort(), [200, 400]);
      const types = await sessionEventTypes(world, s.id);
      assert.equal(types.length, 2, JSON.stringify(types));
      assert.equal((await get(s.id)).status, expired.status === 200 ? "expired" : "completed");
    });

    await t.step("tags: at most 50, and bad tags are 422", async () => {
      const s = await createSession(world, key);
      const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`);
      const put = (body: unknown) => call(world, "PUT", `${SESSIONS}/${s.id}/tags`, { key, body });
      // 60 entries with duplicates de-duplicate to 50: allowed.
      const ok = await put({ tags: [...fifty, ...fifty.slice(0, 10)] });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body.tags, fifty);

      const tooMany = await put({ tags: [...fifty, "t50"] });
      assert.equal(tooMany.status, 422);
      assert.equal(typeof tooMany.body.fields.tags, "string");
      const add51 = await post(s.id, "tags", { tag: "one-more" });
      assert.equal(add51.status, 422);
      assert.equal(typeof add51.body.fields.tags, "string");
      // Re-adding an existing tag at the limit is still a no-op.
      assert.equal((await post(s.id, "tags", { tag: "t0" })).status, 200);
      assert.deepEqual((await get(s.id)).tags, fifty);

      for (const body of [{ tag: "" }, { tag: 5 }, {}, { tag: "x", other: 1 }]) {
        assert.equal((await post(s.id, "tags", body)).status, 422, JSON.stringify(body));
      }
      assert.equal((await put({ tags: "x" })).status, 422);
    });
  } finally {
    await world.close();
  }
});

Deno.test("the capture-window expiry sweep", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    const pending = [await createSession(world, key), await createSession(world, key), await createSession(world, key)];
    const live = await createSession(world, world.org.live_secret_key);
    const completed = await createSession(world, key);
    await call(world, "POST", `${SESSIONS}/${completed.id}/simulate`, { key, body: { action: "approve" } });
    const alreadyExpired = await createSession(world, key);
    await call(world, "POST", `${SESSIONS}/${alreadyExpired.id}/expire`, { key });
    world.clock.advance(10 * MINUTE);
    const young = await createSession(world, key);

    await t.step("nothing is expired inside the 20-minute window", async () => {
      assert.equal(await expireStaleSessions(world.deps), 0);
      assert.equal((await sessionRow(world, pending[0].id)).status, "pending");
    });

    await t.step("after 21 minutes every stale pending session expires with one session.expired event", async () => {
      world.clock.advance(11 * MINUTE);
      const before = world.clock.now();
      assert.equal(await expireStaleSessions(world.deps), 4);
      const after = world.clock.now();
      for (const s of pending) {
        const got = await call(world, "GET", `${SESSIONS}/${s.id}`, { key });
        assert.equal(got.body.status, "expired");
        assertWithin(got.body.expired_at, before, after);
        assert.equal(got.body.capture_url, null);
        assert.deepEqual(await sessionEventTypes(world, s.id), ["session.created", "session.expired"]);
      }
      const liveGot = await call(world, "GET", `${SESSIONS}/${live.id}`, { key: world.org.live_secret_key });
      assert.equal(liveGot.body.status, "expired");
      const liveEvents = await sessionEvents(world, live.id);
      assert.deepEqual(liveEvents.map((e) => [e.type, e.environment]), [
        ["session.created", "live"],
        ["session.expired", "live"],
      ]);
      assert.equal((await sessionRow(world, completed.id)).status, "completed");
      assert.deepEqual(await sessionEventTypes(world, completed.id), ["session.created", "session.approved"]);
      assert.deepEqual(await sessionEventTypes(world, alreadyExpired.id), ["session.created", "session.expired"]);
      assert.equal((await sessionRow(world, young.id)).status, "pending");
    });

    await t.step("a second sweep changes nothing", async () => {
      const before = await world.db.selectFrom("events").select("id").execute();
      assert.equal(await expireStaleSessions(world.deps), 0);
      const after = await world.db.selectFrom("events").select("id").execute();
      assert.equal(after.length, before.length);
    });

    await t.step("a swept session can be resumed", async () => {
      const before = world.clock.now();
      const res = await call(world, "POST", `${SESSIONS}/${pending[0].id}/resume`, { key });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, "pending");
      assertWithin(res.body.expires_at, before, world.clock.now(), 20 * MINUTE);
    });
  } finally {
    await world.close();
  }
});
