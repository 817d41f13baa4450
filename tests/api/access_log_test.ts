/**
 * The access log through the real app: every line a capture flow (the hosted page, each capture
 * API step, a refused and an unknown path) and a first-admin enrolment write carries the route
 * pattern, never the capture token or the enrolment link's secret.
 */
import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { createLogger } from "../../core/logger.ts";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { createSession } from "../helpers/sessions.ts";
import { capture, captureDocuments, expectOk, tokenOf } from "../helpers/capture.ts";
import { bootstrapToken, enrolThroughLink } from "../helpers/enrolment.ts";

/** Rebuilds the world's app with a logger that keeps every line (services log through the same deps). */
function captureLogs(world: TestWorld): string[] {
  const lines: string[] = [];
  world.deps.log = createLogger("debug", (line) => lines.push(line));
  world.app = createApp(world.deps);
  return lines;
}

function requestPaths(lines: string[]): string[] {
  return lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "request").map((entry) =>
    `${entry.method} ${entry.path} ${entry.status}`
  );
}

Deno.test("the access log names route patterns, never capture tokens or enrolment secrets", async (t) => {
  const world = await createTestWorld();
  try {
    const lines = captureLogs(world);

    await t.step("a whole capture flow: page, every capture API step, a 404 under the token", async () => {
      const session = await createSession(world, world.org.sandbox_secret_key);
      const token = tokenOf(session);
      assert.equal((await world.request("GET", `/verify/${token}`)).status, 200);
      await captureDocuments(world, token);
      expectOk(await capture(world, token, "POST", "signals", {}), "signals");
      expectOk(await capture(world, token, "POST", "complete"), "complete");
      expectOk(await capture(world, token, "GET", "state"), "state");
      // No route answers these: the raw path is logged with the token-shaped segments replaced.
      assert.equal((await capture(world, token, "GET", "no-such-step")).status, 404);
      assert.equal((await world.request("GET", `/nothing/${token}`)).status, 404);

      const logged = lines.join("\n");
      assert.ok(!logged.includes(token), `the capture token is in the log:\n${lines.filter((l) => l.includes(token))}`);
      assert.ok(!logged.includes(token.slice(4)), "nor its random part");
      const paths = requestPaths(lines);
      for (
        const expected of [
          "GET /verify/:token 200",
          "POST /verify/:token/consent 200",
          "POST /verify/:token/documents 200",
          "POST /verify/:token/selfie 200",
          "POST /verify/:token/complete 200",
          "GET /verify/:token/state 200",
          "GET /verify/:redacted/no-such-step 404",
          "GET /nothing/:redacted 404",
        ]
      ) assert.ok(paths.includes(expected), `${expected} in ${JSON.stringify(paths)}`);
    });

    await t.step("the first admin's enrolment: the link's secret appears in no line", async () => {
      lines.length = 0;
      const secret = await bootstrapToken(world);
      await enrolThroughLink(world, secret);
      assert.ok(lines.length >= 3, "the enrolment wrote its lines");
      const logged = lines.join("\n");
      assert.ok(!logged.includes(secret), `the enrolment secret is in the log:\n${logged}`);
      assert.ok(!logged.includes(secret.slice(4)), "nor its random part");
      assert.ok(requestPaths(lines).includes("GET /dashboard/enrol/:token 200"), JSON.stringify(requestPaths(lines)));
      // Used once, the link is refused: still without its secret in the log.
      assert.equal((await world.request("GET", `/dashboard/enrol/${secret}`)).status >= 400, true);
      assert.ok(!lines.join("\n").includes(secret.slice(4)));
    });
  } finally {
    await world.close();
  }
});
