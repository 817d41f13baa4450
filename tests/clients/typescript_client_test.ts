/**
 * Owns the typed client's tests against a real running app (a listening server, the real worker
 * relaying webhooks): the README tutorial through `createVerifaClient` (create a session, simulate
 * approve, read the result), Idempotency-Key replays, error bodies as VerifaApiError, and a real
 * webhook delivery verified with the client's `verifyWebhookSignature` (and refused when tampered).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { startAppServer } from "../helpers/browser.ts";
import { waitUntil, WebhookReceiver } from "../helpers/webhook_receiver.ts";
import { jsonPointer, schemaProblems } from "../helpers/openapi_validator.ts";
import { startWorker } from "../../worker/runner.ts";
import { createVerifaClient, type Schemas, VerifaApiError } from "../../clients/typescript/client.ts";
import { parseWebhook, verifyWebhookSignature, WebhookSignatureError } from "../../clients/typescript/webhooks.ts";

Deno.test("typed client: the tutorial and a signed webhook against a running app", async (t) => {
  const world = await createTestWorld();
  const server = await startAppServer(world);
  const worker = await startWorker(world.deps, world.databaseUrl);
  const receiver = WebhookReceiver.start();
  const client = createVerifaClient({ baseUrl: server.url, apiKey: world.org.sandbox_secret_key });
  try {
    const endpoint: Schemas["WebhookEndpoint"] = await client.request("post", "/api/v1/webhooks/endpoints", {
      body: { url: receiver.url("/hooks"), enabled_events: ["session.approved"] },
    });
    assert.match(endpoint.secret ?? "", /^whsec_/);
    receiver.route("/hooks", [endpoint.secret!]);

    let sessionId = "";
    await t.step("the tutorial: create a session, simulate approve, read the result", async () => {
      const created = await client.request("post", "/api/v1/sessions", {
        body: { external_ref: "user_123", country: "US" },
        idempotencyKey: "tutorial-1",
      });
      assert.match(created.id, /^ses_/);
      assert.equal(created.status, "pending");
      assert.match(created.capture_url, new RegExp(`^${server.url}/verify/`));
      sessionId = created.id;

      const replayed = await client.request("post", "/api/v1/sessions", {
        body: { external_ref: "user_123", country: "US" },
        idempotencyKey: "tutorial-1",
      });
      assert.equal(replayed.id, created.id, "the same Idempotency-Key answers the first session again");

      const simulated = await client.request("post", "/api/v1/sessions/{id}/simulate", {
        path: { id: sessionId },
        body: { action: "approve" },
      });
      assert.equal(simulated.status, "completed");

      const result = await client.request("get", "/api/v1/sessions/{id}/result", { path: { id: sessionId } });
      assert.equal(result.status, "approved");
      assert.equal(result.session_id, sessionId);
      assert.equal(result.face_match_score, 0.95);
    });

    await t.step("an error answer is a VerifaApiError with the contract's code", async () => {
      const missing = await client.request("get", "/api/v1/sessions/{id}", { path: { id: "ses_nope" } })
        .then(() => null, (error) => error);
      assert.ok(missing instanceof VerifaApiError);
      assert.equal(missing.status, 404);
      assert.equal(missing.code, "not_found");
      assert.ok(missing.requestId);

      const invalid = await client.request("post", "/api/v1/sessions", { body: { country: "USA" } })
        .then(() => null, (error) => error);
      assert.ok(invalid instanceof VerifaApiError);
      assert.equal(invalid.status, 422);
      assert.ok(invalid.fields?.country, JSON.stringify(invalid.fields));
    });

    await t.step("the session.approved delivery verifies with the client's verifier", async () => {
      await waitUntil(() => receiver.on("/hooks").length > 0, "the session.approved delivery");
      const [delivery] = receiver.on("/hooks");
      const signature = delivery.headers.get("x-verifa-signature");
      await verifyWebhookSignature(delivery.rawBody, signature, endpoint.secret!);
      const event = await parseWebhook(delivery.rawBody, signature, ["whsec_old", endpoint.secret!]);
      assert.equal(event.event, "session.approved");
      assert.equal((event as Schemas["SessionApprovedEvent"]).session_id, sessionId);
      // The delivered payload is the one the document's webhooks section describes.
      assert.deepEqual(schemaProblems(jsonPointer("components", "schemas", "SessionApprovedEvent"), event), []);

      const refusals: [string, string | null, string][] = [
        [delivery.rawBody.replace("approved", "declined"), signature, endpoint.secret!],
        [delivery.rawBody, signature, "whsec_someone_else"],
        [delivery.rawBody, null, endpoint.secret!],
      ];
      for (const [body, header, secret] of refusals) {
        await assert.rejects(verifyWebhookSignature(body, header, secret), WebhookSignatureError);
      }
      const tomorrow = Date.now() + 86_400_000;
      await assert.rejects(
        verifyWebhookSignature(delivery.rawBody, signature, endpoint.secret!, { now: tomorrow }),
        WebhookSignatureError,
      );
    });
  } finally {
    await receiver.close();
    await worker.stop();
    await server.close();
    await world.close();
  }
});
