/**
 * Owns what capture-ui adds to the HTTP app: the hosted capture page, its static files (including
 * the verifa.js SDK) and the example host page. No API key anywhere: the capture token is the
 * page's credential, and the rest is public.
 */
import { Hono } from "hono";
import type { AppEnv } from "../api/http.ts";
import type { CoreDeps } from "../core/deps.ts";
import { capturePageRoutes } from "./capture_page.tsx";
import { embedExampleRoutes } from "./embed_example.tsx";
import { staticRoutes } from "./static_files.ts";

/**
 * `examples`: whether the example host page is served (VERIFA_EXAMPLES: on for `deno task start`
 * and the tests, off in compose). A production install has no use for it, so it is not there.
 */
export function captureUiRoutes(deps: CoreDeps, { examples = false }: { examples?: boolean } = {}) {
  const app = new Hono<AppEnv>();
  app.route("/", capturePageRoutes(deps));
  if (examples) app.route("/", embedExampleRoutes(deps));
  app.route("/static", staticRoutes());
  return app;
}
