/**
 * Owns comparing two face descriptors without any model: the calibrated similarity (0–1) that
 * face_match, duplicate detection and face lists threshold, and the id of the descriptor model that
 * tags stored templates. Pure and synchronous, so it runs wherever the embeddings are (the API, the
 * worker, or beside an engine subprocess).
 */

/**
 * The descriptor behind every embedding the face engine returns: stored templates carry it, and
 * embeddings of different models are never compared (their spaces are unrelated).
 */
export const FACE_DESCRIPTOR_MODEL = "@vladmandic/face-api@1.7.15/face_recognition_model";
/** The tag of templates made before issue #14 by human's faceres; kept only to recognise them. */
export const LEGACY_FACE_DESCRIPTOR_MODEL = "@vladmandic/human@3.3.6";
/** Length of a dlib ResNet descriptor. */
export const FACE_DESCRIPTOR_LENGTH = 128;

/**
 * Euclidean distance between two dlib descriptors → similarity, as points (distance, score)
 * joined by straight lines (monotone: a larger distance never scores higher). Fitted on the real
 * photo corpus so Verifa's documented thresholds keep their meaning; see docs/face-calibration.md
 * for the measurements behind each point.
 */
export const CALIBRATION: readonly (readonly [distance: number, score: number])[] = [
  [0, 1],
  // very_strict: 0.03 inside the closest impostor pair measured (0.481).
  [0.45, 0.6],
  // strict: just inside the closest impostor pair.
  [0.475, 0.5],
  // standard: FAR 0.9%, FRR 2.1% on the corpus.
  [0.564, 0.35],
  [1, 0],
];

/** Euclidean distance; descriptors of different lengths come from different models (Infinity). */
export function dlibDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

/**
 * The calibrated similarity of two dlib descriptors, rounded down to 0.001: 1 for identical ones, 0 for
 * unrelated ones or for embeddings of another model (another length), which never match.
 */
export function faceSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== FACE_DESCRIPTOR_LENGTH || b.length !== FACE_DESCRIPTOR_LENGTH) return 0;
  const distance = dlibDistance(a, b);
  for (let i = 1; i < CALIBRATION.length; i++) {
    const [d1, s1] = CALIBRATION[i];
    if (distance <= d1) {
      const [d0, s0] = CALIBRATION[i - 1];
      // Rounded down, so rounding never lifts a pair over a threshold (the epsilon absorbs float error at a point).
      return Math.floor(1000 * (s0 + (s1 - s0) * (distance - d0) / (d1 - d0)) + 1e-6) / 1000;
    }
  }
  return 0;
}

/**
 * human's own `match.similarity` with its defaults (squared distance × 25, its root mapped from
 * 0.2–0.8 onto 0–1, rounded to 0.01): the faceres scale used before issue #14, kept so the
 * evaluation can print the before numbers.
 */
export function faceresSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  const distance = Math.round(100 * 25 * sum) / 100;
  if (distance === 0) return 1;
  const score = (1 - Math.sqrt(distance) / 100 - 0.2) / 0.6;
  return Math.round(100 * Math.max(Math.min(score, 1), 0)) / 100;
}
