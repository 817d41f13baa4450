/**
 * The probes on the public port, through the real app: /livez, /readyz (and why it fails: the blob
 * store gone, a migration not applied, a worker heartbeat gone stale), /version, and /health left
 * as it was.
 */
import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { migrationNames } from "../../core/db/migrate.ts";
import { createMetrics } from "../../core/observability/metrics.ts";
import { startHeartbeat } from "../../core/observability/heartbeat.ts";
import { createTestWorld, waitFor } from "../helpers/test_app.ts";

async function headCommit(): Promise<string> {
  const out = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], cwd: new URL("../../", import.meta.url) })
    .output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("probes on the public port: /livez, /readyz, /version", async (t) => {
  const world = await createTestWorld();
  try {
    const shipped = await migrationNames();
    const latest = shipped.at(-1)!;

    await t.step("/livez answers 200 without a key", async () => {
      const res = await world.json("GET", "/livez");
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: "ok" });
      assert.equal(res.headers.get("cache-control"), "no-store");
    });

    await t.step("/readyz is 200 with the database, the blob store and every migration", async () => {
      const res = await world.json("GET", "/readyz");
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { status: "ok", checks: { database: "ok", storage: "ok", migrations: "ok" } });
    });

    await t.step("/version names the product version, the checkout's commit and the migration head", async () => {
      const res = await world.json("GET", "/version");
      assert.equal(res.status, 200);
      const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
      assert.equal(res.body.version, config.version ?? "0.0.0-unreleased");
      assert.equal(res.body.commit, await headCommit());
      assert.deepEqual(res.body.migrations, { latest, applied: latest });
    });

    await t.step(
      "/readyz is 503 naming the storage once the blob store is gone; 200 again when it is back",
      async () => {
        await Deno.remove(world.blobDir, { recursive: true });
        const res = await world.json("GET", "/readyz");
        assert.equal(res.status, 503);
        assert.deepEqual(res.body, {
          status: "unavailable",
          checks: { database: "ok", storage: "unavailable", migrations: "ok" },
        });
        // /health keeps its own answer.
        const health = await world.json("GET", "/health");
        assert.equal(health.status, 503);
        assert.deepEqual(health.body.checks, { database: "ok", storage: "unavailable" });
        await Deno.mkdir(world.blobDir);
        assert.equal((await world.request("GET", "/readyz")).status, 200);
      },
    );

    await t.step("/readyz is 503 while a shipped migration is not applied, naming it", async () => {
      await world.db.deleteFrom("kysely_migration" as never).where("name" as never, "=", latest as never).execute();
      const res = await world.json("GET", "/readyz");
      assert.equal(res.status, 503);
      assert.deepEqual(res.body, {
        status: "unavailable",
        checks: { database: "ok", storage: "ok", migrations: "pending_migrations" },
        pending_migrations: [latest],
      });
      const version = await world.json("GET", "/version");
      assert.deepEqual(version.body.migrations, { latest, applied: shipped.at(-2) });
      await world.db.insertInto("kysely_migration" as never)
        .values({ name: latest, timestamp: new Date().toISOString() } as never).execute();
      assert.equal((await world.request("GET", "/readyz")).status, 200);
    });

    await t.step("with a worker inside, /readyz follows its heartbeat: 503 'stale' once it stops beating", async () => {
      let failing = false;
      const heartbeat = startHeartbeat(() => failing ? Promise.reject(new Error("pool gone")) : Promise.resolve(), {
        intervalMs: 20,
        staleAfterMs: 200,
      });
      try {
        world.app = createApp({ ...world.deps, observability: { metrics: createMetrics(), heartbeat } });
        const fresh = await waitFor("a fresh heartbeat", async () => {
          const res = await world.json("GET", "/readyz");
          return res.status === 200 ? res : undefined;
        });
        assert.deepEqual(fresh.body.checks, { database: "ok", storage: "ok", migrations: "ok", worker: "ok" });
        failing = true;
        const stale = await waitFor("a stale heartbeat", async () => {
          const res = await world.json("GET", "/readyz");
          return res.status === 503 ? res : undefined;
        });
        assert.deepEqual(stale.body, {
          status: "unavailable",
          checks: { database: "ok", storage: "ok", migrations: "ok", worker: "stale" },
        });
      } finally {
        heartbeat.stop();
      }
    });
  } finally {
    await world.close();
  }
});
