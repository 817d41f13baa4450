/**
 * Owns the phone-photo conditions the document evaluation applies to each real specimen image: the
 * document laid on a desk of some colour, turned up to ±15°, seen in perspective (up to 10 %
 * keystone), re-encoded as JPEG at quality 60–90, dimmed or brightened, or carrying a specular
 * highlight. Every parameter comes from a seed, so a run is the same bytes every time.
 */
import sharp from "sharp";
import { invert3, type Point, squareToQuad } from "../core/engines/homography.ts";

export interface Condition {
  name: string;
  /** Turns a specimen image into this condition's photo (JPEG or PNG bytes). */
  apply(image: Uint8Array, seed: number): Promise<Uint8Array>;
}

/** A deterministic value in [0, 1) for (seed, k): the conditions need a handful, not a stream. */
function seeded(seed: number, k: number): number {
  const x = Math.sin(seed * 12.9898 + k * 78.233) * 43758.5453;
  return x - Math.floor(x);
}
const between = (seed: number, k: number, lo: number, hi: number) => lo + (hi - lo) * seeded(seed, k);

interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
}

async function decode(image: Uint8Array): Promise<Rgb> {
  const { data, info } = await sharp(image).rotate().removeAlpha().toColourspace("srgb").raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}

async function encode(img: Rgb, quality = 92): Promise<Uint8Array> {
  const out = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .jpeg({ quality }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Desk colours as a phone sees them: dark wood, grey laminate, white table, green mat. */
const DESKS: [number, number, number][] = [[62, 44, 30], [128, 128, 124], [232, 230, 224], [40, 86, 60]];

/**
 * Lays the document on a desk: its corners go to `corners` (fractions of the desk), the desk has
 * a lamp's falloff and grain. The output is as wide as the document plus a margin, as a phone
 * framing a document roughly fills the shot.
 */
function onDesk(doc: Rgb, desk: [number, number, number], corners: Point[], seed: number): Rgb {
  const width = Math.round(doc.width * 1.35);
  const height = Math.round(doc.height * 1.45);
  const quad = corners.map(([u, v]): Point => [u * width, v * height]);
  const inverse = invert3(squareToQuad(quad));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = inverse[6] * x + inverse[7] * y + inverse[8];
      const u = (inverse[0] * x + inverse[1] * y + inverse[2]) / w;
      const v = (inverse[3] * x + inverse[4] * y + inverse[5]) / w;
      const o = (y * width + x) * 3;
      if (u >= 0 && u < 1 && v >= 0 && v < 1) {
        const sx = u * (doc.width - 1), sy = v * (doc.height - 1);
        const x0 = Math.floor(sx), y0 = Math.floor(sy);
        const fx = sx - x0, fy = sy - y0;
        const x1 = Math.min(doc.width - 1, x0 + 1), y1 = Math.min(doc.height - 1, y0 + 1);
        for (let c = 0; c < 3; c++) {
          const p = (yy: number, xx: number) => doc.data[(yy * doc.width + xx) * 3 + c];
          data[o + c] = (p(y0, x0) * (1 - fx) + p(y0, x1) * fx) * (1 - fy) +
            (p(y1, x0) * (1 - fx) + p(y1, x1) * fx) * fy;
        }
      } else {
        const light = 1 - 0.25 * (((x / width - 0.5) ** 2 + (y / height - 0.5) ** 2) * 2);
        const grain = 6 * Math.sin(x * 0.05 + Math.sin(y * 0.01 + seed) * 3);
        for (let c = 0; c < 3; c++) data[o + c] = Math.max(0, Math.min(255, (desk[c] + grain) * light));
      }
    }
  }
  return { data, width, height };
}

/** The document's corners on the desk: centred, turned by `degrees`, keystoned by `keystone` (top edge narrower). */
function placement(degrees: number, keystone: number, aspect: number): Point[] {
  const halfW = 0.5 / 1.35, halfH = 0.5 / 1.45;
  const k = keystone / 2;
  const local: Point[] = [[-halfW * (1 - k), -halfH], [halfW * (1 - k), -halfH], [halfW, halfH], [-halfW, halfH]];
  const t = degrees * Math.PI / 180;
  const scale = 0.92; // room for the corners once turned
  return local.map(([x, y]): Point => {
    // Rotate in pixel space (x scaled by the canvas aspect), then back to fractions.
    const px = x * aspect, py = y;
    const rx = px * Math.cos(t) - py * Math.sin(t), ry = px * Math.sin(t) + py * Math.cos(t);
    return [0.5 + scale * rx / aspect, 0.5 + scale * ry];
  });
}

function canvasAspect(doc: Rgb): number {
  return (doc.width * 1.35) / (doc.height * 1.45);
}

async function deskPhoto(image: Uint8Array, seed: number, opts: { desk: number; degrees: number; keystone: number }) {
  const doc = await decode(await asScan(image));
  const photo = onDesk(doc, DESKS[opts.desk], placement(opts.degrees, opts.keystone, canvasAspect(doc)), seed);
  return photo;
}

/** Multiplies every channel (exposure), clamped: dim < 1 < bright. */
function exposure(img: Rgb, gain: number, lift = 0): Rgb {
  const data = new Uint8Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, img.data[i] * gain + lift));
  return { ...img, data };
}

/**
 * A specular highlight: a small elliptical blob that saturates to white at its core and fades
 * out, as a lamp reflected in a laminate does (about 1–2 % of the frame), placed off the MRZ.
 */
function highlight(img: Rgb, seed: number): Rgb {
  const data = img.data.slice();
  const cx = between(seed, 11, 0.3, 0.7) * img.width;
  const cy = between(seed, 12, 0.3, 0.45) * img.height;
  const rx = img.width * between(seed, 13, 0.06, 0.09);
  const ry = rx * 0.6;
  for (let y = Math.max(0, Math.floor(cy - ry * 2)); y < Math.min(img.height, cy + ry * 2); y++) {
    for (let x = Math.max(0, Math.floor(cx - rx * 2)); x < Math.min(img.width, cx + rx * 2); x++) {
      const d = Math.sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2);
      const a = d < 0.6 ? 1 : Math.max(0, 1 - (d - 0.6) / 1.0);
      if (a <= 0) continue;
      const o = (y * img.width + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = Math.round(data[o + c] * (1 - a) + 255 * a);
    }
  }
  return { ...img, data };
}

/**
 * Specimens published on the web are often small (600–900 px wide); a scan at 300 dpi of a
 * passport page (125 mm) is about 1,500 px wide, and a phone photo more. Each specimen is first
 * resampled to that width, so resolution is not what the evaluation measures.
 */
export const SCAN_WIDTH = 1500;

export async function asScan(image: Uint8Array): Promise<Uint8Array> {
  const meta = await sharp(image).metadata();
  if ((meta.width ?? 0) >= SCAN_WIDTH) return image;
  const out = await sharp(image).rotate().resize({ width: SCAN_WIDTH, kernel: "lanczos3" }).png().toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export const CONDITIONS: Condition[] = [
  { name: "clean", apply: (image) => asScan(image) },
  {
    name: "desk_dark",
    apply: async (image, seed) => encode(await deskPhoto(image, seed, { desk: 0, degrees: 0, keystone: 0 }), 88),
  },
  {
    name: "desk_white",
    apply: async (image, seed) => encode(await deskPhoto(image, seed, { desk: 2, degrees: 0, keystone: 0 }), 88),
  },
  {
    name: "rotated_5_15",
    apply: async (image, seed) => {
      const sign = seeded(seed, 1) < 0.5 ? -1 : 1;
      const degrees = sign * between(seed, 2, 5, 15);
      return encode(await deskPhoto(image, seed, { desk: 1, degrees, keystone: 0 }), 85);
    },
  },
  {
    name: "perspective_10",
    apply: async (image, seed) => {
      const degrees = between(seed, 3, -4, 4);
      return encode(await deskPhoto(image, seed, { desk: 3, degrees, keystone: between(seed, 4, 0.06, 0.1) }), 85);
    },
  },
  {
    name: "jpeg_60",
    apply: async (image, seed) =>
      encode(await deskPhoto(image, seed, { desk: 1, degrees: between(seed, 5, -3, 3), keystone: 0 }), 60),
  },
  {
    name: "dim",
    apply: async (image, seed) =>
      encode(
        exposure(await deskPhoto(image, seed, { desk: 0, degrees: between(seed, 6, -3, 3), keystone: 0 }), 0.45),
        80,
      ),
  },
  {
    name: "bright",
    apply: async (image, seed) =>
      encode(
        exposure(await deskPhoto(image, seed, { desk: 2, degrees: between(seed, 7, -3, 3), keystone: 0 }), 1.2, 30),
        80,
      ),
  },
  {
    name: "specular_highlight",
    apply: async (image, seed) =>
      encode(
        highlight(await deskPhoto(image, seed, { desk: 1, degrees: between(seed, 8, -3, 3), keystone: 0 }), seed),
        85,
      ),
  },
];
