/**
 * Owns the benchmarks' stand-in for a phone-camera photo of an ID document: a 4032×3024 (12 MP)
 * JPEG of about 1.5 MB at quality 85, stored landscape with EXIF orientation 6 as phones write a
 * portrait shot. Deterministic (seeded), so every run measures the same bytes.
 */
import { Buffer } from "node:buffer";
import sharp from "sharp";

export const PHOTO_WIDTH = 4032;
export const PHOTO_HEIGHT = 3024;
export const PHOTO_QUALITY = 85;
/** EXIF orientation 6: the pixels must be turned 90° clockwise to display upright. */
export const PHOTO_ORIENTATION = 6;
/**
 * Sensor-noise amplitude (grey levels, uniform ±, so σ ≈ 5.5) calibrated so the file lands near 1.5 MB: noise
 * is what makes a real photo's JPEG large, and gradients alone compress to a few hundred KB.
 */
const NOISE_AMPLITUDE = 9.5;

/** mulberry32: a tiny seeded PRNG, so the photo is the same bytes in every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lighting falloff and a warm-to-cool gradient across the frame: a table under a lamp. */
function background(width: number, height: number): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  const cx = width * 0.45;
  const cy = height * 0.55;
  const maxR2 = cx * cx + cy * cy;
  let i = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const light = 1 - 0.55 * ((dx * dx + dy * dy) / maxR2); // vignette
      const u = x / width;
      const v = y / height;
      // A wooden-table-ish texture: low-frequency bands.
      const grain = 12 * Math.sin(u * 37 + Math.sin(v * 9) * 3) + 6 * Math.sin(v * 91 + u * 5);
      const r = (150 + 50 * u + grain) * light;
      const g = (115 + 30 * v + grain * 0.8) * light;
      const b = (85 + 40 * (1 - u) + grain * 0.5) * light;
      pixels[i++] = r;
      pixels[i++] = g;
      pixels[i++] = b;
    }
  }
  return pixels;
}

/** A passport data page held slightly askew: card, photo box, printed fields, an MRZ. */
function documentOverlay(width: number, height: number): string {
  const lines = [
    ["Type / Type", "P"],
    ["Surname / Nom", "LOVELACE"],
    ["Given names / Prénoms", "ADA AUGUSTA"],
    ["Nationality / Nationalité", "BRITISH CITIZEN"],
    ["Date of birth / Date de naissance", "10 DEC 1985"],
    ["Place of birth / Lieu de naissance", "LONDON"],
    ["Date of expiry / Date d'expiration", "10 DEC 2031"],
  ];
  const fields = lines.map(([label, value], i) =>
    `<text x="1180" y="${300 + i * 150}" font-family="DejaVu Sans" font-size="38" fill="#5a6170">${label}</text>` +
    `<text x="1180" y="${
      355 + i * 150
    }" font-family="DejaVu Sans" font-weight="bold" font-size="56" fill="#1d2230">${value}</text>`
  ).join("");
  const mrz = [
    "P&lt;GBRLOVELACE&lt;&lt;ADA&lt;AUGUSTA&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;",
    "1234567897GBR8512106F3112100&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;00",
  ]
    .map((line, i) =>
      `<text x="160" y="${1690 + i * 120}" font-family="DejaVu Sans Mono" font-size="92" fill="#111">${line}</text>`
    ).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs>
    <linearGradient id="paper" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#efe7d6"/><stop offset="0.5" stop-color="#e4dccb"/><stop offset="1" stop-color="#d2cab8"/>
    </linearGradient>
    <radialGradient id="face" cx="0.5" cy="0.4" r="0.6">
      <stop offset="0" stop-color="#c89a7c"/><stop offset="1" stop-color="#6b4b3a"/>
    </radialGradient>
  </defs>
  <g transform="translate(520 430) rotate(-3)">
    <rect x="0" y="0" width="3000" height="2000" rx="60" fill="url(#paper)" stroke="#8a8070" stroke-width="6"/>
    <rect x="0" y="0" width="3000" height="160" rx="60" fill="#7b1e2b" opacity="0.85"/>
    <text x="160" y="110" font-family="DejaVu Serif" font-size="72" fill="#f4e9d0">UNITED KINGDOM OF GREAT BRITAIN — PASSPORT</text>
    <rect x="160" y="260" width="860" height="1100" fill="#b8c4cc"/>
    <ellipse cx="590" cy="700" rx="270" ry="340" fill="url(#face)"/>
    <rect x="300" y="1000" width="580" height="360" rx="180" fill="#2f3b4a"/>
    <circle cx="2600" cy="1150" r="220" fill="none" stroke="#9a6f8a" stroke-width="14" opacity="0.6"/>
    ${fields}
    ${mrz}
  </g>
  <ellipse cx="3700" cy="2700" rx="600" ry="420" fill="#e9c3a5" opacity="0.9"/>
</svg>`;
}

/** The photo's JPEG bytes (about 1.5 MB); takes a second or two, so call it once per run. */
export async function makePhonePhoto(seed = 3): Promise<Uint8Array> {
  const width = PHOTO_WIDTH;
  const height = PHOTO_HEIGHT;
  // The scene is drawn upright (portrait) and then stored rotated, as a phone held upright does.
  const upright = await sharp(background(height, width), { raw: { width: height, height: width, channels: 3 } })
    .composite([{ input: Buffer.from(documentOverlay(height, width)), top: 0, left: 0 }])
    // Optics: the lens softens edges slightly, so text and card borders are not razor sharp.
    .blur(0.8)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Sensor noise over everything, as in any photo: it is what makes a phone JPEG large.
  const random = prng(seed);
  const pixels = new Uint8ClampedArray(upright.data.buffer, upright.data.byteOffset, upright.data.byteLength);
  for (let i = 0; i < pixels.length; i++) pixels[i] += (random() * 2 - 1) * NOISE_AMPLITUDE;
  // Stored landscape: undo orientation 6 (turn 90° counter-clockwise) and record 6 in EXIF.
  // Only the geometry: composite marks its raw output premultiplied, and passing that flag back in
  // would "unpremultiply" by the blue channel.
  const { width: w, height: h, channels } = upright.info;
  const jpeg = await sharp(upright.data, { raw: { width: w, height: h, channels } })
    .rotate(270)
    .jpeg({ quality: PHOTO_QUALITY, chromaSubsampling: "4:2:0" })
    .withMetadata({ orientation: PHOTO_ORIENTATION })
    .toBuffer();
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}
