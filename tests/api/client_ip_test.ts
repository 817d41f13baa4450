/**
 * The client address behind proxies: with VERIFA_TRUST_PROXY the API takes the X-Forwarded-For
 * entry VERIFA_TRUSTED_PROXIES from the right (what the outermost proxy of ours saw), so entries a
 * client writes itself on the left cannot get past a key's IP allowlist or spread its requests
 * over many per-IP rate-limit windows.
 */
import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { ConfigError, parseConfig } from "../../core/config.ts";
import { createApiKey } from "../../core/orgs/api_keys.ts";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { minimalEnv } from "../helpers/config_env.ts";

/** The proxy in front of the API: the socket peer the app sees. */
const PROXY = { remoteAddr: { hostname: "192.0.2.10", port: 40000, transport: "tcp" } };

function behindProxies(world: TestWorld, trustedProxies: number, extra: Record<string, unknown> = {}) {
  return createApp({ ...world.deps, trustProxy: true, trustedProxies, ...extra });
}

const ENV = minimalEnv();

Deno.test("client IP from X-Forwarded-For, read from the right", async (t) => {
  const world = await createTestWorld();
  try {
    const { secret } = await createApiKey(world.db, world.org.org_id, {
      kind: "secret",
      environment: "sandbox",
      scopes: ["sessions:read"],
      allowedIps: ["10.0.0.0/8"],
    });
    const listSessions = (app: ReturnType<typeof createApp>, forwardedFor: string) =>
      app.request("/api/v1/sessions", { headers: { "X-API-Key": secret, "X-Forwarded-For": forwardedFor } }, PROXY);

    await t.step("one proxy: a spoofed left-most entry does not pass the IP allowlist", async () => {
      const app = behindProxies(world, 1);
      // The client sent "X-Forwarded-For: 10.1.2.3"; our proxy appended the address it saw.
      const spoofed = await listSessions(app, "10.1.2.3, 203.0.113.7");
      assert.equal(spoofed.status, 403);
      assert.equal((await spoofed.json()).error, "ip_not_allowed");
      // A client really at 10.1.2.3 (the proxy's own entry) is let in.
      assert.equal((await listSessions(app, "10.1.2.3")).status, 200);
    });

    await t.step("two proxies (CDN, then load balancer): the entry two from the right is the client", async () => {
      const app = behindProxies(world, 2);
      assert.equal((await listSessions(app, "203.0.113.99, 10.1.2.3, 198.51.100.4")).status, 200);
      assert.equal((await listSessions(app, "10.1.2.3, 203.0.113.7, 198.51.100.4")).status, 403);
      // An entry that is not an address never came from a proxy of ours: the socket peer counts.
      assert.equal((await listSessions(app, "10.1.2.3, not-an-ip, 198.51.100.4")).status, 403);
    });

    await t.step("a client rotating spoofed entries still spends one per-IP capture window", async () => {
      const app = behindProxies(world, 1, { captureRateLimits: { perToken: 1_000, perIp: 3 } });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const response = await app.request(`/verify/tok_guess${i}/state`, {
          headers: { "X-Forwarded-For": `10.0.0.${i}, 203.0.113.7` },
        }, PROXY);
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get("retry-after");
        await response.body?.cancel();
      }
      assert.deepEqual(statuses.map((s) => s === 429), [false, false, false, true, true], statuses.join(","));
      assert.match(retryAfter ?? "", /^\d+$/);
      // Another client behind the same proxy has its own window.
      const other = await app.request("/verify/tok_guess0/state", {
        headers: { "X-Forwarded-For": "203.0.113.8" },
      }, PROXY);
      assert.notEqual(other.status, 429);
      await other.body?.cancel();
    });

    await t.step(
      "VERIFA_TRUSTED_PROXIES: default 1 with VERIFA_TRUST_PROXY, refused without it or out of range",
      () => {
        assert.equal(parseConfig(ENV).trustedProxies, 0);
        assert.equal(parseConfig({ ...ENV, VERIFA_TRUST_PROXY: "true" }).trustedProxies, 1);
        assert.equal(
          parseConfig({ ...ENV, VERIFA_TRUST_PROXY: "true", VERIFA_TRUSTED_PROXIES: "2" }).trustedProxies,
          2,
        );
        for (
          const [env, problem] of [
            [{ VERIFA_TRUSTED_PROXIES: "1" }, /VERIFA_TRUSTED_PROXIES: set only with VERIFA_TRUST_PROXY=true/],
            [{ VERIFA_TRUST_PROXY: "true", VERIFA_TRUSTED_PROXIES: "0" }, /VERIFA_TRUSTED_PROXIES: must be an integer/],
            [{ VERIFA_TRUST_PROXY: "true", VERIFA_TRUSTED_PROXIES: "x" }, /VERIFA_TRUSTED_PROXIES: must be an integer/],
          ] as const
        ) {
          assert.throws(() => parseConfig({ ...ENV, ...env }), (error) => {
            assert.ok(error instanceof ConfigError);
            assert.ok(error.problems.some((p) => problem.test(p)), error.problems.join("\n"));
            return true;
          });
        }
      },
    );
  } finally {
    await world.close();
  }
});
