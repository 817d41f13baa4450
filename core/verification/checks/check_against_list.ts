/**
 * Owns the check_against_list check: the session's identifiers (document number, name and date of
 * birth, email, phone, consent IP, countries, client fingerprints and location, face) against the
 * organisation's own lists — the node's `list_ids`, or every active list of the org and
 * environment. A block match fails, flag matches pass and are reported, an allow match passes
 * with `allowed: true`. The matches are recorded on the session (list_matches).
 */
import { type CheckModule, reason } from "../check.ts";
import type { EngineVersions } from "../../engines/versions.ts";
import { sessionFieldContext } from "../../sessions/service.ts";
import { matchableSummary, matchSubject } from "../../lists/matching.ts";
import { recordMatches } from "../../lists/list_matches.ts";
import { subjectFromSession } from "../../lists/subject.ts";
import { writeUnlessErased } from "../../outcomes/erasure_guard.ts";

/** What the decision reads: list and item ids, types, modes and scores, never the matched values. */
interface ListCheckInputs {
  lists_checked: number;
  matches: {
    list_id: string;
    item_id: string;
    list_type: string;
    match_mode: "block" | "flag" | "allow";
    matched_on: string;
    score: number;
  }[];
}

export const checkAgainstList: CheckModule<ListCheckInputs> = {
  policy: "check_against_list",
  version: 2,
  async gather({ deps, evidence, options, persist }) {
    const listIds = (options.list_ids as string[] | null) ?? null;
    const scope = evidence.scope;
    const session = evidence.session;
    const { count, types } = await matchableSummary(deps, scope, listIds);
    if (types.size === 0) return { inputs: { lists_checked: count, matches: [] }, versions: [] };

    const versions: EngineVersions[] = [];
    const needsDocument = types.has("government_id") || types.has("name") || types.has("country") ||
      types.has("string");
    const extraction = needsDocument ? await evidence.extraction() : null;
    if (extraction) versions.push(...extraction.versions);
    const extracted = extraction?.data ?? {};
    let faceEmbedding: number[] | null = null;
    if (types.has("face")) {
      const faces = await evidence.faces();
      faceEmbedding = (faces.selfie ?? faces.document)?.embedding ?? null;
      if (faces.versions) versions.push(faces.versions);
    }
    const claims = evidence.claims();
    const claim = (key: string) => typeof claims[key] === "string" ? claims[key] as string : null;
    const subject = subjectFromSession({
      first_name: extracted.first_name ?? claim("first_name"),
      last_name: extracted.last_name ?? claim("last_name"),
      date_of_birth: extracted.date_of_birth ?? claim("date_of_birth"),
      document_number: extracted.document_number ?? claim("document_number"),
      email: claim("email"),
      phone: claim("phone"),
      ip_address: session.consent_ip_enc
        ? deps.keyRing.decryptJson<string>(session.consent_ip_enc, sessionFieldContext(session.id, "consent_ip_enc"))
        : null,
      countries: [extracted.document_issuing_country, extracted.nationality, session.document_country, session.country],
      external_ref: session.external_ref,
      client_signals: session.client_signals,
      face_embedding: faceEmbedding,
    });
    const engine = faceEmbedding ? await evidence.engines.face() : null;
    const matches = await matchSubject(deps, scope, subject, listIds, { faceSimilarity: engine?.similarity });
    // Recorded here, outside the decision's transaction: one row per (session, item), so a retry
    // or a reprocess updates the row instead of adding another; never for an erased session.
    if (persist) {
      await writeUnlessErased(
        deps.db,
        scope,
        session.id,
        (tx) => recordMatches(tx, scope, session.id, matches, evidence.now),
      );
    }
    return {
      inputs: {
        lists_checked: count,
        matches: matches.map(({ list_id, item_id, list_type, match_mode, matched_on, score }) => ({
          list_id,
          item_id,
          list_type,
          match_mode,
          matched_on,
          score,
        })),
      },
      versions,
    };
  },
  decide({ lists_checked, matches }) {
    const of = (mode: string) => matches.filter((m) => m.match_mode === mode);
    const blocks = of("block");
    const flags = of("flag");
    const allows = of("allow");
    const outputs = {
      matches: matches.map((m) => ({ ...m })),
      match_count: matches.length,
      block_count: blocks.length,
      flag_count: flags.length,
      allow_count: allows.length,
      // A block wins over an allow: trusting a value never overrides a list that bars it.
      allowed: allows.length > 0 && blocks.length === 0,
      lists_checked,
    };
    const best = matches.reduce((max, m) => Math.max(max, m.score), 0);
    if (blocks.length) {
      const types = [...new Set(blocks.map((m) => m.matched_on))].join(", ");
      return {
        status: "failed",
        score: best,
        reasons: [reason("list_block_match", `${blocks.length} block-list match(es) on: ${types}.`)],
        outputs,
      };
    }
    return {
      status: "passed",
      score: matches.length ? best : null,
      reasons: flags.length
        ? [reason("list_flag_match", `${flags.length} flag-list match(es), recorded for review.`)]
        : [],
      outputs,
    };
  },
};
