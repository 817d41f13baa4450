/**
 * Owns matching a subject against an organisation's lists (the given ones, or every active list
 * of the org and environment): exact identifiers by blind index in one query, names by trigram
 * candidates then similarity with an exact date of birth, places by distance within an item's
 * radius, faces by the face engine's similarity. Returns what matched; stores nothing.
 */
import { sql } from "kysely";
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { CustomListRow, ListMatchMode, ListType } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { validationError } from "../errors.ts";
import { parseOrThrow } from "../validation.ts";
import { snakeKeys } from "../casing.ts";
import { faceSimilarity } from "../engines/face_similarity.ts";
import { textSimilarity } from "../verification/text_match.ts";
import {
  emailDomain,
  emailKey,
  governmentIdKey,
  ipKey,
  type ItemValue,
  lookupDigest,
  nameKey,
  phoneKey,
} from "./item_values.ts";
import { decryptItemValue } from "./items.ts";
import { matchableLists } from "./lists.ts";
import { type ListSubject, subjectFromData } from "./subject.ts";

/** Name similarity (token order ignored, accents folded) at which a listed name matches. */
export const NAME_MATCH_THRESHOLD = 0.85;
/** pg_trgm similarity that makes a listed name a candidate for the finer comparison. */
const NAME_CANDIDATE_SIMILARITY = 0.3;
/**
 * Same as duplicate detection's default and face match's very_strict level: above every impostor
 * pair measured (docs/face-calibration.md). A listed embedding of another model (another length)
 * scores 0 and never matches.
 */
export const FACE_MATCH_THRESHOLD = 0.6;
/** Geolocation and face items compared per match: each is decrypted, so the scan is bounded. */
export const DECRYPTED_SCAN_LIMIT = 20_000;

export interface ListMatch {
  list_id: string;
  list_name: string;
  list_type: ListType;
  match_mode: ListMatchMode;
  item_id: string;
  /** Which identifier matched (e.g. `email_domain`, `name_dob`): never the value. */
  matched_on: string;
  /** 1 for exact matches; the similarity for names and faces; for places, how close to the centre (1 = at it). */
  score: number;
}

type FaceSimilarity = (a: readonly number[], b: readonly number[]) => number;

export interface MatchOptions {
  /** How two face embeddings compare; the engine's model-free faceSimilarity when absent (no model is loaded for it). */
  faceSimilarity?: FaceSimilarity;
}

const EARTH_RADIUS_M = 6_371_008.8;

export function distanceMeters(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Blind index → what it stands for, for every exact-match identifier of the subject. */
function exactDigests(indexKey: Uint8Array, subject: ListSubject): Map<string, string> {
  const digests = new Map<string, string>();
  const put = (purpose: string, key: string | null) => {
    if (key) digests.set(lookupDigest(indexKey, purpose, key), purpose);
  };
  for (const email of subject.emails) {
    put("email", emailKey(email));
    put("email_domain", emailDomain(email));
  }
  for (const phone of subject.phones) put("phone", phoneKey(phone) || null);
  for (const ip of subject.ip_addresses) put("ip_address", ipKey(ip));
  for (const id of subject.government_ids) put("government_id", governmentIdKey(id) || null);
  for (const country of subject.countries) put("country", country);
  for (const hash of subject.browser_fingerprints) put("browser_fingerprint", hash);
  for (const hash of subject.device_fingerprints) put("device_fingerprint", hash);
  for (const value of subject.strings) put("string", value);
  return digests;
}

const EXACT_TYPES = new Set<ListType>([
  "email",
  "phone",
  "ip_address",
  "government_id",
  "country",
  "browser_fingerprint",
  "device_fingerprint",
  "string",
]);

export async function matchSubject(
  deps: CoreDeps,
  scope: Scope,
  subject: ListSubject,
  listIds: readonly string[] | null,
  options: MatchOptions = {},
): Promise<ListMatch[]> {
  const lists = await matchableLists(deps.db, scope, listIds);
  const byId = new Map(lists.map((l) => [l.id, l]));
  const idsOf = (predicate: (l: CustomListRow) => boolean) => lists.filter(predicate).map((l) => l.id);
  const found = new Map<string, ListMatch>();
  const record = (listId: string, itemId: string, matchedOn: string, score: number) => {
    const list = byId.get(listId)!;
    const previous = found.get(itemId);
    if (previous && previous.score >= score) return;
    found.set(itemId, {
      list_id: list.id,
      list_name: list.name,
      list_type: list.list_type,
      match_mode: list.match_mode,
      item_id: itemId,
      matched_on: matchedOn,
      score: Math.round(score * 1000) / 1000,
    });
  };
  const scoped = () =>
    deps.db.selectFrom("custom_list_items").where("org_id", "=", scope.orgId)
      .where("environment", "=", scope.environment);

  const exactLists = idsOf((l) => EXACT_TYPES.has(l.list_type));
  const digests = exactDigests(deps.indexKey, subject);
  if (exactLists.length && digests.size) {
    const rows = await scoped().select(["id", "list_id", "lookup_hmac"]).where("list_id", "in", exactLists)
      .where("lookup_hmac", "in", [...digests.keys()]).execute();
    for (const row of rows) record(row.list_id, row.id, digests.get(row.lookup_hmac)!, 1);
  }

  const nameLists = idsOf((l) => l.list_type === "name");
  for (const name of nameLists.length ? subject.names : []) {
    const wanted = nameKey(name.first_name, name.last_name);
    if (!wanted) continue;
    const candidates = await scoped().select(["id", "list_id", "value_enc", "name_normalized"])
      .where("list_id", "in", nameLists)
      .where(sql<boolean>`similarity(name_normalized, ${wanted}) >= ${NAME_CANDIDATE_SIMILARITY}`)
      .orderBy(sql`similarity(name_normalized, ${wanted})`, "desc").limit(200).execute();
    for (const row of candidates) {
      const score = textSimilarity(row.name_normalized ?? "", wanted);
      if (score < NAME_MATCH_THRESHOLD) continue;
      const listed = decryptItemValue(deps, row) as ItemValue<"name">;
      // A listed date of birth must be the subject's exactly; a name listed without one matches on the name.
      if (listed.date_of_birth && listed.date_of_birth !== name.date_of_birth) continue;
      record(row.list_id, row.id, listed.date_of_birth ? "name_dob" : "name", score);
    }
  }

  const decryptedItems = async (type: ListType) => {
    const ids = idsOf((l) => l.list_type === type);
    if (!ids.length) return [];
    const rows = await scoped().select(["id", "list_id", "value_enc"]).where("list_id", "in", ids)
      .orderBy("created_at", "desc").limit(DECRYPTED_SCAN_LIMIT).execute();
    return rows.map((row) => ({ row, value: decryptItemValue(deps, row) }));
  };

  if (subject.locations.length) {
    for (const { row, value } of await decryptedItems("geolocation")) {
      const place = value as ItemValue<"geolocation">;
      for (const location of subject.locations) {
        const distance = distanceMeters(place, location);
        if (distance <= place.radius_meters) {
          record(row.list_id, row.id, "geolocation", 1 - distance / place.radius_meters);
        }
      }
    }
  }

  if (subject.faces.length) {
    const items = await decryptedItems("face");
    if (items.length) {
      const similarity = options.faceSimilarity ?? faceSimilarity;
      for (const { row, value } of items) {
        for (const face of subject.faces) {
          const score = similarity((value as ItemValue<"face">).embedding, face);
          if (score >= FACE_MATCH_THRESHOLD) record(row.list_id, row.id, "face", score);
        }
      }
    }
  }

  const modeOrder: Record<ListMatchMode, number> = { block: 0, flag: 1, allow: 2 };
  return [...found.values()].sort((a, b) =>
    modeOrder[a.match_mode] - modeOrder[b.match_mode] || b.score - a.score || a.item_id.localeCompare(b.item_id)
  );
}

/** How many lists would be checked, and the types of those holding items: a caller measures only what can match. */
export async function matchableSummary(deps: CoreDeps, scope: Scope, listIds: readonly string[] | null) {
  const lists = await matchableLists(deps.db, scope, listIds);
  return { count: lists.length, types: new Set(lists.filter((l) => l.item_count > 0).map((l) => l.list_type)) };
}

export const listCheckSchema = z.strictObject({
  subject_data: z.record(z.string(), z.unknown()),
  list_ids: z.array(z.string().min(1).max(100)).min(1).max(100).optional(),
});

/** `POST /api/v1/lists/check`: the matches, not stored. Ids that name no list of this org and environment are a 422. */
export async function checkSubject(deps: CoreDeps, scope: Scope, body: unknown): Promise<ListMatch[]> {
  const input = parseOrThrow(listCheckSchema, body);
  const subject = subjectFromData(snakeKeys(input.subject_data));
  if (input.list_ids) {
    const known = new Set(
      (await deps.db.selectFrom("custom_lists").select("id").where("id", "in", input.list_ids)
        .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).execute()).map((r) => r.id),
    );
    const problems = Object.fromEntries(
      input.list_ids.flatMap((id, i) => known.has(id) ? [] : [[`list_ids.${i}`, "is not a list of this organisation"]]),
    );
    if (Object.keys(problems).length) throw validationError(problems);
  }
  return await matchSubject(deps, scope, subject, input.list_ids ?? null);
}
