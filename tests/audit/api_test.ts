/**
 * Owns the tests of the audit log as the API shows it: mutating calls and DSAR exports recorded
 * by the middleware (and nothing else), `GET /api/v1/events` with the notes' filters and its
 * scope, no personal data in any audit row, and another organisation's or environment's rows
 * never visible.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { createApiKey } from "../../core/orgs/api_keys.ts";
import { describeApiCall } from "../../api/middleware/audit.ts";
import { verifyOrgChain } from "../../core/audit/verify.ts";

const PII = {
  first_name: "Zebulon",
  last_name: "Quuxington",
  email: "zebulon.quuxington@example.org",
  date_of_birth: "1971-03-14",
  phone: "+15555550199",
};

async function events(world: TestWorld, key: string, query = ""): Promise<Body> {
  const res = await call(world, "GET", `/api/v1/events${query}`, { key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function keyId(world: TestWorld, orgId: string, environment: "sandbox" | "live"): Promise<string> {
  const row = await world.db.selectFrom("api_keys").select("id").where("org_id", "=", orgId)
    .where("environment", "=", environment).where("kind", "=", "secret").executeTakeFirstOrThrow();
  return row.id;
}

Deno.test("describeApiCall names calls from their route", () => {
  const id = "ses_0123456789abcdefghijklmn";
  const cases: [string, string, string, string, string | null, string | null][] = [
    ["POST", "/api/v1/sessions", "/api/v1/sessions", "api.session.create", "session", null],
    ["PATCH", "/api/v1/sessions/:id", `/api/v1/sessions/${id}`, "api.session.update", "session", id],
    ["POST", "/api/v1/sessions/:id/resume", `/api/v1/sessions/${id}/resume`, "api.session.resume", "session", id],
    ["PUT", "/api/v1/sessions/:id/tags", `/api/v1/sessions/${id}/tags`, "api.session.tag.update", "session", id],
    ["DELETE", "/api/v1/sessions/:id/data", `/api/v1/sessions/${id}/data`, "api.session.data.delete", "session", id],
    ["POST", "/api/v1/sessions/bulk-redact", "/api/v1/sessions/bulk-redact", "api.session.bulk_redact", null, null],
    ["GET", "/api/v1/sessions/:id/export", `/api/v1/sessions/${id}/export`, "api.session.export", "session", id],
    [
      "GET",
      "/api/v1/identities/:id/export",
      "/api/v1/identities/user_42/export",
      "api.identity.export",
      "identity",
      "user_42",
    ],
    ["POST", "/api/v1/identities/search", "/api/v1/identities/search", "api.identity.search", null, null],
    [
      "POST",
      "/api/v1/identities/:id/tags/add",
      "/api/v1/identities/idn_x/tags/add",
      "api.identity.tag.add",
      "identity",
      "idn_x",
    ],
    ["PATCH", "/api/v1/settings", "/api/v1/settings", "api.settings.update", null, null],
    ["POST", "/api/v1/api-keys/:id/expire", "/api/v1/api-keys/key_x/expire", "api.api_key.expire", "api_key", "key_x"],
    [
      "POST",
      "/api/v1/webhooks/endpoints",
      "/api/v1/webhooks/endpoints",
      "api.webhook.endpoint.create",
      "webhook_endpoint",
      null,
    ],
    [
      "POST",
      "/api/v1/webhooks/deliveries/:id/retry",
      "/api/v1/webhooks/deliveries/whd_x/retry",
      "api.webhook.delivery.retry",
      "webhook_delivery",
      "whd_x",
    ],
    [
      "PUT",
      "/api/v1/cases/:id/result/pii",
      "/api/v1/cases/case_x/result/pii",
      "api.case.result.pii.update",
      "case",
      "case_x",
    ],
  ];
  for (const [method, pattern, path, action, targetType, targetId] of cases) {
    const call = describeApiCall(method, pattern, path);
    assert.deepEqual([call?.action, call?.targetType, call?.targetId], [action, targetType, targetId], pattern);
  }
  // Only generated ids among the other parameters are kept; anything else stays a placeholder.
  const tag = describeApiCall("DELETE", "/api/v1/sessions/:id/tags/:tag", `/api/v1/sessions/${id}/tags/vip-customer`)!;
  assert.equal(tag.action, "api.session.tag.delete");
  assert.equal(tag.path, `/api/v1/sessions/${id}/tags/:tag`);
  const match = "lmatch_0123456789abcdefghijklmn";
  const fp = describeApiCall(
    "POST",
    "/api/v1/sessions/:id/list-matches/:match_id/false-positive",
    `/api/v1/sessions/${id}/list-matches/${match}/false-positive`,
  )!;
  assert.equal(fp.action, "api.session.list_match.false_positive");
  assert.deepEqual(fp.ids, { match_id: match });
});

Deno.test("audit log through the API", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const sandboxKeyId = await keyId(world, world.org.org_id, "sandbox");
  try {
    let sessionId = "";
    let identityId = "";

    await t.step("mutating calls that succeed are recorded, reads and failures are not", async () => {
      const session = await createSession(world, key, { external_ref: "user_audit_1", fields: PII });
      sessionId = session.id;
      assert.equal(
        (await call(world, "PATCH", `/api/v1/sessions/${sessionId}`, { key, body: { metadata: { a: 1 } } }))
          .status,
        200,
      );
      assert.equal(
        (await call(world, "POST", `/api/v1/sessions/${sessionId}/tags`, { key, body: { tag: "vip" } })).status,
        200,
      );
      assert.equal((await call(world, "DELETE", `/api/v1/sessions/${sessionId}/tags/vip`, { key })).status, 200);
      // Not recorded: a read, a refused mutation, an unknown route.
      assert.equal((await call(world, "GET", `/api/v1/sessions/${sessionId}`, { key })).status, 200);
      assert.equal((await call(world, "POST", "/api/v1/sessions", { key, body: { country: "XYZ" } })).status, 422);
      assert.equal((await call(world, "POST", "/api/v1/nothing-here", { key, body: {} })).status, 404);

      const body = await events(world, key, "?order=asc");
      assert.deepEqual(body.data.map((e: Body) => e.type), [
        "api.session.create",
        "api.session.update",
        "api.session.tag.create",
        "api.session.tag.delete",
      ]);
      const created = body.data[0];
      assert.equal(created.resource_type, "session");
      assert.equal(created.resource_id, sessionId);
      assert.equal(created.actor, `api_key:${sandboxKeyId}`);
      assert.equal(created.environment, "sandbox");
      assert.equal(created.request_method, "POST");
      assert.equal(created.request_path, "/api/v1/sessions");
      assert.equal(created.metadata.status, 201);
      assert.match(created.request_id, /^req_/);
      assert.equal(body.data[3].request_path, `/api/v1/sessions/${sessionId}/tags/:tag`);
      assert.deepEqual(body.data.map((e: Body) => e.sequence_num), [1, 2, 3, 4]);
      assert.equal(body.data[0].prev_hash, "0".repeat(64));
      for (let i = 1; i < 4; i++) assert.equal(body.data[i].prev_hash, body.data[i - 1].hash);
    });

    await t.step("an idempotent replay is not recorded twice", async () => {
      const headers = { "Idempotency-Key": "audit-replay-1" };
      const first = await call(world, "POST", "/api/v1/sessions", { key, headers, body: {} });
      const again = await call(world, "POST", "/api/v1/sessions", { key, headers, body: {} });
      assert.equal(again.headers.get("idempotent-replayed"), "true");
      const rows = await events(world, key, `?resource_id=${first.body.id}`);
      assert.equal(rows.pagination.total, 1);
    });

    await t.step("the DSAR exports are recorded as api.session.export and api.identity.export", async () => {
      const exported = await call(world, "GET", `/api/v1/sessions/${sessionId}/export`, { key });
      assert.equal(exported.status, 200, JSON.stringify(exported.body));
      const sessionExports = await events(world, key, "?action=api.session.export");
      assert.equal(sessionExports.data.length, 1);
      assert.equal(sessionExports.data[0].resource_id, sessionId);

      const created = await call(world, "POST", "/api/v1/identities", { key, body: { external_ref: "person_77" } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      identityId = created.body.id;
      assert.equal((await call(world, "GET", `/api/v1/identities/${identityId}/export`, { key })).status, 200);
      const body = await events(world, key, "?action=api.identity.export");
      assert.equal(body.data.length, 1);
      assert.equal(body.data[0].resource_type, "identity");
      assert.equal(body.data[0].resource_id, identityId);
    });

    await t.step("filters: action (exact, list, prefix), resource, actor, dates, q, pagination", async () => {
      const all = await events(world, key);
      const total = all.pagination.total;
      assert.equal(total, 8);
      // Newest first by default.
      assert.deepEqual(all.data.map((e: Body) => e.sequence_num), [8, 7, 6, 5, 4, 3, 2, 1]);

      assert.equal((await events(world, key, "?action=api.session.update")).pagination.total, 1);
      assert.equal((await events(world, key, "?action=api.session.update,api.session.tag.delete")).pagination.total, 2);
      assert.equal((await events(world, key, "?action=api.session.*")).pagination.total, 6);
      assert.equal((await events(world, key, "?action=api.identity.*")).pagination.total, 2);
      assert.equal((await events(world, key, `?resource_type=session&resource_id=${sessionId}`)).pagination.total, 5);
      assert.equal((await events(world, key, `?actor=${sandboxKeyId}`)).pagination.total, total);
      assert.equal((await events(world, key, `?actor=api_key:${sandboxKeyId}`)).pagination.total, total);
      assert.equal((await events(world, key, "?actor=operator:someone")).pagination.total, 0);
      assert.equal((await events(world, key, "?q=TAG.DEL")).pagination.total, 1);
      assert.equal((await events(world, key, "?q=100%25")).pagination.total, 0);

      const page = await events(world, key, "?limit=2&offset=2&order=asc");
      assert.deepEqual(page.data.map((e: Body) => e.sequence_num), [3, 4]);
      assert.deepEqual(page.pagination, { total, limit: 2, offset: 2 });

      const cut = new Date(world.clock.now().getTime() + 1000);
      world.clock.advance(60_000);
      await createSession(world, key, {});
      const later = await events(world, key, `?created_after=${cut.toISOString()}`);
      assert.deepEqual(later.data.map((e: Body) => e.type), ["api.session.create"]);
      assert.equal((await events(world, key, `?created_before=${cut.toISOString()}`)).pagination.total, total);

      for (const bad of ["?limit=0", "?limit=101", "?order=sideways", "?action=drop%20table", "?created_after=soon"]) {
        const res = await call(world, "GET", `/api/v1/events${bad}`, { key });
        assert.equal(res.status, 400, bad);
        assert.equal(res.body.error, "invalid_parameter");
      }
    });

    await t.step("one event by id", async () => {
      const newest = (await events(world, key, "?limit=1")).data[0];
      const one = await call(world, "GET", `/api/v1/events/${newest.id}`, { key });
      assert.equal(one.status, 200);
      assert.deepEqual(one.body, newest);
      assert.equal((await call(world, "GET", "/api/v1/events/aud_nope", { key })).status, 404);
    });

    await t.step("the scope events:read is required", async () => {
      const { secret } = await createApiKey(world.db, world.org.org_id, { environment: "sandbox", kind: "secret" });
      const res = await call(world, "GET", "/api/v1/events", { key: secret });
      assert.equal(res.status, 403);
      assert.equal(res.body.error, "insufficient_scope");
    });

    await t.step("no personal data in any audit row", async () => {
      const rows = await sql<{ text: string }>`SELECT audit_log::text AS text FROM audit_log`.execute(world.db);
      const text = rows.rows.map((r) => r.text).join("\n");
      assert.ok(rows.rows.length >= 9);
      for (const value of Object.values(PII)) assert.ok(!text.includes(value), `audit log holds ${value}`);
      // The session was given them (and stores them, encrypted), so the check above is not vacuous.
      const stored = await world.db.selectFrom("sessions").select("fields_enc").where("id", "=", sessionId)
        .executeTakeFirstOrThrow();
      assert.ok(stored.fields_enc);
    });

    await t.step("another organisation's and another environment's rows are never visible", async () => {
      const other = await world.provisionOrg("audit-other");
      const theirs = await createSession(world, other.sandbox_secret_key, {});
      const theirEvents = await events(world, other.sandbox_secret_key);
      assert.deepEqual(theirEvents.data.map((e: Body) => e.resource_id), [theirs.id]);
      assert.equal(theirEvents.data[0].sequence_num, 1, "each organisation has a chain of its own");

      const mine = await events(world, key, "?limit=100");
      assert.ok(mine.data.every((e: Body) => e.resource_id !== theirs.id));
      assert.equal((await call(world, "GET", `/api/v1/events/${theirEvents.data[0].id}`, { key })).status, 404);
      assert.equal((await events(world, key, `?resource_id=${theirs.id}`)).pagination.total, 0);

      // The live key of the same organisation sees live rows and organisation-wide ones only.
      const live = world.org.live_secret_key;
      assert.equal((await events(world, live)).pagination.total, 0);
      await createSession(world, live, {});
      const liveEvents = await events(world, live);
      assert.deepEqual(liveEvents.data.map((e: Body) => e.environment), ["live"]);
      assert.equal((await call(world, "GET", `/api/v1/events/${mine.data[0].id}`, { key: live })).status, 404);
    });

    await t.step("what the API wrote verifies as one intact chain per organisation", async () => {
      const report = await verifyOrgChain(world.db, world.org.org_id);
      assert.equal(report.broken, null);
      assert.equal(report.rows, 10);
    });
  } finally {
    await world.close();
  }
});
