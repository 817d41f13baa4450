/**
 * Owns `deno task migrate --status` as an operator runs it (a real subprocess on a test database):
 * it lists every shipped migration as pending or applied, changes nothing, and its exit code says
 * whether any is pending (2) or none (0); `deno task migrate` in between applies them.
 */
import assert from "node:assert/strict";
import { createTestDatabase } from "../helpers/test_app.ts";
import { baseEnv, run } from "../helpers/subprocess.ts";
import { appliedMigrationNames, migrationNames } from "../../core/db/migrate.ts";

Deno.test("deno task migrate --status lists applied and pending migrations; the exit code says if any is pending", async (t) => {
  const database = await createTestDatabase({ migrate: false });
  const env = baseEnv({ DATABASE_URL: database.url });
  const shipped = await migrationNames();
  const status = () => run([Deno.execPath(), "task", "migrate", "--status"], env);
  const listed = (stdout: string) =>
    stdout.split("\n").map((line) => /^(applied|pending) {2}(\S+)$/.exec(line)).filter((m) => m !== null)
      .map((m) => [m![1], m![2]]);
  try {
    await t.step("on an empty database every migration is pending: exit 2, and nothing is applied", async () => {
      const proc = await status();
      assert.equal(proc.exit?.code, 2, proc.describe());
      assert.deepEqual(listed(proc.stdout), shipped.map((name) => ["pending", name]));
      assert.match(proc.stdout, new RegExp(`^${shipped.length} pending: run deno task migrate$`, "m"));
      assert.deepEqual(await appliedMigrationNames(database.db), []);
    });

    await t.step("after deno task migrate every migration is applied: exit 0", async () => {
      const migrate = await run([Deno.execPath(), "task", "migrate"], env);
      assert.equal(migrate.exit?.code, 0, migrate.describe());
      const proc = await status();
      assert.equal(proc.exit?.code, 0, proc.describe());
      assert.deepEqual(listed(proc.stdout), shipped.map((name) => ["applied", name]));
      assert.match(proc.stdout, /^database is up to date$/m);
    });

    await t.step("a migration the code ships but the database lacks is the one pending", async () => {
      const newest = shipped.at(-1)!;
      const removed = await database.db.deleteFrom("kysely_migration" as never)
        .where("name" as never, "=", newest as never).returningAll().executeTakeFirstOrThrow();
      const proc = await status();
      assert.equal(proc.exit?.code, 2, proc.describe());
      assert.deepEqual(listed(proc.stdout).filter(([state]) => state === "pending"), [["pending", newest]]);
      assert.match(proc.stdout, /^1 pending: run deno task migrate$/m);
      // Its tables are still there: put its row back rather than run it twice.
      await database.db.insertInto("kysely_migration" as never).values(removed as never).execute();
    });

    await t.step("a migration only a newer version ships is listed as unknown; none pending is exit 0", async () => {
      await database.db.insertInto("kysely_migration" as never)
        .values({ name: "20991231T0000_from_the_future", timestamp: new Date().toISOString() } as never).execute();
      const proc = await status();
      assert.equal(proc.exit?.code, 0, proc.describe());
      assert.match(proc.stdout, /^unknown {2}20991231T0000_from_the_future$/m);
      assert.match(proc.stdout, /^1 applied by a newer version of Verifa than this one$/m);
    });
  } finally {
    await database.drop();
  }
});
