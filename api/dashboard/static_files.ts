/**
 * Owns the dashboard's static files under /dashboard/static/: everything in api/dashboard/static/
 * plus `simplewebauthn-browser.js`, the browser half of @simplewebauthn read from the installed
 * npm package (its UMD bundle, which defines `SimpleWebAuthnBrowser`): served from our origin,
 * never a CDN, so the strict CSP holds. Files are read once; each has a content-hash ETag.
 */
import { Hono } from "hono";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { CONTENT_TYPES } from "../../capture-ui/static_files.ts";

const STATIC_DIR = new URL("./static/", import.meta.url);

interface StaticFile {
  body: Uint8Array;
  type: string;
  etag: string;
}

let files: Map<string, StaticFile> | null = null;

function entry(name: string, body: Uint8Array): StaticFile {
  const type = CONTENT_TYPES[name.split(".").pop() ?? ""];
  return { body, type, etag: `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"` };
}

/** The browser library's bundle, found through Node resolution from this module (node_modules). */
function webauthnBrowserBundle(): Uint8Array {
  const require = createRequire(import.meta.url);
  const main = require.resolve("@simplewebauthn/browser"); // …/@simplewebauthn/browser/script/index.js
  return Deno.readFileSync(new URL("../dist/bundle/index.umd.min.js", `file://${main}`));
}

/** Only listed extensions at the top level are served: the map's keys are the only reachable paths. */
function loadFiles(): Map<string, StaticFile> {
  const map = new Map<string, StaticFile>();
  for (const item of Deno.readDirSync(STATIC_DIR)) {
    if (!item.isFile || !CONTENT_TYPES[item.name.split(".").pop() ?? ""]) continue;
    map.set(item.name, entry(item.name, Deno.readFileSync(new URL(item.name, STATIC_DIR))));
  }
  map.set("simplewebauthn-browser.js", entry("simplewebauthn-browser.js", webauthnBrowserBundle()));
  return map;
}

export function dashboardStaticRoutes() {
  const app = new Hono();
  app.get("/:name", (c) => {
    files ??= loadFiles();
    const file = files.get(c.req.param("name"));
    if (!file) return c.notFound();
    const headers = {
      "Content-Type": file.type,
      ETag: file.etag,
      "Cache-Control": "private, max-age=300, must-revalidate",
      "X-Content-Type-Options": "nosniff",
    };
    if (c.req.header("if-none-match") === file.etag) return c.body(null, 304, headers);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, headers);
  });
  return app;
}
