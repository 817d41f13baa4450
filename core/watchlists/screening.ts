/**
 * Owns screening one name against the watchlists loaded on this installation: candidates come
 * from the pg_trgm index in Postgres, each is scored, a known date of birth that disagrees lowers
 * the score, and what reaches the threshold is returned best first, one hit per listed party.
 *
 * Scoring. The name score is the better of two views of the names, both normalised (names.ts):
 * - pg_trgm `similarity()` of the whole names: order-free (trigrams are a set) and robust to words
 *   split or joined ("al zawahiri" / "alzawahiri");
 * - a token alignment: each word paired with its best partner in the other name when their edit
 *   similarity is at least 0.75, the pairs' similarities weighted by length (a Dice coefficient).
 *   It forgives one typo in a short word ("Jon Doe" 0.87 against "John Doe", where trigrams give
 *   0.55) and a missing middle name, but not another first name ("Jane Doe" 0.43).
 * When both the applicant's and the list's dates of birth are known and none agree
 * (dates_of_birth.ts), the score drops by DOB_MISMATCH_PENALTY and the hit says
 * `date_of_birth_match: false`: lists carry wrong and approximate dates, so a mismatch
 * discounts an exact name but does not clear it (1.0 → 0.85, still a hit at 0.6).
 *
 * Known limits: a name whose trigram similarity is under CANDIDATE_SIMILARITY is never a candidate,
 * whatever its token score; names in non-Latin scripts are not loaded; nationality is not scored.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/create_db.ts";
import { AppError } from "../errors.ts";
import { levenshtein } from "../verification/text_match.ts";
import { dateOfBirthMatches } from "./dates_of_birth.ts";
import { normalizeName } from "./names.ts";

export const DEFAULT_THRESHOLD = 0.6;
export const DOB_MISMATCH_PENALTY = 0.15;
/** pg_trgm's own default: loose enough to let the token alignment see a typo'd short name. */
const CANDIDATE_SIMILARITY = 0.3;
/** Candidate names read per screening, best trigram similarity first; a bound on the work for very common names. */
const CANDIDATE_LIMIT = 2_000;
/** Two words count as one spelled differently from this edit similarity up (one edit in four letters). */
const TOKEN_MATCH_FLOOR = 0.75;
const DEFAULT_LIMIT = 10;

export interface ScreeningSubject {
  fullName: string;
  /** ISO 'YYYY-MM-DD' (or 'YYYY-MM', 'YYYY'); anything else counts as unknown. */
  dateOfBirth?: string | null;
  /**
   * Accepted, not yet scored: lists name countries in free text ("Democratic People's Republic of
   * Korea"), documents in ISO codes.
   */
  nationality?: string | null;
}

export interface ScreeningOptions {
  /** 0–1; a hit's final score must reach it. DEFAULT_THRESHOLD is 0.6. */
  threshold: number;
  /** Sources to search (e.g. ["ofac_sdn"]); null for every loaded source. */
  sources: string[] | null;
  /** Most hits returned, best first; 10 unless given. */
  limit?: number;
}

export interface WatchlistHit {
  entry_id: string;
  source: string;
  source_ref: string;
  /** The party's primary name as listed. */
  name: string;
  /** The listed name (primary or alias) that matched best. */
  matched_name: string;
  /** 0–1, three decimals: name_score less DOB_MISMATCH_PENALTY when date_of_birth_match is false. */
  score: number;
  name_score: number;
  entity_type: string;
  programs: string[];
  /** null when the applicant's or the list's date of birth is unknown. */
  date_of_birth_match: boolean | null;
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/** Length-weighted Dice coefficient over the best one-to-one pairing of the two names' words. */
export function tokenAlignmentScore(left: string[], right: string[]): number {
  const pairs: { i: number; j: number; similarity: number }[] = [];
  for (let i = 0; i < left.length; i++) {
    for (let j = 0; j < right.length; j++) {
      const similarity = 1 - levenshtein(left[i], right[j]) / Math.max(left[i].length, right[j].length);
      if (similarity >= TOKEN_MATCH_FLOOR) pairs.push({ i, j, similarity });
    }
  }
  pairs.sort((a, b) => b.similarity - a.similarity);
  const usedLeft = new Set<number>();
  const usedRight = new Set<number>();
  let matched = 0;
  for (const { i, j, similarity } of pairs) {
    if (usedLeft.has(i) || usedRight.has(j)) continue;
    usedLeft.add(i);
    usedRight.add(j);
    matched += similarity * (left[i].length + right[j].length);
  }
  const total = [...left, ...right].reduce((sum, token) => sum + token.length, 0);
  return total ? matched / total : 0;
}

interface Candidate {
  entry_id: string;
  source: string;
  source_ref: string;
  name: string;
  matched_name: string;
  name_normalized: string;
  trigram_similarity: number;
  entity_type: string;
  programs: string[];
  dates_of_birth: string[];
}

async function candidates(db: DbOrTx, normalized: string, sources: string[] | null, threshold: number) {
  // `%` is what the GIN index serves; its cut-off is this setting, local to the transaction.
  const prefilter = Math.min(threshold, CANDIDATE_SIMILARITY);
  await sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(prefilter)}, true)`.execute(db);
  let query = db.selectFrom("watchlist_entry_names as n")
    .innerJoin("watchlist_entries as e", "e.id", "n.entry_id")
    .select([
      "e.id as entry_id",
      "e.source",
      "e.source_ref",
      "e.name",
      "n.name as matched_name",
      "n.name_normalized",
      "e.entity_type",
      "e.programs",
      "e.dates_of_birth",
    ])
    .select(sql<number>`similarity(n.name_normalized, ${normalized})`.as("trigram_similarity"))
    .where(sql<boolean>`n.name_normalized % ${normalized}`);
  if (sources) query = query.where("e.source", "in", sources);
  return await query.orderBy("trigram_similarity", "desc").limit(CANDIDATE_LIMIT).execute() as Candidate[];
}

export async function screenName(
  db: DbOrTx,
  subject: ScreeningSubject,
  options: ScreeningOptions,
): Promise<WatchlistHit[]> {
  const { threshold, sources, limit = DEFAULT_LIMIT } = options;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new AppError("invalid_parameter", `Screening threshold must be between 0 and 1, got ${threshold}.`);
  }
  const normalized = normalizeName(subject.fullName);
  if (!normalized || sources?.length === 0) return [];
  const subjectTokens = normalized.split(" ");

  // set_config(…, true) lasts until the transaction ends: ours, or the caller's if given one.
  const rows = db.isTransaction
    ? await candidates(db, normalized, sources, threshold)
    : await db.transaction().execute((tx) => candidates(tx, normalized, sources, threshold));

  const best = new Map<string, WatchlistHit>();
  for (const row of rows) {
    const nameScore = round(
      Math.max(row.trigram_similarity, tokenAlignmentScore(subjectTokens, row.name_normalized.split(" "))),
    );
    const dateOfBirthMatch = dateOfBirthMatches(row.dates_of_birth, subject.dateOfBirth);
    const score = round(Math.max(0, nameScore - (dateOfBirthMatch === false ? DOB_MISMATCH_PENALTY : 0)));
    if (score < threshold || (best.get(row.entry_id)?.score ?? -1) >= score) continue;
    best.set(row.entry_id, {
      entry_id: row.entry_id,
      source: row.source,
      source_ref: row.source_ref,
      name: row.name,
      matched_name: row.matched_name,
      score,
      name_score: nameScore,
      entity_type: row.entity_type,
      programs: row.programs,
      date_of_birth_match: dateOfBirthMatch,
    });
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || a.source.localeCompare(b.source) || a.source_ref.localeCompare(b.source_ref))
    .slice(0, limit);
}
