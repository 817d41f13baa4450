/**
 * Owns drawing a QR code as a PNG data URL: qrcode's module matrix, drawn with qrcode's own
 * geometry, written as a 1-bit greyscale PNG.
 *
 * Why not `QRCode.toDataURL`: its PNG path (pngjs: RGBA pixels, every row filter tried on every
 * row, level-9 deflate) took ≈5.6 ms per code and was ~80% of create-session's CPU in
 * `deno task bench`. The image here is pixel-for-pixel the one qrcode draws for the same matrix
 * (same size, quiet zone and scaling, black on white), in ≈0.15 ms.
 */
import QRCode from "qrcode";
import { crc32, deflateSync } from "node:zlib";
import { Buffer } from "node:buffer";

export interface QrPngOptions {
  errorCorrectionLevel: "L" | "M" | "Q" | "H";
  /** Quiet zone, in modules. */
  margin: number;
  /** Image width and height in pixels. */
  width: number;
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)) >>> 0);
  return out;
}

export function qrPngDataUrl(text: string, options: QrPngOptions): string {
  // One byte-mode segment: qrcode's default search for the shortest mix of modes (a Dijkstra
  // over segment graphs) cost a fifth of the encoding and gains nothing for short URLs.
  // A fixed mask (0, the checkerboard): scoring all eight masks by the spec's penalty rules took
  // three quarters of the encoding (≈0.5 ms of ≈0.65), a tenth of create-session's server CPU. Any
  // mask is a valid code; tests/api/qr_code_test.ts scans every one back with a real reader.
  const { modules } = QRCode.create([{ data: text, mode: "byte" }], {
    errorCorrectionLevel: options.errorCorrectionLevel,
    maskPattern: 0,
  });
  const size: number = modules.size;
  const data: Uint8Array = modules.data;
  const margin = options.margin;
  // The geometry of qrcode's renderer (lib/renderer/utils.js getScale, qrToImageData), kept
  // formula for formula so the pixels are identical, fractional scale included.
  const scale = options.width >= size + margin * 2 ? options.width / (size + margin * 2) : 4;
  const symbolSize = Math.floor((size + margin * 2) * scale);
  const scaledMargin = margin * scale;
  const inside = (p: number) => p >= scaledMargin && p < symbolSize - scaledMargin;

  const column = new Int32Array(symbolSize);
  for (let j = 0; j < symbolSize; j++) column[j] = inside(j) ? Math.floor((j - scaledMargin) / scale) : -1;

  // Each row: filter byte 0 (none), then 1 bit per pixel, 1 = white. Zero-filled = black.
  const stride = 1 + Math.ceil(symbolSize / 8);
  const raw = new Uint8Array(stride * symbolSize);
  let previousRowStart = NaN;
  for (let i = 0; i < symbolSize; i++) {
    const rowStart = inside(i) ? Math.floor((i - scaledMargin) / scale) * size : -1;
    const offset = i * stride + 1;
    if (rowStart === previousRowStart) {
      // Each module is several pixels tall: repeat the row drawn just above.
      raw.copyWithin(offset, offset - stride, offset - 1);
      continue;
    }
    previousRowStart = rowStart;
    for (let j = 0; j < symbolSize; j++) {
      const dark = rowStart >= 0 && column[j] >= 0 && data[rowStart + column[j]];
      if (!dark) raw[offset + (j >> 3)] |= 0x80 >> (j & 7);
    }
  }

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, symbolSize);
  view.setUint32(4, symbolSize);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  const png = Buffer.concat([
    Uint8Array.from(PNG_SIGNATURE),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
  return `data:image/png;base64,${png.toString("base64")}`;
}
