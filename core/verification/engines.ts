/**
 * Owns which engines the live checks call. ON_PREMISES_ENGINES, the default, runs the face, OCR and
 * barcode engines in one sandbox subprocess with network permission denied (so no model code can
 * reach the network, even by mistake); IN_PROCESS_ENGINES are the same engines loaded in this
 * process, for the sandbox itself and for benchmarks that measure the raw calls. Injected through
 * CoreDeps so a test can wrap one (e.g. to fail once).
 */
import { type BarcodeEngine, createBarcodeEngine } from "../engines/barcode.ts";
import { createFaceEngine, type FaceEngine } from "../engines/face.ts";
import { faceSimilarity } from "../engines/face_similarity.ts";
import { createOcrEngine, type OcrEngine } from "../engines/ocr.ts";
import { createEngineSandbox, type EngineSandbox, type EngineSandboxOptions } from "../engines/sandbox/host.ts";
import { remoteEngine, type RemoteEngineSpec } from "../engines/sandbox/remote_engine.ts";

export interface VerificationEngines {
  face(): Promise<FaceEngine>;
  ocr(): Promise<OcrEngine>;
  barcode(): Promise<BarcodeEngine>;
}

/** Loaded in this process, each on first use: what the sandbox runs inside, and the benchmarks' baseline. */
export const IN_PROCESS_ENGINES: VerificationEngines = {
  face: createFaceEngine,
  ocr: createOcrEngine,
  barcode: createBarcodeEngine,
};

// The engines' async methods cross to the sandbox; their synchronous ones are model-free and run here.
const FACE: RemoteEngineSpec<FaceEngine> = { forwarded: { detect: true }, local: { similarity: faceSimilarity } };
const OCR: RemoteEngineSpec<OcrEngine> = { forwarded: { readMrz: true, readText: true, close: true }, local: {} };
const BARCODE: RemoteEngineSpec<BarcodeEngine> = { forwarded: { readPdf417: true }, local: {} };

const SANDBOX_ENTRY = new URL("./engine_sandbox_main.ts", import.meta.url);

export interface SandboxedEngines extends VerificationEngines {
  readonly sandbox: EngineSandbox;
  /** Ends the sandbox once in-flight calls are answered. */
  close(): Promise<void>;
}

/**
 * The three engines behind one sandbox (one per worker process: the models load once). Nothing
 * starts until the first engine is asked for.
 */
export function createSandboxedEngines(options: Partial<EngineSandboxOptions> = {}): SandboxedEngines {
  const sandbox = createEngineSandbox({ entry: SANDBOX_ENTRY, ...options });
  return {
    sandbox,
    face: loadOnce(() => remoteEngine(sandbox, "face", FACE)),
    ocr: loadOnce(() => remoteEngine(sandbox, "ocr", OCR)),
    barcode: loadOnce(() => remoteEngine(sandbox, "barcode", BARCODE)),
    close: () => sandbox.close(),
  };
}

/**
 * The default for code given no engines: one sandbox per process, never closed, which is safe
 * because an idle sandbox holds no reference on the event loop and exits when its stdin (this
 * process) goes away. Composition roots create their own, to close it on shutdown.
 */
export const ON_PREMISES_ENGINES: VerificationEngines = createSandboxedEngines();

/** Shares one load; a failed load is forgotten so the next call tries again. */
function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let shared: Promise<T> | undefined;
  return () =>
    shared ??= load().catch((error) => {
      shared = undefined;
      throw error;
    });
}
