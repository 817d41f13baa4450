/**
 * Owns the tests of the API document itself: every route the app registers under /api/v1 and the
 * capture API is documented and every documented operation is a route; each API-key operation
 * names the scope its route demands; the document is served without a key at
 * /api/v1/openapi.json; and /docs renders every operation in a real browser, from our origin only.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { openApiDocument } from "../../api/openapi/document.ts";
import { API_OPERATIONS } from "../../api/openapi/operations.ts";
import { createApiKey } from "../../core/orgs/api_keys.ts";
import { ALL_SCOPES, hasScope } from "../../core/orgs/scopes.ts";
import { launchBrowser, newPage, screenshot, startAppServer } from "../helpers/browser.ts";

/** The routes an integrator calls: the REST API and the capture API (not the HTML pages or the dashboard). */
function documentedSurface(path: string): boolean {
  return path.startsWith("/api/v1/") || /^\/verify\/:token\/./.test(path);
}

/** Hono's `/sessions/:id` as OpenAPI's `/sessions/{id}`. */
function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");
}

Deno.test("API document", async (t) => {
  const world = await createTestWorld();
  try {
    const document = openApiDocument();
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)
      ),
    );

    await t.step("every registered route is documented, and every documented operation is a route", () => {
      const registered = new Set(
        world.app.routes
          .filter((route) => route.method !== "ALL" && documentedSurface(route.path))
          .map((route) => `${route.method} ${openApiPath(route.path)}`),
      );
      assert.ok(registered.size > 100, `only ${registered.size} routes found`);
      const undocumented = [...registered].filter((op) => !documented.has(op));
      const missing = [...documented].filter((op) => !registered.has(op));
      assert.deepEqual(undocumented, [], "routes missing from the document");
      assert.deepEqual(missing, [], "documented operations with no route");
    });

    await t.step("operation ids are unique and every operation has its responses and error codes", () => {
      const ids = API_OPERATIONS.map((op) => op.operationId);
      assert.equal(new Set(ids).size, ids.length);
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
          assert.ok(Object.keys(responses).some((s) => s.startsWith("2")), `${method} ${path}: no success`);
          assert.ok(responses["500"], `${method} ${path}: no 500`);
          if (op.requestBody && (op.requestBody as { content: Record<string, unknown> }).content["application/json"]) {
            assert.ok(responses["422"], `${method} ${path}: a JSON body without its 422`);
          }
        }
      }
    });

    await t.step("each API-key operation demands exactly the scopes it documents", async () => {
      // A key with every scope but the documented ones is refused 403 insufficient_scope, before
      // the route reads its parameters; a key with only those scopes gets past the scope check.
      for (const op of API_OPERATIONS.filter((op) => op.auth === "api_key")) {
        const path = op.path.replace(/\{[^}]+\}/g, "x");
        const without = ALL_SCOPES.filter((scope) => !op.scopes!.some((needed) => hasScope([scope], needed)));
        const body = op.method === "get" ? undefined : {};
        const lacking = await createApiKey(world.db, world.org.org_id, {
          environment: "live",
          kind: "secret",
          scopes: without,
        });
        const refused = await world.request(op.method.toUpperCase(), path, { key: lacking.secret, body });
        const refusal = await refused.json();
        assert.equal(refused.status, 403, `${op.operationId} without ${op.scopes}: ${JSON.stringify(refusal)}`);
        assert.equal(refusal.error, "insufficient_scope", op.operationId);

        const only = await createApiKey(world.db, world.org.org_id, {
          environment: "live",
          kind: "secret",
          scopes: [...op.scopes!],
        });
        const allowed = await world.request(op.method.toUpperCase(), path, { key: only.secret, body });
        const allowedBody = allowed.headers.get("content-type")?.includes("json") ? await allowed.json() : null;
        // The route's own rules may still refuse a scope (a key grants only scopes it holds): not its check.
        assert.doesNotMatch(
          String(allowedBody?.detail),
          /lacks the ".*" scope/,
          `${op.operationId} with only ${op.scopes}`,
        );
      }
    });

    await t.step("GET /api/v1/openapi.json serves the document without an API key", async () => {
      const response = await world.request("GET", "/api/v1/openapi.json");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      const served = await response.json();
      assert.equal(served.openapi, "3.1.0");
      assert.deepEqual(served, JSON.parse(JSON.stringify(document)));
      assert.deepEqual(Object.keys(served.webhooks).sort(), Object.keys(document.webhooks).sort());
    });

    await t.step("/docs renders every operation and webhook from our origin, with no other origin asked", async () => {
      await using server = await startAppServer(world);
      await using browser = await launchBrowser();
      const page = await newPage(browser, "desktop");
      const foreign: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith(server.url)) foreign.push(request.url());
      });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      const response = await page.goto(`${server.url}/docs`);
      assert.equal(response?.status(), 200);
      assert.match(response?.headers()["content-security-policy"] ?? "", /default-src 'none'/);
      await page.waitForSelector("body[data-operations]");
      const operationCount = API_OPERATIONS.length;
      assert.equal(await page.getAttribute("body", "data-operations"), String(operationCount));
      assert.equal(
        await page.locator("section.operation").count(),
        operationCount + Object.keys(document.webhooks).length,
      );
      for (const op of API_OPERATIONS) {
        const section = page.locator(`section.operation[id="op-${op.operationId}"]`);
        assert.equal(await section.count(), 1, op.operationId);
        assert.match(
          await section.locator("h3").innerText(),
          new RegExp(`${op.method.toUpperCase()}\\s+${op.path.replace(/[{}]/g, "\\$&")}`),
        );
      }
      assert.ok(await page.locator("section.schema").count() > 50);
      await screenshot(page, "api-docs/reference", { fullPage: false });
      assert.deepEqual(errors, []);
      assert.deepEqual(foreign, []);
      await page.close();
    });
  } finally {
    await world.close();
  }
});
