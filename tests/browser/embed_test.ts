/**
 * Owns verifa.js in real Chromium: the example host page (/examples/embed, served from another
 * site than the capture page: localhost against 127.0.0.1) opens a sandbox capture URL with
 * `Verifa.open` in a modal (an iframe, with the camera delegated to it) and in a popup; the flow
 * is completed inside, and `onComplete` gets the session id and status and nothing more.
 */
import assert from "node:assert/strict";
import type { Frame, Page } from "playwright-core";
import { launchBrowser, startAppServer } from "../helpers/browser.ts";
import { createTestWorld } from "../helpers/test_app.ts";
import { type Body, createSession } from "../helpers/sessions.ts";
import {
  awaitServerAnswer,
  fakeCamera,
  photos,
  press,
  type Scope,
  Screenshots,
  uploadAndSubmit,
  waitForScreen,
  walkToFrontTips,
  withPage,
} from "../helpers/capture_browser.ts";

const shots = new Screenshots("embed_test.ts");

/** Records, in the host page, every message its window receives (what verifa.js listens to). */
const RECORD_MESSAGES = `
  if (window === window.top && !window.opener) {
    window.__messages = [];
    addEventListener("message", (event) => window.__messages.push({ origin: event.origin, data: event.data }));
  }`;

interface Message {
  origin: string;
  data: Body;
}

const messages = (page: Page) => page.evaluate("window.__messages") as Promise<Message[]>;

/** The host page for a capture URL, opened from another site than the capture page's. */
function hostPageUrl(appUrl: string, captureUrl: string): string {
  const host = new URL(appUrl);
  host.hostname = "localhost";
  host.pathname = "/examples/embed";
  host.searchParams.set("capture_url", captureUrl);
  return host.toString();
}

/** The result the example page writes from onComplete / onError. */
async function hostResult(page: Page) {
  const result = page.locator("#result");
  return {
    sessionId: await result.getAttribute("data-session-id"),
    status: await result.getAttribute("data-status"),
    error: await result.getAttribute("data-error"),
    text: (await result.textContent())?.trim(),
  };
}

/**
 * Asserts what the host learnt of a completed session: onComplete wrote its id and status, and the
 * capture page told it `ready` then `complete`, from the capture origin, and `complete` with the
 * session id and status only (never field-level results).
 */
async function assertCompleteReported(page: Page, captureOrigin: string, sessionId: string) {
  const status = "completed";
  assert.deepEqual(await hostResult(page), {
    sessionId,
    status,
    error: null,
    text: `onComplete: session ${sessionId}, status completed`,
  });
  const received = (await messages(page)).filter((m) => m.data?.source === "verifa");
  assert.deepEqual(received.map((m) => m.data.type), ["ready", "complete"]);
  for (const m of received) assert.equal(m.origin, captureOrigin);
  assert.deepEqual(received[1].data, { source: "verifa", type: "complete", sessionId, status });
}

/** Front and back uploaded, the selfie taken with the (delegated) camera, to the outcome chooser. */
async function captureEverything(
  scope: Scope,
  files: Awaited<ReturnType<typeof photos>>,
  showFace: () => Promise<void>,
) {
  await walkToFrontTips(scope);
  await uploadAndSubmit(scope, "Upload a photo instead", files.front, "back-tips");
  await showFace();
  await uploadAndSubmit(scope, "Upload a photo instead", files.back, "selfie");
  // The camera opens here too: inside the modal only because the host delegates it to the iframe.
  await scope.locator("main [data-screen=selfie] [data-action=shutter]:not([disabled])").waitFor();
}

async function takeSelfieToOutcome(scope: Scope): Promise<void> {
  await press(scope, "Take selfie", "selfie-review");
  await awaitServerAnswer(scope);
  await press(scope, "Submit photo", "outcome");
}

Deno.test("verifa.js from the example host page", async (t) => {
  const world = await createTestWorld();
  const dir = await Deno.makeTempDir({ prefix: "verifa-embed-" });
  try {
    const camera = await fakeCamera(dir);
    const files = await photos();
    await using server = await startAppServer(world);
    await using browser = await launchBrowser({ fakeCamera: camera.path });
    const key = world.org.sandbox_secret_key;
    const captureOrigin = server.url;

    await t.step("modal: the flow runs in the iframe; onComplete gets the session id", async () => {
      await camera.show("card");
      const created = await createSession(world, key, {});
      await withPage(browser, "desktop", async (page) => {
        await page.addInitScript(RECORD_MESSAGES);
        await page.goto(hostPageUrl(server.url, created.capture_url));
        await page.getByRole("button", { name: "Open in a modal" }).click();
        const dialog = page.getByRole("dialog", { name: "Identity verification" });
        await dialog.waitFor();
        const iframe = await page.waitForSelector('iframe[title="Identity verification"]');
        const frame = (await iframe.contentFrame()) as Frame;
        await waitForScreen(frame, "consent");
        const url = new URL(frame.url());
        assert.equal(url.origin, captureOrigin, "the iframe is the capture page, on its own site");
        assert.equal(url.searchParams.get("embed"), "1");
        await shots.take(page, "consent", "modal/01-consent", frame);

        await captureEverything(frame, files, () => camera.show("face"));
        await shots.take(page, "selfie", "modal/02-selfie", frame);
        await takeSelfieToOutcome(frame);
        await press(frame, "Approved");

        // complete → verifa.js closes the modal and calls onComplete.
        await page.locator("#result[data-session-id]:not([data-session-id=''])").waitFor();
        assert.equal(await page.locator('iframe[title="Identity verification"]').count(), 0, "the modal is closed");
        await assertCompleteReported(page, captureOrigin, created.id);
        const session = await world.json("GET", `/api/v1/sessions/${created.id}`, { key });
        assert.equal((session.body as Body).status, "completed");
      });
    });

    await t.step("popup: the flow runs in the popup window; onComplete gets the session id", async () => {
      await camera.show("card");
      const created = await createSession(world, key, {});
      await withPage(browser, "desktop", async (page) => {
        await page.addInitScript(RECORD_MESSAGES);
        await page.goto(hostPageUrl(server.url, created.capture_url));
        const [popup] = await Promise.all([
          page.waitForEvent("popup"),
          page.getByRole("button", { name: "Open in a popup" }).click(),
        ]);
        await waitForScreen(popup, "consent");
        const url = new URL(popup.url());
        assert.equal(url.origin, captureOrigin);
        assert.equal(url.searchParams.get("embed"), "1");

        await captureEverything(popup, files, () => camera.show("face"));
        await takeSelfieToOutcome(popup);
        await shots.take(popup, "outcome", "popup/01-outcome");
        const closed = popup.waitForEvent("close");
        await press(popup, "Rejected");
        // complete → verifa.js closes the popup and calls onComplete.
        await closed;
        await page.locator("#result[data-session-id]:not([data-session-id=''])").waitFor();
        await assertCompleteReported(page, captureOrigin, created.id);
        const result = await world.json("GET", `/api/v1/sessions/${created.id}/result`, { key });
        assert.equal((result.body as Body).status, "rejected");
      });
    });

    await t.step("a slow page: ready_timeout is reported, the popup stays open and the flow goes on", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "desktop", async (page) => {
        await page.addInitScript(RECORD_MESSAGES);
        // The capture page's script is held past verifa.js's ready timeout (8 s), as on a slow phone network.
        let release = () => {};
        const held = new Promise<void>((resolve) => release = resolve);
        await page.context().route("**/capture/main.js*", async (route) => {
          await held;
          await route.continue();
        });
        await page.goto(hostPageUrl(server.url, created.capture_url));
        const [popup] = await Promise.all([
          page.waitForEvent("popup"),
          page.getByRole("button", { name: "Open in a popup" }).click(),
        ]);
        await page.locator("#result[data-error='ready_timeout']").waitFor({ timeout: 30_000 });
        assert.equal(popup.isClosed(), false, "the popup is left open for the host to decide");
        release();
        await walkToFrontTips(popup);
        const received = (await messages(page)).filter((m) => m.data?.source === "verifa");
        assert.deepEqual(received.map((m) => m.data.type), ["ready"], "the late page still says ready");
      });
    });

    await t.step("every screen planned for this file was screenshotted", () => shots.assertPlanCovered());
  } finally {
    await world.close();
    await Deno.remove(dir, { recursive: true });
  }
});
