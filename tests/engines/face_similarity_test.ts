import assert from "node:assert/strict";
import {
  CALIBRATION,
  dlibDistance,
  FACE_DESCRIPTOR_LENGTH,
  faceresSimilarity,
  faceSimilarity,
} from "../../core/engines/face_similarity.ts";
import { FACE_MATCH_THRESHOLDS } from "../../core/verification/checks/face_match.ts";

/** A descriptor at exactly `distance` from the zero vector. */
const at = (distance: number) => [distance, ...new Array(FACE_DESCRIPTOR_LENGTH - 1).fill(0)];
const zero = at(0);

Deno.test("face similarity without a model", async (t) => {
  await t.step("the calibration points are monotone and give Verifa's thresholds their distances", () => {
    for (let i = 1; i < CALIBRATION.length; i++) {
      assert.ok(CALIBRATION[i][0] > CALIBRATION[i - 1][0]);
      assert.ok(CALIBRATION[i][1] < CALIBRATION[i - 1][1]);
    }
    const scores = CALIBRATION.map(([, s]) => s);
    for (const threshold of Object.values(FACE_MATCH_THRESHOLDS)) assert.ok(scores.includes(threshold));
    for (const [distance, score] of CALIBRATION) assert.equal(faceSimilarity(zero, at(distance)), score);
  });

  await t.step("identical is 1, far apart is 0, in between interpolated and never rising with distance", () => {
    assert.equal(faceSimilarity(zero, zero), 1);
    assert.equal(faceSimilarity(zero, at(1.4)), 0);
    let previous = 1;
    for (let d = 0; d <= 1.2; d += 0.01) {
      const score = faceSimilarity(zero, at(d));
      assert.ok(score <= previous && score >= 0, `${d}: ${score}`);
      previous = score;
    }
    // Between the strict (0.475 → 0.5) and standard (0.564 → 0.35) points.
    assert.equal(faceSimilarity(zero, at(0.52)), 0.424);
  });

  await t.step("embeddings of another model (another length) never match", () => {
    const faceres = new Array(1024).fill(0);
    assert.equal(faceSimilarity(faceres, faceres), 0);
    assert.equal(faceSimilarity(zero, faceres), 0);
    assert.equal(dlibDistance(zero, faceres), Infinity);
  });

  await t.step("human's faceres scale is kept for the evaluation's before numbers", () => {
    assert.equal(faceresSimilarity([0, 0], [0, 0]), 1);
    // distance² × 25 = 25 × 0.36 = 9 → (1 − 3/100 − 0.2) / 0.6 = 1.283 → clamped to 1.
    assert.equal(faceresSimilarity([0], [0.6]), 1);
    assert.equal(faceresSimilarity([0], [20]), 0);
  });
});
