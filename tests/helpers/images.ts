/**
 * Owns the test inputs for everything that decodes images: byte helpers, flat and synthetic
 * "document" images built with sharp, and a hand-made PNG decompression bomb. Every input is
 * generated, so no binary fixture is committed.
 */
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { joinBytes } from "../../core/encoding.ts";

export const ascii = (text: string) => new TextEncoder().encode(text);

/** sharp returns Buffers; tests compare and send plain Uint8Arrays. */
export const u8 = (buffer: Uint8Array) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

export const concat = (...parts: Uint8Array[]) => joinBytes(parts);

export const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export const isJpeg = (bytes: Uint8Array) => JPEG_SIGNATURE.every((b, i) => bytes[i] === b);

/** Whether `signature` occurs anywhere in `bytes` (not only at the start). */
export function containsSignature(bytes: Uint8Array, signature: readonly number[]): boolean {
  const first = signature[0];
  for (
    let i = bytes.indexOf(first);
    i !== -1 && i + signature.length <= bytes.length;
    i = bytes.indexOf(first, i + 1)
  ) {
    if (signature.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
}

/** A flat-colour image of the given size. */
export function solid(width: number, height: number, background = "#808080") {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** Deterministic PRNG (mulberry32) so the synthetic document is the same on every run. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A crisp, high-contrast "document": rows of dark text-like bars on a light grey card. */
export function syntheticDocument(width: number, height: number) {
  const random = prng(42);
  const px = new Uint8Array(width * height * 3).fill(200);
  for (let y = 40; y + 14 < height - 40; y += 28) {
    let x = 40;
    while (x < width - 80) {
      const len = 10 + Math.floor(random() * 60);
      for (let yy = y; yy < y + 14; yy++) {
        for (let xx = x; xx < Math.min(x + len, width - 40); xx++) {
          px.fill(30, (yy * width + xx) * 3, (yy * width + xx) * 3 + 3);
        }
      }
      x += len + 8 + Math.floor(random() * 10);
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

/** A PNG claiming 20000×20000 pixels (400 MP) in ~50 KB: 1-bit greyscale rows of zeros, deflated. */
export function pngBomb(side = 20000): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(ascii(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, side);
  new DataView(ihdr.buffer).setUint32(4, side);
  ihdr[8] = 1; // bit depth 1, colour type 0 (greyscale), deflate, no filter, no interlace
  // Each row: filter byte 0 + side/8 bytes of pixels.
  const idat = u8(deflateSync(new Uint8Array(side * (1 + Math.ceil(side / 8))), { level: 9 }));
  return concat(
    new Uint8Array(PNG_SIGNATURE),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array()),
  );
}
