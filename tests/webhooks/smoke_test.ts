import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { startWorker } from "../../worker/runner.ts";

Deno.test("an approved sandbox session reaches a loopback receiver, signed", async () => {
  const world = await createTestWorld();
  const received: { headers: Headers; body: string }[] = [];
  const receiver = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    received.push({ headers: req.headers, body: await req.text() });
    return new Response("ok");
  });
  const worker = await startWorker(world.deps, world.databaseUrl);
  try {
    const key = world.org.sandbox_secret_key;
    const ep = await world.json("POST", "/api/v1/webhooks/endpoints", {
      key,
      body: { url: `http://127.0.0.1:${receiver.addr.port}/hook`, enabled_events: ["session.approved"] },
    });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    const s = await world.json("POST", "/api/v1/sessions", { key, body: { external_ref: "u1" } });
    await world.json("POST", `/api/v1/sessions/${(s.body as { id: string }).id}/simulate`, {
      key,
      body: { action: "approve" },
    });
    const deadline = Date.now() + 10_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.length, 1);
    const payload = JSON.parse(received[0].body);
    assert.equal(payload.event, "session.approved");
    assert.match(received[0].headers.get("x-verifa-signature")!, /^t=\d+,v1=[0-9a-f]{64}$/);
  } finally {
    await worker.stop();
    await receiver.shutdown();
    await world.close();
  }
});
