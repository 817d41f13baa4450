/**
 * Delivery rules against a real loopback receiver and the real worker: non-2xx answers are retried
 * on the schedule (milliseconds in tests) with the same body and idempotency key, then `failed`
 * with every attempt recorded; a hanging receiver times out; redirects are not followed; ten
 * failed deliveries in a row disable the endpoint until PATCH re-enables it.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { createSession, ISO_TIMESTAMP } from "../helpers/sessions.ts";
import {
  createEndpoint,
  endpointDeliveries,
  simulate,
  waitForDeliveryStatus,
  waitForEndpointDeliveries,
  waitForQuiet,
  waitUntil,
  WebhookReceiver,
} from "../helpers/webhook_receiver.ts";
import { startWorker } from "../../worker/runner.ts";

Deno.test("webhook delivery: retries, timeouts, redirects, circuit breaker", async (t) => {
  const world = await createTestWorld();
  const schedule = world.deps.webhooks.retryScheduleMs;
  const timeoutMs = world.deps.webhooks.timeoutMs;
  const receiver = WebhookReceiver.start(() => world.clock.now().getTime());
  const target = WebhookReceiver.start(() => world.clock.now().getTime());
  const worker = await startWorker(world.deps, world.databaseUrl);
  const key = world.org.sandbox_secret_key;
  const stopTrickles: (() => void)[] = [];

  /** An endpoint on its own receiver path; deleted at the end of its step so later events skip it. */
  async function endpointAt(path: string, events: string[], respond?: Parameters<WebhookReceiver["route"]>[2]) {
    const ep = await createEndpoint(world, key, { url: receiver.url(path), enabled_events: events });
    receiver.route(path, [ep.secret], respond);
    return ep;
  }
  async function remove(endpointId: string) {
    const res = await world.json("DELETE", `/api/v1/webhooks/endpoints/${endpointId}`, { key });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }

  try {
    assert.deepEqual([...schedule], [50, 100, 150, 200, 250], "the test world's retry schedule");

    await t.step("a receiver answering 500 sees 1 + 5 attempts in order, same body and key, then failed", async () => {
      const path = "/always-500";
      const ep = await endpointAt(path, ["session.approved"], () => new Response("boom", { status: 500 }));
      const session = await createSession(world, key, { external_ref: "retry-500" });
      await simulate(world, key, session.id, "approve");

      const [listed] = await waitForEndpointDeliveries(world, key, ep.id, 1);
      const delivery = await waitForDeliveryStatus(world, key, listed.id, "failed");
      await waitForQuiet(world);

      const requests = receiver.on(path);
      assert.equal(requests.length, 1 + schedule.length, "one attempt plus one per retry, no more");
      const first = requests[0];
      assert.equal(first.json.event, "session.approved");
      assert.equal(first.json.session_id, session.id);
      assert.match(first.json.idempotency_key, /^idk_/);
      for (const [i, r] of requests.entries()) {
        assert.equal(r.rawBody, first.rawBody, `attempt ${i + 1} carries the same body`);
        assert.equal(r.json.idempotency_key, first.json.idempotency_key);
        assert.equal(r.headers.get("webhook-id"), first.json.idempotency_key, "webhook-id is the idempotency key");
        assert.equal(r.headers.get("x-verifa-delivery-id"), delivery.id);
        assert.equal(r.headers.get("x-verifa-event"), "session.approved");
        assert.equal(r.answered, 500);
        if (i > 0) {
          // Each retry waits at least the scheduled delay less the 10 % jitter.
          const gap = r.receivedAtMs - requests[i - 1].receivedAtMs;
          assert.ok(gap >= Math.floor(schedule[i - 1] * 0.9) - 2, `retry ${i} came after ${gap} ms`);
        }
      }

      assert.equal(delivery.status, "failed");
      assert.equal(delivery.attempts, 6);
      assert.equal(delivery.last_status_code, 500);
      assert.equal(delivery.last_error, "HTTP 500");
      assert.equal(delivery.next_attempt_at, null);
      assert.match(delivery.completed_at, ISO_TIMESTAMP);
      assert.equal(delivery.idempotency_key, first.json.idempotency_key);
      assert.equal(delivery.attempt_log.length, 6);
      for (const [i, attempt] of delivery.attempt_log.entries()) {
        assert.equal(attempt.attempt, i + 1);
        assert.equal(attempt.status_code, 500);
        assert.equal(attempt.error, "HTTP 500");
        assert.equal(attempt.response_excerpt, "boom");
        assert.ok(Number.isInteger(attempt.duration_ms) && attempt.duration_ms >= 0, "latency recorded");
        assert.match(attempt.started_at, ISO_TIMESTAMP);
        if (i > 0) assert.ok(attempt.started_at >= delivery.attempt_log[i - 1].started_at, "attempts in order");
      }
      const endpoint = await world.json<Record<string, unknown>>("GET", `/api/v1/webhooks/endpoints/${ep.id}`, { key });
      assert.equal(endpoint.body.consecutive_failures, 1);
      assert.equal(endpoint.body.enabled, true, "one failed delivery does not disable the endpoint");
      await remove(ep.id);
    });

    await t.step("a receiver that fails twice then answers 200: succeeded after 3 attempts", async () => {
      const path = "/flaky";
      const ep = await endpointAt(
        path,
        ["session.approved"],
        (r) => r.nth <= 2 ? new Response("not yet", { status: 503 }) : new Response("thanks"),
      );
      const session = await createSession(world, key, { external_ref: "retry-flaky" });
      await simulate(world, key, session.id, "approve");
      const [listed] = await waitForEndpointDeliveries(world, key, ep.id, 1);
      const delivery = await waitForDeliveryStatus(world, key, listed.id, "succeeded");
      await waitForQuiet(world);

      const requests = receiver.on(path);
      assert.equal(requests.length, 3);
      assert.deepEqual(requests.map((r) => r.answered), [503, 503, 200]);
      assert.ok(requests.every((r) => r.rawBody === requests[0].rawBody), "same body on every attempt");
      assert.equal(delivery.attempts, 3);
      assert.equal(delivery.last_status_code, 200);
      assert.equal(delivery.last_error, null);
      assert.deepEqual(delivery.attempt_log.map((a: { status_code: number }) => a.status_code), [503, 503, 200]);
      assert.deepEqual(delivery.attempt_log.map((a: { error: string | null }) => a.error), [
        "HTTP 503",
        "HTTP 503",
        null,
      ]);
      assert.equal(delivery.attempt_log[2].response_excerpt, "thanks");
      const endpoint = await world.json<Record<string, unknown>>("GET", `/api/v1/webhooks/endpoints/${ep.id}`, { key });
      assert.equal(endpoint.body.consecutive_failures, 0);
      await remove(ep.id);
    });

    await t.step("a receiver that hangs past the timeout counts as a failed attempt", async () => {
      const path = "/hang-once";
      const ep = await endpointAt(
        path,
        ["session.approved"],
        (r) => r.nth === 1 ? receiver.hang() : new Response("ok"),
      );
      const session = await createSession(world, key, { external_ref: "retry-hang" });
      await simulate(world, key, session.id, "approve");
      const [listed] = await waitForEndpointDeliveries(world, key, ep.id, 1);
      const delivery = await waitForDeliveryStatus(world, key, listed.id, "succeeded");
      assert.equal(delivery.attempts, 2);
      const [hung, answered] = delivery.attempt_log;
      assert.equal(hung.status_code, null);
      assert.match(hung.error, /no response within/);
      assert.ok(hung.duration_ms >= timeoutMs - 50, `the attempt waited the timeout (${hung.duration_ms} ms)`);
      assert.ok(hung.duration_ms < timeoutMs + 1_500, `and not much longer (${hung.duration_ms} ms)`);
      assert.equal(answered.status_code, 200);
      assert.equal(receiver.on(path).length, 2);
      await remove(ep.id);
    });

    await t.step("the test endpoint reports a hanging receiver as a timeout", async () => {
      const path = "/hang-test";
      const ep = await endpointAt(path, ["identity.archived"], () => receiver.hang());
      const res = await world.json<Record<string, unknown>>("POST", `/api/v1/webhooks/endpoints/${ep.id}/test`, {
        key,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.success, false);
      assert.equal(res.body.http_status, null);
      assert.match(res.body.error as string, /no response within/);
      assert.equal(receiver.on(path).length, 1);
      await remove(ep.id);
    });

    await t.step(
      "a receiver that answers at once but trickles its body cannot hold an attempt past the timeout",
      async () => {
        /** Sends the status at once, then one byte every 100 ms until the client goes away. */
        const trickle = (status: number) => {
          let open = true;
          const body = new ReadableStream<Uint8Array>({
            async pull(controller) {
              await new Promise((resolve) => setTimeout(resolve, 100));
              if (open) controller.enqueue(new TextEncoder().encode("."));
              else controller.close();
            },
            cancel() {
              open = false;
            },
          });
          stopTrickles.push(() => open = false);
          return new Response(body, { status });
        };

        const testPath = "/trickle-test";
        const testEp = await endpointAt(testPath, ["identity.archived"], () => trickle(200));
        const t0 = performance.now();
        const res = await world.json<Record<string, unknown>>("POST", `/api/v1/webhooks/endpoints/${testEp.id}/test`, {
          key,
        });
        const elapsed = performance.now() - t0;
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(elapsed >= timeoutMs - 50 && elapsed < timeoutMs + 1_500, `the test call took ${elapsed} ms`);
        assert.equal(res.body.http_status, 200, "the status arrived in time and decides");
        assert.equal(res.body.success, true);
        await remove(testEp.id);

        const path = "/trickle-500-once";
        const ep = await endpointAt(path, ["session.approved"], (r) => r.nth === 1 ? trickle(500) : new Response("ok"));
        const session = await createSession(world, key, { external_ref: "retry-trickle" });
        await simulate(world, key, session.id, "approve");
        const [listed] = await waitForEndpointDeliveries(world, key, ep.id, 1);
        const delivery = await waitForDeliveryStatus(world, key, listed.id, "succeeded");
        assert.equal(delivery.attempts, 2);
        assert.equal(delivery.attempt_log[0].status_code, 500);
        assert.equal(delivery.attempt_log[0].error, "HTTP 500");
        assert.match(delivery.attempt_log[0].response_excerpt, /^\.+$/);
        assert.ok(delivery.attempt_log[0].duration_ms < timeoutMs + 1_500, "bounded by the timeout");
        assert.equal(delivery.attempt_log[1].status_code, 200);
        await remove(ep.id);
      },
    );

    await t.step("a 3xx redirect is not followed and counts as a failure", async () => {
      target.route("/target", []);
      // Through the test endpoint: the outcome is reported at once.
      const always = "/redirect-always";
      const testEp = await endpointAt(
        always,
        ["identity.archived"],
        () => new Response(null, { status: 307, headers: { location: target.url("/target") } }),
      );
      const res = await world.json<Record<string, unknown>>("POST", `/api/v1/webhooks/endpoints/${testEp.id}/test`, {
        key,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.success, false);
      assert.equal(res.body.http_status, 307);
      assert.equal(res.body.error, "HTTP 307");
      await remove(testEp.id);

      // Through a real delivery: the redirect is a failed attempt and the retry goes to the endpoint again.
      const path = "/redirect-once";
      const ep = await endpointAt(
        path,
        ["session.approved"],
        (r) =>
          r.nth === 1
            ? new Response(null, { status: 302, headers: { location: target.url("/target") } })
            : new Response("ok"),
      );
      const session = await createSession(world, key, { external_ref: "retry-redirect" });
      await simulate(world, key, session.id, "approve");
      const [listed] = await waitForEndpointDeliveries(world, key, ep.id, 1);
      const delivery = await waitForDeliveryStatus(world, key, listed.id, "succeeded");
      assert.equal(delivery.attempts, 2);
      assert.equal(delivery.attempt_log[0].status_code, 302);
      assert.equal(delivery.attempt_log[0].error, "HTTP 302");
      assert.equal(receiver.on(path).length, 2);
      assert.equal(target.requests.length, 0, "the redirect target never got a request");
      await remove(ep.id);
    });

    await t.step("ten failed deliveries in a row disable the endpoint; PATCH enabled re-enables it", async () => {
      const path = "/breaker";
      const ep = await endpointAt(path, ["session.declined"], () => new Response("down", { status: 500 }));
      const sessions = await Promise.all(
        Array.from({ length: 10 }, (_, i) => createSession(world, key, { external_ref: `breaker-${i}` })),
      );
      await Promise.all(sessions.map((s) => simulate(world, key, s.id, "decline")));
      await waitUntil(
        async () => {
          const rows = await endpointDeliveries(world, ep.id);
          return rows.length === 10 && rows.every((r) => r.status === "failed");
        },
        "ten failed deliveries",
        60_000,
      );
      await waitForQuiet(world);
      assert.equal(receiver.on(path).length, 10 * (1 + schedule.length));

      const disabled = await world.json<Record<string, unknown>>("GET", `/api/v1/webhooks/endpoints/${ep.id}`, { key });
      assert.equal(disabled.body.enabled, false);
      assert.equal(disabled.body.consecutive_failures, 10);
      assert.match(disabled.body.disabled_reason as string, /10 consecutive failed deliveries/);
      assert.match(disabled.body.disabled_at as string, ISO_TIMESTAMP);

      // A disabled endpoint gets no new deliveries.
      const eleventh = await createSession(world, key, { external_ref: "breaker-11" });
      await simulate(world, key, eleventh.id, "decline");
      await waitForQuiet(world);
      assert.equal((await endpointDeliveries(world, ep.id)).length, 10);
      assert.equal(receiver.on(path).length, 60);

      const patched = await world.json<Record<string, unknown>>("PATCH", `/api/v1/webhooks/endpoints/${ep.id}`, {
        key,
        body: { enabled: true },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body.enabled, true);
      assert.equal(patched.body.consecutive_failures, 0);
      assert.equal(patched.body.disabled_reason, null);
      assert.equal(patched.body.disabled_at, null);

      receiver.setResponder(path, () => new Response("back"));
      const twelfth = await createSession(world, key, { external_ref: "breaker-12" });
      await simulate(world, key, twelfth.id, "decline");
      await waitUntil(async () => (await endpointDeliveries(world, ep.id)).length === 11, "the 11th delivery");
      const latest = (await endpointDeliveries(world, ep.id)).find((d) => d.session_id === twelfth.id);
      assert.ok(latest, "the re-enabled endpoint gets the next event");
      await waitForDeliveryStatus(world, key, latest.id, "succeeded");
      await remove(ep.id);
    });

    await t.step("every request the receivers got verified under both recipes", () => {
      receiver.assertAllVerified();
    });
  } finally {
    for (const stop of stopTrickles) stop();
    await worker.stop();
    await receiver.close();
    await target.close();
    await world.close();
  }
});
