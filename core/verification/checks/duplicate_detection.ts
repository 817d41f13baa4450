/**
 * Owns the duplicate_detection check: earlier sessions of the organisation (same environment)
 * with the same document number, email, phone, name and date of birth, or a face similar enough.
 */
import { FACE_DESCRIPTOR_MODEL } from "../../engines/face_similarity.ts";
import { type CheckModule, reason } from "../check.ts";
import { findIdentifierMatches, findSimilarFaces, identifierDigests, type IdentifierKind } from "../identifiers.ts";

interface DuplicateInputs {
  matches: { session_id: string; matched_on: string[]; face_similarity: number | null }[];
}

export const duplicateDetection: CheckModule<DuplicateInputs> = {
  policy: "duplicate_detection",
  version: 1,
  async gather({ deps, evidence, options }) {
    const matchOn = new Set(options.match_on as string[]);
    const extraction = await evidence.extraction();
    const digests = Object.fromEntries(
      Object.entries(identifierDigests(deps.indexKey, extraction.data, evidence.claims()))
        .filter(([kind]) => matchOn.has(kind)),
    );
    const bySession = new Map<string, DuplicateInputs["matches"][number]>();
    const entry = (id: string) => {
      if (!bySession.has(id)) bySession.set(id, { session_id: id, matched_on: [], face_similarity: null });
      return bySession.get(id)!;
    };
    for (const match of await findIdentifierMatches(deps.db, evidence.scope, evidence.session.id, digests)) {
      entry(match.session_id).matched_on.push(match.kind);
    }
    const versions = [...extraction.versions];
    if (matchOn.has("face")) {
      const faces = await evidence.faces();
      const face = faces.selfie ?? faces.document;
      if (face && faces.versions) {
        versions.push(faces.versions);
        const engine = await evidence.engines.face();
        const similar = await findSimilarFaces(
          deps,
          evidence.scope,
          evidence.session.id,
          { embedding: face.embedding, model: FACE_DESCRIPTOR_MODEL },
          engine.similarity,
          options.face_similarity_threshold as number,
        );
        for (const match of similar) {
          const e = entry(match.session_id);
          e.matched_on.push("face");
          e.face_similarity = match.similarity;
        }
      }
    }
    return { inputs: { matches: [...bySession.values()] }, versions };
  },
  decide({ matches }) {
    const matchedOn = [...new Set(matches.flatMap((m) => m.matched_on))] as (IdentifierKind | "face")[];
    return {
      status: matches.length ? "failed" : "passed",
      score: null,
      reasons: matches.length
        ? [reason("duplicate", `${matches.length} earlier session(s) share: ${matchedOn.join(", ")}.`)]
        : [],
      outputs: { matches: matches.map((m) => ({ ...m })), matched_on: matchedOn, match_count: matches.length },
    };
  },
};
