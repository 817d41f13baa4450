/**
 * Webhook delivery end to end: the real worker relays outbox events to real loopback receivers
 * that verify every request with the notes' recipe and with the `standardwebhooks` library.
 * Covers the headers, the contract's flat payload (with `api_pii_fields`, `attribute_blocklist`
 * and `key_inflection` applied), every session event of the contract, and `enabled_events`
 * filtering ("*", empty, a list; unsubscribed endpoints get nothing).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { type Body, createSession, ISO_TIMESTAMP, setOrgSettings } from "../helpers/sessions.ts";
import {
  createEndpoint,
  endpointDeliveries,
  type ReceivedRequest,
  simulate,
  TOLERANCE_SECONDS,
  verifyStandardWebhooks,
  verifyVerifaSignature,
  waitForQuiet,
  WebhookReceiver,
} from "../helpers/webhook_receiver.ts";
import { startWorker } from "../../worker/runner.ts";

/** (event, session) pairs a receiver path got, sorted, so counts and duplicates show. */
function received(requests: ReceivedRequest[]): string[] {
  return requests.map((r) => `${r.json.event} ${r.json.session_id ?? r.json.sessionId ?? r.json["session-id"]}`)
    .sort();
}

Deno.test("webhook delivery: signatures, payloads and event coverage", async (t) => {
  const world = await createTestWorld();
  const receiver = WebhookReceiver.start(() => world.clock.now().getTime());
  const worker = await startWorker(world.deps, world.databaseUrl);
  const key = world.org.sandbox_secret_key;
  const endpoints: Record<string, Body> = {};

  async function endpointAt(name: string, body: Record<string, unknown>) {
    const path = `/${name}`;
    const ep = await createEndpoint(world, key, { url: receiver.url(path), ...body });
    receiver.route(path, [ep.secret]);
    endpoints[name] = ep;
    return ep;
  }

  try {
    const sessions: Record<string, Body> = {};

    await t.step("every session event reaches each subscribed endpoint exactly once", async () => {
      await endpointAt("all", {}); // enabled_events defaults to ["*"]
      await endpointAt("star", { enabled_events: ["*"] });
      await endpointAt("empty", { enabled_events: [] });
      await endpointAt("decisions", { enabled_events: ["session.approved", "session.declined"] });
      await endpointAt("identity", { enabled_events: ["identity.created"] });
      assert.deepEqual(endpoints.all.enabled_events, ["*"]);
      assert.deepEqual(endpoints.empty.enabled_events, []);

      sessions.approved = await createSession(world, key, { external_ref: "user-approved" });
      const token = new URL(sessions.approved.capture_url).pathname.split("/").at(-1)!;
      const consent = await world.request("POST", `/verify/${token}/consent`, {
        body: { consent_version: "2026-01-01", accepted: true },
      });
      assert.equal(consent.status, 200, await consent.text());
      await simulate(world, key, sessions.approved.id, "approve");

      sessions.declined = await createSession(world, key, { external_ref: "user-declined" });
      await simulate(world, key, sessions.declined.id, "decline");
      sessions.review = await createSession(world, key, { external_ref: "user-review" });
      await simulate(world, key, sessions.review.id, "require-review");
      sessions.resubmit = await createSession(world, key, { external_ref: "user-resubmit" });
      await simulate(world, key, sessions.resubmit.id, "resubmission_required");
      sessions.expired = await createSession(world, key, { external_ref: "user-expired" });
      const expire = await world.json("POST", `/api/v1/sessions/${sessions.expired.id}/expire`, { key });
      assert.equal(expire.status, 200, JSON.stringify(expire.body));
      sessions.simExpired = await createSession(world, key, { external_ref: "user-sim-expired" });
      await simulate(world, key, sessions.simExpired.id, "expire");

      await waitForQuiet(world);

      const identityEvents = [sessions.approved, sessions.declined, sessions.review, sessions.resubmit]
        .map((s) => `identity.created ${s.id}`);
      const everything = [
        `session.created ${sessions.approved.id}`,
        `session.started ${sessions.approved.id}`,
        `session.approved ${sessions.approved.id}`,
        `session.created ${sessions.declined.id}`,
        `session.declined ${sessions.declined.id}`,
        `session.created ${sessions.review.id}`,
        `session.requires-review ${sessions.review.id}`,
        `case.created ${sessions.review.id}`,
        `session.created ${sessions.resubmit.id}`,
        `session.resubmission-required ${sessions.resubmit.id}`,
        `session.created ${sessions.expired.id}`,
        `session.expired ${sessions.expired.id}`,
        `session.created ${sessions.simExpired.id}`,
        `session.expired ${sessions.simExpired.id}`,
        // Each decided session with an external_ref creates its identity (the payload names the session).
        ...identityEvents,
      ].sort();
      for (const name of ["all", "star", "empty"]) {
        assert.deepEqual(received(receiver.on(`/${name}`)), everything, `endpoint ${name}`);
      }
      assert.deepEqual(
        received(receiver.on("/decisions")),
        [`session.approved ${sessions.approved.id}`, `session.declined ${sessions.declined.id}`].sort(),
      );
      assert.deepEqual(received(receiver.on("/identity")), identityEvents.sort(), "only the events subscribed to");
      for (const name of ["all", "star", "empty", "decisions"]) {
        const rows = await endpointDeliveries(world, endpoints[name].id);
        assert.equal(rows.length, receiver.on(`/${name}`).length, `one delivery row per request on ${name}`);
        assert.ok(rows.every((r) => r.status === "succeeded" && r.attempt_count === 1), `${name} all succeeded`);
      }
      // One idempotency key per event: distinct across events, shared by the endpoints that got the event.
      const keys = receiver.on("/all").map((r) => r.json.idempotency_key);
      assert.equal(new Set(keys).size, keys.length);
      assert.deepEqual(receiver.on("/star").map((r) => r.json.idempotency_key).sort(), [...keys].sort());
    });

    await t.step("headers: X-Verifa-Signature, X-Verifa-Event, X-Verifa-Delivery-Id, Standard Webhooks", async () => {
      const rows = await endpointDeliveries(world, endpoints.all.id);
      for (const r of receiver.on("/all")) {
        const signature = r.headers.get("x-verifa-signature")!;
        assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/, "one v1 outside a rotation");
        const t = Number(/^t=(\d+)/.exec(signature)![1]);
        assert.ok(Math.abs(t * 1000 - r.receiverNowMs) < 60_000, "t is the send time in unix seconds");
        assert.equal(r.headers.get("webhook-timestamp"), String(t));
        assert.match(r.headers.get("webhook-signature")!, /^v1,[A-Za-z0-9+/]+=*$/);
        assert.equal(r.headers.get("webhook-id"), r.json.idempotency_key);
        assert.equal(r.headers.get("x-verifa-event"), r.json.event);
        assert.match(r.headers.get("content-type")!, /^application\/json/);
        const row = rows.find((d) => d.id === r.headers.get("x-verifa-delivery-id"));
        assert.ok(row, "X-Verifa-Delivery-Id names the delivery");
        assert.match(row.id, /^whd_/);
        assert.equal(row.event_type, r.json.event);
        assert.equal(row.idempotency_key, r.json.idempotency_key);
      }
    });

    await t.step("the receiver's recipe and the library reject what they must", () => {
      const r = receiver.on("/all")[0];
      const secret = endpoints.all.secret;
      const header = r.headers.get("x-verifa-signature");
      const now = r.receiverNowMs;
      const t = Number(/^t=(\d+)/.exec(header!)![1]) * 1000;
      assert.ok(verifyVerifaSignature(header, r.rawBody, secret, now));
      assert.ok(verifyStandardWebhooks(r.headers, r.rawBody, secret, now));
      assert.ok(!verifyVerifaSignature(header, r.rawBody, endpoints.star.secret, now), "another endpoint's secret");
      assert.ok(!verifyStandardWebhooks(r.headers, r.rawBody, endpoints.star.secret, now));
      assert.ok(!verifyVerifaSignature(header, r.rawBody + " ", secret, now), "a changed body");
      assert.ok(!verifyStandardWebhooks(r.headers, r.rawBody + " ", secret, now));
      assert.ok(verifyVerifaSignature(header, r.rawBody, secret, t + (TOLERANCE_SECONDS - 1) * 1000));
      assert.ok(!verifyVerifaSignature(header, r.rawBody, secret, t + (TOLERANCE_SECONDS + 1) * 1000), "too old");
      assert.ok(!verifyVerifaSignature(header, r.rawBody, secret, t - (TOLERANCE_SECONDS + 1) * 1000), "too new");
      assert.ok(!verifyStandardWebhooks(r.headers, r.rawBody, secret, t + (TOLERANCE_SECONDS + 5) * 1000));
      assert.ok(!verifyVerifaSignature(header!.replace(/^t=\d+/, "t=abc"), r.rawBody, secret, now), "bad t");
      assert.ok(!verifyVerifaSignature(header!.replace(/,v1=.*$/, ""), r.rawBody, secret, now), "no v1");
    });

    await t.step("the payload is the contract's flat shape", async () => {
      const byEvent = (event: string, sessionId: string) =>
        receiver.on("/all").find((r) => r.json.event === event && r.json.session_id === sessionId)!.json;

      const approved = byEvent("session.approved", sessions.approved.id);
      const result = await world.json<Body>("GET", `/api/v1/sessions/${sessions.approved.id}/result`, { key });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(approved.event, "session.approved");
      assert.match(approved.idempotency_key, /^idk_[a-z0-9]+$/);
      assert.match(approved.created_at, ISO_TIMESTAMP);
      assert.equal(approved.session_id, sessions.approved.id);
      assert.equal(approved.external_ref, "user-approved");
      assert.equal(approved.status, "approved");
      assert.equal(approved.is_sandbox, true);
      assert.ok("identity_id" in approved, "identity_id is part of the payload");
      assert.equal("data" in approved, false, "flat, not the old nested `data` envelope");
      assert.equal(approved.result.face_match_passed, true);
      assert.equal(approved.result.age_check_passed, true);
      assert.equal(approved.result.face_match_passed, result.body.face_match_passed);
      assert.deepEqual(approved.result.extracted_data, result.body.extracted_data);
      assert.equal(approved.result.extracted_data.first_name, "Jane");
      assert.equal(approved.result.extracted_data.last_name, "Doe");

      const declined = byEvent("session.declined", sessions.declined.id);
      assert.equal(declined.external_ref, "user-declined");
      assert.equal(declined.result.face_match_passed, false);
      assert.match(declined.result.rejection_reason, /face/i);

      const review = byEvent("session.requires-review", sessions.review.id);
      assert.equal(review.result.status, "needs_review");
      const resubmit = byEvent("session.resubmission-required", sessions.resubmit.id);
      assert.equal(resubmit.external_ref, "user-resubmit");
      assert.ok(resubmit.result, "the resubmission event carries the result");

      // Lifecycle events report the session status they moved to, and carry no result.
      const lifecycle: [string, string, string][] = [
        ["session.created", sessions.declined.id, "pending"],
        ["session.started", sessions.approved.id, "capturing"],
        ["session.expired", sessions.expired.id, "expired"],
        ["session.expired", sessions.simExpired.id, "expired"],
      ];
      for (const [event, sessionId, status] of lifecycle) {
        const payload = byEvent(event, sessionId);
        assert.equal(payload.status, status, event);
        assert.equal(payload.is_sandbox, true);
        assert.match(payload.idempotency_key, /^idk_/);
        assert.match(payload.created_at, ISO_TIMESTAMP);
        assert.equal(payload.result, undefined, `${event} has no result`);
      }
    });

    await t.step("the session links to its deliveries, and the deliveries filter by session", async () => {
      const session = await world.json<Body>("GET", `/api/v1/sessions/${sessions.approved.id}`, { key });
      assert.equal(session.status, 200);
      const link = session.body.links.webhook_deliveries as string;
      assert.equal(link, `/api/v1/webhooks/deliveries?session_id=${sessions.approved.id}`);
      const list = await world.json<Body>("GET", link, { key });
      assert.equal(list.status, 200, JSON.stringify(list.body));
      // created, started, approved on all/star/empty; approved on decisions.
      assert.equal(list.body.pagination.total, 10);
      assert.ok(list.body.data.every((d: Body) => d.session_id === sessions.approved.id));
      assert.deepEqual(
        list.body.data.filter((d: Body) => d.endpoint_id === endpoints.all.id).map((d: Body) => d.event_type).sort(),
        ["session.approved", "session.created", "session.started"],
      );
    });

    await t.step("api_pii_fields, attribute_blocklist and key_inflection shape the body", async () => {
      const only = { enabled_events: ["session.approved"] };
      await endpointAt("camel", { ...only, key_inflection: "camel" });
      await endpointAt("kebab", { ...only, key_inflection: "kebab" });
      await endpointAt("blocked", {
        ...only,
        attribute_blocklist: ["external_ref", "result.extracted_data.document_number", "result.face_match_score"],
      });
      await setOrgSettings(world, world.org.org_id, { api_pii_fields: ["first_name", "document_number"] });

      const s = await createSession(world, key, { external_ref: "shaped" });
      await simulate(world, key, s.id, "approve");
      await waitForQuiet(world);

      const [plain] = receiver.on("/decisions").filter((r) => r.json.session_id === s.id);
      assert.deepEqual(plain.json.result.extracted_data, { first_name: "Jane", document_number: "D1234567" });
      assert.equal(plain.json.result.face_match_score, 0.95);

      const [blocked] = receiver.on("/blocked");
      assert.equal("external_ref" in blocked.json, false);
      assert.equal("face_match_score" in blocked.json.result, false);
      assert.deepEqual(blocked.json.result.extracted_data, { first_name: "Jane" });
      assert.equal(blocked.json.session_id, s.id, "everything else stays");
      assert.equal(blocked.json.result.face_match_passed, true);

      const [camel] = receiver.on("/camel");
      assert.equal(camel.json.event, "session.approved");
      assert.match(camel.json.idempotencyKey, /^idk_/);
      assert.equal(camel.json.sessionId, s.id);
      assert.equal(camel.json.externalRef, "shaped");
      assert.equal(camel.json.isSandbox, true);
      assert.ok("identityId" in camel.json);
      assert.equal(camel.json.result.faceMatchPassed, true);
      assert.equal(camel.json.result.ageCheckPassed, true);
      assert.deepEqual(camel.json.result.extractedData, { firstName: "Jane", documentNumber: "D1234567" });
      assert.equal(camel.json.session_id, undefined);
      assert.equal(camel.json.idempotencyKey, plain.json.idempotency_key, "same event, same key");

      const [kebab] = receiver.on("/kebab");
      assert.equal(kebab.json["session-id"], s.id);
      assert.equal(kebab.json["external-ref"], "shaped");
      assert.equal(kebab.json["is-sandbox"], true);
      assert.equal(kebab.json.result["face-match-passed"], true);
      assert.deepEqual(kebab.json.result["extracted-data"], { "first-name": "Jane", "document-number": "D1234567" });
    });

    await t.step("every request every receiver got verified under both recipes", () => {
      // Plus identity.created of the five sessions decided with an external_ref, to all, star, empty and identity.
      assert.equal(receiver.requests.length, 3 * 14 + 2 + 3 + 7 + 5 * 4, "nothing more than the subscribed events");
      receiver.assertAllVerified();
      assert.ok(receiver.requests.every((r) => r.answered === 200));
    });

    await t.step("event_filter_conditions narrow deliveries by payload fields", async () => {
      await endpointAt("vip", {
        enabled_events: ["session.approved", "session.declined"],
        event_filter_conditions: { external_ref: ["vip-1", "vip-2"], "result.status": "approved" },
      });
      const vip = await createSession(world, key, { external_ref: "vip-1" });
      const vipDeclined = await createSession(world, key, { external_ref: "vip-2" });
      const other = await createSession(world, key, { external_ref: "someone-else" });
      await simulate(world, key, vip.id, "approve");
      await simulate(world, key, vipDeclined.id, "decline");
      await simulate(world, key, other.id, "approve");
      await waitForQuiet(world);
      assert.deepEqual(received(receiver.on("/vip")), [`session.approved ${vip.id}`]);
    });
  } finally {
    await worker.stop();
    await receiver.close();
    await world.close();
  }
});
