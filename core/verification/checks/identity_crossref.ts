/** Owns the identity_crossref check: what the applicant entered (or was pre-filled) against what the document says. */
import { type CheckModule, reason, skipped } from "../check.ts";
import { normalizeText, textSimilarity } from "../text_match.ts";

interface Comparison {
  field: string;
  similarity: number;
  /** Names are compared fuzzily, dates and numbers exactly. */
  fuzzy: boolean;
}

const NAME_FIELDS = new Set(["first_name", "last_name"]);

function addressLine(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const a = value as Record<string, unknown>;
    return [a.line1, a.city, a.state, a.zip].filter((v) => typeof v === "string" && v).join(" ") || null;
  }
  return null;
}

export const identityCrossref: CheckModule<{ comparisons: Comparison[] }> = {
  policy: "identity_crossref",
  version: 1,
  async gather({ evidence, options }) {
    const extraction = await evidence.extraction();
    const claims = evidence.claims();
    const extracted = extraction.data as Record<string, unknown>;
    const comparisons: Comparison[] = [];
    for (const field of options.fields as string[]) {
      const claimed = field === "address" ? addressLine(claims.address) : claims[field];
      const read = field === "address" ? addressLine(extracted.address) : extracted[field];
      if (typeof claimed !== "string" || typeof read !== "string" || !claimed || !read) continue;
      const fuzzy = NAME_FIELDS.has(field) || field === "address";
      const similarity = fuzzy
        ? Math.round(textSimilarity(claimed, read) * 1000) / 1000
        : normalizeText(claimed).replace(/ /g, "") === normalizeText(read).replace(/ /g, "")
        ? 1
        : 0;
      comparisons.push({ field, similarity, fuzzy });
    }
    return { inputs: { comparisons }, versions: extraction.versions };
  },
  decide({ comparisons }, options) {
    if (comparisons.length === 0) {
      return skipped(
        "nothing_to_compare",
        "The applicant entered none of the compared fields, or the document did not show them.",
        {
          mismatched_fields: [],
        },
      );
    }
    const threshold = options.name_similarity_threshold as number;
    const mismatched = comparisons.filter((c) => c.similarity < (c.fuzzy ? threshold : 1)).map((c) => c.field);
    return {
      status: mismatched.length ? "failed" : "passed",
      score: Math.min(...comparisons.map((c) => c.similarity)),
      reasons: mismatched.length
        ? [
          reason(
            "identity_mismatch",
            `What the applicant entered differs from the document on: ${mismatched.join(", ")}.`,
          ),
        ]
        : [],
      outputs: { mismatched_fields: mismatched, compared_fields: comparisons.map((c) => c.field) },
    };
  },
};
