/**
 * The public capture surface's limits through the real app: a capture token's requests per minute
 * (the hosted page and the capture API together) end in 429 with Retry-After, and image decoding
 * has a concurrency cap whose bounded queue, once full, answers uploads 503 with Retry-After.
 */
import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { uploadDecodes } from "../../core/images/image_pipeline.ts";
import { createTestWorld, waitFor } from "../helpers/test_app.ts";
import { minimalEnv } from "../helpers/config_env.ts";
import { ConfigError, parseConfig } from "../../core/config.ts";
import { createSession } from "../helpers/sessions.ts";
import { assertError, capture, captureImages, expectOk, tokenOf, uploadSide } from "../helpers/capture.ts";

Deno.test("capture limits: per-token rate limit and the decode queue", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await t.step("one token: the page and the capture API share its window; 429 with Retry-After", async () => {
      world.app = createApp({ ...world.deps, captureRateLimits: { perToken: 5, perIp: 1_000 } });
      const token = tokenOf(await createSession(world, key));
      const other = tokenOf(await createSession(world, key));
      assert.equal((await world.request("GET", `/verify/${token}`)).status, 200);
      for (let i = 0; i < 4; i++) expectOk(await capture(world, token, "GET", "state"), `state ${i}`);
      const refused = await capture(world, token, "GET", "state");
      assertError(refused, 429, "rate_limited");
      assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
      assert.ok(Number(refused.headers.get("retry-after")) <= 60);
      const page = await world.request("GET", `/verify/${token}`);
      assert.equal(page.status, 429);
      await page.body?.cancel();
      // Another applicant's token has its own window; the next minute opens a new one.
      expectOk(await capture(world, other, "GET", "state"), "another token");
      world.clock.advance(60_000);
      expectOk(await capture(world, token, "GET", "state"), "next minute");
    });

    await t.step("decodes: past the running slot and the queue, an upload is 503 with Retry-After", async () => {
      world.app = createApp(world.deps);
      const limits = uploadDecodes.limits;
      uploadDecodes.configure({ concurrency: 1, queue: 1 });
      let release!: () => void;
      // Another upload's decode holds the only slot until the test lets it go.
      const busy = uploadDecodes.run(() => new Promise<void>((resolve) => release = resolve));
      try {
        const files = await captureImages();
        const tokens = [tokenOf(await createSession(world, key)), tokenOf(await createSession(world, key))];
        for (const token of tokens) {
          expectOk(
            await capture(world, token, "POST", "consent", { consent_version: "2026-01-01", accepted: true }),
            "consent",
          );
          expectOk(
            await capture(world, token, "POST", "document-type", { document_type: "passport", country: "US" }),
            "type",
          );
        }
        const queued = uploadSide(world, tokens[0], "front", files.front);
        await waitFor(
          "the first upload to wait for a slot",
          () => Promise.resolve(uploadDecodes.load.waiting === 1 ? true : undefined),
        );
        const refused = await uploadSide(world, tokens[1], "front", files.front);
        assertError(refused, 503, "service_unavailable");
        assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
        release();
        expectOk(await queued, "the queued upload, once a slot is free");
        // With the slot free again the refused applicant's retry goes through.
        expectOk(await uploadSide(world, tokens[1], "front", files.front), "the retry");
      } finally {
        release();
        await busy;
        uploadDecodes.configure(limits);
      }
      assert.deepEqual(uploadDecodes.load, { running: 0, waiting: 0 });
    });

    await t.step("the limits' variables: defaults, values, and bad values reported together", () => {
      const defaults = parseConfig(minimalEnv());
      assert.deepEqual(defaults.captureRateLimits, { perToken: 120, perIp: 600 });
      assert.deepEqual(defaults.imageDecode, { concurrency: 4, queue: 16 });
      const set = parseConfig({
        ...minimalEnv(),
        VERIFA_CAPTURE_RATE_LIMIT_PER_TOKEN: "30",
        VERIFA_CAPTURE_RATE_LIMIT_PER_IP: "300",
        VERIFA_IMAGE_DECODE_CONCURRENCY: "2",
        VERIFA_IMAGE_DECODE_QUEUE: "0",
      });
      assert.deepEqual(set.captureRateLimits, { perToken: 30, perIp: 300 });
      assert.deepEqual(set.imageDecode, { concurrency: 2, queue: 0 });
      assert.throws(() =>
        parseConfig({
          ...minimalEnv(),
          VERIFA_CAPTURE_RATE_LIMIT_PER_TOKEN: "0",
          VERIFA_CAPTURE_RATE_LIMIT_PER_IP: "many",
          VERIFA_IMAGE_DECODE_CONCURRENCY: "0",
          VERIFA_IMAGE_DECODE_QUEUE: "-1",
        }), (error) => {
        assert.ok(error instanceof ConfigError);
        for (
          const name of [
            "VERIFA_CAPTURE_RATE_LIMIT_PER_TOKEN",
            "VERIFA_CAPTURE_RATE_LIMIT_PER_IP",
            "VERIFA_IMAGE_DECODE_CONCURRENCY",
            "VERIFA_IMAGE_DECODE_QUEUE",
          ]
        ) assert.ok(error.problems.some((p) => p.startsWith(`${name}: must be an integer`)), name);
        return true;
      });
    });
  } finally {
    await world.close();
  }
});
