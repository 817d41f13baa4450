/**
 * Owns which engines the live checks call: the on-premises face, OCR and barcode engines, each
 * loaded on first use. Injected through CoreDeps so a test can wrap one (e.g. to fail once).
 */
import { type BarcodeEngine, createBarcodeEngine } from "../engines/barcode.ts";
import { createFaceEngine, type FaceEngine } from "../engines/face.ts";
import { createOcrEngine, type OcrEngine } from "../engines/ocr.ts";

export interface VerificationEngines {
  face(): Promise<FaceEngine>;
  ocr(): Promise<OcrEngine>;
  barcode(): Promise<BarcodeEngine>;
}

export const ON_PREMISES_ENGINES: VerificationEngines = {
  face: createFaceEngine,
  ocr: createOcrEngine,
  barcode: createBarcodeEngine,
};
