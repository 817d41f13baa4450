/**
 * Owns how light falls on a document in a stored photo, as the document_quality check judges it:
 * glare as specular highlights (small blobs that saturate above the paper around them, not a white
 * page or a white desk), and exposure judged on the document's own paper and ink (the middle of the
 * frame, where a capture puts the document), not on the desk around it.
 */
import sharp from "sharp";
import { MAX_PIXELS } from "./image_pipeline.ts";

export interface DocumentLight {
  /** Share of the document area (middle of the frame) covered by specular highlights, 0–1. */
  glare_fraction: number;
  /** The document's paper level (90th percentile of its grey levels), 0–255. */
  paper_level: number;
  /** The document's ink level (2nd percentile), 0–255: near the paper level means washed out. */
  ink_level: number;
}

/** Analysis copy: highlights of a few per cent of the frame stay dozens of pixels wide. */
const ANALYSIS_SIDE = 800;
/** The middle of the frame taken as the document: 70 % of each side. */
const DOCUMENT_SHARE = 0.7;
/** Saturated: what a sensor clips to under a lamp's reflection. */
const SATURATED = 250;
/** A highlight's halo: this much brighter than the paper, around a saturated core. */
const HALO = 12;
/**
 * A saturated region larger than this share of the frame is a white page, a desk or a washed-out
 * area, not a highlight (a lamp's reflection on a laminate covers 1–3 % of a document photo).
 */
const MAX_HIGHLIGHT_SHARE = 0.05;
/**
 * A lamp's reflection clips the sensor: most of its core is flat white (≥ CLIPPED), where a bright
 * print or a washed-out patch of the specimen photos hovers at 250–253 (measured on the corpus:
 * highlights 0.77–0.90 of the core clipped; printed and washed patches 0.02–0.12, or with a hard edge).
 */
const CLIPPED = 254;
const MIN_CLIPPED_SHARE = 0.6;
/**
 * And it fades into the paper: the mean step across its boundary is small (corpus highlights 2–11
 * grey levels), where a white patch of the print ends at an edge (19–99; one washed area 12, and
 * larger than a highlight).
 */
const MAX_EDGE_STEP = 16;
/** Below this a saturated speck is noise or a printed white detail. */
const MIN_HIGHLIGHT_SHARE = 0.0005;

export async function measureDocumentLight(stored: Uint8Array): Promise<DocumentLight> {
  const { data, info } = await sharp(stored, { limitInputPixels: MAX_PIXELS })
    .rotate()
    .resize({ width: ANALYSIS_SIDE, height: ANALYSIS_SIDE, fit: "inside", withoutEnlargement: true })
    .greyscale()
    .toColourspace("b-w")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return documentLight(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
}

export function documentLight(grey: Uint8Array, width: number, height: number): DocumentLight {
  const x0 = Math.round(width * (1 - DOCUMENT_SHARE) / 2), x1 = width - x0;
  const y0 = Math.round(height * (1 - DOCUMENT_SHARE) / 2), y1 = height - y0;
  const histogram = new Uint32Array(256);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) histogram[grey[y * width + x]]++;
  const area = (x1 - x0) * (y1 - y0);
  const paper = level(histogram, area, 0.9);
  // Text covers a few per cent of a page: the 2nd percentile is ink wherever there is any.
  const ink = level(histogram, area, 0.02);
  return {
    glare_fraction: round(highlightArea(grey, width, height, paper) / area),
    paper_level: paper,
    ink_level: ink,
  };
}

function level(histogram: Uint32Array, total: number, p: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen >= p * total) return v;
  }
  return 255;
}

/**
 * Pixels of saturated blobs (connected, 4-neighbour) of highlight size, with the halo brighter
 * than the paper around each, that look like a reflection: a clipped core fading into the paper.
 * A page whose paper itself is saturated (a white scan) has no highlight a camera could show, and
 * its white area is one large region anyway.
 */
function highlightArea(grey: Uint8Array, width: number, height: number, paper: number): number {
  if (paper >= SATURATED - 2) return 0;
  const total = width * height;
  const seen = new Uint8Array(total);
  const stack: number[] = [];
  let covered = 0;
  for (let start = 0; start < total; start++) {
    if (seen[start] || grey[start] < SATURATED) continue;
    // Flood the blob and its halo (brighter than the paper by HALO), counting its saturated core.
    let size = 0;
    let core = 0;
    let clipped = 0;
    let steps = 0;
    let stepSum = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      if (grey[i] >= SATURATED) core++;
      if (grey[i] >= CLIPPED) clipped++;
      const x = i % width;
      for (const j of [i - 1, i + 1, i - width, i + width]) {
        if (j < 0 || j >= total || (j === i - 1 && x === 0) || (j === i + 1 && x === width - 1)) continue;
        if (seen[j]) continue;
        if (grey[j] >= paper + HALO || grey[j] >= SATURATED) {
          seen[j] = 1;
          stack.push(j);
        } else {
          steps++;
          stepSum += grey[i] - grey[j];
        }
      }
    }
    const specular = clipped >= MIN_CLIPPED_SHARE * core && stepSum <= MAX_EDGE_STEP * Math.max(1, steps);
    if (specular && core >= MIN_HIGHLIGHT_SHARE * total && size <= MAX_HIGHLIGHT_SHARE * total) covered += size;
  }
  return covered;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
