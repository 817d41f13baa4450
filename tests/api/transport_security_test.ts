/**
 * Strict-Transport-Security (issue #15): sent on every response (API, capture page, dashboard,
 * errors) when the public URL is https, never over http (where it would lock a developer's
 * browser out of the plain-http origin).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";

const PATHS = ["/health", "/api/v1/sessions", "/dashboard/sign-in", "/verify/tok_nosuchtoken0000000", "/no-such-route"];

Deno.test("HSTS follows the public URL's scheme", async (t) => {
  const world = await createTestWorld();
  try {
    await t.step("https: every response, errors included, carries it", async () => {
      world.setPublicUrl("https://verifa.test");
      for (const path of PATHS) {
        const response = await world.request("GET", path);
        await response.body?.cancel();
        assert.equal(response.headers.get("strict-transport-security"), "max-age=31536000; includeSubDomains", path);
      }
    });

    await t.step("http: never", async () => {
      world.setPublicUrl("http://verifa.test");
      for (const path of PATHS) {
        const response = await world.request("GET", path);
        await response.body?.cancel();
        assert.equal(response.headers.get("strict-transport-security"), null, path);
      }
    });
  } finally {
    await world.close();
  }
});
