/**
 * Owns the promise of `qr_code_data_url`: the PNG a new session carries scans back, with a real QR
 * reader (zxing-wasm, the barcode engine's), to that session's `capture_url`. The applicant's
 * phone must be able to open it, whatever token the URL holds.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { readBarcodes } from "zxing-wasm/reader";
import { createTestWorld } from "../helpers/test_app.ts";
import { assertPngDataUrl, createSession } from "../helpers/sessions.ts";
import { createBarcodeEngine } from "../../core/engines/barcode.ts";

async function scan(dataUrl: string): Promise<string[]> {
  const png = Uint8Array.from(atob(dataUrl.slice("data:image/png;base64,".length)), (c) => c.charCodeAt(0));
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const imageData = { data: new Uint8ClampedArray(data), width: info.width, height: info.height, colorSpace: "srgb" };
  // No tryHarder: a code on a screen is read at a glance, not by the reader's slow paths.
  const results = await readBarcodes(imageData as unknown as ImageData, { formats: ["QRCode"], tryHarder: false });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

Deno.test("the QR code of every new session scans back to its capture_url", async () => {
  await createBarcodeEngine(); // instantiates zxing-wasm from the installed package, offline
  const world = await createTestWorld();
  try {
    for (let i = 0; i < 24; i++) {
      const session = await createSession(world, world.org.sandbox_secret_key, { external_ref: `qr_${i}` });
      assertPngDataUrl(session.qr_code_data_url);
      assert.deepEqual(await scan(session.qr_code_data_url), [session.capture_url], `session ${i}`);
    }
  } finally {
    await world.close();
  }
});
