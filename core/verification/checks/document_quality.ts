/** Owns the document_quality check: every stored side sharp, glare-free, exposed and large enough to read. */
import { type CheckModule, reason, skipped } from "../check.ts";
import { measureDocumentLight } from "../../images/document_light.ts";

interface SideMeasure {
  side: "front" | "back";
  sharpness: number;
  /** Share of the document covered by specular highlights (document_light.ts), not of near-white pixels. */
  glare_fraction: number;
  /** The document's paper and ink levels (0–255), not the frame's mean: the desk is not judged. */
  paper_level: number;
  ink_level: number;
  short_side_px: number;
}

/** Paper darker than this is too dark to read (a dim photo of white paper is still ~100). */
const MIN_PAPER_LEVEL = 60;
/** Ink lighter than this has washed out: the text no longer stands off the paper. */
const MAX_INK_LEVEL = 190;

export const documentQuality: CheckModule<{ sides: SideMeasure[] }> = {
  policy: "document_quality",
  version: 2,
  async gather({ evidence }) {
    const sides: SideMeasure[] = [];
    for (const { side, report } of await evidence.quality()) {
      const bytes = await evidence.image(side === "front" ? "id_front" : "id_back");
      const light = bytes ? await measureDocumentLight(bytes) : { glare_fraction: 0, paper_level: 255, ink_level: 0 };
      sides.push({
        side,
        sharpness: report.sharpness.score,
        glare_fraction: light.glare_fraction,
        paper_level: light.paper_level,
        ink_level: light.ink_level,
        short_side_px: Math.min(report.resolution.width, report.resolution.height),
      });
    }
    return { inputs: { sides }, versions: [] };
  },
  decide({ sides }, options) {
    if (sides.length === 0) return skipped("no_document", "No document image was captured.");
    const minSharpness = options.min_sharpness as number;
    const maxGlare = options.max_glare_fraction as number;
    const minShort = options.min_short_side_px as number;
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
      if (s.paper_level < MIN_PAPER_LEVEL || s.ink_level > MAX_INK_LEVEL) {
        reasons.push(
          reason("exposure", `The ${s.side} is ${s.paper_level < MIN_PAPER_LEVEL ? "too dark" : "overexposed"}.`),
        );
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
        // The darkest side's paper level: what "exposure" means for a document.
        exposure_mean: Math.min(...sides.map((s) => s.paper_level)),
        short_side_px: Math.min(...sides.map((s) => s.short_side_px)),
        unreadable: reasons.length > 0,
      },
    };
  },
};
