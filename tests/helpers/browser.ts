/**
 * Owns the browser tests' infrastructure: Debian's Chromium (/usr/bin/chromium, installed by
 * .ci/run) launched headless through playwright-core with this machine's safe flags and an
 * optional fake camera, pages in the mobile and desktop viewports the capture flow is tested in,
 * screenshots that fail the test when blank, and the test world's app on a real loopback port.
 *
 * playwright-core needs nothing special under Deno. When a test fails, Deno may add "This program
 * assigned to Object.prototype.__proto__": that is the `colors` package bundled in playwright-core
 * (chained styles only, which Playwright does not use), not the cause of the failure.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { Hono } from "hono";
import sharp from "sharp";
import { serveApp } from "../../api/server.ts";
import type { AppEnv } from "../../api/http.ts";
import type { TestWorld } from "./test_app.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * The machine's known-good flags. Without the background-networking ones Chromium keeps opening
 * connections the closed network refuses. Playwright adds --headless itself, and makes a fresh
 * empty --user-data-dir in the temp folder that it deletes on close (it refuses one in `args`).
 */
export const SAFE_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

export interface LaunchOptions {
  /**
   * A .y4m or .mjpeg file (see fake_camera.ts) the camera plays in a loop; the permission prompt
   * is accepted. Chromium opens the file at each getUserMedia, so replacing the file (the writers
   * rename over it) between two steps changes what the next camera shows.
   */
  fakeCamera?: string;
  /**
   * A camera exists but the applicant blocked it: getUserMedia rejects with NotAllowedError and,
   * in pages from `newPage`, `permissions.query({ name: "camera" })` says "denied".
   */
  denyCamera?: boolean;
}

/** Launch options per browser, for `newPage` (the denied-camera permission is per context). */
const launched = new WeakMap<Browser, LaunchOptions>();

/**
 * Camera flags. With neither option there is no camera at all: getUserMedia rejects with
 * NotFoundError (the "camera missing" path).
 */
export function cameraFlags(options: LaunchOptions = {}): string[] {
  const flags: string[] = [];
  if (options.fakeCamera || options.denyCamera) flags.push("--use-fake-device-for-media-stream");
  if (options.fakeCamera) flags.push(`--use-file-for-fake-video-capture=${options.fakeCamera}`);
  // --use-fake-ui-for-media-stream grants every prompt, even over a "denied" permission, so a
  // denied camera must go without it; --deny-permission-prompts answers every prompt "block".
  flags.push(options.denyCamera ? "--deny-permission-prompts" : "--use-fake-ui-for-media-stream");
  return flags;
}

/** Headless Chromium; `await using browser = await launchBrowser()` closes it (and its profile). */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  try {
    await Deno.stat(CHROMIUM_PATH);
  } catch {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (.ci/run does: apt-get install chromium)`);
  }
  if (options.fakeCamera) await Deno.stat(options.fakeCamera); // a missing file would silently show nothing
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...SAFE_FLAGS, ...cameraFlags(options)],
    timeout: 30_000,
  });
  launched.set(browser, options);
  return browser;
}

export type Viewport = "mobile" | "desktop";

export const VIEWPORTS = {
  /** A 6.1" phone (iPhone 12–15 CSS size) running Chrome for Android, which is what this engine is. */
  mobile: { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  desktop: { width: 1280, height: 800, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
} as const;

/**
 * A page in its own context (cookies, storage and permissions start empty; closing the page
 * closes the context). Mobile gets a phone's user agent with this Chromium's major version.
 */
export async function newPage(browser: Browser, viewport: Viewport): Promise<Page> {
  const { width, height, deviceScaleFactor, isMobile, hasTouch } = VIEWPORTS[viewport];
  const major = browser.version().split(".")[0];
  const page = await browser.newPage({
    viewport: { width, height },
    deviceScaleFactor,
    isMobile,
    hasTouch,
    userAgent: isMobile
      ? `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36`
      : undefined,
  });
  // Every permission not granted reads "denied", as after the applicant clicked Block.
  if (launched.get(browser)?.denyCamera) await page.context().grantPermissions([]);
  return page;
}

/** Where screenshots go: git-ignored with the rest of .test-data/. */
export const SCREENSHOT_DIR = new URL("../../.test-data/screenshots/", import.meta.url).pathname;

/**
 * Below this standard deviation in every colour channel a PNG counts as blank. A page that drew
 * nothing is one flat colour (0.00); one line of 12px text on a white 1280×800 page measures 2.8,
 * so a screen with next to nothing on it passes, but only just.
 */
export const BLANK_STDEV = 2;

/**
 * Writes a PNG of the page to `.test-data/screenshots/<name>.png` (name may hold folders) and
 * throws when it is blank, after writing it so the blank image can be looked at. Returns the path.
 * `clip` takes (and checks) only that rectangle of the viewport, e.g. an iframe's box.
 *
 * A full-page capture can paint a cross-site iframe (an out-of-process frame) white, while the
 * viewport capture of the same moment shows it: take pages with such iframes with
 * `fullPage: false`, and check the iframe's own box with `clip`.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } } = {},
): Promise<string> {
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(name) || name.split("/").includes("..")) {
    throw new Error(`screenshot name ${JSON.stringify(name)}: use letters, digits, - _ . and / only`);
  }
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const png = options.clip
    ? await page.screenshot({ type: "png", clip: options.clip })
    : await page.screenshot({ type: "png", fullPage: options.fullPage ?? true });
  await Deno.writeFile(path, png);
  const stats = await sharp(png).stats();
  const stdevs = stats.channels.slice(0, 3).map((c) => c.stdev);
  if (stdevs.every((s) => s < BLANK_STDEV)) {
    throw new Error(
      `screenshot ${name} is blank (channel stdev ${
        stdevs.map((s) => s.toFixed(2)).join("/")
      } < ${BLANK_STDEV}): ${path}`,
    );
  }
  return path;
}

export interface AppServer {
  /** The server's origin, e.g. http://127.0.0.1:41234. */
  url: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves the world's app on a free loopback port and points the world's public URL at it, so
 * capture URLs (and signed document URLs) from the API — through `world.request` or the server
 * alike — name a page the browser can open. 127.0.0.1 is a secure context for getUserMedia.
 * `port` serves on that port instead: a server closed mid-flow comes back where pages expect it.
 */
export async function startAppServer(world: TestWorld, options: { port?: number } = {}): Promise<AppServer> {
  // The port is known only once listening, and the app must be built with the URL that names it:
  // so the server first hands each request to whatever app the world has at that moment.
  const front = new Hono<AppEnv>();
  front.all("*", (c) => world.app.fetch(c.req.raw, c.env));
  const listening = Promise.withResolvers<number>();
  const server = serveApp(front, options.port ?? 0, "127.0.0.1", listening.resolve);
  const url = `http://127.0.0.1:${await listening.promise}`;
  world.setPublicUrl(url);
  const close = () => server.shutdown();
  return { url, close, [Symbol.asyncDispose]: close };
}

/**
 * A throwaway page on its own loopback origin (another port, so another origin than the app's),
 * e.g. a probe page or a customer's host page embedding Verifa. Every path answers with `html`.
 * For another *site* (third-party iframe rules), open it as `http://localhost:<port>`: Chromium
 * reaches it there too, and localhost is also a secure context.
 */
export async function serveHtml(html: string): Promise<AppServer> {
  const listening = Promise.withResolvers<number>();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: ({ port }) => listening.resolve(port) },
    () => new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }),
  );
  const url = `http://127.0.0.1:${await listening.promise}`;
  const close = () => server.shutdown();
  return { url, close, [Symbol.asyncDispose]: close };
}
