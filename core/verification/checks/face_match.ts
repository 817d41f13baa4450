/**
 * Owns the face_match check: the document's portrait against the selfie. Similarity is the
 * calibrated 0–1 score of the dlib descriptors (core/engines/face_similarity.ts), fitted on real
 * photographs so Verifa's documented thresholds hold on it (docs/face-calibration.md).
 */
import { type CheckModule, failed, reason, skipped } from "../check.ts";
import { type FaceEvidence } from "../evidence.ts";

/** Similarity needed per security level (Verifa's documented values); see docs/face-calibration.md. */
export const FACE_MATCH_THRESHOLDS = { standard: 0.35, strict: 0.5, very_strict: 0.6 } as const;
/** A liveness or anti-spoof score below this is a spoof (also the liveness check's default). */
export const LIVENESS_THRESHOLD = 0.5;

interface FaceInputs {
  document_face: boolean;
  selfie_face: boolean;
  similarity: number | null;
  liveness_score: number | null;
  antispoof_score: number | null;
}

export function faceInputs(faces: FaceEvidence): FaceInputs {
  return {
    document_face: faces.document !== null,
    selfie_face: faces.selfie !== null,
    similarity: faces.similarity,
    liveness_score: faces.selfie?.live ?? null,
    antispoof_score: faces.selfie?.real ?? null,
  };
}

export const faceMatch: CheckModule<FaceInputs> = {
  policy: "face_match",
  version: 1,
  async gather({ evidence }) {
    const faces = await evidence.faces();
    return { inputs: faceInputs(faces), versions: faces.versions ? [faces.versions] : [] };
  },
  decide(inputs, options) {
    const level = options.security_level as keyof typeof FACE_MATCH_THRESHOLDS;
    const threshold = FACE_MATCH_THRESHOLDS[level];
    const outputs = {
      similarity: inputs.similarity,
      threshold,
      security_level: level,
      liveness_score: inputs.liveness_score,
    };
    if (!inputs.document_face) return failed("no_document_face", "No portrait was found on the document.", outputs);
    if (!inputs.selfie_face) return failed("no_selfie_face", "No face was found in the selfie.", outputs);
    if (inputs.similarity === null) return skipped("no_comparison", "The faces could not be compared.", outputs);
    const reasons = [];
    if (inputs.similarity < threshold) {
      reasons.push(
        reason(
          "face_mismatch",
          `The selfie does not match the document portrait (${inputs.similarity} < ${threshold}).`,
        ),
      );
    }
    // Required liveness fails closed: a missing score is no evidence of a live person.
    const live = Math.min(inputs.liveness_score ?? 0, inputs.antispoof_score ?? 0);
    if (options.require_liveness && live < LIVENESS_THRESHOLD) {
      reasons.push(reason("liveness_failed", `The selfie does not look live (${live} < ${LIVENESS_THRESHOLD}).`));
    }
    return { status: reasons.length ? "failed" : "passed", score: inputs.similarity, reasons, outputs };
  },
};

export const liveness: CheckModule<FaceInputs> = {
  policy: "liveness",
  version: 1,
  gather: faceMatch.gather,
  decide(inputs, options) {
    const min = options.min_score as number;
    const outputs = { liveness_score: inputs.liveness_score, antispoof_score: inputs.antispoof_score };
    if (!inputs.selfie_face) return failed("no_selfie_face", "No face was found in the selfie.", outputs);
    const score = Math.min(inputs.liveness_score ?? 0, inputs.antispoof_score ?? 0);
    return {
      status: score >= min ? "passed" : "failed",
      score,
      reasons: score >= min
        ? []
        : [reason("liveness_failed", `Liveness ${score} is below ${min}: a photo of a photo or a screen?`)],
      outputs,
    };
  },
};
