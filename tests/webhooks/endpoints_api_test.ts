/**
 * The webhook endpoints API (`/api/v1/webhooks/…`) through the real app, with the real worker
 * delivering to a loopback receiver that verifies every request under both signature recipes:
 * create (secret shown; sandbox secrets stay readable, live ones only at create/rotate/clone),
 * list with pagination, get, patch (only sent fields), enable/disable, delete, rotate-secret,
 * clone, test, the delivery log (filters, pagination, attempt log, by session), manual retry,
 * event types, scopes, tenant isolation and validation.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { type Body, createSession, ISO_TIMESTAMP } from "../helpers/sessions.ts";
import {
  createEndpoint,
  endpointDeliveries,
  getDelivery,
  simulate,
  verifyStandardWebhooks,
  verifyVerifaSignature,
  waitForDeliveryStatus,
  waitForEndpointDeliveries,
  waitForQuiet,
  waitUntil,
  WebhookReceiver,
} from "../helpers/webhook_receiver.ts";
import { Buffer } from "node:buffer";
import { startWorker } from "../../worker/runner.ts";

const ENDPOINTS = "/api/v1/webhooks/endpoints";
const ENDPOINT_FIELDS = [
  "id",
  "url",
  "environment",
  "enabled",
  "enabled_events",
  "label",
  "description",
  "attribute_blocklist",
  "event_filter_conditions",
  "api_version",
  "key_inflection",
  "created_at",
  "updated_at",
];
/** Subscribed to an event no test here fires: such endpoints are only ever sent test events. */
const QUIET = { enabled_events: ["identity.archived"] };

function assertError(res: { status: number; body: Body }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error, code, JSON.stringify(res.body));
  assert.equal(res.body.status_code, status);
  assert.equal(typeof res.body.detail, "string");
}

Deno.test("webhook endpoints API", async (t) => {
  const world = await createTestWorld();
  const receiver = WebhookReceiver.start(() => world.clock.now().getTime());
  const worker = await startWorker(world.deps, world.databaseUrl);
  const sandbox = world.org.sandbox_secret_key;
  const live = world.org.live_secret_key;
  const call = (method: string, path: string, key: string, body?: unknown, headers?: Record<string, string>) =>
    world.json<Body>(method, path, { key, body, headers });

  /** An endpoint on its own receiver path, which verifies with the endpoint's secret. */
  async function endpointAt(path: string, body: Record<string, unknown> = {}, key = sandbox): Promise<Body> {
    const ep = await createEndpoint(world, key, { url: receiver.url(path), ...body });
    receiver.route(path, [ep.secret]);
    return ep;
  }

  try {
    let main: Body = {};

    await t.step("create: 201 with every field and a whsec_ secret", async () => {
      const res = await call("POST", ENDPOINTS, sandbox, {
        url: receiver.url("/main"),
        label: "Main",
        description: "Primary receiver",
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      main = res.body;
      receiver.route("/main", [main.secret]);
      for (const field of ENDPOINT_FIELDS) assert.ok(field in main, `missing ${field}`);
      assert.match(main.id, /^whep_[a-z0-9]+$/);
      assert.equal(main.url, receiver.url("/main"));
      assert.equal(main.environment, "sandbox");
      assert.equal(main.enabled, true);
      assert.deepEqual(main.enabled_events, ["*"], "all events by default");
      assert.equal(main.label, "Main");
      assert.equal(main.description, "Primary receiver");
      assert.deepEqual(main.attribute_blocklist, []);
      assert.deepEqual(main.event_filter_conditions, {});
      assert.equal(main.api_version, "2026-01-01");
      assert.equal(main.key_inflection, "snake");
      assert.match(main.created_at, ISO_TIMESTAMP);
      assert.match(main.updated_at, ISO_TIMESTAMP);
      assert.equal(main.cloned_from, null);
      // The Standard Webhooks form: whsec_ + base64 of 32 random bytes.
      assert.match(main.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
      assert.equal(Buffer.from(main.secret.slice("whsec_".length), "base64").length, 32);
      // Stored encrypted, never in the clear.
      const row = await world.db.selectFrom("webhook_endpoints").selectAll().where("id", "=", main.id)
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(main.secret.slice("whsec_".length)), "secret stored encrypted");
    });

    await t.step("create: camelCase and kebab-case bodies, Key-Inflection on the response", async () => {
      const res = await call(
        "POST",
        ENDPOINTS,
        sandbox,
        { url: receiver.url("/cased"), enabledEvents: ["identity.archived"], "key-inflection": "camel" },
        { "Key-Inflection": "camel" },
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body.enabledEvents, ["identity.archived"]);
      assert.equal(res.body.keyInflection, "camel");
      assert.match(res.body.createdAt, ISO_TIMESTAMP);
      assert.equal(res.body.enabled_events, undefined);
      receiver.route("/cased", [res.body.secret]);
    });

    await t.step("create/patch validation: unknown keys, unknown event types, bad values → 422", async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ url: receiver.url("/x"), colour: "blue" }, "colour"],
        [{ url: receiver.url("/x"), enabled_events: ["session.approved", "session.exploded"] }, "enabled_events.1"],
        [{ url: receiver.url("/x"), key_inflection: "screaming" }, "key_inflection"],
        [{ url: receiver.url("/x"), api_version: "1999-01-01" }, "api_version"],
        [{ url: receiver.url("/x"), attribute_blocklist: ["not a path"] }, "attribute_blocklist.0"],
        [{ url: receiver.url("/x"), enabled: false }, "enabled"],
        [{ label: "no url" }, "url"],
      ];
      for (const [body, field] of cases) {
        const res = await call("POST", ENDPOINTS, sandbox, body);
        assertError(res, 422, "validation_error");
        assert.equal(typeof res.body.fields?.[field], "string", `${JSON.stringify(body)} → fields.${field}`);
      }
      const patches: [Record<string, unknown>, string][] = [
        [{ colour: "blue" }, "colour"],
        [{ enabled_events: ["nope.nope"] }, "enabled_events.0"],
        [{ enabled: "yes" }, "enabled"],
      ];
      for (const [body, field] of patches) {
        const res = await call("PATCH", `${ENDPOINTS}/${main.id}`, sandbox, body);
        assertError(res, 422, "validation_error");
        assert.equal(typeof res.body.fields?.[field], "string", `${JSON.stringify(body)} → fields.${field}`);
      }
      const notJson = await world.request("POST", ENDPOINTS, { key: sandbox, body: "[1,2]" });
      assert.equal(notJson.status, 422, await notJson.text());
    });

    await t.step("get: the same object; sandbox secrets stay readable; unknown id → 404", async () => {
      const res = await call("GET", `${ENDPOINTS}/${main.id}`, sandbox);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, main);
      assertError(await call("GET", `${ENDPOINTS}/whep_doesnotexist`, sandbox), 404, "not_found");
    });

    await t.step("live: https required; the secret shows only at create, rotate and clone", async () => {
      assertError(await call("POST", ENDPOINTS, live, { url: "http://127.0.0.1:9/live" }), 422, "validation_error");
      // Never connected to: nothing fires on the live side here.
      const created = await createEndpoint(world, live, { url: "https://127.0.0.1:9/live", ...QUIET });
      assert.equal(created.environment, "live");
      const read = await call("GET", `${ENDPOINTS}/${created.id}`, live);
      assert.equal(read.status, 200);
      assert.equal("secret" in read.body, false, "a live secret cannot be read back");
      const list = await call("GET", ENDPOINTS, live);
      assert.equal(list.body.data.length, 1);
      assert.equal("secret" in list.body.data[0], false);
      const rotated = await call("POST", `${ENDPOINTS}/${created.id}/rotate-secret`, live);
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      assert.match(rotated.body.secret, /^whsec_/);
      assert.notEqual(rotated.body.secret, created.secret);
      assert.equal("secret" in (await call("GET", `${ENDPOINTS}/${created.id}`, live)).body, false);
      const cloned = await call("POST", `${ENDPOINTS}/${created.id}/clone`, live);
      assert.equal(cloned.status, 201, JSON.stringify(cloned.body));
      assert.match(cloned.body.secret, /^whsec_/);
      assert.equal("secret" in (await call("GET", `${ENDPOINTS}/${cloned.body.id}`, live)).body, false);
      const sandboxList = await call("GET", ENDPOINTS, sandbox);
      assert.ok(sandboxList.body.data.every((e: Body) => e.environment === "sandbox"), "environments never mix");
    });

    await t.step("test: a signed webhook.test reaches the receiver; the outcome is returned", async () => {
      const res = await call("POST", `${ENDPOINTS}/${main.id}/test`, sandbox);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.success, true);
      assert.equal(res.body.http_status, 200);
      assert.equal(res.body.error, null);
      assert.equal(res.body.url, main.url);
      const [r] = receiver.on("/main");
      assert.ok(r, "the receiver got the test event");
      assert.equal(r.json.event, "webhook.test");
      assert.equal(r.headers.get("x-verifa-event"), "webhook.test");
      assert.match(r.json.idempotency_key, /^idk_/);
      assert.equal(r.json.is_sandbox, true);
      assert.ok(r.recipeOk && r.libraryOk, "signed with the endpoint's secret");
      const delivery = await getDelivery(world, sandbox, r.headers.get("x-verifa-delivery-id")!);
      assert.equal(delivery.is_test, true);
      assert.equal(delivery.status, "succeeded");
      assert.equal(delivery.endpoint_id, main.id);

      // Idempotency-Key replays the stored answer instead of sending again.
      const before = receiver.on("/main").length;
      const first = await call("POST", `${ENDPOINTS}/${main.id}/test`, sandbox, undefined, {
        "Idempotency-Key": "test-once",
      });
      const again = await call("POST", `${ENDPOINTS}/${main.id}/test`, sandbox, undefined, {
        "Idempotency-Key": "test-once",
      });
      assert.equal(first.status, 200);
      assert.deepEqual(again.body, first.body);
      assert.equal(receiver.on("/main").length, before + 1);

      // A failing receiver: the outcome says so.
      const failing = await endpointAt("/test-500", QUIET);
      receiver.setResponder("/test-500", () => new Response("nope", { status: 500 }));
      const failed = await call("POST", `${ENDPOINTS}/${failing.id}/test`, sandbox);
      assert.equal(failed.status, 200, JSON.stringify(failed.body));
      assert.deepEqual(
        { success: failed.body.success, http_status: failed.body.http_status, error: failed.body.error },
        { success: false, http_status: 500, error: "HTTP 500" },
      );
    });

    let failedDelivery: Body = {};
    let failing: Body = {};

    await t.step("a failed delivery: the attempt log, then a manual retry succeeds", async () => {
      failing = await endpointAt("/failing", { enabled_events: ["session.declined"] });
      receiver.setResponder("/failing", () => new Response("broken", { status: 500 }));
      const s = await createSession(world, sandbox, { external_ref: "to-fail" });
      await simulate(world, sandbox, s.id, "decline");
      const [listed] = await waitForEndpointDeliveries(world, sandbox, failing.id, 1);
      failedDelivery = await waitForDeliveryStatus(world, sandbox, listed.id, "failed");
      assert.equal(failedDelivery.attempts, 6);
      assert.equal(failedDelivery.attempt_log.length, 6);
      assert.equal(failedDelivery.session_id, s.id);
      assert.equal(failedDelivery.event_type, "session.declined");
      const ep = await call("GET", `${ENDPOINTS}/${failing.id}`, sandbox);
      assert.equal(ep.body.consecutive_failures, 1);

      receiver.setResponder("/failing", () => new Response("fixed"));
      const retry = await call("POST", `/api/v1/webhooks/deliveries/${failedDelivery.id}/retry`, sandbox);
      assert.equal(retry.status, 202, JSON.stringify(retry.body));
      assert.equal(retry.body.id, failedDelivery.id);
      assert.equal(retry.body.status, "retrying");
      const done = await waitForDeliveryStatus(world, sandbox, failedDelivery.id, "succeeded");
      assert.equal(done.attempts, 7);
      assert.deepEqual(done.attempt_log.map((a: Body) => a.status_code), [500, 500, 500, 500, 500, 500, 200]);
      assert.equal(done.attempt_log[6].response_excerpt, "fixed");
      const requests = receiver.on("/failing");
      assert.equal(requests.length, 7);
      assert.ok(requests.every((r) => r.rawBody === requests[0].rawBody), "the retry sends the same body");
      assert.ok(requests.every((r) => r.json.idempotency_key === done.idempotency_key));
      assert.equal((await call("GET", `${ENDPOINTS}/${failing.id}`, sandbox)).body.consecutive_failures, 0);

      assertError(
        await call("POST", `/api/v1/webhooks/deliveries/${failedDelivery.id}/retry`, sandbox),
        409,
        "conflict",
      );
      const testDelivery = (await endpointDeliveries(world, main.id)).find((d) => d.is_test)!;
      assertError(await call("POST", `/api/v1/webhooks/deliveries/${testDelivery.id}/retry`, sandbox), 409, "conflict");
      assertError(await call("POST", "/api/v1/webhooks/deliveries/whd_nope/retry", sandbox), 404, "not_found");
      await waitForQuiet(world);
    });

    await t.step("patch: only the fields sent change; disable and re-enable", async () => {
      // A failure on record, so re-enabling has a counter to reset.
      receiver.setResponder("/failing", () => new Response("broken again", { status: 500 }));
      const s = await createSession(world, sandbox, { external_ref: "to-fail-again" });
      await simulate(world, sandbox, s.id, "decline");
      await waitUntil(async () => {
        const rows = await endpointDeliveries(world, failing.id);
        return rows.length === 2 && rows.every((r) => r.status !== "pending" && r.status !== "retrying");
      }, "the second failing delivery to finish");
      await waitForQuiet(world);
      const before = (await call("GET", `${ENDPOINTS}/${failing.id}`, sandbox)).body;
      assert.equal(before.consecutive_failures, 1);

      world.clock.advance(1_000);
      const renamed = await call("PATCH", `${ENDPOINTS}/${failing.id}`, sandbox, { label: "Renamed" });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.deepEqual(
        { ...renamed.body, updated_at: null },
        { ...before, label: "Renamed", updated_at: null },
        "nothing but label and updated_at changed",
      );
      assert.ok(renamed.body.updated_at > before.updated_at);

      const reshaped = await call("PATCH", `${ENDPOINTS}/${failing.id}`, sandbox, {
        description: "now described",
        enabled_events: ["session.declined", "session.approved"],
        attribute_blocklist: ["external_ref"],
        event_filter_conditions: { check_type: ["document"] },
        key_inflection: "kebab",
      });
      assert.equal(reshaped.status, 200, JSON.stringify(reshaped.body));
      assert.equal(reshaped.body.label, "Renamed", "unsent fields keep their values");
      assert.equal(reshaped.body.url, before.url);
      assert.equal(reshaped.body.description, "now described");
      assert.deepEqual(reshaped.body.enabled_events, ["session.declined", "session.approved"]);
      assert.deepEqual(reshaped.body.attribute_blocklist, ["external_ref"]);
      assert.deepEqual(reshaped.body.event_filter_conditions, { check_type: ["document"] });
      assert.equal(reshaped.body.key_inflection, "kebab");
      const cleared = await call("PATCH", `${ENDPOINTS}/${failing.id}`, sandbox, { description: null });
      assert.equal(cleared.body.description, null);
      assert.equal(cleared.body.key_inflection, "kebab");

      const disabled = await call("PATCH", `${ENDPOINTS}/${failing.id}`, sandbox, { enabled: false });
      assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
      assert.equal(disabled.body.enabled, false);
      assert.equal(typeof disabled.body.disabled_reason, "string");
      assert.match(disabled.body.disabled_at, ISO_TIMESTAMP);
      const enabled = await call("PATCH", `${ENDPOINTS}/${failing.id}`, sandbox, { enabled: true });
      assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
      assert.equal(enabled.body.enabled, true);
      assert.equal(enabled.body.consecutive_failures, 0, "re-enabling resets the circuit breaker");
      assert.equal(enabled.body.disabled_reason, null);
      assert.equal(enabled.body.disabled_at, null);
      assertError(await call("PATCH", `${ENDPOINTS}/whep_nope`, sandbox, { label: "x" }), 404, "not_found");
      // It now also takes approvals, which later steps fire: let them through.
      receiver.setResponder("/failing", () => new Response("ok"));
    });

    await t.step("delete: then 404, gone from the list, and no new deliveries go to it", async () => {
      const doomed = await endpointAt("/doomed", { enabled_events: ["session.approved"] });
      const res = await call("DELETE", `${ENDPOINTS}/${doomed.id}`, sandbox);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { id: doomed.id, deleted: true });
      assertError(await call("GET", `${ENDPOINTS}/${doomed.id}`, sandbox), 404, "not_found");
      assertError(await call("DELETE", `${ENDPOINTS}/${doomed.id}`, sandbox), 404, "not_found");
      assertError(await call("PATCH", `${ENDPOINTS}/${doomed.id}`, sandbox, { enabled: true }), 404, "not_found");
      assertError(await call("POST", `${ENDPOINTS}/${doomed.id}/test`, sandbox), 404, "not_found");
      const list = await call("GET", `${ENDPOINTS}?limit=100`, sandbox);
      assert.ok(!list.body.data.some((e: Body) => e.id === doomed.id));

      const s = await createSession(world, sandbox, { external_ref: "after-delete" });
      await simulate(world, sandbox, s.id, "approve");
      await waitForQuiet(world);
      assert.ok(
        receiver.on("/main").some((r) => r.json.event === "session.approved" && r.json.session_id === s.id),
        "a live endpoint got the event",
      );
      assert.equal(receiver.on("/doomed").length, 0, "the deleted endpoint got nothing");
      assert.equal((await endpointDeliveries(world, doomed.id)).length, 0);

      // A delivery already retrying stops when its endpoint is deleted: the receiver deletes the
      // endpoint before answering the first attempt with a 500, so the retry finds it gone.
      const dying = await endpointAt("/dying", { enabled_events: ["session.declined"] });
      receiver.setResponder("/dying", async () => {
        const gone = await call("DELETE", `${ENDPOINTS}/${dying.id}`, sandbox);
        assert.equal(gone.status, 200);
        return new Response("bye", { status: 500 });
      });
      const d = await createSession(world, sandbox, { external_ref: "delete-mid-retry" });
      await simulate(world, sandbox, d.id, "decline");
      // (The endpoint is gone by now, so its deliveries are read by endpoint_id, not under its path.)
      await waitUntil(async () => (await endpointDeliveries(world, dying.id)).length === 1, "the delivery");
      const [pending] = await endpointDeliveries(world, dying.id);
      const stopped = await waitForDeliveryStatus(world, sandbox, pending.id, "failed");
      assert.equal(stopped.attempts, 1);
      assert.equal(stopped.attempt_log.length, 1);
      assert.equal(stopped.last_error, "endpoint deleted");
      await waitForQuiet(world);
      assert.equal(receiver.on("/dying").length, 1, "no retry went out after the delete");
      const history = await call("GET", `/api/v1/webhooks/deliveries?endpoint_id=${dying.id}`, sandbox);
      assert.deepEqual(history.body.data.map((x: Body) => x.id), [pending.id], "the history stays readable");
    });

    await t.step("rotate-secret: a new secret, readable in sandbox; unknown → 404", async () => {
      const ep = await endpointAt("/rotate", QUIET);
      const res = await call("POST", `${ENDPOINTS}/${ep.id}/rotate-secret`, sandbox);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      for (const field of ENDPOINT_FIELDS) assert.ok(field in res.body, `missing ${field}`);
      assert.match(res.body.secret, /^whsec_/);
      assert.notEqual(res.body.secret, ep.secret);
      assert.match(res.body.previous_secret_expires_at, ISO_TIMESTAMP);
      assert.equal((await call("GET", `${ENDPOINTS}/${ep.id}`, sandbox)).body.secret, res.body.secret);
      assertError(await call("POST", `${ENDPOINTS}/whep_nope/rotate-secret`, sandbox), 404, "not_found");
    });

    await t.step("clone: same settings, fresh secret, cloned_from", async () => {
      const source = await endpointAt("/clone-source", {
        label: "Source",
        description: "to be cloned",
        enabled_events: ["identity.archived", "case.created"],
        attribute_blocklist: ["result.extracted_data.ssn"],
        event_filter_conditions: { environment: "sandbox" },
        key_inflection: "camel",
      });
      const res = await call("POST", `${ENDPOINTS}/${source.id}/clone`, sandbox);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const clone = res.body;
      assert.match(clone.id, /^whep_/);
      assert.notEqual(clone.id, source.id);
      assert.equal(clone.cloned_from, source.id);
      assert.match(clone.secret, /^whsec_/);
      assert.notEqual(clone.secret, source.secret);
      for (
        const field of [
          "url",
          "environment",
          "label",
          "description",
          "enabled_events",
          "attribute_blocklist",
          "event_filter_conditions",
          "api_version",
          "key_inflection",
        ]
      ) {
        assert.deepEqual(clone[field], source[field], field);
      }
      assert.equal(clone.enabled, true);
      assert.deepEqual((await call("GET", `${ENDPOINTS}/${source.id}`, sandbox)).body, source, "source unchanged");

      // The clone signs with its own secret.
      receiver.setSecrets("/clone-source", [source.secret, clone.secret]);
      const test = await call("POST", `${ENDPOINTS}/${clone.id}/test`, sandbox);
      assert.equal(test.body.success, true, JSON.stringify(test.body));
      const r = receiver.on("/clone-source").at(-1)!;
      assert.equal(r.json.event, "webhook.test");
      assert.ok("idempotencyKey" in r.json, "the clone keeps the camel inflection");
      const header = r.headers.get("x-verifa-signature");
      assert.ok(verifyVerifaSignature(header, r.rawBody, clone.secret, r.receiverNowMs));
      assert.ok(!verifyVerifaSignature(header, r.rawBody, source.secret, r.receiverNowMs));
      assert.ok(verifyStandardWebhooks(r.headers, r.rawBody, clone.secret, r.receiverNowMs));
      assert.ok(!verifyStandardWebhooks(r.headers, r.rawBody, source.secret, r.receiverNowMs));
      assertError(await call("POST", `${ENDPOINTS}/whep_nope/clone`, sandbox), 404, "not_found");
    });

    await t.step("list: newest first, paginated, complete", async () => {
      for (let i = 0; i < 3; i++) {
        world.clock.advance(1_000);
        await endpointAt(`/page-${i}`, QUIET);
      }
      const all = await call("GET", `${ENDPOINTS}?limit=100`, sandbox);
      assert.equal(all.status, 200, JSON.stringify(all.body));
      const total = all.body.pagination.total;
      assert.equal(all.body.data.length, total);
      assert.deepEqual(all.body.pagination, { total, limit: 100, offset: 0 });
      assert.ok(total >= 9);
      const created = all.body.data.map((e: Body) => e.created_at);
      assert.deepEqual(created, [...created].sort().reverse(), "newest first");
      assert.equal(all.body.data[0].url, receiver.url("/page-2"));
      assert.equal("secret" in all.body.data[0], true, "sandbox secrets are listed too");

      const defaults = await call("GET", ENDPOINTS, sandbox);
      assert.equal(defaults.body.pagination.limit, 50);
      const seen: string[] = [];
      for (let offset = 0; offset < total; offset += 2) {
        const page = await call("GET", `${ENDPOINTS}?limit=2&offset=${offset}`, sandbox);
        assert.equal(page.status, 200);
        assert.deepEqual(page.body.pagination, { total, limit: 2, offset });
        assert.equal(page.body.data.length, Math.min(2, total - offset));
        seen.push(...page.body.data.map((e: Body) => e.id));
      }
      assert.deepEqual(seen, all.body.data.map((e: Body) => e.id), "the pages cover the list once, in order");
      assertError(await call("GET", `${ENDPOINTS}?limit=101`, sandbox), 400, "invalid_parameter");
      assertError(await call("GET", `${ENDPOINTS}?offset=-1`, sandbox), 400, "invalid_parameter");
    });

    await t.step("deliveries: filters by event type, status, dates; pagination; attempt log", async () => {
      const ledger = await endpointAt("/ledger");
      // No external_ref: a decided session with one also fires identity events, and this ledger counts session events.
      const a = await createSession(world, sandbox, {});
      await waitForEndpointDeliveries(world, sandbox, ledger.id, 1);
      const t0 = world.clock.now().getTime();
      world.clock.advance(120_000);
      await simulate(world, sandbox, a.id, "approve");
      await waitForEndpointDeliveries(world, sandbox, ledger.id, 2);
      world.clock.advance(120_000);
      const b = await createSession(world, sandbox, {});
      await waitForEndpointDeliveries(world, sandbox, ledger.id, 3);
      const test = await call("POST", `${ENDPOINTS}/${ledger.id}/test`, sandbox);
      assert.equal(test.body.success, true);
      await waitForQuiet(world);

      const base = `${ENDPOINTS}/${ledger.id}/deliveries`;
      const list = async (query: string) => {
        const res = await call("GET", `${base}${query}`, sandbox);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body;
      };
      const all = await list("");
      assert.equal(all.pagination.total, 4);
      assert.equal(all.pagination.limit, 50);
      const created = all.data.map((d: Body) => d.created_at);
      assert.deepEqual(created, [...created].sort().reverse(), "newest first");
      assert.deepEqual(all.data.map((d: Body) => d.event_type), [
        "webhook.test",
        "session.created",
        "session.approved",
        "session.created",
      ]);
      for (const d of all.data) {
        assert.match(d.id, /^whd_/);
        assert.equal(d.endpoint_id, ledger.id);
        assert.equal(d.status, "succeeded");
        assert.equal(d.attempts, 1);
        assert.equal(d.url, ledger.url);
        assert.match(d.idempotency_key, /^idk_/);
        assert.match(d.created_at, ISO_TIMESTAMP);
      }

      const createdOnly = await list("?event_type=session.created");
      assert.equal(createdOnly.pagination.total, 2);
      assert.deepEqual(createdOnly.data.map((d: Body) => d.session_id), [b.id, a.id]);
      assert.equal((await list("?event_type=session.approved")).data[0].session_id, a.id);
      assert.equal((await list("?status=succeeded")).pagination.total, 4);
      assert.equal((await list("?status=failed")).pagination.total, 0);
      assert.equal((await list("?status=failed,succeeded")).pagination.total, 4);
      const mid1 = new Date(t0 + 60_000).toISOString();
      const mid2 = new Date(t0 + 180_000).toISOString();
      assert.deepEqual((await list(`?date_to=${mid1}`)).data.map((d: Body) => d.session_id), [a.id]);
      assert.deepEqual(
        (await list(`?date_from=${mid1}`)).data.map((d: Body) => d.event_type),
        ["webhook.test", "session.created", "session.approved"],
      );
      const window = await list(`?date_from=${mid1}&date_to=${mid2}`);
      assert.deepEqual(window.data.map((d: Body) => [d.event_type, d.session_id]), [["session.approved", a.id]]);
      const page = await list("?limit=1&offset=1");
      assert.deepEqual(page.pagination, { total: 4, limit: 1, offset: 1 });
      assert.deepEqual(page.data, [all.data[1]]);
      assertError(await call("GET", `${base}?date_from=yesterday`, sandbox), 400, "invalid_parameter");
      assertError(await call("GET", `${base}?status=lost`, sandbox), 400, "invalid_parameter");
      assertError(await call("GET", `${ENDPOINTS}/whep_nope/deliveries`, sandbox), 404, "not_found");

      // Across endpoints, by session and by endpoint.
      const bySession = await call("GET", `/api/v1/webhooks/deliveries?session_id=${a.id}&limit=100`, sandbox);
      assert.equal(bySession.status, 200);
      assert.ok(bySession.body.data.every((d: Body) => d.session_id === a.id));
      assert.deepEqual(
        bySession.body.data.filter((d: Body) => d.endpoint_id === ledger.id).map((d: Body) => d.event_type),
        ["session.approved", "session.created"],
      );
      assert.ok(bySession.body.data.some((d: Body) => d.endpoint_id === main.id), "the * endpoint's too");
      const byEndpoint = await call("GET", `/api/v1/webhooks/deliveries?endpoint_id=${ledger.id}`, sandbox);
      assert.equal(byEndpoint.body.pagination.total, 4);

      // One delivery with its attempt log.
      const approved = all.data[2];
      const detail = await getDelivery(world, sandbox, approved.id);
      assert.equal(detail.event_type, "session.approved");
      assert.equal(detail.session_id, a.id);
      assert.equal(detail.is_test, false);
      assert.match(detail.event_id, /^evt_/);
      assert.match(detail.completed_at, ISO_TIMESTAMP);
      assert.equal(detail.attempt_log.length, 1);
      const [attempt] = detail.attempt_log;
      assert.equal(attempt.attempt, 1);
      assert.equal(attempt.status_code, 200);
      assert.equal(attempt.error, null);
      assert.equal(attempt.response_excerpt, "ok");
      assert.ok(Number.isInteger(attempt.duration_ms) && attempt.duration_ms >= 0);
      assert.match(attempt.started_at, ISO_TIMESTAMP);
      const received = receiver.on("/ledger").find((r) => r.headers.get("x-verifa-delivery-id") === approved.id);
      assert.equal(received?.json.idempotency_key, detail.idempotency_key);
      assertError(await call("GET", "/api/v1/webhooks/deliveries/whd_nope", sandbox), 404, "not_found");
    });

    await t.step("event types: the catalogue", async () => {
      const res = await call("GET", "/api/v1/webhooks/event-types", sandbox);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const types = res.body.data.map((e: Body) => e.type);
      for (
        const type of [
          "session.created",
          "session.started",
          "session.expired",
          "session.approved",
          "session.declined",
          "session.requires-review",
          "session.resubmission-required",
          "session.awaiting_external",
          "session.redacted",
          "session.retention-expired",
          "identity.created",
          "identity.updated",
          "case.created",
        ]
      ) {
        assert.ok(types.includes(type), `missing ${type}`);
      }
      assert.ok(res.body.data.every((e: Body) => typeof e.description === "string" && e.description.length > 0));
      assert.equal(new Set(types).size, types.length);
      // Every listed type is subscribable.
      const all = await createEndpoint(world, sandbox, { url: receiver.url("/types"), enabled_events: types });
      assert.deepEqual(all.enabled_events, types);
      await call("DELETE", `${ENDPOINTS}/${all.id}`, sandbox);
    });

    await t.step("scopes: webhooks:read to read, webhooks:write to change; default keys get 403", async () => {
      const mint = async (scopes?: string[]) => {
        const res = await call("POST", "/api/v1/api-keys", sandbox, {
          label: `webhooks ${scopes?.join(" ") ?? "default"}`,
          environment: "sandbox",
          ...(scopes ? { scopes } : {}),
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.secret as string;
      };
      const defaultKey = await mint();
      const readKey = await mint(["webhooks:read"]);
      const writeKey = await mint(["webhooks:write"]);
      const reads = [
        ["GET", ENDPOINTS],
        ["GET", `${ENDPOINTS}/${main.id}`],
        ["GET", `${ENDPOINTS}/${main.id}/deliveries`],
        ["GET", "/api/v1/webhooks/deliveries"],
        ["GET", `/api/v1/webhooks/deliveries/${failedDelivery.id}`],
        ["GET", "/api/v1/webhooks/event-types"],
      ];
      const writes: [string, string, unknown][] = [
        ["POST", ENDPOINTS, { url: receiver.url("/scoped"), ...QUIET }],
        ["PATCH", `${ENDPOINTS}/${main.id}`, { label: "by scope" }],
        ["POST", `${ENDPOINTS}/${main.id}/rotate-secret`, undefined],
        ["POST", `${ENDPOINTS}/${main.id}/clone`, undefined],
        ["POST", `${ENDPOINTS}/${main.id}/test`, undefined],
        ["POST", `/api/v1/webhooks/deliveries/${failedDelivery.id}/retry`, undefined],
        ["DELETE", `${ENDPOINTS}/${main.id}`, undefined],
      ];
      for (const [method, path] of reads) {
        assertError(await call(method, path, defaultKey), 403, "insufficient_scope");
        assert.equal((await call(method, path, readKey)).status, 200, `${method} ${path} with webhooks:read`);
        assert.equal((await call(method, path, writeKey)).status, 200, `${method} ${path} with webhooks:write`);
      }
      for (const [method, path, body] of writes) {
        assertError(await call(method, path, defaultKey, body), 403, "insufficient_scope");
        assertError(await call(method, path, readKey, body), 403, "insufficient_scope");
      }
      const byWriter = await call("POST", ENDPOINTS, writeKey, { url: receiver.url("/scoped"), ...QUIET });
      assert.equal(byWriter.status, 201, JSON.stringify(byWriter.body));
      assert.equal((await call("GET", `${ENDPOINTS}/${main.id}`, sandbox)).body.label, "Main", "nothing changed");
    });

    await t.step("another environment's or organisation's endpoints and deliveries are 404", async () => {
      const other = await world.provisionOrg("other-org");
      const outsiders = [live, other.sandbox_secret_key];
      for (const key of outsiders) {
        for (
          const [method, path, body] of [
            ["GET", `${ENDPOINTS}/${main.id}`, undefined],
            ["PATCH", `${ENDPOINTS}/${main.id}`, { label: "hijacked" }],
            ["DELETE", `${ENDPOINTS}/${main.id}`, undefined],
            ["POST", `${ENDPOINTS}/${main.id}/rotate-secret`, undefined],
            ["POST", `${ENDPOINTS}/${main.id}/clone`, undefined],
            ["POST", `${ENDPOINTS}/${main.id}/test`, undefined],
            ["GET", `${ENDPOINTS}/${main.id}/deliveries`, undefined],
            ["GET", `/api/v1/webhooks/deliveries/${failedDelivery.id}`, undefined],
            ["POST", `/api/v1/webhooks/deliveries/${failedDelivery.id}/retry`, undefined],
          ] as [string, string, unknown][]
        ) {
          assertError(await call(method, path, key, body), 404, "not_found");
        }
        const bySession = await call(
          "GET",
          `/api/v1/webhooks/deliveries?session_id=${failedDelivery.session_id}`,
          key,
        );
        assert.equal(bySession.body.pagination.total, 0);
        const byEndpoint = await call("GET", `/api/v1/webhooks/deliveries?endpoint_id=${main.id}`, key);
        assert.equal(byEndpoint.body.pagination.total, 0);
      }
      const theirs = await call("GET", ENDPOINTS, other.sandbox_secret_key);
      assert.equal(theirs.body.pagination.total, 0);
      const mine = await call("GET", `${ENDPOINTS}/${main.id}`, sandbox);
      assert.equal(mine.body.label, "Main");
      assert.equal(mine.body.secret, main.secret, "nobody rotated it");
    });

    await t.step("every request the receiver got verified under both recipes", () => {
      receiver.assertAllVerified();
    });
  } finally {
    await worker.stop();
    await receiver.close();
    await world.close();
  }
});
