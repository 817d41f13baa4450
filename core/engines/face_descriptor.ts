/**
 * Owns @vladmandic/face-api's dlib ResNet descriptor (128-d) on the shared TensorFlow.js wasm
 * backend: 68-point landmarks inside a face box found by the detector, the aligned crop they give,
 * and its descriptor. face-api's own SSD detector is loaded only for the evaluation's comparison.
 */
import { createRequire } from "node:module";
import { AppError } from "../errors.ts";
import type { PixelBox } from "./engine_image.ts";
import { installedPackage, packageFile } from "./npm_package.ts";

/** An RGB image as tfjs holds it, [height, width, 3] int32; created and disposed by the caller. */
export interface ImageTensor {
  readonly shape: number[];
  dispose(): void;
}

export interface DlibDescriber {
  /** The descriptor of the face in `box` (pixels of `image`), or null when no landmarks fit it. */
  describe(image: ImageTensor, box: PixelBox): Promise<Float32Array | null>;
  /** face-api's whole pipeline (its SSD detector first): the evaluation's reference, not the live path. */
  detectAndDescribe(image: ImageTensor): Promise<{ box: PixelBox; descriptor: Float32Array }[]>;
  tensor(rgb: Uint8Array, height: number, width: number): ImageTensor;
  readonly version: string;
  readonly models: string[];
}

const MODELS = {
  landmarks: "face_landmark_68_model",
  recognition: "face_recognition_model",
  detector: "ssd_mobilenetv1_model",
} as const;

/**
 * The landmark net was trained on face-api's SSD boxes (brow to chin, narrower than tall); human's
 * box is a larger square. Measured on the corpus's real photos (docs/face-calibration.md), the SSD
 * box is 0.56 × human's width and 0.68 × its height, centred 1% left and 3% above it; landmarks
 * inside human's raw box lose most of dlib's separation (ROC AUC 0.994 against 1.000).
 */
const FROM_HUMAN_BOX = { width: 0.56, height: 0.68, dx: -0.01, dy: -0.03 } as const;

// The slice of face-api's API used here; its typings drag in all of tfjs-core's.
interface Point {
  x: number;
  y: number;
}
interface Rect extends Point {
  width: number;
  height: number;
}
interface FaceApi {
  version: string;
  tf: {
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: "int32"): ImageTensor;
    getBackend(): string;
    dispose(x: unknown): void;
  };
  Rect: new (x: number, y: number, width: number, height: number) => Rect;
  SsdMobilenetv1Options: new (options: { minConfidence: number; maxResults: number }) => unknown;
  nets: Record<"faceLandmark68Net" | "faceRecognitionNet" | "ssdMobilenetv1", {
    loadFromDisk(dir: string): Promise<void>;
    detectLandmarks(input: ImageTensor): Promise<{ align(): Rect; shiftBy(x: number, y: number): { align(): Rect } }>;
    computeFaceDescriptor(input: ImageTensor): Promise<Float32Array>;
  }>;
  extractFaceTensors(image: ImageTensor, boxes: Rect[]): Promise<ImageTensor[]>;
  detectAllFaces(image: ImageTensor, options: unknown): {
    withFaceLandmarks(): {
      withFaceDescriptors(): Promise<{ detection: { box: Rect }; descriptor: Float32Array }[]>;
    };
  };
}

let shared: Promise<DlibDescriber> | undefined;

/** Loads once per process: the nets live in the process-global tfjs engine the face engine set up. */
export function createDlibDescriber(): Promise<DlibDescriber> {
  shared ??= load().catch((error) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function load(): Promise<DlibDescriber> {
  const pkg = installedPackage("@vladmandic/face-api");
  // Like human's, the wasm build requires @tensorflow/tfjs and -backend-wasm by name; from its own
  // location Node's resolver finds the copies human uses, so both libraries share one tfjs engine.
  const entry = packageFile(pkg, "dist/face-api.node-wasm.js");
  const faceapi = createRequire(entry)(entry) as FaceApi;
  if (faceapi.tf.getBackend() !== "wasm") {
    throw new AppError("internal_error", `face-api runs on ${faceapi.tf.getBackend()}, not wasm: load human first.`);
  }
  const modelDir = `${pkg.dir}/model`;
  for (const model of Object.values(MODELS)) packageFile(pkg, `model/${model}-weights_manifest.json`);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  let detectorLoaded: Promise<void> | undefined;

  const rect = (box: Rect) => ({
    x: Math.round(box.x),
    y: Math.round(box.y),
    width: Math.round(box.width),
    height: Math.round(box.height),
  });

  const descriptorOf = async (image: ImageTensor, aligned: Rect) => {
    const [face] = await faceapi.extractFaceTensors(image, [aligned]);
    try {
      return await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(face);
    } finally {
      face.dispose();
    }
  };

  return {
    version: `@vladmandic/face-api@${pkg.version}`,
    models: [MODELS.landmarks, MODELS.recognition],
    tensor: (rgb, height, width) => faceapi.tf.tensor3d(rgb, [height, width, 3], "int32"),
    async describe(image, box) {
      const [height, width] = image.shape;
      const w = box.width * FROM_HUMAN_BOX.width;
      const h = box.height * FROM_HUMAN_BOX.height;
      const cx = box.x + box.width * (0.5 + FROM_HUMAN_BOX.dx);
      const cy = box.y + box.height * (0.5 + FROM_HUMAN_BOX.dy);
      const x = Math.max(0, cx - w / 2);
      const y = Math.max(0, cy - h / 2);
      const region = new faceapi.Rect(x, y, Math.min(width - x, w), Math.min(height - y, h));
      if (region.width < 16 || region.height < 16) return null;
      const [crop] = await faceapi.extractFaceTensors(image, [region]);
      try {
        const landmarks = await faceapi.nets.faceLandmark68Net.detectLandmarks(crop);
        // Landmarks are in crop pixels; shifted into the image, their aligned box is where dlib looks.
        return await descriptorOf(image, landmarks.shiftBy(region.x, region.y).align());
      } finally {
        crop.dispose();
      }
    },
    async detectAndDescribe(image) {
      detectorLoaded ??= faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
      await detectorLoaded;
      const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 5 });
      const found = await faceapi.detectAllFaces(image, options).withFaceLandmarks().withFaceDescriptors();
      return found.map((f) => ({ box: rect(f.detection.box), descriptor: f.descriptor }));
    },
  };
}
