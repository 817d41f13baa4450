/**
 * Owns the end-to-end test of `deno task watchlist-import` as an operator runs it: a real
 * subprocess against DATABASE_URL (a test database), the official file formats, the printed
 * counts, a re-import replacing the source, and the refusals that leave the lists untouched.
 */
import assert from "node:assert/strict";
import { sha256Hex } from "../../core/crypto/hmac.ts";
import { screenName } from "../../core/watchlists/screening.ts";
import { createTestDatabase } from "../helpers/test_app.ts";
import { runAdminTask } from "../helpers/admin_task.ts";
import { ALT_CSV, SDN_CSV, UN_XML } from "./samples.ts";

/** Runs the task with `--name value` for each option given. */
function watchlistImport(databaseUrl: string, options: Record<string, string>) {
  return runAdminTask(databaseUrl, "watchlist-import", Object.entries(options).flatMap(([n, v]) => [`--${n}`, v]));
}

Deno.test("deno task watchlist-import", async (t) => {
  const database = await createTestDatabase();
  const dir = await Deno.makeTempDir({ prefix: "verifa-watchlists-" });
  const files = { sdn: `${dir}/sdn.csv`, alt: `${dir}/alt.csv`, un: `${dir}/consolidated.xml` };
  await Deno.writeTextFile(files.sdn, SDN_CSV);
  await Deno.writeTextFile(files.alt, ALT_CSV);
  await Deno.writeTextFile(files.un, UN_XML);
  const entries = (source: string) =>
    database.db.selectFrom("watchlist_entries").select("source_ref").where("source", "=", source).execute();
  try {
    await t.step("imports sdn.csv with alt.csv and prints the counts", async () => {
      const run = await watchlistImport(database.url, {
        source: "ofac_sdn",
        file: files.sdn,
        aliases: files.alt,
        "imported-by": "ops@bank",
      });
      assert.equal(run.code, 0, run.stderr);
      const printed = JSON.parse(run.stdout);
      assert.match(printed.import_id, /^wli_/);
      assert.deepEqual({ ...printed, import_id: undefined }, {
        import_id: undefined,
        source: "ofac_sdn",
        list_version: null,
        entries: 4,
        names: 6,
        aliases: 2,
        replaced_entries: 0,
        skipped_rows: 1,
      });
      const record = await database.db.selectFrom("watchlist_imports").selectAll().executeTakeFirstOrThrow();
      assert.equal(record.file_sha256, sha256Hex(SDN_CSV));
      assert.equal(record.aliases_file_sha256, sha256Hex(ALT_CSV));
      assert.equal(record.imported_by, "ops@bank");
      const [hit] = await screenName(database.db, { fullName: "Johnny Doe" }, { threshold: 0.6, sources: null });
      assert.equal(hit.source_ref, "1001");
    });

    await t.step("imports the UN consolidated XML", async () => {
      const run = await watchlistImport(database.url, { source: "un_consolidated", file: files.un });
      assert.equal(run.code, 0, run.stderr);
      const printed = JSON.parse(run.stdout);
      assert.deepEqual([printed.entries, printed.names, printed.list_version], [2, 5, "2026-11-01T09:00:04.123-04:00"]);
      assert.equal((await entries("un_consolidated")).length, 2);
    });

    await t.step("a re-import replaces the source's entries", async () => {
      await Deno.writeTextFile(files.sdn, SDN_CSV.split("\r\n").slice(0, 2).join("\r\n"));
      const run = await watchlistImport(database.url, {
        source: "ofac_sdn",
        file: files.sdn,
        "list-version": "2026-11-21",
      });
      assert.equal(run.code, 0, run.stderr);
      const printed = JSON.parse(run.stdout);
      assert.deepEqual([printed.entries, printed.replaced_entries, printed.list_version], [2, 4, "2026-11-21"]);
      assert.deepEqual((await entries("ofac_sdn")).map((e) => e.source_ref).sort(), ["1001", "1002"]);
      assert.equal((await entries("un_consolidated")).length, 2);
    });

    await t.step("bad arguments and a file of the wrong format are refused and change nothing", async () => {
      const usage = await watchlistImport(database.url, { source: "eu", file: files.un });
      assert.equal(usage.code, 64);
      assert.match(usage.stderr, /--source must be ofac_sdn or un_consolidated/);
      const missing = await watchlistImport(database.url, { source: "ofac_sdn", file: `${dir}/nope.csv` });
      assert.equal(missing.code, 66);
      const wrongFormat = await watchlistImport(database.url, { source: "ofac_sdn", file: files.un });
      assert.equal(wrongFormat.code, 65, wrongFormat.stderr);
      assert.match(wrongFormat.stderr, /no ofac_sdn entries; nothing imported/);
      const notXml = await watchlistImport(database.url, { source: "un_consolidated", file: files.sdn });
      assert.equal(notXml.code, 65, notXml.stderr);
      assert.equal((await entries("ofac_sdn")).length, 2);
      assert.equal((await entries("un_consolidated")).length, 2);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
    await database.drop();
  }
});
