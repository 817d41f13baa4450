/**
 * Owns the face engine: @vladmandic/human on the TensorFlow.js wasm backend finds faces (box,
 * score, age, anti-spoof and liveness), and @vladmandic/face-api's dlib ResNet describes each one
 * (the 128-d embedding face match compares); one instance per process, every model and wasm file
 * loaded from inside the installed packages.
 */
import { createRequire } from "node:module";
import { AppError } from "../errors.ts";
import { openImage, type PixelBox, type Region, toRaw } from "./engine_image.ts";
import { createDlibDescriber } from "./face_descriptor.ts";
import { FACE_DESCRIPTOR_MODEL, faceSimilarity } from "./face_similarity.ts";
import { installedPackage, packageFile } from "./npm_package.ts";
import type { EngineVersions } from "./versions.ts";

export interface FaceResult {
  /** In pixels of the oriented input image (not of the region). */
  box: PixelBox;
  /** Overall face confidence, 0–1 (detector and mesh). */
  score: number;
  /** dlib ResNet descriptor (128-d, FACE_DESCRIPTOR_MODEL); compare two with `similarity`. */
  embedding: number[];
  /** human's 1024-d faceres descriptor, only when asked for (`faceres` option: the evaluation's baseline). */
  faceres?: number[];
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
  /** Also report human's faceres descriptor, which the live checks no longer compare. */
  faceres?: boolean;
}

export interface FaceEngine {
  /** Faces found, largest first. Throws AppError `image_unreadable` for an undecodable image. */
  detect(imageBytes: Uint8Array, options?: FaceDetectOptions): Promise<FaceResult[]>;
  /**
   * `faceSimilarity` (face_similarity.ts): the calibrated 0–1 score of two embeddings, needing no
   * model. Thresholds belong to the caller.
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
  const modelFiles = Object.values(MODEL_FILES);
  for (const file of modelFiles) packageFile(humanPkg, `models/${file}`);
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
      // faceres gives the age; its 1024-d descriptor is only the evaluation's baseline now.
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
  // After human: face-api joins the tfjs engine human set to wasm.
  const dlib = await createDlibDescriber();
  // Templates are tagged with FACE_DESCRIPTOR_MODEL: another face-api version must get a new tag
  // (and a calibration), never silently share the old one.
  if (!FACE_DESCRIPTOR_MODEL.startsWith(`${dlib.version}/`)) {
    throw new AppError("internal_error", `${dlib.version} is installed; ${FACE_DESCRIPTOR_MODEL} was calibrated.`);
  }

  const versions: EngineVersions = {
    engine: "face",
    // human finds the faces and scores age and liveness; face-api's descriptor decides face match.
    library: `@vladmandic/human@${humanPkg.version}`,
    runtime: {
      descriptor: FACE_DESCRIPTOR_MODEL,
      tfjs: human.tf.version_core,
      backend: `wasm${human.env.wasm.simd ? "-simd" : ""}${human.env.wasm.multithread ? "-threads" : ""}`,
    },
    models: [...modelFiles, ...dlib.models],
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
    similarity: faceSimilarity,
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
        const image = dlib.tensor(pixels.data, pixels.height, pixels.width);
        try {
          const result = await human.detect(input);
          if (result.error) throw new AppError("internal_error", `Face detection failed: ${result.error}`);
          const described = [];
          for (const face of result.face) {
            const [x, y, width, height] = face.box;
            const descriptor = await dlib.describe(image, { x, y, width, height });
            if (descriptor) described.push({ face, descriptor });
          }
          return described;
        } finally {
          input.dispose();
          image.dispose();
        }
      });
      return faces
        .map(({ face, descriptor }): FaceResult => ({
          box: {
            x: Math.round(crop.x + face.box[0] * scale),
            y: Math.round(crop.y + face.box[1] * scale),
            width: Math.round(face.box[2] * scale),
            height: Math.round(face.box[3] * scale),
          },
          score: face.score,
          embedding: Array.from(descriptor),
          ...(options.faceres && face.embedding ? { faceres: Array.from(face.embedding) } : {}),
          age: face.age ?? null,
          real: face.real ?? null,
          live: face.live ?? null,
        }))
        .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    },
  };
}
