/**
 * The fast QR matrix (core/sessions/qr_matrix.ts) is the one qrcode itself makes for the same
 * text, level M and mask 0, module for module: across every version a capture URL can need and
 * more (1 to 40: one and many blocks, 8- and 16-bit counts, version information), random tokens,
 * and non-ASCII text. qrcode is the reference the product's codes were drawn with before.
 */
import assert from "node:assert/strict";
import QRCode from "qrcode";
import { qrMatrix } from "../../core/sessions/qr_matrix.ts";

function reference(text: string) {
  const { modules } = QRCode.create([{ data: text, mode: "byte" }], { errorCorrectionLevel: "M", maskPattern: 0 });
  return { size: modules.size as number, data: Uint8Array.from(modules.data as Uint8Array) };
}

function randomText(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_/:.?=&";
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => alphabet[b % alphabet.length]).join("");
}

Deno.test("qrMatrix draws qrcode's matrix for the same text, level M, mask 0", async (t) => {
  await t.step("capture URLs of every plausible length", () => {
    for (let length = 20; length <= 400; length += 3) {
      const url = `https://verify.example.com/verify/tok_${randomText(length)}`;
      const mine = qrMatrix(url);
      const theirs = reference(url);
      assert.equal(mine.size, theirs.size, `size at ${url.length} bytes`);
      assert.deepEqual(mine.data, theirs.data, `modules at ${url.length} bytes`);
    }
  });

  await t.step("every version from 1 to 40", () => {
    // Every length up to 200 bytes (versions 1-11, each size change on the byte it happens at),
    // then every 37th up to version 40's capacity of 2,331 bytes.
    let largestSize = 0;
    for (let length = 1; length <= 2331; length += length < 200 ? 1 : 37) {
      const text = randomText(length);
      const mine = qrMatrix(text);
      const theirs = reference(text);
      assert.equal(mine.size, theirs.size, `size at ${length} bytes`);
      assert.deepEqual(mine.data, theirs.data, `modules at ${length} bytes (size ${mine.size})`);
      largestSize = Math.max(largestSize, mine.size);
    }
    assert.equal(largestSize, 177, "reached version 40");
  });

  await t.step("non-ASCII text is encoded as its UTF-8 bytes", () => {
    const text = "https://exämple.test/verify/tok_é漢字🙂";
    assert.deepEqual(qrMatrix(text).data, reference(text).data);
  });

  await t.step("past version 40's capacity it refuses, as qrcode does", () => {
    assert.throws(() => reference(randomText(2332)));
    assert.throws(() => qrMatrix(randomText(2332)), RangeError);
  });
});
