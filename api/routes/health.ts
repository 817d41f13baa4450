/** Owns the health probe compose and load balancers call: the database must answer. */
import { Hono } from "hono";
import { sql } from "kysely";
import type { AppEnv } from "../http.ts";
import type { CoreDeps } from "../../core/deps.ts";

export function healthRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
      return c.json({ status: "ok" });
    } catch {
      return c.json({ status: "unavailable", detail: "The database does not answer." }, 503);
    }
  });
  return app;
}
