/**
 * Owns finding the machine-readable zone in a photo: ink found by a local (adaptive) threshold, the
 * text's skew measured from it (the angle at which the rows of ink line up best), the image turned
 * straight, and the MRZ told from the other text as the bottom-most run of two or three long,
 * evenly spaced lines of the same height. What it returns is straight, cropped grey pixels of each
 * MRZ line and of the whole band, ready for a recogniser.
 */
import sharp from "sharp";
import { openImage, type PixelBox, type Region, toRaw } from "./engine_image.ts";

export interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface MrzLineImage {
  /** The line's pixels (grey), straightened, with a margin of about half a line height. */
  grey: Grey;
  /** Ink height in pixels of `grey`. */
  inkHeight: number;
}

export interface LocatedMrz {
  /** The MRZ lines top to bottom (two or three), empty when no MRZ-shaped block was found. */
  lines: MrzLineImage[];
  /** The whole band (all lines and a margin), or, when no band was found, the bottom of the document. */
  band: Grey;
  /** Degrees the image was turned to make the text horizontal. */
  skewDegrees: number;
  /** Where the analysed region sits in the oriented image. */
  crop: PixelBox;
}

/** Analysis width: MRZ glyphs of a framed document stay 12+ px tall, and a pass over it costs a few ms. */
const WORK_WIDTH = 1600;
/** Skew searched (degrees): phone photos of a document on a desk are rarely turned more. */
const MAX_SKEW = 20;
/** A pixel is ink when this much darker than the mean of its neighbourhood. */
const INK_CONTRAST = 18;

/** The image as straight grey pixels at the analysis width, and the skew that was removed. */
async function straightened(bytes: Uint8Array, region?: Region): Promise<{ grey: Grey; skew: number; crop: PixelBox }> {
  const { pipeline, crop } = await openImage(bytes, region);
  const raw = await toRaw(pipeline.greyscale().resize({ width: WORK_WIDTH }).toColourspace("b-w"));
  const grey = { data: raw.data, width: raw.width, height: raw.height };
  const skew = estimateSkew(inkMask(grey), grey.width, grey.height);
  if (Math.abs(skew) < 0.2) return { grey, skew: 0, crop };
  const paper = percentile(grey.data, 0.9);
  const turned = await toRaw(
    sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
      .rotate(-skew, { background: { r: paper, g: paper, b: paper } })
      .toColourspace("b-w"),
  );
  return { grey: { data: turned.data, width: turned.width, height: turned.height }, skew, crop };
}

export async function locateMrz(bytes: Uint8Array, region?: Region): Promise<LocatedMrz> {
  const { grey, skew, crop } = await straightened(bytes, region);
  const mask = inkMask(grey);
  const rows = textRows(mask, grey.width, grey.height);
  const group = mrzGroup(rows, grey.width);
  if (!group) {
    // No MRZ-shaped block: the bottom 45 % of the document, where every ICAO layout puts it.
    const top = Math.round(grey.height * 0.55);
    return {
      lines: [],
      band: cropGrey(grey, { x: 0, y: top, width: grey.width, height: grey.height - top }),
      skewDegrees: skew,
      crop,
    };
  }
  const height = median(group.map((r) => r.y1 - r.y0));
  const left = Math.max(0, Math.min(...group.map((r) => r.x0)) - height);
  const right = Math.min(grey.width, Math.max(...group.map((r) => r.x1)) + height);
  const lines = group.map((r) => {
    const margin = Math.round(height * 0.45);
    const y = Math.max(0, r.y0 - margin);
    const box = { x: left, y, width: right - left, height: Math.min(grey.height, r.y1 + margin) - y };
    return { grey: cropGrey(grey, box), inkHeight: r.y1 - r.y0 };
  });
  const bandTop = Math.max(0, group[0].y0 - height);
  const bandBottom = Math.min(grey.height, group.at(-1)!.y1 + height);
  const band = cropGrey(grey, { x: left, y: bandTop, width: right - left, height: bandBottom - bandTop });
  return { lines, band, skewDegrees: skew, crop };
}

export function cropGrey(grey: Grey, box: PixelBox): Grey {
  const data = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.y + y) * grey.width + box.x;
    data.set(grey.data.subarray(from, from + box.width), y * box.width);
  }
  return { data, width: box.width, height: box.height };
}

/**
 * Ink: darker by INK_CONTRAST than the mean of a window about two glyphs wide (from an integral
 * image), so uneven light, a dim photo or a tinted security background do not turn into ink.
 */
export function inkMask(grey: Grey): Uint8Array {
  const { data, width, height } = grey;
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += data[y * width + x];
      integral[(y + 1) * (width + 1) + x + 1] = integral[y * (width + 1) + x + 1] + rowSum;
    }
  }
  const r = Math.max(8, Math.round(width / 80));
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r), y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r), x1 = Math.min(width, x + r + 1);
      const sum = integral[y1 * (width + 1) + x1] - integral[y0 * (width + 1) + x1] - integral[y1 * (width + 1) + x0] +
        integral[y0 * (width + 1) + x0];
      const mean = sum / ((x1 - x0) * (y1 - y0));
      if (data[y * width + x] < mean - INK_CONTRAST) mask[y * width + x] = 1;
    }
  }
  return mask;
}

/**
 * The text's slope in degrees (positive: falling to the right, as y grows downwards), found as the
 * angle at which ink projected onto rows is most concentrated:
 * text lines then fall into few rows (the classic projection-profile deskew). Coarse 1° steps,
 * then 0.1° around the best.
 */
export function estimateSkew(mask: Uint8Array, width: number, height: number): number {
  // Sample ink points (at most ~60k) so the search stays cheap on a busy photo.
  const points: number[] = [];
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i];
  const step = Math.max(1, Math.floor(count / 60_000));
  let k = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x] && k++ % step === 0) points.push(x, y);
    }
  }
  if (points.length < 200) return 0;
  const score = (degrees: number) => {
    const t = degrees * Math.PI / 180;
    const sin = Math.sin(t), cos = Math.cos(t);
    const offset = width * Math.abs(sin) + 1;
    const bins = new Float64Array(Math.ceil(height + 2 * offset) + 2);
    for (let i = 0; i < points.length; i += 2) {
      bins[Math.round(points[i + 1] * cos - points[i] * sin + offset)]++;
    }
    let sum = 0;
    for (const b of bins) sum += b * b;
    return sum;
  };
  let best = 0;
  let bestScore = -1;
  for (let d = -MAX_SKEW; d <= MAX_SKEW; d += 1) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  const coarse = best;
  for (let d = coarse - 1; d <= coarse + 1.0001; d += 0.1) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  // Rows y' = y·cos − x·sin are level when the text's slope is tan(best): turning by −best straightens it.
  return Math.round(best * 10) / 10;
}

interface TextRow {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  /** Ink starts (0→1) per pixel of the row's extent: high for text, low for a rule or a photo edge. */
  density: number;
}

/** Runs of rows crossing ink often enough to be text, with the run's horizontal extent. */
export function textRows(mask: Uint8Array, width: number, height: number): TextRow[] {
  const starts = new Uint32Array(height);
  for (let y = 0; y < height; y++) {
    let n = 0;
    for (let x = 1; x < width; x++) if (mask[y * width + x] && !mask[y * width + x - 1]) n++;
    starts[y] = n;
  }
  const minStarts = 12;
  const rows: TextRow[] = [];
  let y0 = -1;
  for (let y = 0; y <= height; y++) {
    const text = y < height && starts[y] >= minStarts;
    if (text && y0 < 0) y0 = y;
    if (!text && y0 >= 0) {
      if (y - y0 >= 5) rows.push(extent(mask, width, y0, y, starts));
      y0 = -1;
    }
  }
  return rows;
}

function extent(mask: Uint8Array, width: number, y0: number, y1: number, starts: Uint32Array): TextRow {
  const columns = new Uint16Array(width);
  for (let y = y0; y < y1; y++) for (let x = 0; x < width; x++) columns[x] += mask[y * width + x];
  // The row's text spans from the first to the last column with ink, bridging gaps up to two line
  // heights (spaces between words, `<` runs) but not the open paper beside a short line.
  const gap = 2 * (y1 - y0);
  let best = { x0: 0, x1: 0 };
  let x0 = -1;
  let last = -1;
  for (let x = 0; x <= width; x++) {
    const ink = x < width && columns[x] > 0;
    if (ink) {
      if (x0 < 0 || x - last > gap) {
        if (x0 >= 0 && last - x0 > best.x1 - best.x0) best = { x0, x1: last + 1 };
        x0 = x;
      }
      last = x;
    }
  }
  if (x0 >= 0 && last - x0 > best.x1 - best.x0) best = { x0, x1: last + 1 };
  let total = 0;
  for (let y = y0; y < y1; y++) total += starts[y];
  const density = total / (y1 - y0) / Math.max(1, best.x1 - best.x0);
  return { y0, y1, ...best, density };
}

/**
 * The MRZ among the text rows: from the bottom, the first run of 2–3 rows of like height (±60 %),
 * closely spaced (gap under 2.5 heights) and of the same extent (every MRZ line is printed to
 * full length, fillers included, so their ends line up within a line height or two). A TD1 has
 * three lines, TD2/TD3 two; mrz.ts decides which from the text.
 */
export function mrzGroup(rows: TextRow[], width: number): TextRow[] | null {
  // Text has many ink starts per pixel; a desk edge, a guilloche or a photo has few.
  const long = rows.filter((r) => r.x1 - r.x0 >= width * 0.15 && r.y1 - r.y0 >= 5 && r.density >= 0.03);
  const alike = (a: TextRow, b: TextRow) => {
    const h = Math.max(a.y1 - a.y0, b.y1 - b.y0);
    const ha = a.y1 - a.y0, hb = b.y1 - b.y0;
    // One end may run into something beside the line (a card edge, a photo); the other lines up.
    const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
    return b.y0 - a.y1 <= 2.5 * h && ha <= hb * 1.6 && hb <= ha * 1.6 &&
      (Math.abs(a.x0 - b.x0) <= 2.5 * h || Math.abs(a.x1 - b.x1) <= 2.5 * h) &&
      overlap >= 0.75 * Math.min(a.x1 - a.x0, b.x1 - b.x0);
  };
  for (let end = long.length - 1; end >= 1; end--) {
    const group = [long[end]];
    for (let i = end - 1; i >= 0 && group.length < 3 && alike(long[i], group[0]); i--) group.unshift(long[i]);
    if (group.length >= 2) return group;
  }
  return null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(data: Uint8Array, p: number): number {
  const histogram = new Uint32Array(256);
  for (const v of data) histogram[v]++;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen >= p * data.length) return v;
  }
  return 255;
}

/** PNG bytes of grey pixels (what a recogniser is handed). */
export async function greyPng(grey: Grey): Promise<Uint8Array> {
  const png = await sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
    .png({ compressionLevel: 1 }).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
