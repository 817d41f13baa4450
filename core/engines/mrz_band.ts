/**
 * Owns finding the machine-readable zone in a photo and drawing it straight: ink found by a local
 * (adaptive) threshold, lines of glyphs found in it along any direction up to ±45° (text_lines.ts),
 * the MRZ told from the other text as the bottom-most run of two or three lines of 30–44 evenly
 * spaced character cells, and the band between its first and last lines mapped onto a rectangle
 * (a homography: rotation and perspective undone together) at a fixed cell width. What it returns
 * is straight grey pixels of each MRZ line and of the whole band, and where the character cells
 * fall in them, ready for a recogniser. Photos in which no glyph chain forms an MRZ fall back to
 * the older way: a projection-profile skew and rows of ink.
 */
import sharp from "sharp";
import { openImage, type PixelBox, type Region, toRaw } from "./engine_image.ts";
import { apply3, invert3, type Point, quadToQuad, warpGrey } from "./homography.ts";
import { findTextLines, type GlyphLine, lineFit } from "./text_lines.ts";

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
  /**
   * Where the character cells are in every line image (the band was rectified): `cells` cells of
   * `cellWidth` px, the first starting at x = `firstCell`. Null when the lines were cut from a
   * turned image by the profile method, whose cells are not measured.
   */
  grid: MrzGrid | null;
}

export interface MrzGrid {
  cells: number;
  cellWidth: number;
  firstCell: number;
}

/** Analysis width: MRZ glyphs of a framed document stay 12+ px tall, and a pass over it costs a few ms. */
const WORK_WIDTH = 1600;
/** The band is sampled from the image at up to this width: a far-off document keeps its detail. */
const SAMPLE_MAX_WIDTH = 3200;
/**
 * Text directions searched (degrees): a document held in one hand and photographed with the other
 * is often turned 20–30°, and text beyond 45° is as much vertical as horizontal.
 */
const MAX_SKEW = 45;
/** The profile method's search, which scores every angle: it stays within what it was calibrated on. */
const PROFILE_MAX_SKEW = 20;
/** A pixel is ink when this much darker than the mean of its neighbourhood. */
const INK_CONTRAST = 18;

export async function locateMrz(bytes: Uint8Array, region?: Region): Promise<LocatedMrz> {
  const { pipeline, crop } = await openImage(bytes, region);
  const sampled = await toRaw(
    pipeline.greyscale().resize({ width: SAMPLE_MAX_WIDTH, withoutEnlargement: true }).toColourspace("b-w"),
  );
  const source = { data: sampled.data, width: sampled.width, height: sampled.height };
  const work = await resizeGrey(source, WORK_WIDTH);
  const found = findTextLines(inkMask(work), work.width, work.height, { maxDegrees: MAX_SKEW, minGlyphs: 12 });
  const group = mrzLines(found.lines);
  if (group) return { ...rectify(source, work.width, found.degrees, group), crop };
  return { ...(await locateByProfile(work)), crop };
}

/** Grey pixels resized to `width` (up or down). */
async function resizeGrey(grey: Grey, width: number): Promise<Grey> {
  if (grey.width === width) return grey;
  const raw = await toRaw(
    sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } }).resize({ width })
      .toColourspace("b-w"),
  );
  return { data: raw.data, width: raw.width, height: raw.height };
}

/** Cells of a glyph line: how many character positions its first and last glyph span at its pitch. */
const cells = (line: GlyphLine) => (line.end - line.start) / line.pitch + 1;

/**
 * Lines that could be MRZ lines: 24–50 evenly spaced glyph positions (30, 36 or 44 printed), at
 * least half of them found as one glyph each, and most steps one pitch (a monospaced font).
 */
function mrzShaped(line: GlyphLine): boolean {
  const n = cells(line);
  if (n < 24 || n > 50 || line.glyphs.length < 0.5 * n) return false;
  let regular = 0;
  for (let i = 1; i < line.glyphs.length; i++) {
    const step = Math.hypot(line.glyphs[i].x - line.glyphs[i - 1].x, line.glyphs[i].y - line.glyphs[i - 1].y);
    if (Math.abs(step - line.pitch) <= 0.25 * line.pitch) regular++;
  }
  return regular >= 0.6 * (line.glyphs.length - 1);
}

/**
 * The MRZ among the lines: from the bottom, the first run of two or three MRZ-shaped lines of one
 * pitch (±12 %), about two and a half pitches apart, that start or end together (MRZ lines are
 * printed to full length, fillers included, and left-aligned).
 */
export function mrzLines(lines: GlyphLine[]): GlyphLine[] | null {
  const shaped = lines.filter(mrzShaped);
  const alike = (a: GlyphLine, b: GlyphLine) => {
    const pitch = Math.max(a.pitch, b.pitch);
    const spacing = b.offset - a.offset;
    return Math.abs(a.pitch - b.pitch) <= 0.12 * pitch && spacing >= 1.7 * pitch && spacing <= 3.4 * pitch &&
      (Math.abs(a.start - b.start) <= 2 * pitch || Math.abs(a.end - b.end) <= 2 * pitch);
  };
  for (let end = shaped.length - 1; end >= 1; end--) {
    const group = [shaped[end]];
    for (let i = end - 1; i >= 0 && group.length < 3; i--) {
      if (alike(shaped[i], group[0])) group.unshift(shaped[i]);
      else if (shaped[i].offset < group[0].offset - 3.4 * group[0].pitch) break;
    }
    if (group.length >= 2) return group;
  }
  return null;
}

/** Output scale of the rectified band: a character cell this wide puts capitals ~25 px tall in a 48 px line. */
const CELL_PX = 22;
/** Line images are this tall, the line centred: PP-OCRv4 rec's input height. */
const LINE_PX = 48;

/**
 * The MRZ drawn straight: the top and bottom lines' centre lines, from the first to the last
 * character cell, are the corners of a quadrilateral mapped (homography) onto a rectangle in which
 * every cell is CELL_PX wide — rotation and perspective undone at once — sampled from the
 * full-resolution grey image. The line whose span best fits the layout's length sets where the
 * cells start and end; glyphs another line has beyond them (a mark beside it) are left out of its fit.
 */
function rectify(source: Grey, workWidth: number, degrees: number, group: GlyphLine[]): Omit<LocatedMrz, "crop"> {
  const toSource = source.width / workWidth;
  const t = degrees * Math.PI / 180;
  const cos = Math.cos(t), sin = Math.sin(t);
  const along = (g: { x: number; y: number }) => g.x * cos + g.y * sin;
  const across = (g: { x: number; y: number }) => -g.x * sin + g.y * cos;
  const longest = Math.max(...group.map(cells));
  const length = group.length === 3
    ? 30
    : [30, 36, 44].reduce((best, l) => (Math.abs(l - longest) < Math.abs(best - longest) ? l : best));
  const reference = group.reduce((best, line) =>
    Math.abs(cells(line) - length) <= Math.abs(cells(best) - length) ? line : best
  );
  const u0 = reference.start, u1 = reference.end;
  const fits = group.map((line) => {
    const inside = line.glyphs.filter((g) => along(g) >= u0 - 0.6 * line.pitch && along(g) <= u1 + 0.6 * line.pitch);
    const fit = lineFit(inside, along, across);
    return (u: number) => fit.intercept + fit.slope * u;
  });
  const point = (u: number, v: number): Point => [(u * cos - v * sin) * toSource, (u * sin + v * cos) * toSource];
  const top = fits[0], bottom = fits.at(-1)!;
  const from: Point[] = [point(u0, top(u0)), point(u1, top(u1)), point(u1, bottom(u1)), point(u0, bottom(u0))];
  const scale = CELL_PX * (length - 1) / (u1 - u0);
  const middle = (u0 + u1) / 2;
  const spacing = (bottom(middle) - top(middle)) * scale / (group.length - 1);
  const margin = 2 * CELL_PX;
  const x0 = margin + CELL_PX / 2, x1 = margin + (length - 0.5) * CELL_PX;
  const firstY = LINE_PX, lastY = LINE_PX + spacing * (group.length - 1);
  const to: Point[] = [[x0, firstY], [x1, firstY], [x1, lastY], [x0, lastY]];
  const width = Math.round(2 * margin + length * CELL_PX);
  const height = Math.round(lastY + LINE_PX);
  const toBand = quadToQuad(from, to);
  const band = warpGrey(source, invert3(toBand), width, height, percentile(source.data, 0.9));
  const lines = fits.map((fit) => {
    const centre = apply3(toBand, point(middle, fit(middle)))[1];
    const y = Math.max(0, Math.min(height - LINE_PX, Math.round(centre - LINE_PX / 2)));
    return isolateLine(cropGrey(band, { x: 0, y, width, height: LINE_PX }), margin, width - margin);
  });
  const slope = (top(u1) - top(u0)) / (u1 - u0);
  return {
    lines,
    band,
    skewDegrees: Math.round((degrees + Math.atan(slope) * 180 / Math.PI) * 10) / 10,
    grid: { cells: length, cellWidth: CELL_PX, firstCell: margin },
  };
}

/**
 * A line image with only its own glyphs: the rows its glyphs span (from the row crossing most
 * glyphs out to where a row crosses under a tenth as many, or its ink runs long like a rule's) are
 * kept, and what lies beyond them by more than two pixels — a printed rule, an annotation's frame,
 * the next line's descenders — is painted paper, fading over three pixels. A line recogniser reads
 * a rule touching a line as part of it.
 */
function isolateLine(line: Grey, x0: number, x1: number): MrzLineImage {
  const threshold = otsuThreshold(line.data);
  const starts = new Float64Array(line.height);
  const dark = new Float64Array(line.height);
  for (let y = 0; y < line.height; y++) {
    for (let x = x0 + 1, i = y * line.width + x0 + 1; x < x1; x++, i++) {
      if (line.data[i] >= threshold) continue;
      dark[y]++;
      if (line.data[i - 1] >= threshold) starts[y]++;
    }
  }
  const middle = Math.floor(line.height / 2);
  let peak = middle;
  for (let y = Math.floor(line.height * 0.3); y < Math.ceil(line.height * 0.7); y++) {
    if (starts[y] > starts[peak]) peak = y;
  }
  const run = dark[peak] / Math.max(1, starts[peak]);
  const glyphRow = (y: number) => starts[y] >= 0.1 * starts[peak] && dark[y] <= 2.5 * run * starts[y];
  // Capitals are about 1.15 cells tall: nothing of this line lies much farther from its centre.
  const reach = Math.round(0.8 * CELL_PX);
  let top = peak, bottom = peak;
  while (top > Math.max(0, middle - reach) && glyphRow(top - 1)) top--;
  while (bottom < Math.min(line.height - 1, middle + reach) && glyphRow(bottom + 1)) bottom++;
  const paper = percentile(line.data, 0.9);
  const data = line.data.slice();
  const keepFrom = top - 2, keepTo = bottom + 2;
  for (let y = 0; y < line.height; y++) {
    const distance = y < keepFrom ? keepFrom - y : y > keepTo ? y - keepTo : 0;
    if (!distance) continue;
    const a = Math.min(1, distance / 3);
    for (let x = 0; x < line.width; x++) {
      const i = y * line.width + x;
      data[i] = Math.round(data[i] * (1 - a) + paper * a);
    }
  }
  return { grey: { ...line, data }, inkHeight: bottom - top + 1 };
}

/** The work image turned so its text is level (projection-profile skew), and the skew removed. */
async function straightened(grey: Grey): Promise<{ grey: Grey; skew: number }> {
  const skew = estimateSkew(inkMask(grey), grey.width, grey.height);
  if (Math.abs(skew) < 0.2) return { grey, skew: 0 };
  const paper = percentile(grey.data, 0.9);
  const turned = await toRaw(
    sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
      .rotate(-skew, { background: { r: paper, g: paper, b: paper } })
      .toColourspace("b-w"),
  );
  return { grey: { data: turned.data, width: turned.width, height: turned.height }, skew };
}

/**
 * The profile method, for photos in which no glyph chain forms an MRZ (glyphs merged into blobs):
 * the image turned level, and the MRZ as the bottom-most run of long text rows.
 */
async function locateByProfile(work: Grey): Promise<Omit<LocatedMrz, "crop">> {
  const { grey, skew } = await straightened(work);
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
      grid: null,
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
  return { lines, band, skewDegrees: skew, grid: null };
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
  for (let d = -PROFILE_MAX_SKEW; d <= PROFILE_MAX_SKEW; d += 1) {
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

/** Otsu's method on an 8-bit histogram: pixels below the returned level are ink, the rest paper. */
export function otsuThreshold(pixels: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const p of pixels) histogram[p]++;
  const total = pixels.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i];
  let sumBack = 0;
  let weightBack = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    weightBack += histogram[t];
    if (weightBack === 0) continue;
    const weightFore = total - weightBack;
    if (weightFore === 0) break;
    sumBack += t * histogram[t];
    const meanBack = sumBack / weightBack;
    const meanFore = (sumAll - sumBack) / weightFore;
    const between = weightBack * weightFore * (meanBack - meanFore) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  // Otsu's t is the last level of the dark class: the result is the first level counted as paper.
  return Math.min(255, threshold + 1);
}

/** PNG bytes of grey pixels (what a recogniser is handed). */
export async function greyPng(grey: Grey): Promise<Uint8Array> {
  const png = await sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
    .png({ compressionLevel: 1 }).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
