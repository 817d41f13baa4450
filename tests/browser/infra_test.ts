/**
 * Proves the browser-test infrastructure the capture-flow tests stand on: Debian's Chromium
 * driven by playwright-core under Deno, the mobile and desktop viewports, screenshots that fail
 * when blank, Chromium's fake camera playing the generated ID-card and face videos (pixels read
 * back from a canvas), the denied and missing camera, and the app served on a real port.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import type { Page } from "playwright-core";
import {
  launchBrowser,
  newPage,
  SAFE_FLAGS,
  screenshot,
  SCREENSHOT_DIR,
  serveHtml,
  startAppServer,
} from "../helpers/browser.ts";
import { type FakeVideo, writeFaceVideo, writeIdCardVideo } from "../helpers/fake_camera.ts";
import { createTestWorld } from "../helpers/test_app.ts";
import { createSession } from "../helpers/sessions.ts";

Deno.test("Chromium starts through playwright-core with the safe flags and a throwaway profile", async () => {
  const browser = await launchBrowser();
  let profile: string;
  try {
    const page = await browser.newPage();
    // CDP's Browser.getBrowserCommandLine needs --enable-automation, which Playwright leaves out.
    await page.goto("chrome://version");
    const argv = (await page.textContent("#command_line"))!.trim().split(/\s+/);
    for (const flag of [...SAFE_FLAGS, "--headless", "--use-fake-ui-for-media-stream"]) {
      assert.ok(argv.includes(flag), `${flag} missing from ${argv.join(" ")}`);
    }
    profile = argv.find((a) => a.startsWith("--user-data-dir="))!.slice("--user-data-dir=".length);
    assert.ok((await Deno.stat(profile)).isDirectory);
    await page.goto("about:blank"); // chrome:// pages refuse setContent (Trusted Types)
    await page.setContent("<button onclick=\"this.textContent = 'clicked'\">press</button>");
    await page.click("button");
    assert.equal(await page.textContent("button"), "clicked");
  } finally {
    await browser.close();
  }
  await assert.rejects(Deno.stat(profile), Deno.errors.NotFound, "the profile is deleted on close");
});

const VIEWPORT_META = `<meta name="viewport" content="width=device-width, initial-scale=1">`;

Deno.test("mobile and desktop viewports", async (t) => {
  await using browser = await launchBrowser();
  // Page-side code as a string: Deno type-checks this file without the DOM library.
  const probe = (page: Page) =>
    page.evaluate(`({
      width: innerWidth,
      height: innerHeight,
      dpr: devicePixelRatio,
      coarse: matchMedia("(pointer: coarse)").matches,
      touch: navigator.maxTouchPoints > 0,
      mobileUa: /Android.*Mobile/.test(navigator.userAgent),
    })`);

  await t.step("mobile: 390×844, touch, a phone's user agent", async () => {
    const page = await newPage(browser, "mobile");
    // Like a real phone, a page without a viewport meta tag is laid out 980 CSS pixels wide.
    await page.setContent(VIEWPORT_META);
    assert.deepEqual(await probe(page), {
      width: 390,
      height: 844,
      dpr: 3,
      coarse: true,
      touch: true,
      mobileUa: true,
    });
    await page.close();
  });
  await t.step("desktop: 1280×800, mouse", async () => {
    const page = await newPage(browser, "desktop");
    assert.deepEqual(await probe(page), {
      width: 1280,
      height: 800,
      dpr: 1,
      coarse: false,
      touch: false,
      mobileUa: false,
    });
    await page.close();
  });
});

Deno.test("screenshots are written under .test-data/screenshots and fail when blank", async (t) => {
  await using browser = await launchBrowser();
  const page = await newPage(browser, "mobile");

  await t.step("a page with content passes, at the device's pixel size", async () => {
    await page.setContent(`${VIEWPORT_META}<main style="font:16px sans-serif;padding:24px"><h1>Verify your identity</h1>
      <p>We need a photo of your ID and a selfie.</p><button style="padding:12px 24px">Continue</button></main>`);
    const path = await screenshot(page, "infra/content-mobile");
    assert.equal(path, `${SCREENSHOT_DIR}infra/content-mobile.png`);
    const meta = await sharp(path).metadata();
    assert.deepEqual([meta.width, meta.height], [390 * 3, 844 * 3]);
  });

  await t.step("one line of small text on white is not blank", async () => {
    const desktop = await newPage(browser, "desktop");
    await desktop.setContent(`<p style="margin:8px;font:12px sans-serif">Link expired.</p>`);
    await screenshot(desktop, "infra/one-line-desktop");
    await desktop.close();
  });

  for (const [label, background] of [["white", "#fff"], ["dark", "#10151a"]]) {
    await t.step(`a blank ${label} page throws, and is still written for a look`, async () => {
      await page.setContent(`<body style="margin:0;background:${background}"></body>`);
      await assert.rejects(screenshot(page, `infra/blank-${label}`), /is blank/);
      assert.ok((await Deno.stat(`${SCREENSHOT_DIR}infra/blank-${label}.png`)).isFile);
    });
  }

  await t.step("names cannot leave the folder", async () => {
    await assert.rejects(screenshot(page, "../escape"), /use letters/);
  });
});

/** Grey thumbnails the probe page reads back from the camera: THUMB_W × THUMB_H, one per frame. */
const THUMB_W = 80;
const THUMB_H = 45;

/**
 * Opens the camera (asking for the back camera, as the document step does), draws each new video
 * frame onto a small canvas and returns its grey levels, plus the track's settings.
 */
const CAMERA_PROBE = `<!doctype html><meta charset="utf-8"><title>camera probe</title>
<video muted playsinline></video><canvas width="${THUMB_W}" height="${THUMB_H}"></canvas>
<script>
async function openCamera() {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    stream.getTracks().forEach((t) => t.stop());
    return { ok: true };
  } catch (error) {
    const state = (await navigator.permissions.query({ name: "camera" })).state;
    return { ok: false, name: error.name, state };
  }
}
async function sampleCamera(frames) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  const [track] = stream.getVideoTracks();
  const video = document.querySelector("video");
  video.srcObject = stream;
  await video.play();
  const ctx = document.querySelector("canvas").getContext("2d", { willReadFrequently: true });
  const thumbs = [];
  await new Promise((done, fail) => {
    // No frames would otherwise hang the test: page.evaluate has no timeout of its own.
    const timer = setTimeout(() => fail(new Error("only " + thumbs.length + " camera frames in 20 s")), 20000);
    const grab = () => {
      ctx.drawImage(video, 0, 0, ${THUMB_W}, ${THUMB_H});
      const rgba = ctx.getImageData(0, 0, ${THUMB_W}, ${THUMB_H}).data;
      const grey = [];
      for (let i = 0; i < rgba.length; i += 4) grey.push(Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]));
      thumbs.push(grey);
      if (thumbs.length < frames) return video.requestVideoFrameCallback(grab);
      clearTimeout(timer);
      done();
    };
    video.requestVideoFrameCallback(grab);
  });
  const { width, height, frameRate } = track.getSettings();
  track.stop();
  video.srcObject = null;
  return { label: track.label, width, height, frameRate, thumbs };
}
</script>`;

interface CameraSample {
  label: string;
  width: number;
  height: number;
  frameRate: number;
  thumbs: number[][];
}

/** The video's steady frame as the probe page sees it: the same size and the same grey formula. */
async function expectedThumb(video: FakeVideo): Promise<number[]> {
  const rgb = await sharp(video.still).resize(THUMB_W, THUMB_H, { fit: "fill" }).removeAlpha().raw().toBuffer();
  const grey: number[] = [];
  for (let i = 0; i < rgb.length; i += 3) {
    grey.push(Math.round(0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2]));
  }
  return grey;
}

const meanAbsDiff = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

/** Grey level of the thumbnail at a point given in the video's own pixels. */
const at = (thumb: number[], video: FakeVideo, x: number, y: number) =>
  thumb[Math.floor(y * THUMB_H / video.height) * THUMB_W + Math.floor(x * THUMB_W / video.width)];

const sampleCamera = (page: Page, frames: number) => page.evaluate(`sampleCamera(${frames})`) as Promise<CameraSample>;

Deno.test("the fake camera plays the generated videos", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "verifa-camera-" });
  try {
    const path = `${dir}/camera.y4m`;
    const card = await writeIdCardVideo(path);
    await using probePage = await serveHtml(CAMERA_PROBE);
    await using browser = await launchBrowser({ fakeCamera: path });
    const page = await newPage(browser, "mobile");
    await page.goto(probePage.url);

    await t.step("an ID card on a dark desk, drifting and then steady", async () => {
      // Two loops of the video, so the drift and the steady part are both seen whatever the phase.
      const sample = await sampleCamera(page, card.frameCount * 2);
      assert.deepEqual([sample.width, sample.height, sample.frameRate], [card.width, card.height, card.fps]);
      // What a page listing cameras (the virtual-camera signal) sees: the file's path.
      assert.equal(sample.label, path);
      const still = await expectedThumb(card);
      const diffs = sample.thumbs.map((thumb) => meanAbsDiff(thumb, still));
      const best = Math.min(...diffs);
      const worst = Math.max(...diffs);
      assert.ok(best < 4, `no camera frame looks like the card (closest differs by ${best.toFixed(1)} grey levels)`);
      assert.ok(
        worst > best + 3,
        `the card never moved (frames differ from the still by ${best.toFixed(1)}–${worst.toFixed(1)})`,
      );
      const steady = sample.thumbs[diffs.indexOf(best)];
      const { x, y, width, height } = card.subject;
      assert.ok(at(steady, card, 20, 20) < 60, "the desk's corner is dark");
      assert.ok(at(steady, card, card.width - 20, card.height - 20) < 60, "the desk's corner is dark");
      assert.ok(at(steady, card, x + width * 0.8, y + height * 0.45) > 200, "the card's body is light");
      assert.ok(at(steady, card, x + width * 0.5, y + height * 0.09) < 100, "the card's header band is dark blue");
      assert.ok(at(steady, card, x + width * 0.17, y + height * 0.25) > 130, "the photo box is mid grey");
    });

    await t.step("replacing the file changes what the next getUserMedia shows (card, then selfie)", async () => {
      const face = await writeFaceVideo(path, { motionSeconds: 0 });
      const sample = await sampleCamera(page, 5);
      const still = await expectedThumb(face);
      const best = Math.min(...sample.thumbs.map((thumb) => meanAbsDiff(thumb, still)));
      assert.ok(best < 4, `the camera does not show the face (closest differs by ${best.toFixed(1)})`);
      assert.ok(at(sample.thumbs[0], face, 20, 20) > 180, "the wall is light");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("camera denied, and no camera at all", async (t) => {
  await using probePage = await serveHtml(CAMERA_PROBE);
  const open = async (options: Parameters<typeof launchBrowser>[0]) => {
    await using browser = await launchBrowser(options);
    const page = await newPage(browser, "mobile");
    await page.goto(probePage.url);
    return await page.evaluate(() =>
      (globalThis as unknown as { openCamera(): Promise<Record<string, unknown>> }).openCamera()
    );
  };

  await t.step("denyCamera: getUserMedia rejects with NotAllowedError, the permission reads denied", async () => {
    assert.deepEqual(await open({ denyCamera: true }), { ok: false, name: "NotAllowedError", state: "denied" });
  });
  await t.step("no fake camera: NotFoundError (the 'camera missing' path)", async () => {
    assert.deepEqual({ ...await open({}), state: undefined }, { ok: false, name: "NotFoundError", state: undefined });
  });
});

Deno.test("startAppServer: the world's app on a loopback port, with capture URLs that point at it", async () => {
  const world = await createTestWorld();
  try {
    await using server = await startAppServer(world);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const session = await createSession(world, world.org.sandbox_secret_key);
    const captureUrl = new URL(session.capture_url);
    assert.equal(captureUrl.origin, server.url);

    await using browser = await launchBrowser();
    const page = await newPage(browser, "desktop");
    const health = await page.goto(`${server.url}/health`);
    assert.equal(health?.status(), 200);
    assert.equal((await health!.json()).status, "ok");
    // The capture API answers the browser at the capture URL's origin, over real HTTP.
    const token = captureUrl.pathname.split("/").pop();
    const state = await page.evaluate(async (path) => (await fetch(path)).status, `/verify/${token}/state`);
    assert.equal(state, 200);
  } finally {
    await world.close();
  }
});
