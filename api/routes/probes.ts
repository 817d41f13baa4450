/**
 * Owns the probes on the public port: GET /livez, /readyz and /version (core/observability/probes.ts
 * answers them). No API key: orchestrators and load balancers call them. `/health` stays as it was.
 */
import { Hono } from "hono";
import type { AppEnv } from "../http.ts";
import { livezResponse, type ProbeDeps, readyzResponse, versionResponse } from "../../core/observability/probes.ts";

export function probeRoutes(deps: ProbeDeps) {
  const app = new Hono<AppEnv>();
  app.get("/livez", () => livezResponse());
  app.get("/readyz", () => readyzResponse(deps));
  app.get("/version", () => versionResponse(deps));
  return app;
}
