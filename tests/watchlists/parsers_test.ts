/** Owns the tests of the list parsers and the name and date-of-birth rules they rely on; no database. */
import assert from "node:assert/strict";
import { dateOfBirthMatches, parseOfacDate } from "../../core/watchlists/dates_of_birth.ts";
import { givenNamesFirst, normalizeName } from "../../core/watchlists/names.ts";
import { decodeOfacFile, parseOfacSdn } from "../../core/watchlists/ofac_sdn.ts";
import { parseUnConsolidated } from "../../core/watchlists/un_consolidated.ts";
import { tokenAlignmentScore } from "../../core/watchlists/screening.ts";
import { ALT_CSV, SDN_CSV, UN_XML } from "./samples.ts";

Deno.test("names: one normal form for storing and screening", () => {
  assert.equal(normalizeName("  AL-ZAWAHIRI, Dr.  Ayman "), "al zawahiri dr ayman");
  assert.equal(normalizeName("José Ñúñez O'Brien"), "jose nunez obrien");
  assert.equal(normalizeName("Straße Łódź Ærø"), "strasse lodz aero");
  assert.equal(normalizeName("--"), "");
  assert.equal(givenNamesFirst("DOE, John Michael"), "John Michael DOE");
  assert.equal(givenNamesFirst("SMITH, John, Jr."), "John, Jr. SMITH");
  assert.equal(givenNamesFirst("SEA BREEZE"), "SEA BREEZE");
});

Deno.test("dates of birth: listed forms and agreement with the applicant's", () => {
  assert.equal(parseOfacDate("12 Jan 1960"), "1960-01-12");
  assert.equal(parseOfacDate("3 Sep 1981"), "1981-09-03");
  assert.equal(parseOfacDate("Jan 1960"), "1960-01");
  assert.equal(parseOfacDate("circa 1975"), "1975");
  assert.equal(parseOfacDate("1960 to 1962"), "1960/1962");
  assert.equal(parseOfacDate("unknown"), null);
  assert.equal(dateOfBirthMatches(["1960-01-12"], "1960-01-12"), true);
  assert.equal(dateOfBirthMatches(["1960"], "1960-07-01"), true);
  assert.equal(dateOfBirthMatches(["1960/1962"], "1961-03-03"), true);
  assert.equal(dateOfBirthMatches(["1960-01-12", "1961"], "1985-01-12"), false);
  assert.equal(dateOfBirthMatches(["1960-01-12"], null), null);
  assert.equal(dateOfBirthMatches(["1960-01-12"], "12/01/1960"), null);
  assert.equal(dateOfBirthMatches([], "1960-01-12"), null);
});

Deno.test("token alignment forgives a short-name typo and word order, not another first name", () => {
  const score = (a: string, b: string) => tokenAlignmentScore(a.split(" "), b.split(" "));
  assert.equal(score("doe john", "john doe"), 1);
  assert.ok(score("jon doe", "john doe") > 0.8);
  assert.ok(score("john doe", "john michael doe") >= 0.6);
  assert.ok(score("jane doe", "john doe") < 0.5);
  assert.equal(score("maria gonzalez", "john doe"), 0);
});

Deno.test("OFAC SDN CSV with alt.csv aliases", async (t) => {
  const list = parseOfacSdn(SDN_CSV, ALT_CSV);

  await t.step("reads every row, skipping only the alias of an unknown entry", () => {
    assert.deepEqual(list.entries.map((e) => e.sourceRef), ["1001", "1002", "1003", "1004"]);
    assert.equal(list.skipped, 1);
    assert.equal(list.listVersion, null);
  });

  await t.step(
    "an individual: LAST, First matched as first last, programs split, DOBs and nationality from remarks",
    () => {
      const doe = list.entries[0];
      assert.equal(doe.entityType, "individual");
      assert.deepEqual(doe.names, [
        { name: "DOE, John", normalized: "john doe", isAlias: false, aliasNote: null },
        { name: "DOE, Johnny", normalized: "johnny doe", isAlias: true, aliasNote: "aka" },
      ]);
      assert.deepEqual(doe.programs, ["SDGT", "IRGC"]);
      assert.deepEqual(doe.datesOfBirth, ["1960-01-12", "1961"]);
      assert.deepEqual(doe.nationalities, ["Iran"]);
      assert.match(doe.remarks!, /^DOB 12 Jan 1960; alt\. DOB 1961;/);
    },
  );

  await t.step("entities keep their word order, quoted commas and doubled quotes; -0- is empty", () => {
    const [, acme, vessel, rossi] = list.entries;
    assert.equal(acme.entityType, "entity");
    assert.deepEqual(acme.names.map((n) => n.normalized), ["acme shipping co ltd", "acme marine llc"]);
    assert.equal(acme.names[1].aliasNote, "fka");
    assert.equal(acme.remarks, 'Website www.acme.example; Registration ID 42, "ACME" trade name.');
    assert.deepEqual(acme.datesOfBirth, []);
    assert.equal(vessel.entityType, "vessel");
    assert.deepEqual(vessel.programs, ["SDGT"]);
    assert.deepEqual(rossi.datesOfBirth, ["1975"]);
    assert.deepEqual(rossi.nationalities, ["Italy"]);
    assert.equal(rossi.names[0].normalized, "maria luisa rossi");
  });

  await t.step("a Windows-1252 file decodes as well as a UTF-8 one", () => {
    const latin1 = Uint8Array.from([...'1,"M\xdcLLER, Hans","individual","SDGT"'].map((c) => c.charCodeAt(0)));
    const entry = parseOfacSdn(decodeOfacFile(latin1)).entries[0];
    assert.equal(entry.names[0].name, "MÜLLER, Hans");
    assert.equal(entry.names[0].normalized, "hans muller");
    assert.equal(decodeOfacFile(new TextEncoder().encode("ÜBER")), "ÜBER");
  });
});

Deno.test("UN consolidated XML", async (t) => {
  const list = parseUnConsolidated(UN_XML);

  await t.step("version from dateGenerated; one individual and one entity", () => {
    assert.equal(list.listVersion, "2026-11-01T09:00:04.123-04:00");
    assert.deepEqual(list.entries.map((e) => [e.sourceRef, e.entityType]), [["6908555", "individual"], [
      "110404",
      "entity",
    ]]);
    assert.equal(list.skipped, 0);
  });

  await t.step(
    "an individual: name parts joined, aliases with QUALITY, empty alias dropped, DOB forms, nationalities",
    () => {
      const ivan = list.entries[0];
      assert.deepEqual(ivan.names.map((n) => [n.name, n.normalized, n.isAlias, n.aliasNote]), [
        ["IVAN PETROVICH SIDOROV", "ivan petrovich sidorov", false, null],
        ["Ivan Sidorov", "ivan sidorov", true, "Good"],
        ["Vanya", "vanya", true, "Low"],
      ]);
      assert.deepEqual(ivan.datesOfBirth, ["1970-05-04", "1968/1969"]);
      assert.deepEqual(ivan.nationalities, ["Russian Federation", "Cyprus"]);
      assert.deepEqual(ivan.programs, ["DPRK"]);
      assert.equal(ivan.remarks, "UN reference KPi.099; Representative of Trading & Finance Ltd.");
    },
  );

  await t.step("an entity with its alias", () => {
    const trust = list.entries[1];
    assert.deepEqual(trust.names.map((n) => n.normalized), ["global relief trust", "fondation secours mondial"]);
    assert.equal(trust.names[1].aliasNote, "a.k.a.");
    assert.deepEqual(trust.datesOfBirth, []);
    assert.deepEqual(trust.nationalities, []);
    assert.equal(trust.remarks, "UN reference QDe.999");
  });

  await t.step("a file that is not the consolidated list is refused", () => {
    assert.throws(() => parseUnConsolidated("<sdnList></sdnList>"), /CONSOLIDATED_LIST/);
  });
});
