/**
 * Owns the image pipeline tests: type sniffing, refusals (type, size, corruption, pixel bombs),
 * metadata stripping and orientation, resizing, and the calibration of the quality metrics. Every
 * input is generated with sharp or by hand (tests/helpers/images.ts), so no binary fixture is committed.
 */
import assert from "node:assert/strict";
import sharp, { type Sharp } from "sharp";
import { AppError } from "../../core/errors.ts";
import {
  heicSupported,
  laplacianVariance,
  MAX_UPLOAD_BYTES,
  processImage,
  QUALITY_THRESHOLDS,
  sniffImageType,
} from "../../core/images/image_pipeline.ts";
import { ascii, concat, isJpeg, pngBomb, solid, syntheticDocument, u8 } from "../helpers/images.ts";

/** An ISO-BMFF `ftyp` box with the given brands, followed by junk. */
function ftyp(major: string, compatible: string[]): Uint8Array {
  const size = 16 + 4 * compatible.length;
  const box = new Uint8Array(size);
  new DataView(box.buffer).setUint32(0, size);
  box.set(ascii("ftyp"), 4);
  box.set(ascii(major), 8);
  compatible.forEach((brand, i) => box.set(ascii(brand), 16 + 4 * i));
  return concat(box, new Uint8Array(64).fill(7));
}

async function rejects(promise: Promise<unknown>, code: string, detail?: RegExp): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${error}`);
    assert.equal(error.code, code, error.detail);
    if (detail) assert.match(error.detail, detail);
    return error;
  }
  assert.fail(`expected ${code}`);
}

Deno.test("sniffImageType", async (t) => {
  await t.step("recognises each accepted type by its magic bytes", async () => {
    const img = solid(8, 8);
    assert.equal(sniffImageType(u8(await img.clone().jpeg().toBuffer())), "image/jpeg");
    assert.equal(sniffImageType(u8(await img.clone().png().toBuffer())), "image/png");
    assert.equal(sniffImageType(u8(await img.clone().webp().toBuffer())), "image/webp");
    assert.equal(sniffImageType(ascii("%PDF-1.7\n%âãÏÓ\n1 0 obj")), "application/pdf");
  });

  await t.step("HEIC brands, and AVIF is not HEIC", async () => {
    for (const brand of ["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"]) {
      assert.equal(sniffImageType(ftyp(brand, [])), "image/heic", brand);
    }
    assert.equal(sniffImageType(ftyp("mif1", ["heic"])), "image/heic");
    assert.equal(sniffImageType(ftyp("avif", ["mif1", "miaf"])), null);
    assert.equal(sniffImageType(ftyp("mif1", ["avif"])), null);
    assert.equal(sniffImageType(ftyp("isom", ["mp41"])), null, "an MP4 video is not an image");
    assert.equal(sniffImageType(u8(await solid(16, 16).avif().toBuffer())), null);
  });

  await t.step("anything else, including short and empty input, is null", () => {
    assert.equal(sniffImageType(ascii("hello, this is a text file named passport.jpg")), null);
    assert.equal(sniffImageType(new Uint8Array()), null);
    assert.equal(sniffImageType(new Uint8Array([0xff, 0xd8])), null);
    assert.equal(sniffImageType(ascii("RIFF\0\0\0\0WAVE")), null);
    assert.equal(sniffImageType(ascii("GIF89a")), null);
  });
});

Deno.test("processImage refusals", async (t) => {
  await t.step("a text file renamed .jpg is unsupported_media_type (415 by default)", async () => {
    const error = await rejects(
      processImage(ascii("name,dob\nJane,1990-01-01\n"), { purpose: "document" }),
      "unsupported_media_type",
      /JPEG, PNG/,
    );
    assert.equal(error.status, 415);
  });

  await t.step("PDF and AVIF are unsupported_media_type", async () => {
    await rejects(processImage(ascii("%PDF-1.7\n1 0 obj\n"), { purpose: "document" }), "unsupported_media_type", /PDF/);
    const avif = u8(await solid(600, 600).avif().toBuffer());
    await rejects(processImage(avif, { purpose: "document" }), "unsupported_media_type");
  });

  await t.step("HEIC without an HEVC decoder names the limitation", async () => {
    if (heicSupported()) return; // a custom libvips with libde265 would decode real HEIC
    await rejects(
      processImage(ftyp("heic", ["mif1", "heic"]), { purpose: "document" }),
      "unsupported_media_type",
      /HEIC is not supported by this server's image library; send JPEG, PNG or WebP/,
    );
  });

  await t.step("a truncated JPEG is image_unreadable", async () => {
    const jpeg = u8(await syntheticDocument(800, 600).jpeg().toBuffer());
    await rejects(
      processImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), { purpose: "document" }),
      "image_unreadable",
      /corrupt or incomplete/,
    );
    // A valid signature followed by garbage fails in the header read instead.
    await rejects(
      processImage(concat(jpeg.subarray(0, 3), new Uint8Array(500)), { purpose: "document" }),
      "image_unreadable",
    );
  });

  await t.step("a 20000×20000 PNG bomb is refused from its header, fast", async () => {
    const bomb = pngBomb();
    assert.ok(bomb.length < 100_000, `bomb is ${bomb.length} bytes`);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [20000, 20000, "png"]);
    const started = performance.now();
    await rejects(processImage(bomb, { purpose: "document" }), "image_unreadable", /more than 50 megapixels/);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 500, `refusal took ${elapsed.toFixed(1)} ms`);
  });

  await t.step("over the upload cap is file_too_large, before any parsing", async () => {
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    big.set([0xff, 0xd8, 0xff]);
    await rejects(processImage(big, { purpose: "document" }), "file_too_large", /10 MB/);
  });

  await t.step("selfie short side under 480 px is image_too_small, naming the size", async () => {
    const small = u8(await solid(400, 600).jpeg().toBuffer());
    await rejects(processImage(small, { purpose: "selfie" }), "image_too_small", /400×600 pixels.*at least 480/);
    const ok = await processImage(u8(await solid(480, 640).jpeg().toBuffer()), { purpose: "selfie" });
    assert.deepEqual([ok.width, ok.height], [480, 640]);
    // The same 400×600 is a valid document: the document floor is 200 px.
    await processImage(small, { purpose: "document" });
  });

  await t.step("document short side under 200 px is image_too_small", async () => {
    await rejects(
      processImage(u8(await solid(300, 199).png().toBuffer()), { purpose: "document" }),
      "image_too_small",
      /300×199 pixels.*at least 200/,
    );
    await processImage(u8(await solid(300, 200).png().toBuffer()), { purpose: "document" });
  });

  await t.step("the size rule applies after the resize: a 480×9000 selfie is too small", async () => {
    // Fits inside 4000×4000 as 213×4000.
    const strip = u8(await solid(480, 9000).jpeg().toBuffer());
    await rejects(processImage(strip, { purpose: "selfie" }), "image_too_small", /213×4000/);
  });
});

Deno.test("processImage normalisation", async (t) => {
  await t.step("JPEG, PNG and WebP are accepted and come out as JPEG", async () => {
    const doc = syntheticDocument(1200, 800);
    for (
      const [sourceType, bytes] of [
        ["image/jpeg", await doc.clone().jpeg().toBuffer()],
        ["image/png", await doc.clone().png().toBuffer()],
        ["image/webp", await doc.clone().webp().toBuffer()],
      ] as const
    ) {
      const out = await processImage(u8(bytes), { purpose: "document" });
      assert.equal(out.sourceType, sourceType);
      assert.equal(out.mimeType, "image/jpeg");
      assert.ok(isJpeg(out.normalized), `${sourceType}: normalized has a JPEG signature`);
      assert.ok(isJpeg(out.thumbnail), `${sourceType}: thumbnail has a JPEG signature`);
      assert.deepEqual([out.width, out.height, out.originalWidth, out.originalHeight], [1200, 800, 1200, 800]);
      const meta = await sharp(out.normalized).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 1200, 800]);
    }
  });

  await t.step("EXIF (with GPS) is stripped and orientation 6 is applied", async () => {
    // Stored 600×400 with a red block top-left; orientation 6 means "rotate 90° clockwise to view".
    const red = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#ff0000" } })
      .png()
      .toBuffer();
    const input = u8(
      await solid(600, 400)
        .composite([{ input: red, top: 0, left: 0 }])
        .withExif({
          IFD0: { Make: "AcmePhone", Model: "X1", Copyright: "Jane Applicant" },
          IFD3: {
            GPSLatitudeRef: "N",
            GPSLatitude: "51/1 30/1 3230/100",
            GPSLongitudeRef: "W",
            GPSLongitude: "0/1 7/1 4366/100",
          },
        })
        .withMetadata({ orientation: 6 })
        .jpeg()
        .toBuffer(),
    );
    const inMeta = await sharp(input).metadata();
    assert.equal(inMeta.orientation, 6);
    assert.ok(inMeta.exif && new TextDecoder("latin1").decode(inMeta.exif).includes("AcmePhone"));
    assert.ok(inMeta.icc, "the input carries an ICC profile too");

    const out = await processImage(input, { purpose: "document" });
    assert.deepEqual([out.originalWidth, out.originalHeight], [600, 400]);
    assert.deepEqual([out.width, out.height], [400, 600]);
    for (const bytes of [out.normalized, out.thumbnail]) {
      const meta = await sharp(bytes).metadata();
      assert.equal(meta.exif, undefined);
      assert.equal(meta.icc, undefined);
      assert.equal(meta.xmp, undefined);
      assert.equal(meta.iptc, undefined);
      assert.equal(meta.orientation, undefined);
      const text = new TextDecoder("latin1").decode(bytes);
      for (const needle of ["Exif", "AcmePhone", "Jane Applicant", "ICC_PROFILE"]) {
        assert.ok(!text.includes(needle), `output contains ${needle}`);
      }
    }
    // After a clockwise quarter turn the stored top-left block is at the top-right.
    const { data, info } = await sharp(out.normalized).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const [r1, g1] = pixel(info.width - 20, 20);
    assert.ok(r1 > 200 && g1 < 60, `top-right should be red, got ${pixel(info.width - 20, 20)}`);
    const [r2, g2] = pixel(20, 20);
    assert.ok(r2 < 160 && g2 > 100, `top-left should be grey, got ${pixel(20, 20)}`);
  });

  await t.step("large images fit inside 4000×4000, thumbnails inside 320×320", async () => {
    const wide = await processImage(u8(await solid(6000, 3000).png().toBuffer()), { purpose: "document" });
    assert.deepEqual([wide.width, wide.height], [4000, 2000]);
    assert.deepEqual([wide.originalWidth, wide.originalHeight], [6000, 3000]);
    const thumb = await sharp(wide.thumbnail).metadata();
    assert.deepEqual([thumb.width, thumb.height], [320, 160]);

    // A typical 12 MP phone photo: 4032×3024 becomes 4000×3000.
    const phone = u8(await syntheticDocument(4032, 3024).jpeg({ quality: 80 }).toBuffer());
    const started = performance.now();
    const out = await processImage(phone, { purpose: "document" });
    const elapsed = performance.now() - started;
    assert.deepEqual([out.width, out.height], [4000, 3000]);
    const meta = await sharp(out.normalized).metadata();
    assert.deepEqual([meta.width, meta.height], [4000, 3000]);
    const thumbMeta = await sharp(out.thumbnail).metadata();
    assert.ok(Math.max(thumbMeta.width, thumbMeta.height) === 320, `thumbnail ${thumbMeta.width}×${thumbMeta.height}`);
    // Generous bound: a regression to seconds (e.g. decoding the source three times) still shows.
    assert.ok(elapsed < 5000, `4032×3024 took ${elapsed.toFixed(0)} ms`);
  });

  await t.step("small images are not enlarged", async () => {
    const out = await processImage(u8(await solid(300, 250).jpeg().toBuffer()), { purpose: "document" });
    assert.deepEqual([out.width, out.height], [300, 250]);
    const thumb = await sharp(out.thumbnail).metadata();
    assert.deepEqual([thumb.width, thumb.height], [300, 250]);
  });

  await t.step("transparency is flattened onto white, not black", async () => {
    const clear = u8(
      await sharp({ create: { width: 300, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
        .png()
        .toBuffer(),
    );
    const out = await processImage(clear, { purpose: "document" });
    const { data } = await sharp(out.normalized).raw().toBuffer({ resolveWithObject: true });
    assert.ok(data[0] > 250 && data[1] > 250 && data[2] > 250, `got ${[...data.subarray(0, 3)]}`);
  });
});

Deno.test("quality report", async (t) => {
  const doc = () => syntheticDocument(1600, 1000);
  const quality = async (image: Sharp) =>
    (await processImage(u8(await image.jpeg().toBuffer()), { purpose: "document" })).quality;

  await t.step("a crisp, well-exposed document passes everything", async () => {
    const q = await quality(doc());
    assert.ok(q.sharpness.score > 1000, `crisp sharpness ${q.sharpness.score}`);
    assert.equal(q.sharpness.ok, true);
    assert.equal(q.glare.ok, true);
    assert.equal(q.exposure.ok, true);
    assert.equal(q.resolution.ok, true);
    assert.deepEqual(q.resolution, { width: 1600, height: 1000, megapixels: 1.6, ok: true });
    assert.equal(q.ok, true);
    assert.deepEqual(q.warnings, []);
  });

  await t.step("the same document blurred fails sharpness only", async () => {
    const q = await quality(doc().blur(8));
    assert.ok(q.sharpness.score < QUALITY_THRESHOLDS.minSharpness / 2, `blurred sharpness ${q.sharpness.score}`);
    assert.equal(q.sharpness.ok, false);
    assert.equal(q.exposure.ok, true);
    assert.equal(q.glare.ok, true);
    assert.equal(q.ok, false);
    assert.equal(q.warnings[0], "Photo quality is low");
    assert.ok(q.warnings.some((w) => /blurry/.test(w)));
    // A mild blur stays acceptable: the threshold flags smeared text, not soft focus.
    assert.equal((await quality(doc().blur(2))).sharpness.ok, true);
  });

  await t.step("a near-white image fails glare and exposure", async () => {
    const q = await quality(solid(1600, 1000, "#fcfcfc"));
    assert.ok(q.glare.fraction > 0.9, `glare ${q.glare.fraction}`);
    assert.equal(q.glare.ok, false);
    assert.ok(q.exposure.mean > 220);
    assert.equal(q.exposure.ok, false);
    assert.ok(q.warnings.includes("Photo quality is low"));
    assert.ok(q.warnings.some((w) => /glare/.test(w)) && q.warnings.some((w) => /too bright/.test(w)));
  });

  await t.step("a near-black image fails exposure, without glare", async () => {
    const q = await quality(solid(1600, 1000, "#0a0a0a"));
    assert.ok(q.exposure.mean < 40, `mean ${q.exposure.mean}`);
    assert.equal(q.exposure.ok, false);
    assert.equal(q.glare.fraction, 0);
    assert.ok(q.warnings.some((w) => /too dark/.test(w)));
  });

  await t.step("low resolution is a warning for documents, not a refusal", async () => {
    const q = (await processImage(u8(await syntheticDocument(640, 400).png().toBuffer()), { purpose: "document" }))
      .quality;
    assert.equal(q.resolution.ok, false);
    assert.equal(q.ok, false);
    assert.ok(q.warnings.some((w) => /resolution/.test(w)));
  });

  await t.step("laplacianVariance: zero on flat images, high on a checkerboard", () => {
    assert.equal(laplacianVariance(new Uint8Array(100).fill(128), 10, 10), 0);
    const board = new Uint8Array(100).map((_, i) => ((i % 10) + Math.floor(i / 10)) % 2 ? 255 : 0);
    // Every interior Laplacian is ±4·255, so the variance is (4·255)².
    assert.equal(laplacianVariance(board, 10, 10), (4 * 255) ** 2);
    assert.equal(laplacianVariance(new Uint8Array(4), 2, 2), 0);
  });
});
