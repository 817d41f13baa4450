/**
 * Owns @vladmandic/human on the TensorFlow.js wasm backend: one instance per process, loaded from
 * the models and wasm files inside the installed packages, that finds faces and describes each with
 * a box, a score, a 1024-d embedding, an age and anti-spoof/liveness scores.
 */
import { createRequire } from "node:module";
import { AppError } from "../errors.ts";
import { openImage, type PixelBox, type Region, toRaw } from "./engine_image.ts";
import { installedPackage, packageFile } from "./npm_package.ts";
import type { EngineVersions } from "./versions.ts";

export interface FaceResult {
  /** In pixels of the oriented input image (not of the region). */
  box: PixelBox;
  /** Overall face confidence, 0–1 (detector and mesh). */
  score: number;
  /** faceres descriptor; compare two with `similarity`. */
  embedding: number[];
  /** Estimated age in years, or null when the description model gave none. */
  age: number | null;
  /** Anti-spoof model: near 1 a real face, near 0 a printed or on-screen one. */
  real: number | null;
  /** Liveness model: near 1 a live capture. */
  live: number | null;
}

export interface FaceDetectOptions {
  /** Look only inside this part of the image, e.g. the portrait on a document. */
  region?: Region;
}

export interface FaceEngine {
  /** Faces found, largest first. Throws AppError `image_unreadable` for an undecodable image. */
  detect(imageBytes: Uint8Array, options?: FaceDetectOptions): Promise<FaceResult[]>;
  /**
   * human's own `match.similarity` with its defaults (Euclidean distance × 25, mapped from the
   * 0.2–0.8 range onto 0–1): 1 for identical descriptors, 0 for unrelated ones, rounded to 0.01 by
   * human. Thresholds belong to the caller.
   */
  similarity(a: readonly number[], b: readonly number[]): number;
  readonly versions: EngineVersions;
}

/**
 * Larger inputs are shrunk before inference: blazeface looks at 256×256 whatever the input, and a
 * face filling a selfie stays far above the 224 px the description model crops to.
 */
export const FACE_MAX_SIDE = 1280;
/** A selfie has one face and a document at most a portrait and its ghost image; more is reported, not searched. */
const MAX_FACES = 5;
const MODEL_FILES = {
  detector: "blazeface.json",
  mesh: "facemesh.json",
  description: "faceres.json",
  antispoof: "antispoof.json",
  liveness: "liveness.json",
} as const;

let shared: Promise<FaceEngine> | undefined;

/** Loads once per process and shares the engine: the tfjs backend is process-global anyway. */
export function createFaceEngine(): Promise<FaceEngine> {
  shared ??= load().catch((error) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

// The slice of human's API used here; its bundled typings drag in all of tfjs-core's.
interface Tensor {
  dispose(): void;
}
interface HumanFace {
  box: [number, number, number, number];
  score: number;
  embedding?: number[];
  age?: number;
  real?: number;
  live?: number;
}
interface Human {
  version: string;
  config: unknown;
  env: { wasm: { simd?: boolean; multithread?: boolean } };
  tf: {
    tensor(values: Uint8Array, shape: number[], dtype: "int32"): Tensor;
    getBackend(): string;
    version_core: string;
  };
  load(): Promise<void>;
  detect(input: Tensor): Promise<{ face: HumanFace[]; error?: string | null }>;
  match: { similarity(a: readonly number[], b: readonly number[]): number };
}

async function load(): Promise<FaceEngine> {
  const humanPkg = installedPackage("@vladmandic/human");
  const wasmPkg = installedPackage("@tensorflow/tfjs-backend-wasm");
  // The wasm build requires @tensorflow/tfjs-core, -converter and -backend-wasm by name without
  // declaring them; required from its own location, Node's resolver finds them where Deno links a
  // package's undeclared dependencies (node_modules/.deno/node_modules), the copies that
  // @tensorflow/tfjs brings. One tfjs-core instance is checked below: wasm must be the backend.
  const entry = packageFile(humanPkg, "dist/human.node-wasm.js");
  const require = createRequire(entry);
  const { Human } = require(entry) as { Human: new (config: unknown) => Human };
  for (const file of Object.values(MODEL_FILES)) packageFile(humanPkg, `models/${file}`);
  packageFile(wasmPkg, "dist/tfjs-backend-wasm.wasm");

  const human = new Human({
    backend: "wasm",
    // Both default to jsdelivr; these keep every byte on the machine (tfjs reads the wasm with fs).
    wasmPath: `${wasmPkg.dir}/dist/`,
    modelBasePath: `file://${humanPkg.dir}/models/`,
    debug: false,
    async: true,
    // warmup() draws on a canvas, which Node has not; the first detect() pays the compile instead.
    warmup: "none",
    cacheModels: false,
    // No frame cache: each call is a different person's image, never the next frame of a video.
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: MODEL_FILES.detector,
        rotation: true,
        maxDetected: MAX_FACES,
        skipFrames: 0,
        skipTime: 0,
        return: false,
      },
      mesh: { enabled: true, modelPath: MODEL_FILES.mesh },
      iris: { enabled: false },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: true, modelPath: MODEL_FILES.description, skipFrames: 0, skipTime: 0 },
      antispoof: { enabled: true, modelPath: MODEL_FILES.antispoof, skipFrames: 0, skipTime: 0 },
      liveness: { enabled: true, modelPath: MODEL_FILES.liveness, skipFrames: 0, skipTime: 0 },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  });
  await human.load();
  if (human.tf.getBackend() !== "wasm") {
    throw new AppError("internal_error", `human chose the ${human.tf.getBackend()} backend, not wasm.`);
  }

  const versions: EngineVersions = {
    engine: "face",
    library: `@vladmandic/human@${humanPkg.version}`,
    runtime: {
      tfjs: human.tf.version_core,
      backend: `wasm${human.env.wasm.simd ? "-simd" : ""}${human.env.wasm.multithread ? "-threads" : ""}`,
    },
    models: Object.values(MODEL_FILES),
  };

  // human keeps per-instance state during a detect; one at a time, and the wasm backend is
  // single-threaded here, so queueing costs nothing.
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  return {
    versions,
    similarity: (a, b) => human.match.similarity(a, b),
    async detect(imageBytes, options = {}) {
      const { pipeline, crop } = await openImage(imageBytes, options.region);
      const pixels = await toRaw(
        pipeline
          .resize({ width: FACE_MAX_SIDE, height: FACE_MAX_SIDE, fit: "inside", withoutEnlargement: true })
          .removeAlpha()
          .toColourspace("srgb"),
      );
      const scale = crop.width / pixels.width;
      const faces = await serialize(async () => {
        const input = human.tf.tensor(pixels.data, [1, pixels.height, pixels.width, 3], "int32");
        try {
          const result = await human.detect(input);
          if (result.error) throw new AppError("internal_error", `Face detection failed: ${result.error}`);
          return result.face;
        } finally {
          input.dispose();
        }
      });
      return faces
        .filter((face) => face.embedding && face.embedding.length > 0)
        .map((face): FaceResult => ({
          box: {
            x: Math.round(crop.x + face.box[0] * scale),
            y: Math.round(crop.y + face.box[1] * scale),
            width: Math.round(face.box[2] * scale),
            height: Math.round(face.box[3] * scale),
          },
          score: face.score,
          embedding: Array.from(face.embedding!),
          age: face.age ?? null,
          real: face.real ?? null,
          live: face.live ?? null,
        }))
        .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    },
  };
}
