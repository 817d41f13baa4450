/**
 * Owns seed 003's sides in the hosted capture page, in real Chromium on a desktop with no camera
 * at all (uploads only): a state ID / national ID finishes with its front alone ("Skip" on the
 * offer of the back), or with the optional back added, or skipped from the back's own tips after
 * a reload; and the selfie screen of a camera-less computer keeps "Upload a photo instead" in
 * place instead of leaving for error-camera (the earlier note's bug). Also the page's first moments:
 * the server renders the first screen, and what the applicant did on it before the page's script
 * started (a slow phone) survives the script taking over — a ticked consent box is not reset.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser, startAppServer } from "../helpers/browser.ts";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";
import { type Body, createSession } from "../helpers/sessions.ts";
import {
  apiGet,
  awaitServerAnswer,
  button,
  currentScreen,
  type PhotoFile,
  photos,
  press,
  Screenshots,
  uploadAndSubmit,
  uploadPhoto,
  waitForScreen,
  walkToFrontTips,
  withPage,
} from "../helpers/capture_browser.ts";

const shots = new Screenshots("capture_sides_test.ts");
const NATIONAL_ID = "State ID / National ID";

/** The stored documents' slots and the session's ID type, as the customer's backend reads them. */
async function storedSlots(world: TestWorld, id: string): Promise<{ type: string; slots: string[] }> {
  const key = world.org.sandbox_secret_key;
  const session = await apiGet(world, key, `/api/v1/sessions/${id}`);
  const documents = await apiGet(world, key, `/api/v1/sessions/${id}/documents`);
  return { type: session.document_type, slots: documents.data.map((d: Body) => d.doc_type).sort() };
}

/**
 * On the selfie screen of a computer without a camera: the page says so in place, hides the
 * shutter, and the upload stays where the applicant reaches for it.
 */
async function selfieWithoutCamera(page: Page, selfie: PhotoFile): Promise<void> {
  await page.locator("main [data-camera-status]").getByText(/couldn't find a camera/).waitFor();
  assert.equal(await currentScreen(page), "selfie", "a missing camera does not leave the selfie screen");
  assert.equal(await button(page, "Take selfie").isVisible(), false, "no shutter without a camera");
  await uploadAndSubmit(page, "Upload a photo instead", selfie, "outcome");
}

/** A national ID's front uploaded from a fresh page of `url`, issued in US `state`: the offer of the back. */
async function toBackOffer(page: Page, url: string, state: string, front: PhotoFile): Promise<void> {
  await page.goto(url);
  await walkToFrontTips(page, state, NATIONAL_ID);
  await uploadAndSubmit(page, "Upload a photo instead", front, "back-offer");
}

Deno.test("state ID / national ID sides in Chromium, on a desktop without a camera", async (t) => {
  const world = await createTestWorld();
  try {
    const files = await photos();
    await using _server = await startAppServer(world);
    // No camera flags at all: getUserMedia rejects with NotFoundError, as on a camera-less desktop.
    await using browser = await launchBrowser();
    const key = world.org.sandbox_secret_key;

    await t.step("consent ticked before the script runs stays ticked, and Continue goes on", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "desktop", async (page) => {
        // Hold the entry script until the box has been ticked on the server-rendered screen.
        let release!: () => void;
        const ticked = new Promise<void>((resolve) => release = resolve);
        await page.route(/\/capture\/main\.js(\?|$)/, async (route) => {
          await ticked;
          await route.continue();
        });
        // "commit": the module script is deferred, so DOMContentLoaded waits for it; the markup is there before.
        await page.goto(created.capture_url, { waitUntil: "commit" });
        const box = page.getByRole("checkbox", { name: /I agree to the collection and processing/ });
        await box.check();
        release();
        // The script has started once it titled the page after the screen's heading.
        await waitFor(
          "the page script to start",
          async () => (await page.title()).endsWith("· Verify your identity") || undefined,
        );
        assert.equal(await box.isChecked(), true, "the tick survives the script taking over");
        await press(page, "Continue", "document-type");
      });
    });

    await t.step("front only: Skip on the offer of the back, the selfie by upload, then Approved", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "desktop", async (page) => {
        await page.goto(created.capture_url);
        await waitForScreen(page, "consent");
        await page.getByRole("checkbox", { name: /I agree to the collection and processing/ }).check();
        await press(page, "Continue", "document-type");
        const hint = await page.locator("main #type-national_id-hint").textContent();
        assert.equal(hint, "Front only (back optional)");
        await press(page, NATIONAL_ID, "country");
        await page.getByLabel("State", { exact: true }).selectOption("TX");
        await press(page, "Continue", "front-tips");
        await uploadAndSubmit(page, "Upload a photo instead", files.front, "back-offer");

        // The offer: its heading has focus, both choices are buttons named for what they do.
        assert.equal(await page.evaluate(`document.activeElement?.id`), "back-offer-title");
        assert.equal(await page.locator("main h1").textContent(), "Add the back of your ID?");
        assert.equal(await button(page, "Add the back (optional)").isVisible(), true);
        await shots.take(page, "back-offer", "desktop/01-back-offer");
        // By keyboard: Skip takes focus and Enter presses it.
        await button(page, "Skip").focus();
        await page.keyboard.press("Enter");
        await waitForScreen(page, "selfie");
        await selfieWithoutCamera(page, files.selfie);
        await press(page, "Approved", "confirmation");
        assert.deepEqual(await storedSlots(world, created.id), { type: "national_id", slots: ["id_front", "selfie"] });
      });
    });

    await t.step("front and the optional back: Add the back, upload it, then the selfie", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "desktop", async (page) => {
        await toBackOffer(page, created.capture_url, "NY", files.front);
        await press(page, "Add the back (optional)", "back-tips");
        assert.equal(await button(page, "Skip the back").isVisible(), true, "the back can still be skipped");
        await uploadPhoto(page, "Upload a photo instead", files.back);
        await waitForScreen(page, "review");
        await awaitServerAnswer(page);
        assert.equal(
          await page.locator("main [data-preview]").getAttribute("alt"),
          "Your photo of the back of your ID",
        );
        await press(page, "Submit photo", "selfie");
        await selfieWithoutCamera(page, files.selfie);
        await press(page, "Needs review", "confirmation");
        assert.deepEqual(await storedSlots(world, created.id), {
          type: "national_id",
          slots: ["id_back", "id_front", "selfie"],
        });
      });
    });

    await t.step("a reload after the front offers the back again; Skip the back on its tips", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "desktop", async (page) => {
        await toBackOffer(page, created.capture_url, "CA", files.front);
        await page.reload();
        await waitForScreen(page, "back-offer");
        await press(page, "Add the back (optional)", "back-tips");
        await press(page, "Skip the back", "selfie");
        await selfieWithoutCamera(page, files.selfie);
        assert.deepEqual(await storedSlots(world, created.id), { type: "national_id", slots: ["id_front", "selfie"] });
      });
    });

    await t.step("a driver's licence offers no skip: its back is required", async () => {
      const created = await createSession(world, key, {});
      await withPage(browser, "desktop", async (page) => {
        await page.goto(created.capture_url);
        await walkToFrontTips(page);
        await uploadAndSubmit(page, "Upload a photo instead", files.front, "back-tips");
        assert.equal(await button(page, "Skip the back").isVisible(), false);
        await uploadAndSubmit(page, "Upload a photo instead", files.back, "selfie");
        await selfieWithoutCamera(page, files.selfie);
        assert.deepEqual(await storedSlots(world, created.id), {
          type: "drivers_license",
          slots: ["id_back", "id_front", "selfie"],
        });
      });
    });

    await t.step("every screen planned for this file was screenshotted", () => shots.assertPlanCovered());
  } finally {
    await world.close();
  }
});
