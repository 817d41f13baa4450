/**
 * The webhook URL policy against SSRF, with the operator's development flag off
 * (`allowPrivate: false`): every private, loopback, link-local, metadata, IPv6-mapped, decimal,
 * hex and octal form is refused at creation with the contract's 422; a name that resolves to such
 * an address is refused too, and again at delivery time when DNS changes after creation. The
 * resolver is the real resolution hook of the runtime (`deps.webhooks.resolve`), here a stub
 * standing in for DNS. Also: the connection goes to the address that was checked.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { type Body, createSession } from "../helpers/sessions.ts";
import {
  createEndpoint,
  endpointDeliveries,
  waitForDeliveryStatus,
  waitForEndpointDeliveries,
  WebhookReceiver,
} from "../helpers/webhook_receiver.ts";
import { isPublicAddress, systemResolver } from "../../core/webhooks/url_policy.ts";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";

/** A DNS stand-in: names the test controls; `localhost` goes to the system resolver. */
function stubDns(records: Record<string, string[]>) {
  const table = new Map(Object.entries(records));
  return {
    set(host: string, addresses: string[]) {
      table.set(host, addresses);
    },
    resolve: async (host: string): Promise<string[]> => {
      const known = table.get(host);
      if (known) return known;
      if (host === "localhost" || host === "localhost.") return await systemResolver(host);
      throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    },
  };
}

const PUBLIC_IP = "93.184.216.34";

Deno.test("isPublicAddress", async (t) => {
  const table: [string, boolean][] = [
    ["8.8.8.8", true],
    [PUBLIC_IP, true],
    ["1.1.1.1", true],
    ["172.32.0.1", true],
    ["100.128.0.1", true],
    ["2606:4700:4700::1111", true],
    ["2001:4860:4860::8888", true],
    ["::ffff:8.8.8.8", true],
    ["127.0.0.1", false],
    ["127.255.255.254", false],
    ["10.0.0.1", false],
    ["10.255.255.255", false],
    ["172.16.0.1", false],
    ["172.31.255.255", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["100.127.255.255", false],
    ["0.0.0.0", false],
    ["0.1.2.3", false],
    ["192.0.0.8", false],
    ["192.0.2.1", false],
    ["198.18.0.1", false],
    ["198.51.100.7", false],
    ["203.0.113.9", false],
    ["224.0.0.1", false],
    ["239.255.255.250", false],
    ["240.0.0.1", false],
    ["255.255.255.255", false],
    ["::", false],
    ["::1", false],
    ["0:0:0:0:0:0:0:1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:7f00:1", false],
    ["::127.0.0.1", false],
    ["::ffff:0:7f00:1", false],
    ["::ffff:0:808:808", false],
    ["0:0:0:0:0:ffff:7f00:1", false],
    ["::ffff:10.0.0.1", false],
    ["::ffff:169.254.169.254", false],
    ["::ffff:a9fe:a9fe", false],
    ["64:ff9b::7f00:1", false],
    ["2002:7f00:1::", false],
    ["2001:db8::1", false],
    ["2001::1", false],
    ["fc00::1", false],
    ["fd00::1", false],
    ["fd00:ec2::254", false],
    ["fe80::1", false],
    ["febf::1", false],
    ["fec0::1", false],
    ["ff02::1", false],
    // Not IP addresses at all: never "public".
    ["localhost", false],
    ["2130706433", false],
    ["0x7f000001", false],
    ["", false],
  ];
  for (const [address, expected] of table) {
    await t.step(`${address || "(empty)"} → ${expected ? "public" : "refused"}`, () => {
      assert.equal(isPublicAddress(address), expected);
    });
  }
});

Deno.test("webhook URL policy with private addresses refused", async (t) => {
  const dns = stubDns({
    "public.test": [PUBLIC_IP],
    "rebind.test": ["127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "v6loop.test": ["::1"],
    "mixed.test": [PUBLIC_IP, "10.0.0.5"],
    "later.test": [PUBLIC_IP],
  });
  const world = await createTestWorld({ webhooks: { allowPrivate: false, resolve: dns.resolve } });
  const sandbox = world.org.sandbox_secret_key;
  const live = world.org.live_secret_key;
  // Endpoints on public names are never sent anything here: they subscribe to an event no test fires.
  const quiet = { enabled_events: ["identity.archived"] };
  const receiver = WebhookReceiver.start(() => world.clock.now().getTime());
  const running: { worker?: WorkerHandle } = {};

  async function assertRefused(key: string, url: string, what = url) {
    const res = await world.json<Body>("POST", "/api/v1/webhooks/endpoints", { key, body: { url, ...quiet } });
    assert.equal(res.status, 422, `${what}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, "validation_error");
    assert.equal(res.body.status_code, 422);
    assert.equal(typeof res.body.detail, "string");
    assert.equal(typeof res.body.fields?.url, "string", `${what}: the error is on fields.url`);
    assert.ok(res.body.fields.url.length > 0);
    return res.body.fields.url as string;
  }

  try {
    assert.equal(world.deps.webhooks.allowPrivate, false);

    await t.step("public URLs are accepted (sandbox http, live https)", async () => {
      await createEndpoint(world, sandbox, { url: "http://public.test/hook", ...quiet });
      await createEndpoint(world, sandbox, { url: `http://${PUBLIC_IP}:8080/hook`, ...quiet });
      await createEndpoint(world, live, { url: "https://public.test/hook", ...quiet });
    });

    const refused = [
      "http://127.0.0.1/hook",
      "http://127.0.0.1:8080/hook",
      "http://localhost/hook",
      "http://localhost./hook",
      "http://[::1]/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "http://[::ffff:7f00:1]/hook",
      "http://[0:0:0:0:0:ffff:7f00:1]/hook",
      "http://2130706433/hook",
      "http://0x7f000001/hook",
      "http://0177.0.0.1/hook",
      "http://127.1/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[::ffff:a9fe:a9fe]/latest/meta-data",
      "http://[fd00:ec2::254]/latest/meta-data",
      "http://10.0.0.1/hook",
      "http://192.168.1.1/hook",
      "http://172.16.0.1/hook",
      "http://[fd00::1]/hook",
      "http://[fe80::1]/hook",
      "http://0.0.0.0/hook",
      "http://100.64.0.1/hook",
      "http://[64:ff9b::7f00:1]/hook",
      "http://rebind.test/hook",
      "http://metadata.test/latest/meta-data",
      "http://v6loop.test/hook",
      "http://mixed.test/hook",
    ];
    for (const url of refused) {
      await t.step(`refused: ${url}`, async () => {
        await assertRefused(sandbox, url);
      });
    }

    await t.step("refused: credentials, other schemes, unresolvable names, non-URLs", async () => {
      assert.match(await assertRefused(sandbox, "http://user:pass@public.test/hook"), /credentials/);
      assert.match(await assertRefused(sandbox, "http://user@public.test/hook"), /credentials/);
      await assertRefused(sandbox, "ftp://public.test/hook");
      await assertRefused(sandbox, "file:///etc/passwd");
      await assertRefused(sandbox, "gopher://public.test:70/_hello");
      await assertRefused(sandbox, "http://nowhere.test/hook");
      await assertRefused(sandbox, "not a url");
    });

    await t.step("refused for live keys: http, even to a public host", async () => {
      assert.match(await assertRefused(live, "http://public.test/hook"), /https/);
      assert.match(await assertRefused(live, `http://${PUBLIC_IP}/hook`), /https/);
      await assertRefused(live, "https://127.0.0.1/hook");
      await assertRefused(live, "https://rebind.test/hook");
    });

    await t.step("nothing refused was stored", async () => {
      for (const key of [sandbox, live]) {
        const list = await world.json<Body>("GET", "/api/v1/webhooks/endpoints", { key });
        assert.equal(list.status, 200);
        for (const ep of list.body.data) {
          assert.ok(
            ["http://public.test/hook", `http://${PUBLIC_IP}:8080/hook`, "https://public.test/hook"].includes(ep.url),
          );
        }
      }
    });

    await t.step("PATCH applies the same policy", async () => {
      const ep = await createEndpoint(world, sandbox, { url: "http://public.test/patched", ...quiet });
      for (const url of ["http://127.0.0.1/hook", "http://[::ffff:7f00:1]/", "http://rebind.test/hook"]) {
        const res = await world.json<Body>("PATCH", `/api/v1/webhooks/endpoints/${ep.id}`, {
          key: sandbox,
          body: { url },
        });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.error, "validation_error");
        assert.equal(typeof res.body.fields.url, "string");
      }
      const read = await world.json<Body>("GET", `/api/v1/webhooks/endpoints/${ep.id}`, { key: sandbox });
      assert.equal(read.body.url, "http://public.test/patched");
    });

    await t.step("DNS that changes after creation is caught at delivery time", async () => {
      const path = "/rebound";
      const url = `http://later.test:${receiver.port}${path}`;
      const ep = await createEndpoint(world, sandbox, { url, enabled_events: ["session.created"] });
      receiver.route(path, [ep.secret]);
      // From now on the name points at the loopback receiver.
      dns.set("later.test", ["127.0.0.1"]);

      const test = await world.json<Body>("POST", `/api/v1/webhooks/endpoints/${ep.id}/test`, { key: sandbox });
      assert.equal(test.status, 200, JSON.stringify(test.body));
      assert.equal(test.body.success, false);
      assert.equal(test.body.http_status, null);
      assert.match(test.body.error, /URL policy/);
      assert.equal(test.body.url, url);

      running.worker = await startWorker(world.deps, world.databaseUrl);
      const session = await createSession(world, sandbox, { external_ref: "rebind" });
      const [listed] = (await waitForEndpointDeliveries(world, sandbox, ep.id, 2))
        .filter((d: Body) => d.session_id === session.id);
      const delivery = await waitForDeliveryStatus(world, sandbox, listed.id, "failed");
      assert.equal(delivery.attempts, 1 + world.deps.webhooks.retryScheduleMs.length);
      for (const attempt of delivery.attempt_log) {
        assert.equal(attempt.status_code, null);
        assert.match(attempt.error, /URL policy/);
        assert.match(attempt.error, /private, loopback/);
      }
      assert.match(delivery.last_error, /URL policy/);
      assert.equal(receiver.requests.length, 0, "no request reached the loopback receiver");
      assert.equal((await endpointDeliveries(world, ep.id)).length, 2, "the test event and session.created");
    });
  } finally {
    await running.worker?.stop();
    await receiver.close();
    await world.close();
  }
});

Deno.test("deliveries connect to the address the policy checked, not a fresh lookup", async () => {
  // `pinned.test` exists only in the runtime's resolver; the system cannot resolve it. With the
  // development flag on, a delivery can only arrive if the sender connects to the checked address.
  const dns = stubDns({ "pinned.test": ["127.0.0.1"] });
  const world = await createTestWorld({ webhooks: { resolve: dns.resolve } });
  const receiver = WebhookReceiver.start(() => world.clock.now().getTime());
  try {
    assert.equal(world.deps.webhooks.allowPrivate, true);
    const key = world.org.sandbox_secret_key;
    const ep = await createEndpoint(world, key, { url: `http://pinned.test:${receiver.port}/pinned` });
    receiver.route("/pinned", [ep.secret]);
    const res = await world.json<Body>("POST", `/api/v1/webhooks/endpoints/${ep.id}/test`, { key });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.success, true, JSON.stringify(res.body));
    assert.equal(res.body.http_status, 200);
    const [r] = receiver.on("/pinned");
    assert.equal(r.headers.get("host"), `pinned.test:${receiver.port}`, "the Host header keeps the name");
    assert.equal(r.json.event, "webhook.test");
    receiver.assertAllVerified();
  } finally {
    await receiver.close();
    await world.close();
  }
});
