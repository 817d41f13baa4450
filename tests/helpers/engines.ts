/**
 * Owns the engine stubs tests inject through `deps.engines`: the real on-premises engines with
 * the face engine's `detect` wrapped, to make it fail or to hold a run open at a chosen moment.
 */
import { ON_PREMISES_ENGINES, type VerificationEngines } from "../../core/verification/engines.ts";
import type { FaceEngine } from "../../core/engines/face.ts";

export function withWrappedFaceDetect(
  wrap: (detect: FaceEngine["detect"]) => FaceEngine["detect"],
): VerificationEngines {
  return {
    ...ON_PREMISES_ENGINES,
    face: async () => {
      const engine = await ON_PREMISES_ENGINES.face();
      return {
        versions: engine.versions,
        similarity: engine.similarity,
        detect: wrap((bytes, options) => engine.detect(bytes, options)),
      };
    },
  };
}
