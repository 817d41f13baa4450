/**
 * Owns the API's own documentation on the public port: `GET /api/v1/openapi.json` (the OpenAPI 3.1
 * document, api/openapi/document.ts) and the reference page `/docs`, rendered in the browser from
 * that document by our own small script (api/openapi/static/): no CDN, no third-party code, so a
 * strict Content-Security-Policy holds. Mounted before authentication: no API key is needed.
 */
import { Hono } from "hono";
import type { AppEnv } from "../http.ts";
import { openApiDocument } from "../openapi/document.ts";

const STATIC_DIR = new URL("../openapi/static/", import.meta.url);
const FILES: Record<string, string> = {
  "docs.js": "text/javascript; charset=utf-8",
  "docs.css": "text/css; charset=utf-8",
};
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let serialized: string | null = null;
const fileCache = new Map<string, Uint8Array>();

function staticFile(name: string): Uint8Array {
  let body = fileCache.get(name);
  if (!body) {
    body = Deno.readFileSync(new URL(name, STATIC_DIR));
    fileCache.set(name, body);
  }
  return body;
}

export function apiDocsRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/openapi.json", (c) => {
    serialized ??= JSON.stringify(openApiDocument());
    return c.body(serialized, 200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" });
  });
  app.get("/docs", (c) => {
    c.header("Content-Security-Policy", CSP);
    return c.body(staticFile("docs.html") as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-cache",
    });
  });
  app.get("/docs/:name", (c) => {
    const type = FILES[c.req.param("name")];
    if (!type) return c.notFound();
    return c.body(staticFile(c.req.param("name")) as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": type,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
  });
  return app;
}
