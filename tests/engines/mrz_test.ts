import assert from "node:assert/strict";
import { mrzExtraction } from "../../core/verification/extraction.ts";
import { settleNameFillers, settleNumberFromFront } from "../../core/verification/visual_zone.ts";
import { mrzCheckDigit, mrzDateToIso, parseMrz, repairMrz } from "../../core/engines/mrz.ts";
import { SAMPLE_PASSPORT, tamper, td1Lines, td3Lines } from "./fixtures.ts";

const PASSPORT = SAMPLE_PASSPORT;

Deno.test("ICAO check digits", () => {
  // ICAO 9303 part 3 worked examples.
  assert.equal(mrzCheckDigit("L898902C3"), "6");
  assert.equal(mrzCheckDigit("740812"), "2");
  assert.equal(mrzCheckDigit("120415"), "9");
  assert.equal(mrzCheckDigit("<<<<<<<<<<<<<<"), "0");
});

Deno.test("the fixture MRZs are valid for the mrz package", () => {
  const td3 = parseMrz(td3Lines(PASSPORT));
  assert.equal(td3.format, "TD3");
  assert.equal(td3.valid, true, JSON.stringify(td3.errors));
  assert.equal(td3.fields.lastName, "DE VRIES");
  assert.equal(td3.fields.firstName, "ANNA MARIA");
  assert.equal(td3.documentNumber, "SPECI2014");
  assert.deepEqual(td3.checks, {
    documentNumber: true,
    birthDate: true,
    expirationDate: true,
    personalNumber: true,
    composite: true,
  });
  const td1 = parseMrz(td1Lines({ ...PASSPORT, documentNumber: "XN2Z8O4K1", personalNumber: "" }));
  assert.equal(td1.format, "TD1");
  assert.equal(td1.valid, true, JSON.stringify(td1.errors));
});

Deno.test("repairMrz", async (t) => {
  const truth = td3Lines(PASSPORT);

  await t.step("a clean reading is returned untouched", () => {
    const repaired = repairMrz(["some header text that is long", ...truth])!;
    assert.deepEqual(repaired.lines, truth);
    assert.deepEqual(repaired.repairs, []);
    assert.deepEqual(repaired.alternatives, []);
    assert.deepEqual(repaired.inferred, []);
  });

  await t.step("letters in digit-only fields and digits in name fields are put back", () => {
    // 740812 → 74O8I2 (birth date), ANNA → ANN4 (a given name).
    const read = [truth[0].replace("ANNA", "ANN4"), truth[1].replace("7408122", "74O8I22")];
    const repaired = repairMrz(read)!;
    assert.deepEqual(repaired.lines, truth);
    assert.ok(repaired.repairs.every((r) => r.reason === "character_class"));
    // A letter cannot be in a date: mapping it back is not a guess among readings.
    assert.deepEqual(repaired.inferred, []);
    assert.equal(parseMrz(repaired).valid, true);
  });

  await t.step("a Z in a date is settled by the check digit (2 or 7)", () => {
    const lines = td3Lines({ ...PASSPORT, expirationDate: "270731" });
    const read = [lines[0], lines[1].slice(0, 21) + "Z" + lines[1].slice(22)];
    const repaired = repairMrz(read)!;
    assert.deepEqual(repaired.lines, lines);
    assert.deepEqual(repaired.repairs, [{ line: 1, column: 21, from: "Z", to: "2", reason: "check_digit" }]);
    assert.deepEqual(repaired.inferred, ["expirationDate"]);
  });

  await t.step("a confusable character in a mixed field is settled when one reading fits", () => {
    const lines = td3Lines({ ...PASSPORT, personalNumber: "ZXW4K" });
    const read = [lines[0], lines[1].replace("ZXW4K", "2XW4K")];
    const repaired = repairMrz(read)!;
    assert.deepEqual(repaired.lines, lines);
    assert.deepEqual(repaired.repairs, [{ line: 1, column: 28, from: "2", to: "Z", reason: "check_digit" }]);
    const parsed = parseMrz(repaired);
    assert.equal(parsed.valid, true);
    assert.deepEqual(parsed.inferred, ["personalNumber"]);
  });

  await t.step("a misreading no confusion explains is not 'repaired' into a valid number", () => {
    // Seen from tesseract: SPECI2014 read as SPECT2014. Two guesses (S→5, 0→O) would satisfy check
    // digit 2 with 5PECT2O14; one guess per field finds nothing, so the check fails.
    const read = [truth[0], truth[1].replace("SPECI2014", "SPECT2014")];
    const parsed = parseMrz(repairMrz(read)!);
    assert.equal(parsed.checks.documentNumber, false);
    assert.equal(parsed.documentNumber, "SPECT2014");
    assert.equal(parsed.valid, false);
  });

  await t.step("filler runs read as K/L and lost fillers are restored", () => {
    const read = [truth[0].replace(/<{12}$/, "KLKLLLLKLL"), truth[1].replace("<<<<<", "<<<<")];
    const repaired = repairMrz(read)!;
    assert.deepEqual(repaired.lines, truth);
    assert.ok(repaired.repairs.every((r) => r.reason === "filler"));
  });

  await t.step("a glyph read twice is dropped where the check digits say", () => {
    const read = [truth[0], truth[1].replace("7408122", "74008122")];
    const repaired = repairMrz(read)!;
    assert.deepEqual(repaired.lines, truth);
    // Every field from the edit on rests on the realignment.
    assert.deepEqual(repaired.inferred, ["birthDate", "expirationDate", "personalNumber"]);
  });

  await t.step("a document number with two readings that fit is not guessed", () => {
    // C01X00T47 read as CO1X00T47: both C01X00T47 and CO1X00T4Z satisfy check digit 8.
    const lines = td3Lines({ ...PASSPORT, documentNumber: "C01X00T47" });
    const read = [lines[0], lines[1].replace("C01X00T47", "CO1X00T47")];
    const repaired = repairMrz(read)!;
    assert.deepEqual(repaired.alternatives, [{ field: "documentNumber", readings: ["C01X00T47", "CO1X00T4Z"] }]);
    assert.equal(repaired.lines[1].slice(0, 9), "CO1X00T47");
    const parsed = parseMrz(repaired);
    assert.equal(parsed.valid, false);
    assert.equal(parsed.checks.documentNumber, false);
    assert.equal(parsed.checks.birthDate, true);
  });

  await t.step("a tampered check digit stays invalid", () => {
    // Birth date check digit 2 → 5, a change no OCR confusion explains.
    const forged = tamper(truth, 1, 19, "5");
    const repaired = repairMrz(forged)!;
    assert.deepEqual(repaired.lines, forged);
    const parsed = parseMrz(repaired);
    assert.equal(parsed.valid, false);
    assert.equal(parsed.checks.birthDate, false);
    assert.equal(parsed.checks.composite, false);
    assert.equal(parsed.checks.documentNumber, true);
  });

  await t.step("a forged date with recomputed field digit still fails the composite", () => {
    const lines = td3Lines(PASSPORT);
    // Expiry 340415 → 340515 with its own check digit fixed, composite left as issued. (The
    // composite is a checksum, not a seal: some consistent edits, e.g. to the year's second digit,
    // leave it unchanged.)
    const forged = [lines[0], lines[1].slice(0, 21) + "340515" + mrzCheckDigit("340515") + lines[1].slice(28)];
    const parsed = parseMrz(repairMrz(forged)!);
    assert.equal(parsed.checks.expirationDate, true);
    assert.equal(parsed.checks.composite, false);
    assert.equal(parsed.valid, false);
  });

  await t.step("TD1 is told from TD2 by its check digits, not line lengths", () => {
    const lines = td1Lines({ ...PASSPORT, documentNumber: "XN2Z8O4K1", personalNumber: "" });
    // The first line lost five fillers: by length alone two 30-character lines also look like TD2.
    const read = [lines[0].slice(0, 25), lines[1], lines[2]];
    const repaired = repairMrz(read)!;
    assert.equal(repaired.format, "TD1");
    assert.deepEqual(repaired.lines, lines);
  });

  await t.step("nothing MRZ-shaped gives null", () => {
    assert.equal(repairMrz(["HELLO", "WORLD"]), null);
    assert.equal(repairMrz([]), null);
  });
});

Deno.test("mrzDateToIso picks the century", () => {
  const now = new Date("2026-03-01T00:00:00Z");
  assert.equal(mrzDateToIso("740812", "birth", now), "1974-08-12");
  assert.equal(mrzDateToIso("150101", "birth", now), "2015-01-01");
  assert.equal(mrzDateToIso("270101", "birth", now), "1927-01-01");
  assert.equal(mrzDateToIso("340415", "expiry", now), "2034-04-15");
  assert.equal(mrzDateToIso("991231", "expiry", now), "1999-12-31");
  assert.equal(mrzDateToIso("740230", "birth", now), null);
  assert.equal(mrzDateToIso("74O812", "birth", now), null);
});

/**
 * Readings of real specimen documents (the ICAO 9303 Utopia passport, the Dutch specimen passport
 * of eval/corpus/documents/manifest.json) as the recognisers printed them, and what the repair
 * must make of them. The images are not in this repository (their licence allows evaluation, and
 * no npm package ships them); these strings are the recognisers' own output on them.
 */
Deno.test("repairMrz on readings of real specimen documents", async (t) => {
  const UTOPIA = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];

  await t.step("the ICAO specimen state UTO is a state code, not a checksum failure", () => {
    // PP-OCRv4 read "UTO" as "UT0" in the nationality: a letters-only field.
    const repaired = repairMrz([UTOPIA[0], UTOPIA[1].replace("UTO", "UT0")])!;
    assert.deepEqual(repaired.lines, UTOPIA);
    const parsed = parseMrz(repaired);
    assert.equal(parsed.valid, true, JSON.stringify(parsed.errors));
    assert.equal(parsed.fields.issuingState, "UTO");
    assert.equal(parsed.fields.nationality, "UTO");
    assert.deepEqual(parsed.fields.firstName, "ANNA MARIA");
  });

  await t.step("an unknown state code still fails, as a field error and not a check digit", () => {
    const parsed = parseMrz([UTOPIA[0].replace("UTO", "QQQ"), UTOPIA[1].replace("UTO", "QQQ")]);
    assert.equal(parsed.valid, false);
    assert.ok(Object.values(parsed.checks).every(Boolean), "every check digit holds");
    assert.ok(parsed.errors.some((e) => e.field === "issuingState"));
  });

  await t.step("fillers read as K/C in an optional field are restored (Dutch specimen)", () => {
    const repaired = repairMrz([
      "P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<",
      "XA00000148NLD7110195F0604121123456782<<CK402",
    ])!;
    assert.equal(repaired.lines[1], "XA00000148NLD7110195F0604121123456782<<<<<02");
    const parsed = parseMrz(repaired);
    assert.equal(parsed.valid, true);
    assert.equal(parsed.fields.personalNumber, "123456782");
  });

  await t.step("a filler read as a digit is restored only when the check digit says so", () => {
    const read = ["P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<", "XA00000148NLD7110195F0604121123456782<<<<402"];
    const repaired = repairMrz(read)!;
    assert.equal(repaired.lines[1], "XA00000148NLD7110195F0604121123456782<<<<<02");
    // The same tail where the digit is genuine (its check digit fits the digit): left as read.
    const genuine = "XA00000148NLD7110195F0604121123456782<<<<4" + mrzCheckDigit("123456782<<<<4");
    const kept = repairMrz([
      read[0],
      genuine + mrzCheckDigit(genuine.slice(0, 10) + genuine.slice(13, 20) + genuine.slice(21, 43)),
    ])!;
    assert.equal(kept.lines[1].slice(28, 42), "123456782<<<<4");
  });

  await t.step("a 0 read as D in a document number is repaired by its check digit (Estonian specimen)", () => {
    const lines = ["P<ESTMAENNIK<<MARI<LIIS<<<<<<<<<<<<<<<<<<<<<", "KB00000003EST7501229F120522647501220010<<<02"];
    const parsed = parseMrz(repairMrz([lines[0], "KB0D000003" + lines[1].slice(10)])!);
    assert.equal(parsed.valid, true, JSON.stringify(parsed.errors));
    assert.equal(parsed.documentNumber, "KB0000000");
  });

  await t.step("a glyph read left of the first line is dropped (Czech specimen on a desk)", () => {
    const parsed = parseMrz(
      repairMrz([
        "BP<CZESPECIMEN<<VZOR<<<<<<<<<<<<<<<<<<<<<<<<<",
        "99003853<1CZE1101018M1207046110101111<<<<<94",
      ])!,
    );
    assert.equal(parsed.valid, true, JSON.stringify(parsed.errors));
    assert.equal(parsed.fields.documentCode, "P");
    assert.equal(parsed.fields.lastName, "SPECIMEN");
    assert.equal(parsed.fields.firstName, "VZOR");
  });

  await t.step("names never keep filler look-alikes (tesseract's reading of the Utopia scan)", () => {
    const repaired = repairMrz([
      "P<UTOERIKSSON<<ANNA<MARIA<LLLLLLLLLLLLLLLKLK",
      "L898902C36UT07408122F1204159ZE184226B<<<<<10",
    ])!;
    const parsed = parseMrz(repaired);
    assert.equal(parsed.fields.lastName, "ERIKSSON");
    assert.equal(parsed.fields.firstName, "ANNA MARIA");
    assert.ok(!/[<]|LLL|KLK/.test(`${parsed.fields.firstName}${parsed.fields.lastName}`));
  });

  await t.step("check digits repair the classic confusions of a real number (O/0, D/0, I/1, B/8, S/5, Z/2)", () => {
    // The Utopia document number L898902C3 and dates, read with each confusion in a digit-only
    // field (dates) or settled by the check digit in the mixed document-number field.
    for (const [from, to] of [["0", "O"], ["0", "D"], ["1", "I"], ["8", "B"], ["5", "S"], ["2", "Z"]]) {
      const at = UTOPIA[1].indexOf(from, 13);
      const read = UTOPIA[1].slice(0, at) + to + UTOPIA[1].slice(at + 1);
      const parsed = parseMrz(repairMrz([UTOPIA[0], read])!);
      assert.equal(parsed.valid, true, `${to} for ${from} at ${at}: ${JSON.stringify(parsed.errors)}`);
      assert.equal(parsed.fields.birthDate, "740812");
      assert.equal(parsed.fields.expirationDate, "120415");
    }
  });
});

Deno.test("what the check digits leave open, the printed front settles", async (t) => {
  const ESTONIA = ["P<ESTMAENNIK<<MARI<LIIS<<<<<<<<<<<<<<<<<<<<<", "KB00000003EST7501229F120522647501220010<<<02"];
  const FRONT = "EESTI / ESTONIA\nKB0000000\nMAENNIK\nMARI LIIS\n22.01.1975";

  await t.step("a filler read as K inside the given names, when the front prints the name parts", () => {
    // PP-OCRv4's reading of the Estonian specimen on a desk.
    const read = repairMrz([ESTONIA[0].replace("MARI<LIIS", "MARIKLIIS"), ESTONIA[1]])!;
    assert.equal(parseMrz(read).fields.firstName, "MARIKLIIS", "the check digits cannot see names");
    const settled = mrzExtraction(read, FRONT, "passport", new Date("2026-01-01"));
    assert.deepEqual(settled.mrz!.lines, ESTONIA);
    assert.equal(settled.data.first_name, "MARI");
    assert.equal(settled.data.middle_name, "LIIS");
    // A front that does not print the parts leaves the name as read; a name is never given fillers.
    assert.equal(
      mrzExtraction(read, "EESTI / ESTONIA", "passport", new Date("2026-01-01")).data.first_name,
      "MARIKLIIS",
    );
    assert.deepEqual(settleNameFillers("TD3", ESTONIA, "MAENNIK MARI LIIS K"), ESTONIA);
  });

  await t.step("fillers read as letters between surname and given names, and a `<` read as two glyphs", () => {
    const czech = ["P<CZESPECIMENKKVZORKLKLLLLLLLLLLLLLLLLLKKKKK", "99009054<4CZE6906229F16072996956220612<<<<74"];
    const fixed = settleNameFillers("TD3", czech, "CESKA REPUBLIKA\n2 99009054\nSPECIMEN\nVZOR");
    assert.equal(fixed[0], "P<CZESPECIMEN<<VZOR<<<<<<<<<<<<<<<<<<<<<<<<<");
    const taiwan = "P<TWNLIN<K<MEI<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<";
    assert.equal(
      settleNameFillers("TD3", [taiwan, ""], "3 LIN, MEI-HUA SPECIMEN")[0],
      "P<TWNLIN<<MEI<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    );
  });

  await t.step("a document number with two valid readings: the one the front prints", () => {
    const alternative = { field: "documentNumber" as const, readings: ["K8OOOOD00", "KB0000000"] };
    const lines = ["", "K8OOOOD003EST7501229F120522647501220010<<<02"];
    assert.equal(settleNumberFromFront(lines, alternative, { line: 1, start: 0 }, FRONT)![1], ESTONIA[1]);
    assert.equal(settleNumberFromFront(lines, alternative, { line: 1, start: 0 }, "EESTI"), null);
  });

  await t.step(
    "a failed check digit is told as misread where the reading was repaired, else left to tell tampering",
    () => {
      // The Dutch specimen dim: a glyph after the fillers of the personal number (no printed form).
      const dim = parseMrz(
        repairMrz([
          "P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<",
          "XA00000148NLD7110195F0604121123456782<<C4402",
        ])!,
      );
      assert.equal(dim.valid, false);
      assert.ok(dim.misread.includes("personalNumber"), JSON.stringify(dim));
      // A check digit printed wrong on a cleanly read MRZ: nothing explains it.
      const tampered = parseMrz(repairMrz([ESTONIA[0], ESTONIA[1].replace("7501229", "7501224")])!);
      assert.equal(tampered.checks.birthDate, false);
      assert.deepEqual(tampered.misread.filter((c) => c === "birthDate"), []);
    },
  );
});
