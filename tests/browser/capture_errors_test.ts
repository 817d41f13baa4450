/**
 * Owns the hosted capture page's error screens in real Chromium, each reached for real: a link
 * whose window ran out (and one expired through the API), a camera the applicant blocked (then
 * the upload fallback), uploads the server refuses (then a retry that works), the server going
 * away mid-flow (then "Try again" on the same port, nothing lost), a browser without a needed
 * API; and a reload resuming at the step the server state calls for.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import type { Page } from "playwright-core";
import { type AppServer, launchBrowser, startAppServer } from "../helpers/browser.ts";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, createSession, sessionRow } from "../helpers/sessions.ts";
import { capture, documentRows, expectOk, tokenOf } from "../helpers/capture.ts";
import {
  awaitServerAnswer,
  fakeCamera,
  photos,
  press,
  Screenshots,
  uploadAndSubmit,
  uploadPhoto,
  waitForScreen,
  walkToFrontTips,
  withPage,
} from "../helpers/capture_browser.ts";

const shots = new Screenshots("capture_errors_test.ts");

/** The capture steps the server has recorded for the session. */
async function stepsCompleted(world: TestWorld, session: Body): Promise<string[]> {
  return expectOk(await capture(world, tokenOf(session), "GET", "state"), "state").steps_completed;
}

/** The next response to a POST on the capture API's `step`, with its JSON body. */
function nextPost(page: Page, step: string) {
  const response = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/${step}`));
  response.catch(() => {}); // Awaited by the caller; an early test failure must not leave it unhandled.
  return response;
}

/**
 * Marks the screen on the page, so that waiting for an unmarked one waits for the screen to be
 * rendered anew (the flow may leave a screen for the same one, e.g. the camera failing again).
 */
async function markScreen(page: Page): Promise<void> {
  await page.locator("main [data-screen]").evaluate((el) =>
    (el as unknown as { setAttribute(n: string, v: string): void }).setAttribute("data-test-seen", "")
  );
}

Deno.test("the capture page's error screens in Chromium", async (t) => {
  const world = await createTestWorld();
  const dir = await Deno.makeTempDir({ prefix: "verifa-errors-" });
  let server: AppServer | null = null;
  try {
    const camera = await fakeCamera(dir);
    const files = await photos();
    server = await startAppServer(world);
    await using browser = await launchBrowser({ fakeCamera: camera.path });
    const key = world.org.sandbox_secret_key;

    await t.step("a link whose window ran out: error-expired, on the next action and on a reload", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "mobile", async (page) => {
        await page.goto(created.capture_url);
        await waitForScreen(page, "consent");
        await page.getByRole("checkbox", { name: /I agree to the collection and processing/ }).check();
        world.clock.advance(new Date(created.token_expires_at).getTime() - world.clock.now().getTime() + 1_000);
        const refused = nextPost(page, "consent");
        await press(page, "Continue", "error-expired");
        const body = await (await refused).json();
        assert.equal(body.error, "token_expired");
        assert.equal(await page.locator("main h1").textContent(), "This link has expired");
        await page.locator("main").getByText(/ask the company that sent you this link for a new one/).waitFor();
        assert.equal(await page.getByRole("button", { name: "Close" }).isVisible(), false, "no Close outside an embed");
        await shots.take(page, "error-expired", "mobile/expired-after-action");
        assert.equal((await sessionRow(world, created.id)).consent_at, null, "nothing was recorded");

        const reloaded = await page.reload();
        assert.equal(reloaded?.status(), 410);
        await waitForScreen(page, "error-expired");
        assert.equal(await page.locator("template").count(), 0, "the expired page carries no other screen");
      });
    });

    await t.step("a session expired through the API: its link opens on error-expired", async () => {
      const created = await createSession(world, key, {});
      const expired = await world.json("POST", `/api/v1/sessions/${created.id}/expire`, { key });
      assert.equal(expired.status, 200, JSON.stringify(expired.body));
      await withPage(browser, "desktop", async (page) => {
        const response = await page.goto(created.capture_url);
        assert.equal(response?.status(), 410);
        await waitForScreen(page, "error-expired");
        await shots.take(page, "error-expired", "desktop/expired-on-open");
      });
    });

    await t.step("camera blocked: error-camera says how to allow it; uploading instead works", async () => {
      await using denied = await launchBrowser({ denyCamera: true });
      const created = await createSession(world, key, {});
      await withPage(denied, "mobile", async (page) => {
        await page.goto(created.capture_url);
        await walkToFrontTips(page);
        await press(page, "I'm ready", "error-camera");
        const blocked = page.locator("main [data-camera-problem=denied]");
        assert.equal(await blocked.isVisible(), true);
        assert.match((await blocked.textContent()) ?? "", /Camera access is blocked[\s\S]*set Camera to Allow/);
        assert.equal(await page.locator("main [data-camera-problem=missing]").isVisible(), false);
        await shots.take(page, "error-camera", "mobile/camera-denied");

        // Still blocked: trying again comes back to the same advice.
        await markScreen(page);
        await press(page, "Try camera again");
        await page.locator("main [data-screen=error-camera]:not([data-test-seen])").waitFor();
        await waitForScreen(page, "error-camera");

        await uploadAndSubmit(page, "Upload a photo", files.front, "back-tips");
        assert.deepEqual(await stepsCompleted(world, created), ["consent", "document_type", "document_front"]);
        // The selfie camera is blocked too; its upload works the same.
        await uploadPhoto(page, "Upload a photo instead", files.back);
        await waitForScreen(page, "review");
        await awaitServerAnswer(page);
        await press(page, "Submit photo"); // to the selfie, whose camera is refused at once
        await waitForScreen(page, "error-camera");
        await uploadPhoto(page, "Upload a photo", files.selfie);
        await waitForScreen(page, "selfie-review");
        await awaitServerAnswer(page);
        await press(page, "Submit photo", "outcome");
      });
    });

    await t.step("uploads the server refuses: error-upload shows its reason; the retry succeeds", async () => {
      await camera.show("card");
      const created = await createSession(world, key, {});
      await withPage(browser, "mobile", async (page) => {
        await page.goto(created.capture_url);
        await walkToFrontTips(page);

        // Not an image at all: the browser cannot decode it, so it goes as it is and the server says no.
        let refused = nextPost(page, "documents");
        await uploadPhoto(page, "Upload a photo instead", {
          name: "notes.txt",
          mimeType: "text/plain",
          bytes: new TextEncoder().encode("my licence number is D1234567\n"),
        });
        await waitForScreen(page, "error-upload");
        let response = await refused;
        let body = await response.json();
        assert.equal(response.status(), 400, JSON.stringify(body)); // the capture API answers 400 with a precise code
        assert.equal(body.error, "unsupported_media_type");
        assert.equal(await page.locator("main [data-upload-detail]").textContent(), body.detail);
        await shots.take(page, "error-upload", "mobile/upload-not-an-image");
        await uploadAndSubmit(page, "Upload a different photo", files.front, "back-tips");

        // An image too small to read: the page downscales nothing here, the server refuses it.
        const tiny = await sharp({ create: { width: 40, height: 25, channels: 3, background: "#dde3ea" } }).png()
          .toBuffer();
        refused = nextPost(page, "documents");
        await uploadPhoto(page, "Upload a photo instead", { name: "tiny.png", mimeType: "image/png", bytes: tiny });
        await waitForScreen(page, "error-upload");
        response = await refused;
        body = await response.json();
        assert.equal(response.status(), 400, JSON.stringify(body));
        assert.equal(body.error, "image_too_small");
        assert.equal(await page.locator("main [data-upload-detail]").textContent(), body.detail);
        await shots.take(page, "error-upload", "mobile/upload-too-small");
        assert.deepEqual(await stepsCompleted(world, created), ["consent", "document_type", "document_front"]);

        // "Try again" opens the camera; Auto captures the card and the back is accepted.
        await press(page, "Try again", "camera");
        await waitForScreen(page, "review");
        await awaitServerAnswer(page);
        await press(page, "Submit photo", "selfie");
        assert.deepEqual(await stepsCompleted(world, created), [
          "consent",
          "document_type",
          "document_front",
          "document_back",
        ]);
      });
    });

    await t.step(
      "the server stops mid-flow: error-connection; back on the same port, Try again keeps everything",
      async () => {
        const created = await createSession(world, key, {});
        await withPage(browser, "desktop", async (page) => {
          await page.goto(created.capture_url);
          await walkToFrontTips(page);
          const port = Number(new URL(server!.url).port);
          await server!.close();
          server = null;

          await uploadPhoto(page, "Upload a photo instead", files.front);
          await waitForScreen(page, "error-connection");
          await shots.take(page, "error-connection", "desktop/connection-lost");
          assert.deepEqual(await stepsCompleted(world, created), ["consent", "document_type"]);

          server = await startAppServer(world, { port });
          assert.equal(new URL(server.url).port, String(port));
          // The upload that failed is sent again: the same photo reaches review, nothing is asked twice.
          const sent = nextPost(page, "documents");
          await press(page, "Try again", "review");
          assert.equal((await sent).status(), 200);
          await awaitServerAnswer(page);
          assert.deepEqual(await stepsCompleted(world, created), ["consent", "document_type", "document_front"]);
          await press(page, "Submit photo", "back-tips");
          assert.equal((await documentRows(world, created.id)).length, 1);
        });
      },
    );

    await t.step("a browser without canvas.toBlob: error-unsupported", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "mobile", async (page) => {
        await page.addInitScript("delete HTMLCanvasElement.prototype.toBlob;");
        await page.goto(created.capture_url);
        await waitForScreen(page, "error-unsupported");
        assert.equal(await page.locator("main h1").textContent(), "This browser isn't supported");
        await shots.take(page, "error-unsupported", "mobile/unsupported-no-toblob");
        assert.deepEqual(await stepsCompleted(world, created), []);
      });
    });

    await t.step("reloading the page resumes at the step the server state calls for", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "mobile", async (page) => {
        const reload = async (expected: Parameters<typeof waitForScreen>[1]) => {
          await page.reload();
          await waitForScreen(page, expected);
        };
        await page.goto(created.capture_url);
        await waitForScreen(page, "consent");
        await reload("consent");
        await page.getByRole("checkbox", { name: /I agree to the collection and processing/ }).check();
        await press(page, "Continue", "document-type");
        await reload("document-type");
        // The type is sent with the country: a reload on country asks for the type again.
        await press(page, "Driver's License", "country");
        await reload("document-type");
        await press(page, "Driver's License", "country");
        await page.getByLabel("State", { exact: true }).selectOption("WA");
        await press(page, "Continue", "front-tips");
        await reload("front-tips");
        // A photo on review is already stored: the reload goes on to the back.
        await uploadPhoto(page, "Upload a photo instead", files.front);
        await waitForScreen(page, "review");
        await awaitServerAnswer(page);
        await reload("back-tips");
        await uploadAndSubmit(page, "Upload a photo instead", files.back, "selfie");
        await reload("selfie");
        await uploadAndSubmit(page, "Upload a photo instead", files.selfie, "outcome");
        await reload("outcome");
        await press(page, "Needs review", "confirmation");
        await reload("confirmation");
        assert.equal(await page.locator("main [data-outcome-label]").textContent(), "under review");
        assert.equal((await sessionRow(world, created.id)).status, "under_review");
      });
    });

    await t.step("every screen planned for this file was screenshotted", () => shots.assertPlanCovered());
  } finally {
    await server?.close();
    await world.close();
    await Deno.remove(dir, { recursive: true });
  }
});
