/**
 * Owns drawing a QR code as a PNG data URL: the module matrix (qr_matrix.ts, qrcode's matrix),
 * drawn with qrcode's own geometry, written as a 1-bit greyscale PNG.
 *
 * Why not `QRCode.toDataURL`: its PNG path (pngjs: RGBA pixels, every row filter tried on every
 * row, level-9 deflate) took ≈5.6 ms per code and was ~80% of create-session's CPU in
 * `deno task bench`. The image here is pixel-for-pixel the one qrcode draws for the same matrix
 * (same size, quiet zone and scaling, black on white), in ≈0.05 ms: the geometry is worked out
 * once per symbol size, a row is drawn a byte at a time, and deflate runs at level 3 (a tenth
 * larger than level 6's, in half the time).
 */
import { crc32, deflateSync } from "node:zlib";
import { Buffer } from "node:buffer";
import { qrMatrix } from "./qr_matrix.ts";

export interface QrPngOptions {
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

/**
 * Where the modules of a `size`-module symbol land in the image: the module row of each pixel row
 * (-1 in the quiet zone) and, per byte of a pixel row, which module columns cover which of its bits.
 */
interface Geometry {
  symbolSize: number;
  /** Bytes per image row: the filter byte, then 1 bit per pixel. */
  stride: number;
  rowModule: Int32Array;
  /** Per pixel byte: its bits that are pixels of the image (all white before any module is drawn). */
  whiteBits: Uint8Array;
  /** Per pixel byte b: entries coverStart[b]..coverStart[b+1] of coverModule/coverMask. */
  coverStart: Int32Array;
  coverModule: Int32Array;
  coverMask: Uint8Array;
}

const geometries = new Map<string, Geometry>();

function geometryFor(size: number, margin: number, width: number): Geometry {
  const key = `${size}:${margin}:${width}`;
  const known = geometries.get(key);
  if (known) return known;
  // The geometry of qrcode's renderer (lib/renderer/utils.js getScale, qrToImageData), kept
  // formula for formula so the pixels are identical, fractional scale included.
  const scale = width >= size + margin * 2 ? width / (size + margin * 2) : 4;
  const symbolSize = Math.floor((size + margin * 2) * scale);
  const scaledMargin = margin * scale;
  const inside = (p: number) => p >= scaledMargin && p < symbolSize - scaledMargin;
  const moduleAt = (p: number) => inside(p) ? Math.floor((p - scaledMargin) / scale) : -1;
  const bytes = Math.ceil(symbolSize / 8);
  const whiteBits = new Uint8Array(bytes);
  const coverStart = new Int32Array(bytes + 1);
  const coverModule: number[] = [];
  const coverMask: number[] = [];
  for (let b = 0; b < bytes; b++) {
    coverStart[b] = coverModule.length;
    for (let j = b * 8; j < Math.min(symbolSize, b * 8 + 8); j++) {
      const bit = 0x80 >> (j & 7);
      whiteBits[b] |= bit;
      const column = moduleAt(j);
      if (column < 0) continue;
      if (coverModule.length > coverStart[b] && coverModule[coverModule.length - 1] === column) {
        coverMask[coverMask.length - 1] |= bit;
      } else {
        coverModule.push(column);
        coverMask.push(bit);
      }
    }
  }
  coverStart[bytes] = coverModule.length;
  const geometry: Geometry = {
    symbolSize,
    stride: 1 + bytes,
    rowModule: Int32Array.from({ length: symbolSize }, (_, i) => moduleAt(i)),
    whiteBits,
    coverStart,
    coverModule: Int32Array.from(coverModule),
    coverMask: Uint8Array.from(coverMask),
  };
  geometries.set(key, geometry);
  return geometry;
}

export function qrPngDataUrl(text: string, options: QrPngOptions): string {
  const { size, data } = qrMatrix(text);
  const g = geometryFor(size, options.margin, options.width);
  const { symbolSize, stride } = g;

  // Each row: filter byte 0 (none), then 1 bit per pixel, 1 = white. Zero-filled = black.
  const raw = new Uint8Array(stride * symbolSize);
  let previousModuleRow = NaN;
  for (let i = 0; i < symbolSize; i++) {
    const moduleRow = g.rowModule[i];
    const offset = i * stride + 1;
    if (moduleRow === previousModuleRow) {
      // Each module is several pixels tall: repeat the row drawn just above.
      raw.copyWithin(offset, offset - stride, offset - 1);
      continue;
    }
    previousModuleRow = moduleRow;
    const rowStart = moduleRow * size;
    for (let b = 0; b < stride - 1; b++) {
      let bits = g.whiteBits[b];
      if (moduleRow >= 0) {
        for (let k = g.coverStart[b]; k < g.coverStart[b + 1]; k++) {
          if (data[rowStart + g.coverModule[k]]) bits &= ~g.coverMask[k];
        }
      }
      raw[offset + b] = bits;
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
    chunk("IDAT", deflateSync(raw, { level: 3 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
  return `data:image/png;base64,${png.toString("base64")}`;
}
