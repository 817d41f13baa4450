/** Owns the watchlist_screening check: the document's name against the sanctions lists loaded on this installation. */
import { type CheckModule, reason, skipped } from "../check.ts";
import { screenName, type WatchlistHit } from "../../watchlists/screening.ts";

interface ScreeningInputs {
  screened: boolean;
  hits: WatchlistHit[];
}

export const watchlistScreening: CheckModule<ScreeningInputs> = {
  policy: "watchlist_screening",
  version: 1,
  async gather({ deps, evidence, options }) {
    const extraction = await evidence.extraction();
    const claims = evidence.claims();
    const first = extraction.data.first_name ?? claims.first_name;
    const last = extraction.data.last_name ?? claims.last_name;
    if (!first && !last) return { inputs: { screened: false, hits: [] }, versions: extraction.versions };
    const hits = await screenName(deps.db, {
      fullName: [first, extraction.data.middle_name, last].filter(Boolean).join(" "),
      dateOfBirth: extraction.data.date_of_birth ?? claims.date_of_birth ?? null,
      nationality: extraction.data.nationality ?? null,
    }, { threshold: options.threshold as number, sources: options.lists as string[] | null });
    return { inputs: { screened: true, hits }, versions: extraction.versions };
  },
  decide({ screened, hits }, options) {
    if (!screened) return skipped("name_unread", "No name was read from the document or entered by the applicant.");
    const threshold = options.threshold as number;
    const relevant = hits.filter((h) => h.score >= threshold);
    const best = relevant.reduce((max, h) => Math.max(max, h.score), 0);
    return {
      status: relevant.length ? "failed" : "passed",
      score: relevant.length ? best : null,
      // A hit's listed name is the applicant's name: results and webhooks carry list and entry ids only.
      reasons: relevant.map((h) =>
        reason("watchlist_hit", `Possible match on ${h.source} entry ${h.source_ref}, score ${h.score}.`)
      ),
      outputs: {
        hits: relevant.map((h) => ({
          source: h.source,
          source_ref: h.source_ref,
          entry_id: h.entry_id,
          score: h.score,
          entity_type: h.entity_type,
          programs: h.programs,
        })),
        hit_count: relevant.length,
        best_match_score: relevant.length ? best : null,
      },
    };
  },
};
