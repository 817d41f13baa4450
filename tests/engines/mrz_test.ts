import assert from "node:assert/strict";
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
