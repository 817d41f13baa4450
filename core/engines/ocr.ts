/**
 * Owns tesseract.js: one worker per process, loaded from the `eng` language data inside
 * @tesseract.js-data/eng and the wasm inside tesseract.js-core, that reads the machine-readable
 * zone of a document photo as raw text lines, and the printed text of a document's front (to
 * cross-check it against the MRZ or barcode). Repairing and parsing MRZ lines is core/engines/mrz.ts.
 */
import { createRequire } from "node:module";
import sharp from "sharp";
import Tesseract from "tesseract.js";
import { AppError } from "../errors.ts";
import { openImage, type PixelBox, type Region, toRaw } from "./engine_image.ts";
import { type Grey, greyPng, type LocatedMrz, locateMrz, otsuThreshold } from "./mrz_band.ts";
import { malformedFields, MRZ_NAME_FIELD, mrzLayoutClasses, parseMrz, repairMrz } from "./mrz.ts";
import { installedPackage, packageFile } from "./npm_package.ts";
import { type CharacterCell, createPaddleRecogniser, type LineRecogniser } from "./paddle_text.ts";
import type { EngineVersions } from "./versions.ts";

/**
 * Where the MRZ is when the caller knows no better: the bottom 45 % of a cropped document. A TD3
 * passport page's two lines sit in its bottom quarter, a TD1 card's three in its bottom 40 %; lines
 * of other text caught above them are dropped by the layout match in mrz.ts.
 */
export const DEFAULT_MRZ_REGION: Region = { left: 0, top: 0.55, width: 1, height: 0.45 };

/**
 * Glyph size tesseract is given: each text line's ink is scaled to this height. Calibrated on 48
 * rendered documents (TD3 and TD1, 700–2400 px wide, tightly and loosely framed; the fixtures of
 * tests/engines/): lines 19–28 px tall read best. Scaling by measured line height gave 35 of 48
 * exact after repair and no wrong reading that passes (the other 13 fail a check or are reported
 * ambiguous); a fixed 900 or 1000 px band width gave 32–33 exact and 2–3 misread names (names
 * have no check digit). Binarising first (Otsu) cut raw exact reads from 14 of 24 to 1 (lost `<`
 * runs, Z read as 7), so the band stays greyscale and tesseract binarises it itself.
 */
export const MRZ_LINE_HEIGHT = 22;
/** When no text line can be measured: a band this wide puts a full-width MRZ near that height. */
const FALLBACK_BAND_WIDTH = 900;
/** The measuring copy: enough resolution to find lines, and the source of the final resize. */
const PROBE_MAX_WIDTH = 1800;
const MRZ_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
/**
 * Printed fields of a document front: uppercase names, numbers, dates ("12 AUG 1974", "08/12/1974",
 * "1974-08-12"), addresses. Mixed-case labels come out as uppercase noise around them, which the
 * cross-check ignores: it looks for the MRZ/barcode values in the text.
 */
const PRINTED_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /-,.<";
/**
 * Printed text is read from a copy at most this wide. Calibrated on the generated fronts of
 * tests/helpers/identity_documents.ts (1600 px documents, field values 3–4 mm tall, the text block
 * most of the width): 500–800 px read every name and number, 1000 px began splitting numbers
 * ("XK482 1937"). Time grows with width: warm on two cores, 270–380 ms at 500–560 px, 430–640 ms
 * at 700, 450–800 ms at 1000. At 560 px the values' capitals are ~16 px tall; much less and
 * tesseract starts to guess. Crop to the text block (the `region`) so the values stay that big.
 */
export const PRINTED_TEXT_MAX_WIDTH = 560;
const LANGUAGE_DATA = "4.0.0_best_int";

export interface MrzRead {
  /** Text lines as the recogniser printed them (whitelisted characters, no spaces), top to bottom. */
  lines: string[];
  /** The recogniser's mean confidence, 0–100; not used by the repair. */
  confidence: number;
  /** The region that was analysed, in pixels of the oriented image. */
  band: PixelBox;
  /** Degrees the text was turned to read it level. */
  skew_degrees: number;
  /** Whether an MRZ-shaped block of lines was found (else the bottom of the image was read). */
  located: boolean;
}

/**
 * Which recogniser reads the MRZ lines. `paddle` (PP-OCRv4 rec, default) reads `<` runs as `<`;
 * tesseract's `eng` data reads them as K/L and splits one `<` into `<K` (eval/documents.ts has
 * the numbers). Printed text (readText) stays on tesseract.
 */
export type MrzRecogniser = "paddle" | "tesseract";
export const DEFAULT_MRZ_RECOGNISER: MrzRecogniser = "paddle";

export interface TextRead {
  /** Lines top to bottom, runs of spaces collapsed; only PRINTED_CHARACTERS (uppercase). */
  text: string;
  /** tesseract's mean confidence, 0–100. */
  confidence: number;
}

export interface OcrEngine {
  /** Reads the text in `region` (default DEFAULT_MRZ_REGION). Throws AppError `image_unreadable`. */
  readMrz(imageBytes: Uint8Array, region?: Region): Promise<MrzRead>;
  /**
   * Reads printed text (a document front's fields) in `region` (default: the whole image) as one
   * block. Throws AppError `image_unreadable`.
   */
  readText(imageBytes: Uint8Array, region?: Region): Promise<TextRead>;
  readonly versions: EngineVersions;
  /** Ends the worker thread; the next createOcrEngine() starts a new one. */
  close(): Promise<void>;
}

const shared = new Map<MrzRecogniser, Promise<OcrEngine>>();

/** One shared engine (a pool of one tesseract worker) per process and recogniser; jobs queue on it. */
export function createOcrEngine(options: { mrzRecogniser?: MrzRecogniser } = {}): Promise<OcrEngine> {
  const recogniser = options.mrzRecogniser ?? DEFAULT_MRZ_RECOGNISER;
  let engine = shared.get(recogniser);
  if (!engine) {
    engine = load(recogniser).catch((error) => {
      shared.delete(recogniser);
      throw error;
    });
    shared.set(recogniser, engine);
  }
  return engine;
}

/**
 * Crop, greyscale, contrast stretch, then scale so the MRZ lines (the bottom-most text lines of
 * the band) are MRZ_LINE_HEIGHT px tall, whatever the photo's resolution or framing.
 */
export async function prepareMrzBand(
  imageBytes: Uint8Array,
  region: Region = DEFAULT_MRZ_REGION,
): Promise<{ png: Uint8Array; band: PixelBox; scale: number }> {
  const { pipeline, crop } = await openImage(imageBytes, region);
  const probe = await toRaw(
    pipeline.greyscale().normalise().resize({ width: PROBE_MAX_WIDTH, withoutEnlargement: true }).toColourspace("b-w"),
  );
  const lineHeight = textLineHeight(probe.data, probe.width, probe.height);
  const width = Math.round(
    Math.min(4000, Math.max(400, lineHeight ? probe.width * MRZ_LINE_HEIGHT / lineHeight : FALLBACK_BAND_WIDTH)),
  );
  const png = await sharp(probe.data, { raw: { width: probe.width, height: probe.height, channels: 1 } })
    .resize({ width, kernel: "lanczos3" })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength), band: crop, scale: width / crop.width };
}

/**
 * Median height of the last (up to) three text lines, or null when the band has none. A text row
 * crosses between ink and paper many times (an MRZ line: 30–44 characters, several crossings
 * each); a row through a desk, a shadow or the document's edge crosses a few times, so rows are
 * told apart by crossings of Otsu's threshold, not by how dark they are.
 */
export function textLineHeight(grey: Uint8Array, width: number, height: number): number | null {
  const threshold = otsuThreshold(grey);
  const minCrossings = 30;
  const runs: number[] = [];
  let start = -1;
  for (let y = 0; y <= height; y++) {
    let crossings = 0;
    if (y < height) {
      let dark = grey[y * width] < threshold;
      for (let x = 1, i = y * width + 1; x < width; x++, i++) {
        const d = grey[i] < threshold;
        if (d !== dark) crossings++;
        dark = d;
      }
    }
    const text = crossings >= minCrossings;
    if (text && start < 0) start = y;
    if (!text && start >= 0) {
      if (y - start >= 4) runs.push(y - start);
      start = -1;
    }
  }
  const last = runs.slice(-3).sort((a, b) => a - b);
  return last.length ? last[Math.floor(last.length / 2)] : null;
}

/** Crop, greyscale, contrast stretch, and shrink to at most PRINTED_TEXT_MAX_WIDTH. */
export async function preparePrintedText(imageBytes: Uint8Array, region?: Region): Promise<Uint8Array> {
  const { pipeline } = await openImage(imageBytes, region);
  const grey = await toRaw(
    pipeline.greyscale().normalise().resize({ width: PRINTED_TEXT_MAX_WIDTH, withoutEnlargement: true })
      .toColourspace("b-w"),
  );
  const png = await sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** How many of a reading's check digits hold after repair, less half per malformed field (−1: no MRZ shape). */
function score(lines: string[]): number {
  const repaired = repairMrz(lines);
  if (!repaired) return -1;
  // A field that shows no printed form was misread even where its check digit holds.
  return Object.values(parseMrz(repaired).checks).filter(Boolean).length - 0.5 * malformedFields(repaired).length;
}

function checksHeld(lines: string[]): "all" | "some" {
  const repaired = repairMrz(lines);
  return repaired && parseMrz(repaired).valid && !malformedFields(repaired).length ? "all" : "some";
}

/**
 * What a cell of each layout class may hold. A look-alike outside it (a `0` read where only letters
 * may be) is not counted for its twin: on the corpus that turned more right letters into wrong ones
 * (the model's T read as 7, so Z) than it mended; mrz.ts repairs the classic confusions instead.
 */
const CELL_ALPHABETS: Record<string, string> = {
  A: "ABCDEFGHIJKLMNOPQRSTUVWXYZ<",
  N: "0123456789<",
  X: MRZ_CHARACTERS,
};

/**
 * The located lines read one character per cell, each cell restricted to what its position in the
 * layout may hold (a date has digits only). Null when the band's cells were not measured or fit no
 * layout.
 */
async function readCells(
  paddle: LineRecogniser,
  located: LocatedMrz,
): Promise<{ lines: string[]; confidence: number; nameLine: number } | null> {
  const grid = located.grid;
  const layout = grid && mrzLayoutClasses(located.lines.length, grid.cells);
  if (!grid || !layout) return null;
  const lines: string[] = [];
  let confidence = 0;
  for (const [i, line] of located.lines.entries()) {
    const cells: CharacterCell[] = [...layout.classes[i]].map((cls, k) => ({
      from: grid.firstCell + k * grid.cellWidth,
      to: grid.firstCell + (k + 1) * grid.cellWidth,
      alphabet: CELL_ALPHABETS[cls],
    }));
    const read = await paddle.recogniseCells(line.grey, cells);
    lines.push(read.text);
    confidence += read.confidence / located.lines.length;
  }
  return { lines, confidence: Math.round(100 * confidence), nameLine: MRZ_NAME_FIELD[layout.format].line };
}

function nearestMrzLength(length: number): number {
  return [30, 36, 44].reduce((best, l) => (Math.abs(l - length) < Math.abs(best - length) ? l : best));
}

async function load(mrzRecogniser: MrzRecogniser): Promise<OcrEngine> {
  const tesseractPkg = installedPackage("tesseract.js");
  const langPkg = installedPackage("@tesseract.js-data/eng");
  const langPath = `${langPkg.dir}/${LANGUAGE_DATA}`;
  packageFile(langPkg, `${LANGUAGE_DATA}/eng.traineddata.gz`);
  const corePkgJson = createRequire(`${tesseractPkg.dir}/package.json`).resolve("tesseract.js-core/package.json");
  const coreVersion = String(JSON.parse(Deno.readTextFileSync(corePkgJson)).version);

  const start = async () => {
    const worker = await Tesseract.createWorker(
      "eng",
      Tesseract.OEM.LSTM_ONLY,
      {
        // A local directory is read with fs; a URL (the default is jsdelivr) would be fetched.
        langPath,
        gzip: true,
        // "none": never write eng.traineddata into the working directory, never read one from there.
        cacheMethod: "none",
      },
      // Init-only: an MRZ has no words, so the dictionaries only pull readings towards English.
      { load_system_dawg: "0", load_freq_dawg: "0" },
    );
    await worker.setParameters({
      tessedit_char_whitelist: MRZ_CHARACTERS,
      tessedit_pageseg_mode: Tesseract.PSM.SINGLE_BLOCK,
      // The band's PNG carries no density; without this tesseract warns and assumes 70 dpi.
      user_defined_dpi: "300",
    });
    whitelist = MRZ_CHARACTERS;
    return worker;
  };

  // The one worker serves both reads; only the whitelist differs, switched when the next job
  // needs the other one (both read a single block, PSM 6).
  let whitelist = MRZ_CHARACTERS;
  let worker: Promise<Tesseract.Worker> | undefined = start();
  await worker;
  let queue: Promise<unknown> = Promise.resolve();

  const recognize = (png: Uint8Array, characters: string): Promise<Tesseract.Page> => {
    const run = queue.then(async () => {
      worker ??= start();
      try {
        const w = await worker;
        if (whitelist !== characters) {
          await w.setParameters({ tessedit_char_whitelist: characters });
          whitelist = characters;
        }
        return (await w.recognize(png)).data;
      } catch (error) {
        // A dead worker is replaced on the next call; this one is reported as a transient failure.
        const dead = worker;
        worker = undefined;
        await dead?.then((w) => w.terminate()).catch(() => {});
        throw new AppError("service_unavailable", `OCR failed: ${error instanceof Error ? error.message : error}`);
      }
    });
    queue = run.catch(() => {});
    return run;
  };

  const paddle = mrzRecogniser === "paddle" ? await createPaddleRecogniser() : null;
  const readWithTesseract = async (png: Uint8Array, region?: Region) => {
    const { png: scaled } = await prepareMrzBand(png, region ?? { left: 0, top: 0, width: 1, height: 1 });
    const data = await recognize(scaled, MRZ_CHARACTERS);
    const lines = data.text.split("\n").map((line) => line.replace(/\s+/g, "")).filter(Boolean);
    return { lines, confidence: data.confidence };
  };

  /**
   * tesseract on the straightened band as a block, and, when that fails its check digits, on the
   * bottom of the image as read before the band was located (a tight band can lose a line).
   */
  const tesseractRead = async (imageBytes: Uint8Array, region: Region | undefined, band: Grey) => {
    const banded = await readWithTesseract(await greyPng(band));
    if (checksHeld(banded.lines) === "all") return banded;
    const bottom = await readWithTesseract(imageBytes, region ?? DEFAULT_MRZ_REGION);
    return score(bottom.lines) > score(banded.lines) ? bottom : banded;
  };

  /** PP-OCRv4's free (best path) reading of each located line; a line that lost glyphs is tesseract's. */
  const freeRead = async (recogniser: LineRecogniser, located: LocatedMrz) => {
    const read = [];
    for (const line of located.lines) read.push(await recogniser.recognise(line.grey, MRZ_CHARACTERS));
    const lines = read.map((r) => r.text);
    // MRZ lines have fixed lengths: a line that lost glyphs (PP-OCRv4 drops some on wide-set
    // fonts) is detectably wrong, and tesseract's reading of the same line is taken instead.
    const length = nearestMrzLength(Math.max(...lines.map((l) => l.length)));
    for (const [i, line] of located.lines.entries()) {
      if (lines[i].length >= length - 2) continue;
      const other = (await readWithTesseract(await greyPng(line.grey))).lines.sort((a, b) => b.length - a.length)[0];
      if (other && Math.abs(other.length - length) < Math.abs(lines[i].length - length)) lines[i] = other;
    }
    return {
      lines: lines.filter(Boolean),
      confidence: Math.round(100 * read.reduce((s, r) => s + r.confidence, 0) / read.length),
    };
  };

  return {
    versions: {
      engine: "ocr",
      library: `tesseract.js@${tesseractPkg.version}`,
      runtime: {
        "tesseract.js-core": coreVersion,
        psm: "6",
        oem: "lstm",
        line_height: String(MRZ_LINE_HEIGHT),
        mrz_recogniser: paddle ? paddle.versions.library : "tesseract",
      },
      models: [
        `@tesseract.js-data/eng@${langPkg.version}/${LANGUAGE_DATA}/eng.traineddata.gz`,
        ...(paddle ? [paddle.versions.model] : []),
      ],
    },
    async readMrz(imageBytes, region) {
      const located = await locateMrz(imageBytes, region);
      const meta = { band: located.crop, skew_degrees: located.skewDegrees, located: located.lines.length > 0 };
      const cellRead = paddle && await readCells(paddle, located);
      if (cellRead && checksHeld(cellRead.lines) === "all") {
        return { lines: cellRead.lines, confidence: cellRead.confidence, ...meta };
      }
      if (paddle && located.lines.length) {
        // The cells' reading fails a check digit somewhere (or the cells were not measured): the
        // model's free reading of the same lines, then tesseract's of the band, are weighed against
        // it by the check digits they satisfy.
        // Names have no check digit, and tesseract (which the free reading falls back to for a
        // line that lost glyphs) reads a run of fillers as K and L: whichever reading's data lines
        // win, the name line stays the cells' reading when there is one.
        const withCellNames = (read: { lines: string[]; confidence: number }) => {
          if (!cellRead) return read;
          const lines = [...read.lines];
          const at = lines.length - cellRead.lines.length + cellRead.nameLine;
          if (at >= 0) lines[at] = cellRead.lines[cellRead.nameLine];
          return { ...read, lines };
        };
        let best = cellRead ? { lines: cellRead.lines, confidence: cellRead.confidence } : null;
        const free = withCellNames(await freeRead(paddle, located));
        if (checksHeld(free.lines) === "all") return { ...free, ...meta };
        if (!best || score(free.lines) > score(best.lines)) best = free;
        const other = withCellNames(await tesseractRead(imageBytes, region, located.band));
        return { ...(score(other.lines) > score(best.lines) ? other : best), ...meta };
      }
      // No line layout to hand a line recogniser (or tesseract chosen).
      return { ...(await tesseractRead(imageBytes, region, located.band)), ...meta };
    },
    async readText(imageBytes, region) {
      const data = await recognize(await preparePrintedText(imageBytes, region), PRINTED_CHARACTERS);
      const lines = data.text.split("\n").map((line) => line.replace(/\s+/g, " ").trim()).filter(Boolean);
      return { text: lines.join("\n"), confidence: data.confidence };
    },
    async close() {
      const current = worker;
      worker = undefined;
      shared.delete(mrzRecogniser);
      await queue;
      await current?.then((w) => w.terminate());
    },
  };
}
