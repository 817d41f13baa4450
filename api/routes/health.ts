/** Owns the health probe compose and load balancers call: the database and the document store must answer. */
import { Hono } from "hono";
import { sql } from "kysely";
import type { AppEnv } from "../http.ts";
import type { CoreDeps } from "../../core/deps.ts";

export function healthRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const [database, storage] = await Promise.allSettled([sql`SELECT 1`.execute(deps.db), deps.blobs.check()]);
    const checks = {
      database: database.status === "fulfilled" ? "ok" : "unavailable",
      storage: storage.status === "fulfilled" ? "ok" : "unavailable",
    };
    const healthy = checks.database === "ok" && checks.storage === "ok";
    return c.json({ status: healthy ? "ok" : "unavailable", checks }, healthy ? 200 : 503);
  });
  return app;
}
