/**
 * Owns the tests of loading lists into Postgres and screening names against them: a source is
 * replaced whole and atomically, and the pg_trgm screening finds reordered, misspelt and aliased
 * names, respects the threshold, the source filter and the date of birth.
 */
import assert from "node:assert/strict";
import { importWatchlist } from "../../core/watchlists/import.ts";
import { parseOfacSdn } from "../../core/watchlists/ofac_sdn.ts";
import { DEFAULT_THRESHOLD, screenName } from "../../core/watchlists/screening.ts";
import { parseUnConsolidated } from "../../core/watchlists/un_consolidated.ts";
import { createTestDatabase } from "../helpers/test_app.ts";
import { ALT_CSV, SDN_CSV, UN_XML } from "./samples.ts";

const OFAC = parseOfacSdn(SDN_CSV, ALT_CSV);
const UN = parseUnConsolidated(UN_XML);
const EVERY_LIST = { threshold: DEFAULT_THRESHOLD, sources: null };

Deno.test("watchlist import", async (t) => {
  const database = await createTestDatabase();
  const { db } = database;
  const countBySource = async () =>
    Object.fromEntries(
      (await db.selectFrom("watchlist_entries").select(["source", db.fn.countAll<number>().as("n")]).groupBy("source")
        .execute()).map((r) => [r.source, r.n]),
    );
  try {
    await t.step("loads entries, every name, and records the import", async () => {
      const summary = await importWatchlist(db, {
        source: "ofac_sdn",
        list: OFAC,
        fileSha256: "a".repeat(64),
        aliasesFileSha256: "b".repeat(64),
        importedBy: "ops",
      });
      assert.deepEqual({ ...summary, importId: undefined }, {
        importId: undefined,
        source: "ofac_sdn",
        listVersion: null,
        entryCount: 4,
        nameCount: 6,
        aliasCount: 2,
        replacedEntryCount: 0,
        skipped: 1,
      });
      await importWatchlist(db, { source: "un_consolidated", list: UN, fileSha256: "c".repeat(64), importedBy: "ops" });
      assert.deepEqual(await countBySource(), { ofac_sdn: 4, un_consolidated: 2 });
      const doe = await db.selectFrom("watchlist_entries").selectAll().where("source_ref", "=", "1001")
        .executeTakeFirstOrThrow();
      assert.match(doe.id, /^wle_/);
      assert.equal(doe.import_id, summary.importId);
      assert.deepEqual([doe.name, doe.entity_type, doe.programs, doe.dates_of_birth], ["DOE, John", "individual", [
        "SDGT",
        "IRGC",
      ], ["1960-01-12", "1961"]]);
      const un = await db.selectFrom("watchlist_entries").select("list_version").where("source", "=", "un_consolidated")
        .execute();
      assert.ok(un.every((r) => r.list_version === "2026-11-01T09:00:04.123-04:00"));
    });

    await t.step("a re-import replaces only that source's entries and is recorded", async () => {
      const smaller = parseOfacSdn(SDN_CSV.split("\r\n").slice(1, 2).join("\r\n"));
      const summary = await importWatchlist(db, {
        source: "ofac_sdn",
        list: smaller,
        fileSha256: "d".repeat(64),
        listVersion: "2026-11-20",
        importedBy: "ops2",
      });
      assert.equal(summary.replacedEntryCount, 4);
      assert.deepEqual(await countBySource(), { ofac_sdn: 1, un_consolidated: 2 });
      // The replaced entries' names went with them.
      const names = await db.selectFrom("watchlist_entry_names").select(db.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      assert.equal(names.n, 1 + 5);
      const imports = await db.selectFrom("watchlist_imports").selectAll().orderBy("imported_at").execute();
      assert.deepEqual(imports.map((i) => [i.source, i.entry_count, i.list_version, i.imported_by]), [
        ["ofac_sdn", 4, null, "ops"],
        ["un_consolidated", 2, "2026-11-01T09:00:04.123-04:00", "ops"],
        ["ofac_sdn", 1, "2026-11-20", "ops2"],
      ]);
      await importWatchlist(db, { source: "ofac_sdn", list: OFAC, fileSha256: "a".repeat(64), importedBy: "ops" });
    });

    await t.step("an import that fails half-way changes nothing", async () => {
      const broken = { ...OFAC, entries: [...OFAC.entries, OFAC.entries[0]] }; // ent_num 1001 twice
      await assert.rejects(
        importWatchlist(db, { source: "ofac_sdn", list: broken, fileSha256: "e".repeat(64), importedBy: "ops" }),
        /duplicate key/,
      );
      assert.deepEqual(await countBySource(), { ofac_sdn: 4, un_consolidated: 2 });
      const imports = await db.selectFrom("watchlist_imports").select("file_sha256").execute();
      assert.ok(!imports.some((i) => i.file_sha256 === "e".repeat(64)));
      const hits = await screenName(db, { fullName: "John Doe" }, EVERY_LIST);
      assert.equal(hits.length, 1);
    });

    await t.step("a source id that is not a lowercase identifier is refused", async () => {
      await assert.rejects(
        importWatchlist(db, { source: "OFAC SDN", list: OFAC, fileSha256: "f".repeat(64), importedBy: "ops" }),
        /Invalid source/,
      );
    });
  } finally {
    await database.drop();
  }
});

Deno.test("screenName", async (t) => {
  const database = await createTestDatabase();
  const { db } = database;
  await importWatchlist(db, { source: "ofac_sdn", list: OFAC, fileSha256: "a".repeat(64), importedBy: "ops" });
  await importWatchlist(db, { source: "un_consolidated", list: UN, fileSha256: "c".repeat(64), importedBy: "ops" });
  try {
    await t.step('"John Doe" hits the listed "DOE, John" with the hit\'s full shape', async () => {
      const hits = await screenName(db, { fullName: "John Doe" }, EVERY_LIST);
      assert.equal(hits.length, 1);
      const [hit] = hits;
      assert.match(hit.entry_id, /^wle_/);
      assert.deepEqual({ ...hit, entry_id: undefined }, {
        entry_id: undefined,
        source: "ofac_sdn",
        source_ref: "1001",
        name: "DOE, John",
        matched_name: "DOE, John",
        score: 1,
        name_score: 1,
        entity_type: "individual",
        programs: ["SDGT", "IRGC"],
        date_of_birth_match: null,
      });
    });

    await t.step("word order and case do not matter", async () => {
      const [hit] = await screenName(db, { fullName: "DOE John" }, EVERY_LIST);
      assert.equal(hit.source_ref, "1001");
      assert.equal(hit.score, 1);
    });

    await t.step('a typo ("Jon Doe") still hits, below an exact match', async () => {
      const [hit] = await screenName(db, { fullName: "Jon Doe" }, EVERY_LIST);
      assert.equal(hit.source_ref, "1001");
      assert.ok(hit.score >= DEFAULT_THRESHOLD && hit.score < 1, String(hit.score));
    });

    await t.step("unrelated and merely similar names do not hit", async () => {
      for (const fullName of ["Maria Gonzalez", "Jane Doe", "John Smith", "", "!!"]) {
        assert.deepEqual(await screenName(db, { fullName }, EVERY_LIST), [], fullName);
      }
    });

    await t.step("aliases match on their own, and the hit names the primary and the matched alias", async () => {
      const [johnny] = await screenName(db, { fullName: "Johnny Doe" }, EVERY_LIST);
      assert.deepEqual([johnny.name, johnny.matched_name, johnny.score], ["DOE, John", "DOE, Johnny", 1]);
      const [marine] = await screenName(db, { fullName: "Acme Marine L.L.C." }, EVERY_LIST);
      assert.deepEqual([marine.source_ref, marine.matched_name, marine.entity_type], [
        "1002",
        "ACME MARINE LLC",
        "entity",
      ]);
      const [ivan] = await screenName(db, { fullName: "Ivan Sidorov" }, EVERY_LIST);
      assert.deepEqual([ivan.source, ivan.source_ref, ivan.matched_name, ivan.score], [
        "un_consolidated",
        "6908555",
        "Ivan Sidorov",
        1,
      ]);
    });

    await t.step("a missing middle name still hits, below the full name", async () => {
      const [hit] = await screenName(db, { fullName: "Maria Rossi" }, EVERY_LIST);
      assert.equal(hit.source_ref, "1004");
      assert.ok(hit.score >= DEFAULT_THRESHOLD && hit.score < 1, String(hit.score));
    });

    await t.step("the threshold decides", async () => {
      const typo = await screenName(db, { fullName: "Jon Doe" }, EVERY_LIST);
      assert.deepEqual(
        await screenName(db, { fullName: "Jon Doe" }, { threshold: typo[0].score + 0.01, sources: null }),
        [],
      );
      assert.equal((await screenName(db, { fullName: "John Doe" }, { threshold: 1, sources: null })).length, 1);
      // A low threshold lets more through, each still scored.
      const loose = await screenName(db, { fullName: "Jane Doe" }, { threshold: 0.3, sources: null });
      assert.ok(loose.some((h) => h.source_ref === "1001" && h.score < DEFAULT_THRESHOLD));
      await assert.rejects(
        screenName(db, { fullName: "John Doe" }, { threshold: 1.5, sources: null }),
        /between 0 and 1/,
      );
    });

    await t.step("the source filter decides which lists are searched", async () => {
      assert.equal(
        (await screenName(db, { fullName: "John Doe" }, { threshold: 0.6, sources: ["ofac_sdn"] })).length,
        1,
      );
      assert.deepEqual(
        await screenName(db, { fullName: "John Doe" }, { threshold: 0.6, sources: ["un_consolidated"] }),
        [],
      );
      assert.deepEqual(await screenName(db, { fullName: "John Doe" }, { threshold: 0.6, sources: [] }), []);
      const [ivan] = await screenName(db, { fullName: "Ivan Petrovich Sidorov" }, {
        threshold: 0.6,
        sources: ["un_consolidated", "eu_fsf"],
      });
      assert.equal(ivan.source_ref, "6908555");
    });

    await t.step("a known date of birth: agreement is reported, disagreement lowers the score", async () => {
      const [same] = await screenName(db, { fullName: "John Doe", dateOfBirth: "1960-01-12" }, EVERY_LIST);
      assert.deepEqual([same.score, same.date_of_birth_match], [1, true]);
      const [yearOnly] = await screenName(db, { fullName: "John Doe", dateOfBirth: "1961-08-30" }, EVERY_LIST);
      assert.deepEqual([yearOnly.score, yearOnly.date_of_birth_match], [1, true]);
      const [other] = await screenName(db, { fullName: "John Doe", dateOfBirth: "1985-03-03" }, EVERY_LIST);
      assert.deepEqual([other.score, other.name_score, other.date_of_birth_match], [0.85, 1, false]);
      // A name that passes on its own can fall under the threshold with a different date of birth.
      const strict = { threshold: 0.8, sources: null };
      assert.equal((await screenName(db, { fullName: "Jon Doe" }, strict)).length, 1);
      assert.deepEqual(await screenName(db, { fullName: "Jon Doe", dateOfBirth: "1985-03-03" }, strict), []);
      // No date on the list: nothing to compare.
      const [trust] = await screenName(db, { fullName: "Global Relief Trust", dateOfBirth: "1985-03-03" }, EVERY_LIST);
      assert.equal(trust.date_of_birth_match, null);
    });

    await t.step("inside a caller's transaction, and with a limit", async () => {
      const hits = await db.transaction().execute((tx) =>
        screenName(tx, { fullName: "Doe" }, { threshold: 0.3, sources: null, limit: 1 })
      );
      assert.equal(hits.length, 1);
      assert.equal(hits[0].source_ref, "1001");
    });
  } finally {
    await database.drop();
  }
});
