/**
 * Owns comparing two face descriptors without any model: the similarity score (0–1) that
 * face_match, duplicate detection and face lists threshold, and the id of the descriptor model that
 * tags stored templates. Pure and synchronous, so it runs wherever the embeddings are (the API, the
 * worker, or beside an engine subprocess).
 */

/**
 * The descriptor that produced today's embeddings; stored templates carry it, and embeddings of
 * different models are never compared (their spaces are unrelated).
 */
export const FACE_DESCRIPTOR_MODEL = "@vladmandic/human@3.3.6";

/**
 * human's own `match.similarity` with its defaults (squared Euclidean distance × 25, its root mapped
 * from the 0.2–0.8 range onto 0–1), rounded to 0.01: 1 for identical descriptors, 0 for unrelated
 * ones. Descriptors of different lengths come from different models and score 0.
 */
export function faceSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  const distance = Math.round(100 * 25 * sum) / 100;
  if (distance === 0) return 1;
  const score = (1 - Math.sqrt(distance) / 100 - 0.2) / 0.6;
  return Math.round(100 * Math.max(Math.min(score, 1), 0)) / 100;
}
