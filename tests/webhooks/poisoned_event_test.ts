/**
 * One event whose webhook payload cannot be built (planted in the outbox with a stored payload of
 * the wrong shape, as a bad migration or a corrupted row would leave it) must not stop the relay:
 * its deliveries are marked failed, the log gets an alert with ids only, and another tenant's
 * webhooks (and the same tenant's other events) are still delivered by the real worker.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createApp } from "../../api/app.ts";
import { createLogger } from "../../core/logger.ts";
import { newId } from "../../core/ids.ts";
import { createTestWorld } from "../helpers/test_app.ts";
import { createSession } from "../helpers/sessions.ts";
import { createEndpoint, endpointDeliveries, waitUntil, WebhookReceiver } from "../helpers/webhook_receiver.ts";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { PAYLOAD_UNAVAILABLE } from "../../core/webhooks/deliveries.ts";

Deno.test("a poisoned outbox event is isolated: other tenants' webhooks keep flowing", async (t) => {
  const world = await createTestWorld();
  const lines: string[] = [];
  world.deps.log = createLogger("debug", (line) => lines.push(line));
  world.app = createApp(world.deps);
  const receiver = WebhookReceiver.start(() => world.clock.now().getTime());
  let worker: WorkerHandle | null = null;
  try {
    const other = await world.provisionOrg("other-tenant");
    const victimKey = world.org.sandbox_secret_key;
    const victimEndpoint = await createEndpoint(world, victimKey, { url: receiver.url("/victim") });
    receiver.route("/victim", [victimEndpoint.secret]);
    const otherEndpoint = await createEndpoint(world, other.sandbox_secret_key, { url: receiver.url("/other") });
    receiver.route("/other", [otherEndpoint.secret]);

    // The poisoned event comes first in the outbox: a case event whose stored payload is JSON null.
    const session = await createSession(world, victimKey, { external_ref: "poison-victim@example.test" });
    const poisonId = newId("evt");
    await world.db.insertInto("events").values({
      id: poisonId,
      org_id: world.org.org_id,
      environment: "sandbox",
      type: "case.created",
      session_id: session.id,
      identity_id: null,
      idempotency_key: newId("idk"),
      payload: sql`'null'::jsonb`,
      created_at: new Date(world.clock.now().getTime() - 60_000),
    }).execute();

    worker = await startWorker(world.deps, world.databaseUrl);

    await t.step("the other tenant's event is delivered", async () => {
      const theirs = await createSession(world, other.sandbox_secret_key, { external_ref: "other-user" });
      await waitUntil(
        () => receiver.on("/other").some((r) => r.json.session_id === theirs.id),
        "the other tenant's session.created to reach its receiver",
      );
      receiver.assertAllVerified();
    });

    await t.step(
      "the poisoned event's delivery is failed and relayed; the tenant's own events still flow",
      async () => {
        await waitUntil(
          () =>
            receiver.on("/victim").some((r) => r.json.event === "session.created" && r.json.session_id === session.id),
          "the victim tenant's own session.created to be delivered",
        );
        const event = await world.db.selectFrom("events").select("relayed_at").where("id", "=", poisonId)
          .executeTakeFirstOrThrow();
        assert.notEqual(event.relayed_at, null, "the poisoned event no longer blocks the outbox");
        const poisoned = (await endpointDeliveries(world, victimEndpoint.id)).filter((d) => d.event_id === poisonId);
        assert.equal(poisoned.length, 1);
        assert.equal(poisoned[0].status, "failed");
        assert.equal(poisoned[0].last_error, PAYLOAD_UNAVAILABLE);
        assert.equal(poisoned[0].payload_enc, null);
        assert.equal(receiver.on("/victim").filter((r) => r.json.event === "case.created").length, 0);
        // A retry has nothing to send: a clear 409, not a delivery stuck retrying.
        const retry = await world.json("POST", `/api/v1/webhooks/deliveries/${poisoned[0].id}/retry`, {
          key: victimKey,
        });
        assert.equal(retry.status, 409, JSON.stringify(retry.body));
      },
    );

    await t.step("the log carries one alert naming ids, without personal data", () => {
      const alerts = lines.map((line) => JSON.parse(line)).filter((entry) =>
        entry.alert === "webhook_payload_unavailable"
      );
      assert.equal(alerts.length, 1, lines.join("\n"));
      assert.equal(alerts[0].level, "error");
      assert.equal(alerts[0].event_id, poisonId);
      assert.equal(alerts[0].org_id, world.org.org_id);
      assert.ok(!lines.join("\n").includes("poison-victim@example.test"));
      assert.equal(lines.filter((line) => line.includes('"relay failed"')).length, 0);
    });
  } finally {
    await worker?.stop();
    await receiver.close();
    await world.close();
  }
});
