/**
 * Owns serving capture-ui/static/ under /static/: the files are read once into memory (they are a
 * few small scripts and stylesheets), each with its content type and a content-hash ETag, plus one
 * build version (a hash over all of them) for cache-busting URLs.
 *
 * Caching: `/static/v-<version>/<path>` is immutable for a year. The version sits in the path, not
 * the query, so the ES modules' relative imports (`./api.js`) resolve to the same version. Every
 * other URL, such as the SDK's public `/static/verifa.js`, gets a short max-age and revalidates
 * with its ETag, so a deploy reaches customers' pages within minutes.
 */
import { Hono } from "hono";
import { createHash } from "node:crypto";
import type { AppEnv } from "../api/http.ts";

const STATIC_DIR = new URL("./static/", import.meta.url);

/** The file types served as static files (the dashboard serves the same set). */
export const CONTENT_TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
};

const SHORT_MAX_AGE_SECONDS = 300;
const VERSIONED = /^v-([0-9a-f]{16})\/(.+)$/;

interface StaticFile {
  body: Uint8Array;
  type: string;
  etag: string;
}

interface StaticBundle {
  files: Map<string, StaticFile>;
  version: string;
}

let bundle: StaticBundle | null = null;

/** Only listed extensions are served; the map's keys are the only reachable paths (no traversal). */
function loadBundle(): StaticBundle {
  const files = new Map<string, StaticFile>();
  const walk = (dir: URL, prefix: string) => {
    for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory) {
        walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
        continue;
      }
      const type = CONTENT_TYPES[entry.name.split(".").pop() ?? ""];
      if (!entry.isFile || !type) continue;
      const body = Deno.readFileSync(new URL(entry.name, dir));
      const hash = createHash("sha256").update(body).digest("hex");
      files.set(`${prefix}${entry.name}`, { body, type, etag: `"${hash.slice(0, 32)}"` });
    }
  };
  walk(STATIC_DIR, "");
  const all = createHash("sha256");
  for (const [path, file] of files) all.update(`${path}\0${file.etag}\n`);
  return { files, version: all.digest("hex").slice(0, 16) };
}

function staticBundle(): StaticBundle {
  return bundle ??= loadBundle();
}

/** The cache-busting URL of a file under capture-ui/static/, for pages to reference. */
export function staticUrl(path: string): string {
  return `/static/v-${staticBundle().version}/${path}`;
}

export function staticRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/*", (c) => {
    const { files, version } = staticBundle();
    let path = c.req.path.replace(/^\/static\//, "");
    let immutable = false;
    const versioned = VERSIONED.exec(path);
    if (versioned) {
      path = versioned[2];
      // An old page asking for an old version gets today's file, but must not cache it for a year.
      immutable = versioned[1] === version;
    }
    const file = files.get(path);
    if (!file) return c.notFound();
    const headers: Record<string, string> = {
      "Content-Type": file.type,
      ETag: file.etag,
      "Cache-Control": immutable
        ? "public, max-age=31536000, immutable"
        : `public, max-age=${SHORT_MAX_AGE_SECONDS}, must-revalidate`,
      // verifa.js is loaded by customers' pages, some with Cross-Origin-Embedder-Policy or SRI.
      "Cross-Origin-Resource-Policy": "cross-origin",
      "Access-Control-Allow-Origin": "*",
    };
    if (c.req.header("if-none-match") === file.etag) return c.body(null, 304, headers);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, headers);
  });
  return app;
}
