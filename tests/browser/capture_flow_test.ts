/**
 * Owns the hosted capture page's main path in real Chromium: the sandbox tutorial once with
 * uploaded files on a desktop (with the "Continue on your phone" hand-off) and once with the fake
 * camera on a phone (card video for the ID, face video for the selfie), each ending in the
 * outcome chooser whose preset the REST API then reports; and the live path's processing screen
 * and done. It also checks that the screenshot plan covers every screen of the page.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import type { Page } from "playwright-core";
import { launchBrowser, startAppServer } from "../helpers/browser.ts";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, createSession, insertWorkflow, sessionRow } from "../helpers/sessions.ts";
import { tokenOf } from "../helpers/capture.ts";
import {
  ALL_SCREENS,
  apiGet,
  awaitServerAnswer,
  button,
  fakeCamera,
  photos,
  press,
  SCREENSHOT_PLAN,
  Screenshots,
  uploadAndSubmit,
  uploadPhoto,
  waitForScreen,
  walkToFrontTips,
  withPage,
} from "../helpers/capture_browser.ts";
import { sessionFieldContext } from "../../core/sessions/service.ts";

const shots = new Screenshots("capture_flow_test.ts");

/** A workflow that also asks for the applicant's details, so the flow passes user-info. */
const DETAILS_WORKFLOW = "wf_browser_details";

Deno.test("the screenshot plan covers every screen the page has", () => {
  const planned = new Set(Object.values(SCREENSHOT_PLAN).flat());
  assert.deepEqual(ALL_SCREENS.filter((screen) => !planned.has(screen)), []);
  assert.equal(new Set(ALL_SCREENS).size, 20);
});

/** No sideways scrolling: everything fits the viewport's width. */
async function assertFitsWidth(page: Page): Promise<void> {
  const [scrollWidth, innerWidth] = await page.evaluate(
    `[document.documentElement.scrollWidth, innerWidth]`,
  ) as [number, number];
  assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth}px wide in a ${innerWidth}px viewport`);
}

/** consent → document type (Driver's License) → country (US, preselected) and state → front tips. */
async function toFrontTipsWithScreenshots(page: Page, label: string): Promise<void> {
  await waitForScreen(page, "consent");
  await shots.take(page, "consent", `${label}/01-consent`);
  await page.getByRole("checkbox", { name: /I agree to the collection and processing/ }).check();
  await press(page, "Continue", "document-type");
  const types = await page.locator("main [data-document-type]").evaluateAll(
    (buttons) => buttons.map((b) => (b as unknown as { dataset: { documentType: string } }).dataset.documentType),
  );
  assert.deepEqual(types, ["drivers_license", "passport", "national_id", "residence_permit"]);
  await shots.take(page, "document-type", `${label}/02-document-type`);
  await press(page, "Driver's License", "country");
  // Headless Chromium speaks en-US: the country is guessed, and a US ID needs its state.
  assert.equal(await page.getByLabel("Country", { exact: true }).inputValue(), "US");
  await page.getByLabel("State", { exact: true }).selectOption("CA");
  await shots.take(page, "country", `${label}/03-country`);
  await press(page, "Continue", "front-tips");
  await shots.take(page, "front-tips", `${label}/04-front-tips`);
}

/** The session and its result through the REST API, as the customer's backend reads them. */
async function assertDecided(
  world: TestWorld,
  id: string,
  expected: { status: string; result: Record<string, unknown>; rejection?: RegExp },
): Promise<void> {
  const key = world.org.sandbox_secret_key;
  const session = await apiGet(world, key, `/api/v1/sessions/${id}`);
  assert.equal(session.status, expected.status);
  assert.equal(session.document_type, "drivers_license");
  assert.equal(session.is_sandbox, true);
  assert.ok(session.completed_at, "completed_at is set");
  const result = await apiGet(world, key, `/api/v1/sessions/${id}/result`);
  assert.equal(result.session_id, id);
  for (const [field, value] of Object.entries(expected.result)) assert.equal(result[field], value, field);
  if (expected.rejection) assert.match(result.rejection_reason, expected.rejection);
  else assert.equal(result.rejection_reason, null);
  const documents = await apiGet(world, key, `/api/v1/sessions/${id}/documents`);
  assert.deepEqual(documents.data.map((d: Body) => d.doc_type).sort(), ["id_back", "id_front", "selfie"]);
}

/** An 80×45 grey thumbnail, to compare what the server stored with what the camera showed. */
async function thumb(bytes: Uint8Array): Promise<number[]> {
  return [...await sharp(bytes).resize(80, 45, { fit: "fill" }).greyscale().raw().toBuffer()];
}

async function storedDocument(world: TestWorld, id: string, docType: string): Promise<Uint8Array> {
  const documents = await apiGet(world, world.org.sandbox_secret_key, `/api/v1/sessions/${id}/documents`);
  const url = new URL(documents.data.find((d: Body) => d.doc_type === docType).url);
  const response = await world.request("GET", `${url.pathname}${url.search}`);
  assert.equal(response.status, 200);
  return new Uint8Array(await response.arrayBuffer());
}

const meanAbsDiff = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

Deno.test("the sandbox tutorial in Chromium", async (t) => {
  const world = await createTestWorld();
  const dir = await Deno.makeTempDir({ prefix: "verifa-flow-" });
  try {
    await insertWorkflow(world, world.org.org_id, "sandbox", DETAILS_WORKFLOW, {
      document_types: ["passport", "drivers_license", "national_id", "residence_permit"],
      selfie: true,
      user_info_fields: ["first_name", "last_name", "date_of_birth"],
      proof_of_address: false,
    });
    const camera = await fakeCamera(dir);
    const files = await photos();
    // Serves the world's app and points its capture URLs at it; closed when this block ends.
    await using _server = await startAppServer(world);
    await using browser = await launchBrowser({ fakeCamera: camera.path });
    const key = world.org.sandbox_secret_key;

    await t.step("uploaded files on a 1280×800 desktop, with the phone hand-off; outcome Approved", async () => {
      const created = await createSession(world, key, {
        workflow_id: DETAILS_WORKFLOW,
        fields: { first_name: "Jane", last_name: "Doe" },
      });
      await withPage(browser, "desktop", async (page) => {
        await page.goto(created.capture_url);
        const templates = await page.evaluate(
          `[...document.querySelectorAll("template[data-screen-template]")].map((t) => t.dataset.screenTemplate)`,
        ) as string[];
        assert.deepEqual(templates.sort(), [...ALL_SCREENS].sort(), "ALL_SCREENS lists the page's screens");
        // A wide screen offers to continue on a phone, with a QR code of this very link.
        const handoff = page.getByRole("complementary", { name: "Continue on your phone" });
        await handoff.waitFor({ state: "visible" });
        const qr = handoff.getByRole("img", { name: /QR code/ });
        assert.equal(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), true);
        await toFrontTipsWithScreenshots(page, "desktop-upload");

        await uploadPhoto(page, "Upload a photo instead", files.front);
        await waitForScreen(page, "review");
        await awaitServerAnswer(page);
        await shots.take(page, "review", "desktop-upload/05-review-front");
        await press(page, "Submit photo", "back-tips");
        await shots.take(page, "back-tips", "desktop-upload/06-back-tips");
        await uploadPhoto(page, "Upload a photo instead", files.back);
        await waitForScreen(page, "review");
        await awaitServerAnswer(page);
        await press(page, "Submit photo", "selfie");
        await uploadPhoto(page, "Upload a photo instead", files.selfie);
        await waitForScreen(page, "selfie-review");
        await awaitServerAnswer(page);
        await shots.take(page, "selfie-review", "desktop-upload/07-selfie-review");
        await press(page, "Submit photo", "user-info");

        // Pre-filled from the session's fields; the applicant adds the rest.
        assert.equal(await page.getByLabel("First name").inputValue(), "Jane");
        assert.equal(await page.getByLabel("Last name").inputValue(), "Doe");
        await page.getByLabel("Date of birth").fill("1990-04-12");
        await shots.take(page, "user-info", "desktop-upload/08-user-info");
        await press(page, "Continue", "outcome");
        // Capture is closed: the hand-off QR is gone.
        assert.equal(await page.locator("[data-handoff]").count(), 0);
        const row = await sessionRow(world, created.id);
        assert.equal(row.status, "sandbox_pending", "the page offers outcomes only once the server accepted complete");
        // Before complete the page reported its fraud signals; a browser driven by Playwright says so.
        const signals = row.client_signals as Body;
        assert.ok(signals.behavioral.completion_seconds >= 1, JSON.stringify(signals));
        assert.equal(signals.behavioral.copy_paste_name, false);
        assert.equal(signals.device.webdriver, true);
        assert.deepEqual(
          world.deps.keyRing.decryptJson(row.user_fields_enc!, sessionFieldContext(created.id, "user_fields_enc")),
          { first_name: "Jane", last_name: "Doe", date_of_birth: "1990-04-12" },
        );
        await shots.take(page, "outcome", "desktop-upload/09-outcome");
        await press(page, "Approved", "confirmation");
        assert.equal(await page.locator("[data-outcome-label]").textContent(), "Approved");
        await shots.take(page, "confirmation", "desktop-upload/10-confirmation");

        await assertDecided(world, created.id, {
          status: "completed",
          result: { status: "approved", face_match_passed: true, extracted_age: 28 },
        });
      });
    });

    await t.step(
      "the camera on a 390×844 phone (card video, then face video); outcome Rejected: underage",
      async () => {
        await camera.show("card");
        const created = await createSession(world, key, {});
        await withPage(browser, "mobile", async (page) => {
          await page.goto(created.capture_url);
          await toFrontTipsWithScreenshots(page, "mobile-camera");
          // A phone gets no hand-off: it is the phone.
          assert.equal(await page.locator("[data-handoff]").isVisible(), false);
          await assertFitsWidth(page);

          // Front: Manual first (shutter), then Retake and let Auto capture the steady card.
          await press(page, "I'm ready", "camera");
          // Pressed as the screen appears: Auto cannot fire before the stream has played for 1.5 s.
          await press(page, "Manual");
          assert.equal(await button(page, "Manual").getAttribute("aria-pressed"), "true");
          // The camera is playing once the page says what to do with it.
          await page.locator("main").getByText("Fit your ID in the frame, then take the photo.").waitFor();
          assert.equal(await page.evaluate(`document.querySelector("main [data-video]").videoWidth`), 1280);
          await button(page, "Take photo").waitFor({ state: "visible" });
          await assertFitsWidth(page);
          await shots.take(page, "camera", "mobile-camera/05-camera-manual");
          await press(page, "Take photo", "review");
          await awaitServerAnswer(page);
          await shots.take(page, "review", "mobile-camera/06-review-front");
          await press(page, "Retake photo", "camera");
          assert.equal(await button(page, "Manual").getAttribute("aria-pressed"), "true", "the mode is kept");
          await press(page, "Auto");
          assert.equal(await button(page, "Auto").getAttribute("aria-pressed"), "true");
          assert.equal(await button(page, "Take photo").isVisible(), false, "Auto has no shutter");
          // Nothing pressed from here: Auto captures the card once it holds steady and sharp.
          await waitForScreen(page, "review");
          await awaitServerAnswer(page);
          await press(page, "Submit photo", "back-tips");

          // Back: Auto is remembered.
          await press(page, "I'm ready", "camera");
          assert.equal(await button(page, "Auto").getAttribute("aria-pressed"), "true");
          await waitForScreen(page, "review");
          await awaitServerAnswer(page);
          // The selfie camera opens on the next screen: it now films a face.
          await camera.show("face");
          await press(page, "Submit photo", "selfie");
          const takeSelfie = button(page, "Take selfie");
          await page.locator("main [data-screen=selfie] [data-action=shutter]:not([disabled])").waitFor();
          await shots.take(page, "selfie", "mobile-camera/07-selfie");
          await takeSelfie.click();
          await waitForScreen(page, "selfie-review");
          await awaitServerAnswer(page);
          await assertFitsWidth(page);
          await shots.take(page, "selfie-review", "mobile-camera/08-selfie-review");
          // No user-info in the default workflow: submit, complete, then the sandbox chooser.
          await press(page, "Submit photo", "outcome");
          await assertFitsWidth(page);
          await press(page, "Rejected: underage", "confirmation");
          assert.equal(await page.locator("[data-outcome-label]").textContent(), "Rejected: underage");
          await shots.take(page, "confirmation", "mobile-camera/09-confirmation");

          await assertDecided(world, created.id, {
            status: "completed",
            result: {
              status: "rejected",
              extracted_age: 16,
              age_check_passed: false,
              rejection_reason_code: "underage",
            },
            rejection: /age/i,
          });
          // What the server stored is what the fake camera filmed: the card twice, then the face.
          const card = await thumb(camera.stills.card);
          const face = await thumb(camera.stills.face);
          for (const [docType, expected] of [["id_front", card], ["id_back", card], ["selfie", face]] as const) {
            const stored = await thumb(await storedDocument(world, created.id, docType));
            const diff = meanAbsDiff(stored, expected);
            assert.ok(diff < 8, `${docType} differs from the filmed scene by ${diff.toFixed(1)} grey levels`);
          }
        });
      },
    );

    await t.step("live: processing waits on the session; once the link has run out the page says done", async () => {
      const created = await createSession(world, world.org.live_secret_key, {});
      assert.equal(created.is_sandbox, false);
      await withPage(browser, "mobile", async (page) => {
        await page.goto(created.capture_url);
        await walkToFrontTips(page, "TX");
        await uploadAndSubmit(page, "Upload a photo instead", files.front, "back-tips");
        await uploadAndSubmit(page, "Upload a photo instead", files.back, "selfie");
        await uploadPhoto(page, "Upload a photo instead", files.selfie);
        await waitForScreen(page, "selfie-review");
        await awaitServerAnswer(page);

        // Submit: signals, then complete; the page then follows the session's state.
        const polled = page.waitForResponse((r) => r.url().endsWith(`/verify/${tokenOf(created)}/state`));
        polled.catch(() => {}); // Awaited below; this only keeps an early failure from going unhandled.
        await press(page, "Submit photo", "processing");
        await page.locator("main").getByText("Checking your documents…").waitFor();
        assert.equal((await sessionRow(world, created.id)).status, "processing");
        assert.equal((await polled).status(), 200);
        assert.equal(await page.locator("body").getAttribute("data-current-screen"), "processing", "still waiting");
        await shots.take(page, "processing", "mobile-live/01-processing");

        // No live engine decides it here; the link's window ends and the page lets the applicant go.
        const session = await apiGet(world, world.org.live_secret_key, `/api/v1/sessions/${created.id}`);
        world.clock.advance(new Date(session.token_expires_at).getTime() - world.clock.now().getTime() + 1_000);
        await waitForScreen(page, "done");
        await page.locator("main").getByText("You can now close this page.").waitFor();
        await shots.take(page, "done", "mobile-live/02-done");
        assert.equal((await sessionRow(world, created.id)).status, "processing", "the page changed nothing");
      });
    });

    await t.step("every screen planned for this file was screenshotted", () => shots.assertPlanCovered());
  } finally {
    await world.close();
    await Deno.remove(dir, { recursive: true });
  }
});
