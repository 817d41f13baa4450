import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { signIn } from "../helpers/dashboard_pages.ts";
import { WebhookReceiver } from "../helpers/webhook_receiver.ts";
import { createEndpoint } from "../../core/webhooks/endpoints.ts";
import { insertFailedDelivery } from "../helpers/deliveries.ts";

function attribute(html: string, name: string): string {
  const match = new RegExp(`${name}="([^"]+)"`).exec(html);
  assert.ok(match, `no ${name} in the page`);
  return match[1];
}

function secretIn(html: string): string {
  const match = /<code id="secret-value"[^>]*>([^<]+)<\/code>/.exec(html);
  assert.ok(match, "no secret on the page");
  return match[1];
}

Deno.test("dashboard developers pages", async (t) => {
  const world = await createTestWorld();
  const receiver = WebhookReceiver.start(() => world.clock.now().getTime());
  try {
    const admin = await signIn(world, world.org.org_id, "admin");
    const viewer = await signIn(world, world.org.org_id, "viewer");
    const other = await world.provisionOrg("other-org");
    const outsider = await signIn(world, other.org_id, "admin");

    let keyId = "";
    let keySecret = "";

    await t.step("creating an API key shows its secret once, with the scopes chosen", async () => {
      const created = await admin.post("/dashboard/developers/api-keys", {
        label: "Back office",
        type: "secret",
        scopes: ["sessions:read", "webhooks:read"],
      });
      assert.equal(created.status, 201);
      assert.equal(created.headers.get("cache-control"), "no-store");
      keySecret = secretIn(created.html);
      assert.match(keySecret, /^vk_sandbox_/);
      assert.match(created.html, /data-action="copy"/);
      keyId = attribute(created.html, "data-key-id");
      const row = await world.db.selectFrom("api_keys").selectAll().where("id", "=", keyId).executeTakeFirstOrThrow();
      assert.deepEqual(row.scopes, ["sessions:read", "webhooks:read"]);
      assert.equal(row.org_id, world.org.org_id);
      assert.equal(row.environment, "sandbox");

      // The key works with exactly those scopes.
      assert.equal((await world.request("GET", "/api/v1/webhooks/endpoints", { key: keySecret })).status, 200);
      assert.equal((await world.request("GET", "/api/v1/workflows", { key: keySecret })).status, 403);

      // Never again: the list shows the prefix, not the secret.
      const list = await admin.page("/dashboard/developers/api-keys");
      assert.equal(list.status, 200);
      assert.ok(!list.html.includes(keySecret));
      assert.ok(list.html.includes(`${row.key_prefix}…`));
      assert.match(list.html, /Back office/);
      assert.match(list.html, /sessions:read, webhooks:read/);
    });

    await t.step("a bad key form shows the errors per field", async () => {
      const refused = await admin.post("/dashboard/developers/api-keys", {
        label: "x",
        type: "secret",
        scopes: ["sessions:read", "root:everything"],
        expires_on: "2001-01-01",
      });
      assert.equal(refused.status, 422);
      assert.match(refused.html, /data-field="scopes"/);
      assert.match(refused.html, /root:everything is not a known scope/);
      assert.match(refused.html, /data-field="expires_on"/);
      const none = await admin.post("/dashboard/developers/api-keys", { label: "y", type: "secret" });
      assert.equal(none.status, 422);
      assert.match(none.html, /choose at least one scope/);
    });

    await t.step("revoking a key stops it authenticating", async () => {
      const revoked = await admin.post(`/dashboard/developers/api-keys/${keyId}/revoke`, {});
      assert.equal(revoked.status, 303);
      assert.equal(revoked.location, "/dashboard/developers/api-keys?notice=revoked");
      assert.equal((await world.request("GET", "/api/v1/webhooks/endpoints", { key: keySecret })).status, 401);
      const list = await admin.page(revoked.location!);
      assert.match(list.html, /Revoked/);
    });

    let endpointId = "";
    let endpointSecret = "";

    await t.step("adding an endpoint shows its signing secret once", async () => {
      const created = await admin.post("/dashboard/developers/webhooks", {
        url: receiver.url("/hook"),
        label: "Receiver",
        enabled_events: ["session.approved", "session.declined"],
      });
      assert.equal(created.status, 201);
      assert.equal(created.headers.get("cache-control"), "no-store");
      endpointSecret = secretIn(created.html);
      assert.match(endpointSecret, /^whsec_/);
      endpointId = attribute(created.html, "data-endpoint-id");
      const row = await world.db.selectFrom("webhook_endpoints").selectAll().where("id", "=", endpointId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row.enabled_events, ["session.approved", "session.declined"]);
      receiver.route("/hook", [endpointSecret]);

      const bad = await admin.post("/dashboard/developers/webhooks", { url: "ftp://example.com/x" });
      assert.equal(bad.status, 422);
      assert.match(bad.html, /data-field="url"/);
    });

    await t.step("Send test event delivers a signed test and shows the outcome and its attempt", async () => {
      const sent = await admin.post(`/dashboard/developers/webhooks/${endpointId}/test`, {});
      assert.equal(sent.status, 303);
      assert.match(sent.location!, new RegExp(`^/dashboard/developers/webhooks/${endpointId}\\?test=whd_`));
      assert.equal(receiver.on("/hook").length, 1);
      receiver.assertAllVerified();
      assert.equal(receiver.on("/hook")[0].json.event, "webhook.test");

      const page = await admin.page(sent.location!);
      assert.equal(page.status, 200);
      assert.match(page.html, /data-test-result="succeeded"/);
      assert.match(page.html, /Test event: Delivered \(HTTP 200\)/);
      assert.match(page.html, /webhook.test \(test\)/);
      assert.match(page.html, /data-attempt="1"/);
    });

    await t.step("Rotate secret shows the new secret once; both secrets sign for the grace period", async () => {
      const rotated = await admin.post(`/dashboard/developers/webhooks/${endpointId}/rotate-secret`, {});
      assert.equal(rotated.status, 200);
      assert.equal(rotated.headers.get("cache-control"), "no-store");
      const newSecret = secretIn(rotated.html);
      assert.notEqual(newSecret, endpointSecret);
      // The receiver now only accepts the new secret: the next test event must verify with it.
      receiver.setSecrets("/hook", [newSecret]);
      const sent = await admin.post(`/dashboard/developers/webhooks/${endpointId}/test`, {});
      assert.equal(sent.status, 303);
      assert.equal(receiver.on("/hook").length, 2);
      receiver.assertAllVerified();
      const page = await admin.page(`/dashboard/developers/webhooks/${endpointId}`);
      assert.ok(!page.html.includes(newSecret));
      assert.match(page.html, /The previous secret also signs until/);
    });

    let failedId = "";

    await t.step("a failed delivery can be retried by an admin", async () => {
      // A delivery that used up its retries (the relay's own rows are exercised in tests/webhooks/).
      failedId = await insertFailedDelivery(world, { endpointId, url: receiver.url("/hook") });
      const page = await admin.page(`/dashboard/developers/webhooks/${endpointId}`);
      assert.match(page.html, new RegExp(`data-delivery-id="${failedId}" data-status="failed"`));
      assert.ok(page.html.includes(`/dashboard/developers/webhooks/deliveries/${failedId}/retry`));

      assert.equal((await viewer.post(`/dashboard/developers/webhooks/deliveries/${failedId}/retry`, {})).status, 403);
      const retried = await admin.post(`/dashboard/developers/webhooks/deliveries/${failedId}/retry`, {});
      assert.equal(retried.status, 303);
      assert.equal(retried.location, `/dashboard/developers/webhooks/${endpointId}?notice=retried`);
      const row = await world.db.selectFrom("webhook_deliveries").select("status").where("id", "=", failedId)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, "retrying");
      // A second retry while one is queued is refused on the page.
      const again = await admin.post(`/dashboard/developers/webhooks/deliveries/${failedId}/retry`, {});
      assert.equal(again.status, 409);
      assert.match(again.html, /Only failed deliveries can be retried/);
    });

    await t.step("a viewer sees the pages but gets 403 on every change", async () => {
      assert.equal((await viewer.page("/dashboard/developers/api-keys")).status, 200);
      const endpointPage = await viewer.page(`/dashboard/developers/webhooks/${endpointId}`);
      assert.equal(endpointPage.status, 200);
      assert.ok(!endpointPage.html.includes('data-action="send-test"'));
      const before = await world.db.selectFrom("api_keys").select("id").execute();
      for (
        const [path, form] of [
          ["/dashboard/developers/api-keys", { label: "v", type: "secret", scopes: ["sessions:read"] }],
          [`/dashboard/developers/api-keys/${keyId}/revoke`, {}],
          ["/dashboard/developers/webhooks", { url: receiver.url("/viewer") }],
          [`/dashboard/developers/webhooks/${endpointId}/test`, {}],
          [`/dashboard/developers/webhooks/${endpointId}/rotate-secret`, {}],
          [`/dashboard/developers/webhooks/${endpointId}/disable`, {}],
          [`/dashboard/developers/webhooks/${endpointId}/delete`, {}],
        ] as const
      ) {
        assert.equal((await viewer.post(path, form)).status, 403, path);
      }
      assert.equal((await world.db.selectFrom("api_keys").select("id").execute()).length, before.length);
      assert.equal(receiver.on("/hook").length, 2);
    });

    await t.step("another organisation's keys, endpoints and deliveries are 404s", async () => {
      const { row: foreign } = await createEndpoint(world.deps, { orgId: other.org_id, environment: "sandbox" }, {
        url: receiver.url("/other"),
      });
      assert.equal((await outsider.page(`/dashboard/developers/webhooks/${endpointId}`)).status, 404);
      assert.equal((await outsider.post(`/dashboard/developers/webhooks/${endpointId}/test`, {})).status, 404);
      assert.equal((await outsider.post(`/dashboard/developers/webhooks/${endpointId}/rotate-secret`, {})).status, 404);
      assert.equal((await outsider.post(`/dashboard/developers/api-keys/${keyId}/revoke`, {})).status, 404);
      const retry = await outsider.post(`/dashboard/developers/webhooks/deliveries/${failedId}/retry`, {});
      assert.equal(retry.status, 404);
      assert.equal((await admin.page(`/dashboard/developers/webhooks/${foreign.id}`)).status, 404);
      const list = await outsider.page("/dashboard/developers/webhooks");
      assert.ok(!list.html.includes(endpointId));
      assert.ok(list.html.includes(foreign.id));
      assert.equal(receiver.on("/hook").length, 2);
    });
  } finally {
    await receiver.close();
    await world.close();
  }
});
