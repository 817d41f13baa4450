/**
 * Owns the HTTP-level tests of capture-ui (the browser-driven ones live in tests/browser/): the
 * hosted page's headers, the screen it renders for each state (so a reload resumes there), its
 * embedded state, the expired-link page, the static files' types and caching, and the example
 * host page's headers.
 */
import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { createSession, insertWorkflow } from "../helpers/sessions.ts";
import { capture, captureDocuments, expectOk, tokenOf } from "../helpers/capture.ts";
import { redirectTarget, screenForState } from "../../capture-ui/static/capture/steps.js";
import { ALL_SCREENS } from "../helpers/capture_browser.ts";

interface Page {
  status: number;
  headers: Headers;
  html: string;
  /** The screen in <main>, i.e. outside the templates. */
  screen: string | null;
  templates: string[];
  config: Record<string, unknown>;
}

async function openPage(world: TestWorld, token: string): Promise<Page> {
  const response = await world.request("GET", `/verify/${token}`);
  const html = await response.text();
  const main = /<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? "";
  const json = /<script type="application\/json" id="verifa-config">([\s\S]*?)<\/script>/.exec(html)?.[1];
  return {
    status: response.status,
    headers: response.headers,
    html,
    screen: /data-screen="([a-z-]+)"/.exec(main)?.[1] ?? null,
    templates: [...html.matchAll(/<template data-screen-template="([a-z-]+)">/g)].map((m) => m[1]),
    config: json ? JSON.parse(json) : {},
  };
}

Deno.test("the hosted capture page", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await t.step("renders consent for a new session, with every screen as a template and strict headers", async () => {
      const created = await createSession(world, key, { external_ref: "page-1" });
      const page = await openPage(world, tokenOf(created));
      assert.equal(page.status, 200);
      assert.match(page.html, /^<!DOCTYPE html>/);
      assert.equal(page.screen, "consent");
      assert.deepEqual(page.templates.sort(), [...ALL_SCREENS].sort());
      const csp = page.headers.get("content-security-policy") ?? "";
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /style-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors \*/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(page.headers.get("x-frame-options"), null);
      assert.equal(page.headers.get("permissions-policy")?.includes("camera=(self)"), true);
      assert.equal(page.headers.get("cache-control"), "no-store");
      // No inline script may run: the only inline <script> is the JSON data block.
      const inline = [...page.html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
      assert.deepEqual(inline, [' type="application/json" id="verifa-config"']);
      // The embedded state is what the capture API returns.
      const state = expectOk(await capture(world, tokenOf(created), "GET", "state"), "state");
      assert.deepEqual(page.config.state, state);
      assert.equal(page.config.token, tokenOf(created));
      // The desktop hand-off QR encodes the capture URL.
      assert.match(page.html, /<aside class="handoff"[^>]*>[\s\S]*<img src="data:image\/png;base64,/);
    });

    await t.step("a reload resumes at the step the server state calls for", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      expectOk(await capture(world, token, "POST", "consent", { consent_version: "v1", accepted: true }), "consent");
      assert.equal((await openPage(world, token)).screen, "document-type");
      await captureDocuments(world, token, { selfie: false });
      assert.equal((await openPage(world, token)).screen, "selfie");
      await captureDocuments(world, token);
      expectOk(await capture(world, token, "POST", "complete"), "complete");
      const pending = await openPage(world, token);
      assert.equal(pending.screen, "outcome");
      assert.doesNotMatch(pending.html, /class="handoff"/, "no phone hand-off once capture is closed");
      expectOk(await capture(world, token, "POST", "sandbox-outcome", { outcome: "approve" }), "outcome");
      // Reloading after the outcome shows the confirmation again (the token stays readable for its
      // window); once the window has passed, the link is spent.
      assert.equal((await openPage(world, token)).screen, "confirmation");
      world.clock.advance(21 * 60_000);
      assert.equal((await openPage(world, token)).screen, "error-expired");
    });

    await t.step("an unknown or expired link renders the expired screen alone, as 410", async () => {
      const unknown = await openPage(world, "tok_thisdoesnotexist000000");
      assert.equal(unknown.status, 410);
      assert.equal(unknown.screen, "error-expired");
      assert.deepEqual(unknown.templates, []);
      assert.equal((unknown.config.error as Record<string, unknown>).code, "token_expired");
      const created = await createSession(world, key);
      world.clock.advance(21 * 60_000);
      const expired = await openPage(world, tokenOf(created));
      assert.equal(expired.status, 410);
      assert.equal(expired.screen, "error-expired");
      assert.doesNotMatch(expired.html, new RegExp(tokenOf(created)));
      world.clock.advance(-21 * 60_000);
    });

    await t.step("user-info fields are pre-filled, and no value can close the data <script> block", async () => {
      await insertWorkflow(world, world.org.org_id, "sandbox", "wfl_page_fields", {
        document_types: ["passport"],
        selfie: false,
        user_info_fields: ["first_name", "last_name", "address"],
        proof_of_address: false,
      });
      const hostile = "</script><script>alert(1)</script>";
      const created = await createSession(world, key, {
        workflow_id: "wfl_page_fields",
        fields: { first_name: hostile, last_name: "Doe", address: { city: "Lyon" } },
      });
      const page = await openPage(world, tokenOf(created));
      assert.equal(page.screen, "consent");
      assert.ok(!page.html.includes(hostile), "the raw value appears nowhere");
      assert.deepEqual((page.config.state as { prefill: unknown }).prefill, {
        first_name: hostile,
        last_name: "Doe",
        address: { city: "Lyon" },
      });
      const form = /<template data-screen-template="user-info">([\s\S]*?)<\/template>/.exec(page.html)?.[1] ?? "";
      assert.match(form, /name="first_name"[^>]*value="&lt;\/script&gt;/);
      assert.match(form, /name="address.city"[^>]*value="Lyon"/);
      assert.match(form, /<label for="field-last_name">Last name<\/label>/);
      // Only the workflow's types are offered.
      const types = /<template data-screen-template="document-type">([\s\S]*?)<\/template>/.exec(page.html)?.[1];
      assert.deepEqual([...(types ?? "").matchAll(/data-document-type="([a-z_]+)"/g)].map((m) => m[1]), ["passport"]);
    });

    await t.step("the capture API under /verify/{token}/… is not shadowed by the page", async () => {
      const created = await createSession(world, key);
      const state = await world.request("GET", `/verify/${tokenOf(created)}/state`);
      assert.equal(state.status, 200);
      assert.match(state.headers.get("content-type") ?? "", /application\/json/);
    });
  } finally {
    await world.close();
  }
});

Deno.test("static files, verifa.js and the example host page", async (t) => {
  const world = await createTestWorld();
  try {
    const created = await createSession(world, world.org.sandbox_secret_key);
    const page = await (await world.request("GET", `/verify/${tokenOf(created)}`)).text();

    await t.step("versioned URLs the page references are immutable and typed", async () => {
      const urls = [...page.matchAll(/(?:src|href)="(\/static\/v-[0-9a-f]{16}\/[^"]+)"/g)].map((m) => m[1]);
      assert.ok(urls.some((url) => url.endsWith("/capture/main.js")));
      assert.ok(urls.some((url) => url.endsWith("/capture/capture.css")));
      for (const url of urls) {
        const response = await world.request("GET", url);
        await response.body?.cancel();
        assert.equal(response.status, 200, url);
        assert.match(response.headers.get("cache-control") ?? "", /immutable/);
        const type = url.endsWith(".css") ? "text/css" : "text/javascript";
        assert.equal(response.headers.get("content-type"), `${type}; charset=utf-8`);
        assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      }
    });

    await t.step("verifa.js has a stable URL, a short max-age and an ETag", async () => {
      const response = await world.request("GET", "/static/verifa.js");
      const body = await response.text();
      assert.equal(response.status, 200);
      assert.match(body, /Verifa = Object\.freeze\(\{ open: openVerifa, Client/);
      assert.equal(response.headers.get("cache-control"), "public, max-age=300, must-revalidate");
      const etag = response.headers.get("etag")!;
      const again = await world.request("GET", "/static/verifa.js", { headers: { "If-None-Match": etag } });
      assert.equal(again.status, 304);
      await again.body?.cancel();
      // A stale version in the path still answers, but is not cached for a year.
      const stale = await world.request("GET", "/static/v-0000000000000000/verifa.js");
      await stale.body?.cancel();
      assert.equal(stale.headers.get("cache-control"), "public, max-age=300, must-revalidate");
      for (const path of ["/static/nope.js", "/static/../deno.json", "/static/capture/%2e%2e/%2e%2e/routes.ts"]) {
        const missing = await world.request("GET", path);
        await missing.body?.cancel();
        assert.equal(missing.status, 404, path);
      }
    });

    await t.step("the example host page frames our own capture URLs and delegates the camera to them", async () => {
      const captureUrl = `${world.deps.publicUrl}/verify/tok_${"a".repeat(32)}`;
      const response = await world.request("GET", `/examples/embed?capture_url=${encodeURIComponent(captureUrl)}`);
      const html = await response.text();
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-security-policy") ?? "", /frame-src http:\/\/verifa\.test;/);
      assert.match(response.headers.get("permissions-policy") ?? "", /camera=\(self "http:\/\/verifa\.test"\)/);
      assert.match(html, /<script src="\/static\/verifa\.js"/);
      assert.match(html, new RegExp(`data-capture-url="${captureUrl}"`));
      // No capture URL yet: the empty form, framing nothing but our origin.
      const empty = await world.request("GET", "/examples/embed");
      await empty.body?.cancel();
      assert.equal(empty.status, 200);
    });

    await t.step("the example host page refuses any other URL: 400, nothing framed", async () => {
      const token = `tok_${"a".repeat(32)}`;
      for (
        const url of [
          `https://verify.example.com/verify/${token}`, // another site
          `http://verifa.test:8443/verify/${token}`, // another origin on our host
          `https://verifa.test/verify/${token}`, // another scheme
          "http://verifa.test/dashboard/settings", // our origin, not a capture URL
          "http://verifa.test/verify/not-a-token",
          `http://verifa.test/verify/${token}/documents`,
          `http://verifa.test/verify/${token}?next=https://evil.example`,
          `http://user:pw@verifa.test/verify/${token}`,
          "javascript:alert(1)",
        ]
      ) {
        const response = await world.request("GET", `/examples/embed?capture_url=${encodeURIComponent(url)}`);
        const body = await response.json();
        assert.equal(response.status, 400, url);
        assert.equal(body.error, "invalid_parameter", url);
        assert.match(body.detail, /capture_url must be a capture URL of this Verifa/, url);
        assert.equal(response.headers.get("permissions-policy"), null, url);
      }
    });

    await t.step("the example host page is not served unless VERIFA_EXAMPLES is on", async () => {
      const production = createApp({ ...world.deps, examples: false });
      const captureUrl = `${world.deps.publicUrl}/verify/tok_${"a".repeat(32)}`;
      for (const path of ["/examples/embed", `/examples/embed?capture_url=${encodeURIComponent(captureUrl)}`]) {
        const response = await production.request(path);
        assert.equal(response.status, 404, path);
        assert.equal((await response.json()).error, "not_found");
      }
    });
  } finally {
    await world.close();
  }
});

Deno.test("screenForState and redirectTarget (shared by the server and the page)", () => {
  const base = {
    session_id: "ses_1",
    status: "capturing",
    is_sandbox: true,
    capture_open: true,
    next_step: "consent" as string | null,
    redirect_url: null as string | null,
  };
  const steps: Record<string, string> = {
    consent: "consent",
    document_type: "document-type",
    document_front: "front-tips",
    document_back: "back-tips",
    selfie: "selfie",
    user_info: "user-info",
    proof_of_address: "error-unsupported",
  };
  for (const [step, screen] of Object.entries(steps)) {
    assert.equal(screenForState({ ...base, next_step: step }), screen, step);
  }
  assert.equal(screenForState({ ...base, next_step: null }), "processing", "all steps done: submit");

  // An optional back (a national ID's) is offered after the front, until added, skipped or passed.
  const front = {
    ...base,
    next_step: "selfie",
    steps_optional: ["document_back"],
    steps_completed: ["consent", "document_type", "document_front"],
  };
  assert.equal(screenForState(front), "back-offer");
  assert.equal(screenForState(front, { backSkipped: true }), "selfie");
  assert.equal(screenForState({ ...front, next_step: null }), "back-offer", "even when nothing else is left");
  assert.equal(screenForState({ ...front, next_step: null }, { backSkipped: true }), "processing");
  assert.equal(
    screenForState({ ...front, steps_completed: [...front.steps_completed, "document_back"] }),
    "selfie",
    "the back is in",
  );
  assert.equal(
    screenForState({ ...front, next_step: "user_info", steps_completed: [...front.steps_completed, "selfie"] }),
    "user-info",
    "the applicant went on past the document",
  );
  assert.equal(screenForState({ ...front, steps_optional: [] }), "selfie", "a type without an optional back");
  assert.equal(
    screenForState({ ...front, next_step: "document_front", steps_completed: ["consent", "document_type"] }),
    "front-tips",
    "not before the front",
  );

  const closed = { ...base, capture_open: false, next_step: null };
  assert.equal(screenForState({ ...closed, status: "sandbox_pending" }), "outcome");
  assert.equal(screenForState({ ...closed, status: "processing", is_sandbox: false }), "processing");
  assert.equal(screenForState({ ...closed, status: "completed" }), "confirmation");
  assert.equal(screenForState({ ...closed, status: "under_review", is_sandbox: false }), "done");
  assert.equal(screenForState({ ...closed, status: "expired" }), "error-expired");
  assert.equal(redirectTarget(closed), null);
  assert.equal(
    redirectTarget({ ...closed, status: "completed", redirect_url: "https://shop.example/done?ref=a" }),
    "https://shop.example/done?ref=a&session_id=ses_1&status=completed",
  );
});
