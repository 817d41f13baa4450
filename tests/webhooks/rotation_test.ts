/**
 * Secret rotation: after rotate-secret, deliveries during the 24-hour grace period carry one
 * signature per valid secret and verify with either (the notes' recipe and the standardwebhooks
 * library alike); once the TestClock passes the grace period only the new secret signs.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { type Body, createSession } from "../helpers/sessions.ts";
import {
  createEndpoint,
  endpointDeliveries,
  type ReceivedRequest,
  simulate,
  verifyStandardWebhooks,
  verifyVerifaSignature,
  waitForDeliveryStatus,
  waitForQuiet,
  waitUntil,
  WebhookReceiver,
} from "../helpers/webhook_receiver.ts";
import { startWorker } from "../../worker/runner.ts";

const HOUR_MS = 3_600_000;

function verifiesWith(r: ReceivedRequest, secret: string): { recipe: boolean; library: boolean } {
  return {
    recipe: verifyVerifaSignature(r.headers.get("x-verifa-signature"), r.rawBody, secret, r.receiverNowMs),
    library: verifyStandardWebhooks(r.headers, r.rawBody, secret, r.receiverNowMs),
  };
}

Deno.test("webhook secret rotation with a 24-hour grace period", async (t) => {
  const world = await createTestWorld();
  const receiver = WebhookReceiver.start(() => world.clock.now().getTime());
  const worker = await startWorker(world.deps, world.databaseUrl);
  const key = world.org.sandbox_secret_key;
  const path = "/rotating";

  /** Approves a fresh session and returns the one request its approval produced on the receiver. */
  async function approvalDelivery(ref: string): Promise<ReceivedRequest> {
    const s = await createSession(world, key, { external_ref: ref });
    await simulate(world, key, s.id, "approve");
    await waitForQuiet(world);
    const requests = receiver.on(path).filter((r) => r.json.session_id === s.id);
    assert.equal(requests.length, 1, `one delivery for ${ref}`);
    assert.equal(requests[0].answered, 200, "the receiver accepted it");
    return requests[0];
  }

  try {
    const ep = await createEndpoint(world, key, { url: receiver.url(path), enabled_events: ["session.approved"] });
    const oldSecret = ep.secret as string;
    let newSecret = "";

    await t.step("before rotation one secret signs", async () => {
      receiver.route(path, [oldSecret]);
      const r = await approvalDelivery("before");
      assert.match(r.headers.get("x-verifa-signature")!, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.equal(r.headers.get("webhook-signature")!.split(" ").length, 1);
      assert.deepEqual(verifiesWith(r, oldSecret), { recipe: true, library: true });
    });

    await t.step("rotate-secret returns a new secret and the grace period's end", async () => {
      const res = await world.json<Body>("POST", `/api/v1/webhooks/endpoints/${ep.id}/rotate-secret`, { key });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      newSecret = res.body.secret;
      assert.match(newSecret, /^whsec_[A-Za-z0-9+/]+=*$/);
      assert.notEqual(newSecret, oldSecret);
      assert.equal(res.body.id, ep.id);
      const graceEnd = new Date(res.body.previous_secret_expires_at).getTime();
      const expected = world.clock.now().getTime() + 24 * HOUR_MS;
      assert.ok(
        Math.abs(graceEnd - expected) < 60_000,
        `grace ends 24 h from now (${res.body.previous_secret_expires_at})`,
      );
      const read = await world.json<Body>("GET", `/api/v1/webhooks/endpoints/${ep.id}`, { key });
      assert.equal(read.body.secret, newSecret, "a sandbox secret stays readable: the new one");
    });

    await t.step("during the grace period both secrets sign; a receiver on either one verifies", async () => {
      // A receiver that has not switched yet.
      receiver.setSecrets(path, [oldSecret]);
      const stillOld = await approvalDelivery("grace-old-receiver");
      // A receiver that already switched.
      receiver.setSecrets(path, [newSecret]);
      const switched = await approvalDelivery("grace-new-receiver");
      for (const r of [stillOld, switched]) {
        assert.match(r.headers.get("x-verifa-signature")!, /^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
        assert.equal(r.headers.get("webhook-signature")!.split(" ").length, 2);
        assert.deepEqual(verifiesWith(r, oldSecret), { recipe: true, library: true }, "old secret verifies");
        assert.deepEqual(verifiesWith(r, newSecret), { recipe: true, library: true }, "new secret verifies");
      }
      // Halfway through the grace period it still holds, and the test event is signed the same way.
      world.clock.advance(12 * HOUR_MS);
      receiver.setSecrets(path, [oldSecret]);
      const test = await world.json<Body>("POST", `/api/v1/webhooks/endpoints/${ep.id}/test`, { key });
      assert.equal(test.status, 200, JSON.stringify(test.body));
      assert.equal(test.body.success, true, JSON.stringify(test.body));
      const r = receiver.on(path).at(-1)!;
      assert.equal(r.json.event, "webhook.test");
      assert.deepEqual(verifiesWith(r, oldSecret), { recipe: true, library: true });
      assert.deepEqual(verifiesWith(r, newSecret), { recipe: true, library: true });
    });

    await t.step("after 24 h only the new secret signs", async () => {
      world.clock.advance(12 * HOUR_MS + 60_000);
      receiver.setSecrets(path, [newSecret]);
      const r = await approvalDelivery("after-grace");
      assert.match(r.headers.get("x-verifa-signature")!, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.equal(r.headers.get("webhook-signature")!.split(" ").length, 1);
      assert.deepEqual(verifiesWith(r, newSecret), { recipe: true, library: true });
      assert.deepEqual(verifiesWith(r, oldSecret), { recipe: false, library: false }, "the old secret is dead");
      // The signature's t follows the sender's clock: against a clock 24 h behind it is a replay.
      assert.ok(!verifyVerifaSignature(r.headers.get("x-verifa-signature"), r.rawBody, newSecret, Date.now()));
      const read = await world.json<Body>("GET", `/api/v1/webhooks/endpoints/${ep.id}`, { key });
      assert.equal(read.body.secret, newSecret);
    });

    await t.step("a receiver still on the old secret after the grace period rejects the delivery", async () => {
      receiver.setSecrets(path, [oldSecret]);
      const s = await createSession(world, key, { external_ref: "old-receiver-late" });
      await simulate(world, key, s.id, "approve");
      const first = () => receiver.on(path).find((r) => r.json.session_id === s.id);
      await waitUntil(() => first() !== undefined, "the first attempt");
      assert.equal(first()!.answered, 401);
      assert.equal(first()!.recipeOk, false);
      assert.equal(first()!.libraryOk, false);
      // The receiver switches to the new secret; the scheduled retry (counted on the queue's own
      // clock, so the TestClock's jump does not delay it) then gets through.
      receiver.setSecrets(path, [newSecret]);
      const delivery = (await endpointDeliveries(world, ep.id)).find((d) => d.session_id === s.id)!;
      const done = await waitForDeliveryStatus(world, key, delivery.id, "succeeded");
      assert.deepEqual(done.attempt_log.map((a: Body) => a.status_code), [401, 200]);
      assert.equal(receiver.on(path).filter((r) => r.json.session_id === s.id).at(-1)!.answered, 200);
    });

    await t.step("every accepted request verified under both recipes", () => {
      const accepted = receiver.requests.filter((r) => r.answered === 200);
      assert.ok(accepted.length >= 5);
      assert.ok(accepted.every((r) => r.recipeOk && r.libraryOk));
    });
  } finally {
    await worker.stop();
    await receiver.close();
    await world.close();
  }
});
