import assert from "node:assert/strict";
import sharp from "sharp";
import { createBarcodeEngine, parseAamva } from "../../core/engines/barcode.ts";
import { AppError } from "../../core/errors.ts";
import { aamvaText, renderLicenceBack, renderPdf417, SAMPLE_LICENCE } from "./fixtures.ts";

const LICENCE = SAMPLE_LICENCE;

const ms = (start: number) => Math.round(performance.now() - start);

Deno.test("barcode engine decodes an AAMVA PDF417", async (t) => {
  let start = performance.now();
  const engine = await createBarcodeEngine();
  const loadMs = ms(start);
  const text = aamvaText(LICENCE);

  await t.step("loads the reader wasm from the installed package", () => {
    assert.match(engine.versions.library, /^zxing-wasm@3\.1\./);
    assert.deepEqual(engine.versions.models, ["dist/reader/zxing_reader.wasm"]);
  });

  await t.step("decodes the back of a licence to the exact text, control characters included", async () => {
    const back = await renderLicenceBack(text);
    start = performance.now();
    const read = await engine.readPdf417(back);
    const coldMs = ms(start);
    start = performance.now();
    await engine.readPdf417(back);
    const warmMs = ms(start);
    console.log(`  barcode: load ${loadMs} ms, first readPdf417 ${coldMs} ms, next ${warmMs} ms`);
    assert.ok(read);
    assert.equal(read.text, text);
    assert.ok(read.box.width > 1000 && read.box.x > 0, JSON.stringify(read.box));
  });

  await t.step("decodes a photo rotated by 90° and downscaled", async () => {
    const back = await renderLicenceBack(text, { width: 2400 });
    const rotated = new Uint8Array(await sharp(back).rotate(90).resize({ height: 1600 }).jpeg().toBuffer());
    assert.equal((await engine.readPdf417(rotated))?.text, text);
  });

  await t.step("the symbol alone, as PNG", async () => {
    assert.equal((await engine.readPdf417(await renderPdf417(text)))?.text, text);
  });

  await t.step("no barcode gives null; bytes that are not an image are image_unreadable", async () => {
    const blank = new Uint8Array(
      await sharp({ create: { width: 600, height: 400, channels: 3, background: "#fff" } }).png().toBuffer(),
    );
    assert.equal(await engine.readPdf417(blank), null);
    await assert.rejects(
      engine.readPdf417(new Uint8Array([1, 2, 3])),
      (error) => error instanceof AppError && error.code === "image_unreadable",
    );
  });

  await t.step("the decoded text parses as AAMVA", async () => {
    const read = await engine.readPdf417(await renderLicenceBack(text));
    const data = parseAamva(read!.text)!;
    assert.equal(data.version, 8);
    assert.equal(data.iin, "636014");
    assert.equal(data.issuingState, "CA");
    assert.equal(data.issuingCountry, "USA");
    assert.equal(data.documentType, "DL");
    assert.equal(data.firstName, "ALEXANDER");
    assert.equal(data.middleName, "JOSEPH");
    assert.equal(data.lastName, "SAMPLE");
    assert.equal(data.dateOfBirth, "1977-08-31");
    assert.equal(data.expirationDate, "2030-08-31");
    assert.equal(data.issueDate, "2022-08-31");
    assert.equal(data.documentNumber, "D1234567");
    assert.equal(data.sex, "M");
    assert.deepEqual(data.address, {
      street: "2570 24TH STREET",
      street2: null,
      city: "SACRAMENTO",
      state: "CA",
      postalCode: "95818",
      country: "USA",
    });
    assert.equal(data.elements.DAU, "069 IN");
  });
});

Deno.test("parseAamva", async (t) => {
  await t.step("version 01: whole name in DAA, dates CCYYMMDD, sex as a letter", () => {
    const text = "@\n\x1e\rANSI 6360010102DL00390190DLDAQ123456789\nDAASMITH,JANE,Q\nDBB19800704\nDBA20300704\n" +
      "DBCF\nDAG1 MAIN ST\nDAIALBANY\nDAJNY\nDAK122100000\r";
    const data = parseAamva(text)!;
    assert.equal(data.version, 1);
    assert.equal(data.jurisdictionVersion, null);
    assert.equal(data.issuingState, "NY");
    assert.equal(data.lastName, "SMITH");
    assert.equal(data.firstName, "JANE");
    assert.equal(data.middleName, "Q");
    assert.equal(data.dateOfBirth, "1980-07-04");
    assert.equal(data.expirationDate, "2030-07-04");
    assert.equal(data.sex, "F");
    assert.equal(data.address.postalCode, "12210");
  });

  await t.step("Canada: dates CCYYMMDD, postal code kept as written", () => {
    const text = "@\n\x1e\rANSI 636012090001DL00310120DLDAQA1234-12345-60704\nDCSTREMBLAY\nDACMARIE\n" +
      "DBB19900102\nDBA20310102\nDBC2\nDAJON\nDAKK1A 0B1\nDCGCAN\r";
    const data = parseAamva(text)!;
    assert.equal(data.issuingState, "ON");
    assert.equal(data.issuingCountry, "CAN");
    assert.equal(data.dateOfBirth, "1990-01-02");
    assert.equal(data.address.postalCode, "K1A0B1");
    assert.equal(data.sex, "F");
  });

  await t.step("version 03: given names together in DCT; ZIP+4 kept", () => {
    const text = "@\n\x1e\rANSI 636015030002DL00410150ZT01910010DLDCSDOE\nDCTJOHN,PAUL\nDBB01021970\n" +
      "DBA01022029\nDBC1\nDAJTX\nDAK787011234\nDAQ12345678\rZTZTAX\r";
    const data = parseAamva(text)!;
    assert.equal(data.issuingState, "TX");
    assert.equal(data.firstName, "JOHN");
    assert.equal(data.middleName, "PAUL");
    assert.equal(data.dateOfBirth, "1970-01-02");
    assert.equal(data.address.postalCode, "78701-1234");
    assert.equal(data.elements.ZTA, undefined, "jurisdiction subfiles are not DL elements");
  });

  await t.step("NONE middle name, unknown IIN falls back to the address state", () => {
    const text = "@\n\x1e\rANSI 999999080001DL00310100DLDCSROE\nDACRICHARD\nDADNONE\nDAJWA\nDBC9\r";
    const data = parseAamva(text)!;
    assert.equal(data.middleName, null);
    assert.equal(data.issuingState, "WA");
    assert.equal(data.issuingCountry, null);
    assert.equal(data.sex, "X");
  });

  await t.step("text without a DL/ID subfile gives null", () => {
    assert.equal(parseAamva("hello world"), null);
    assert.equal(parseAamva("@\n\x1e\rANSI 636014080001"), null);
  });
});
