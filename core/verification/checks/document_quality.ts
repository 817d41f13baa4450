/** Owns the document_quality check: every stored side sharp, glare-free, exposed and large enough to read. */
import { type CheckModule, reason, skipped } from "../check.ts";
import { QUALITY_THRESHOLDS } from "../../images/image_pipeline.ts";

interface SideMeasure {
  side: "front" | "back";
  sharpness: number;
  glare_fraction: number;
  exposure_mean: number;
  short_side_px: number;
}

export const documentQuality: CheckModule<{ sides: SideMeasure[] }> = {
  policy: "document_quality",
  version: 1,
  async gather({ evidence }) {
    const sides = (await evidence.quality()).map(({ side, report }) => ({
      side,
      sharpness: report.sharpness.score,
      glare_fraction: report.glare.fraction,
      exposure_mean: report.exposure.mean,
      short_side_px: Math.min(report.resolution.width, report.resolution.height),
    }));
    return { inputs: { sides }, versions: [] };
  },
  decide({ sides }, options) {
    if (sides.length === 0) return skipped("no_document", "No document image was captured.");
    const minSharpness = options.min_sharpness as number;
    const maxGlare = options.max_glare_fraction as number;
    const minShort = options.min_short_side_px as number;
    const { min: darkest, max: brightest } = QUALITY_THRESHOLDS.exposure;
    const reasons = [];
    for (const s of sides) {
      if (s.sharpness < minSharpness) {
        reasons.push(
          reason("blurry", `The ${s.side} is too blurry to read (sharpness ${s.sharpness} < ${minSharpness}).`),
        );
      }
      if (s.glare_fraction > maxGlare) {
        reasons.push(reason("glare", `Glare covers ${Math.round(s.glare_fraction * 100)} % of the ${s.side}.`));
      }
      if (s.exposure_mean < darkest || s.exposure_mean > brightest) {
        reasons.push(reason("exposure", `The ${s.side} is ${s.exposure_mean < darkest ? "too dark" : "overexposed"}.`));
      }
      if (s.short_side_px < minShort) {
        reasons.push(
          reason("low_resolution", `The ${s.side} is ${s.short_side_px} px on its short side (< ${minShort}).`),
        );
      }
    }
    const sharpness = Math.min(...sides.map((s) => s.sharpness));
    return {
      status: reasons.length ? "failed" : "passed",
      score: Math.round(Math.min(1, sharpness / (minSharpness * 4)) * 100) / 100,
      reasons,
      outputs: {
        sharpness,
        glare_fraction: Math.max(...sides.map((s) => s.glare_fraction)),
        exposure_mean: Math.min(...sides.map((s) => s.exposure_mean)),
        short_side_px: Math.min(...sides.map((s) => s.short_side_px)),
        unreadable: reasons.length > 0,
      },
    };
  },
};
