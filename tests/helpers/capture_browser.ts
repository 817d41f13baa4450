/**
 * Owns what the browser tests of the hosted capture page share: the page's screen hooks (waiting
 * for a screen, which is `body[data-current-screen]` and the one `[data-screen]` in the document),
 * a fresh page watched for uncaught errors, the controls they press by accessible name, uploading
 * through the hidden file inputs, the camera videos swapped under Chromium's fake camera,
 * screenshots of every screen reached (which fail when blank), and the plan that spreads all
 * twenty screens over the test files.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Browser, Frame, Page } from "playwright-core";
import { newPage, screenshot, type Viewport } from "./browser.ts";
import { faceImage, idCardImage, writeFaceVideo, writeIdCardVideo } from "./fake_camera.ts";
import type { TestWorld } from "./test_app.ts";
import { call } from "./sessions.ts";

/**
 * Every screen of the capture page, by its `data-screen` name (capture-ui/capture_page.tsx SCREENS);
 * also what tests/capture_ui/capture_page_test.ts expects the page's templates to be.
 */
export const ALL_SCREENS = [
  "consent",
  "document-type",
  "country",
  "front-tips",
  "camera",
  "review",
  "back-offer",
  "back-tips",
  "selfie",
  "selfie-review",
  "user-info",
  "outcome",
  "confirmation",
  "processing",
  "done",
  "error-expired",
  "error-camera",
  "error-unsupported",
  "error-upload",
  "error-connection",
] as const;
export type ScreenName = typeof ALL_SCREENS[number];

/**
 * Which screens each browser test file screenshots. Each file asserts at its end that it took a
 * screenshot of every screen listed for it; tests/browser/capture_flow_test.ts asserts that the
 * lists together name all twenty screens. So a screen dropped from a run fails its file, and a
 * screen dropped from the plan fails the coverage test.
 */
export const SCREENSHOT_PLAN: Record<string, readonly ScreenName[]> = {
  "capture_flow_test.ts": [
    "consent",
    "document-type",
    "country",
    "front-tips",
    "camera",
    "review",
    "back-tips",
    "selfie",
    "selfie-review",
    "user-info",
    "processing",
    "outcome",
    "confirmation",
    "done",
  ],
  "capture_errors_test.ts": [
    "error-expired",
    "error-camera",
    "error-unsupported",
    "error-upload",
    "error-connection",
  ],
  "embed_test.ts": ["consent", "selfie", "outcome"],
  "capture_sides_test.ts": ["back-offer"],
};

/** A page, or the frame of the modal's iframe: the flow runs the same in both. */
export type Scope = Page | Frame;

/** Generous for a loaded 2-core machine; every wait is on an event, so a pass never waits this long. */
export const SCREEN_TIMEOUT_MS = 20_000;

/** What the page says it shows: `body[data-current-screen]`. */
export async function currentScreen(scope: Scope): Promise<string | null> {
  return await scope.locator("body").getAttribute("data-current-screen");
}

/**
 * Waits until `name` is the page's screen: `body[data-current-screen]` names it and it is the one
 * `[data-screen]` in the document (the templates' copies are inert and not in it).
 */
export async function waitForScreen(scope: Scope, name: ScreenName, timeout = SCREEN_TIMEOUT_MS): Promise<void> {
  try {
    await scope.waitForSelector(`body[data-current-screen="${name}"] main [data-screen="${name}"]`, { timeout });
  } catch (error) {
    const now = await currentScreen(scope).catch(() => "(page gone)");
    const status = await scope.locator("[data-live]").textContent({ timeout: 1_000 }).catch(() => "");
    throw new Error(`screen ${name} never came (the page shows ${now}; live region: ${JSON.stringify(status)})`, {
      cause: error,
    });
  }
  assert.equal(await scope.locator("[data-screen]").count(), 1, "exactly one [data-screen] in the document");
}

/**
 * Collects the page's uncaught exceptions and unhandled rejections (popups and iframes of the
 * page included); `assertNone` fails the test with them. A flow can look fine while a handler
 * throws: this is where that shows. (Console errors are not counted: a refused upload or a
 * stopped server logs its failed request there, as it should.)
 */
export function watchPageErrors(page: Page): { assertNone(): void } {
  const errors: string[] = [];
  const watch = (p: Page) => p.on("pageerror", (error) => errors.push(`${p.url()}: ${error.message}`));
  watch(page);
  page.on("popup", watch);
  return { assertNone: () => assert.deepEqual(errors, [], "uncaught errors in the page") };
}

/**
 * Runs `flow` on a fresh page of `browser` in `viewport`, then fails the test with any uncaught
 * error of the page (watchPageErrors); the page is closed either way.
 */
export async function withPage(
  browser: Browser,
  viewport: Viewport,
  flow: (page: Page) => Promise<void>,
): Promise<void> {
  const page = await newPage(browser, viewport);
  const pageErrors = watchPageErrors(page);
  try {
    await flow(page);
    pageErrors.assertNone();
  } finally {
    await page.close();
  }
}

/** The button with this accessible name on the current screen. */
export function button(scope: Scope, name: string | RegExp) {
  return scope.locator("main [data-screen]").getByRole("button", { name, exact: typeof name === "string" });
}

/** Presses a button of the current screen by its accessible name, and waits for the next screen. */
export async function press(scope: Scope, name: string | RegExp, next?: ScreenName): Promise<void> {
  await button(scope, name).click();
  if (next) await waitForScreen(scope, next);
}

/**
 * On a review screen: the photo is shown at once, and Submit is enabled once the server has
 * answered the upload (with its quality feedback).
 */
export async function awaitServerAnswer(scope: Scope): Promise<void> {
  // Locator waits, not waitForFunction: the page's CSP (no 'unsafe-eval') refuses string functions.
  await scope.locator("main [data-action=submit-photo]:not([disabled])").waitFor();
  const status = (await scope.locator("main [data-review-status]").textContent()) ?? "";
  assert.match(status, /looks good|submit this photo/i);
  const shown = await scope.locator("main [data-preview]").evaluate((img) =>
    (img as unknown as { naturalWidth: number }).naturalWidth > 0
  );
  assert.equal(shown, true, "the photo under review is shown");
}

/**
 * consent → document type (`documentType`, by its button's name: Driver's License unless told)
 * → country (US, which en-US Chromium preselects) and `state` → front tips.
 */
export async function walkToFrontTips(scope: Scope, state = "CA", documentType = "Driver's License"): Promise<void> {
  await waitForScreen(scope, "consent");
  await scope.getByRole("checkbox", { name: /I agree to the collection and processing/ }).check();
  await press(scope, "Continue", "document-type");
  await press(scope, documentType, "country");
  assert.equal(await scope.getByLabel("Country", { exact: true }).inputValue(), "US");
  await scope.getByLabel("State", { exact: true }).selectOption(state);
  await press(scope, "Continue", "front-tips");
}

/** Picks `file` with the screen's upload button, waits for the server's answer on review, submits. */
export async function uploadAndSubmit(
  scope: Scope,
  label: string,
  file: PhotoFile,
  next: ScreenName,
): Promise<void> {
  const review = await currentScreen(scope) === "selfie" ? "selfie-review" : "review";
  await uploadPhoto(scope, label, file);
  await waitForScreen(scope, review);
  await awaitServerAnswer(scope);
  await press(scope, "Submit photo", next);
}

export interface PhotoFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

/**
 * Picks `file` in the upload control of the current screen (the hidden `input[data-file]` beside
 * the button labelled `label`), as the file chooser would after a press on that button.
 */
export async function uploadPhoto(scope: Scope, label: string, file: PhotoFile): Promise<void> {
  const upload = button(scope, label);
  await upload.waitFor({ state: "visible" });
  // The input is the button's next sibling (capture-ui/screen.tsx UploadButton).
  const input = upload.locator("xpath=following-sibling::input[@data-file][1]");
  await input.setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: Buffer.from(file.bytes) });
}

/** The generated photos the upload runs pick: card front and back (two holders), and a face. */
export async function photos(): Promise<{ front: PhotoFile; back: PhotoFile; selfie: PhotoFile }> {
  const [front, back, selfie] = await Promise.all([
    idCardImage(),
    idCardImage({ format: "png", holder: { documentNumber: "B4CK51DE0", givenNames: "REVERSE SIDE" } }),
    faceImage({ width: 720, height: 960 }),
  ]);
  return {
    front: { name: "licence-front.jpg", mimeType: "image/jpeg", bytes: front },
    back: { name: "licence-back.png", mimeType: "image/png", bytes: back },
    selfie: { name: "selfie.jpg", mimeType: "image/jpeg", bytes: selfie },
  };
}

/**
 * The fake camera's file and the two videos it can play. Chromium opens the file at each
 * getUserMedia, so `show` (a copy renamed over it) changes what the next camera opened shows.
 */
export interface FakeCamera {
  path: string;
  show(video: "card" | "face"): Promise<void>;
  /** Each video's steady frame (PNG): what a photo taken from it should look like. */
  stills: { card: Uint8Array; face: Uint8Array };
}

export async function fakeCamera(dir: string): Promise<FakeCamera> {
  const card = `${dir}/card.y4m`;
  const face = `${dir}/face.y4m`;
  const [cardVideo, faceVideo] = await Promise.all([
    writeIdCardVideo(card),
    writeFaceVideo(face, { motionSeconds: 0 }),
  ]);
  const path = `${dir}/camera.y4m`;
  const show = async (video: "card" | "face") => {
    const temporary = `${path}.${crypto.randomUUID()}.tmp`;
    await Deno.copyFile(video === "card" ? card : face, temporary);
    await Deno.rename(temporary, path);
  };
  await show("card");
  return { path, show, stills: { card: cardVideo.still, face: faceVideo.still } };
}

/**
 * Screenshots of one test file, named `capture/<file>/<label>`, each taken while the page shows
 * the screen it is filed under (for the modal: the host page, with the screen inside the iframe).
 */
export class Screenshots {
  readonly taken = new Set<ScreenName>();
  constructor(readonly file: string) {}

  async take(page: Page, screen: ScreenName, label: string, scope: Scope = page): Promise<void> {
    assert.equal(await currentScreen(scope), screen, `screenshot ${label}: the page is not on ${screen}`);
    const name = `capture/${this.file.replace(/_test\.ts$/, "")}/${label}`;
    if (scope === page) {
      await screenshot(page, name);
    } else {
      // The host page as the applicant sees it, and the iframe's box alone (blank-checked on its own).
      const box = await (await (scope as Frame).frameElement()).boundingBox();
      assert.ok(box, "the iframe is on screen");
      await screenshot(page, name, { fullPage: false });
      await screenshot(page, `${name}-iframe`, { clip: box });
    }
    this.taken.add(screen);
  }

  /** Fails unless every screen the plan gives this file was screenshotted. */
  assertPlanCovered(): void {
    const planned = SCREENSHOT_PLAN[this.file];
    assert.ok(planned, `${this.file} has no entry in SCREENSHOT_PLAN`);
    const missing = planned.filter((screen) => !this.taken.has(screen));
    assert.deepEqual(missing, [], `${this.file} took no screenshot of ${missing.join(", ")}`);
  }
}

/** GET /api/v1/… with a key; fails the test unless 200. */
export async function apiGet(world: TestWorld, key: string, path: string) {
  const res = await call(world, "GET", path, { key });
  assert.equal(res.status, 200, `GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
