/**
 * Owns what an item of each list type is: the value's schema (the notes' table), the normal form
 * each identifier is compared in, the HMAC blind index an item is looked up by (and is unique by
 * within its list), and the plain normalised name that name lists keep for fuzzy matching.
 */
import { z } from "zod";
import { isIP } from "node:net";
import { blindIndex } from "../crypto/hmac.ts";
import { ipToBigInt } from "../net/ip.ts";
import { normalizeName } from "../watchlists/names.ts";
import { alpha2Country } from "../verification/countries.ts";
import type { ListMatchMode, ListType } from "../db/database.ts";

export const LIST_TYPES: readonly ListType[] = [
  "name",
  "email",
  "phone",
  "ip_address",
  "government_id",
  "country",
  "geolocation",
  "browser_fingerprint",
  "device_fingerprint",
  "face",
  "string",
];
export const MATCH_MODES: readonly ListMatchMode[] = ["block", "flag", "allow"];

/** Phones compare on their last ten digits: country prefixes and trunk zeros vary, the subscriber part does not. */
const PHONE_DIGITS = 10;

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** "jane@Example.com", "@example.com" and "example.com" all give "example.com". */
export function emailDomain(email: string): string {
  const trimmed = email.trim().toLowerCase();
  return trimmed.slice(trimmed.lastIndexOf("@") + 1);
}

export function phoneKey(phone: string): string {
  return phone.replace(/\D/g, "").slice(-PHONE_DIGITS);
}

/** Upper-case letters and digits only: "x12-345 678" and "X12345678" are one document number. */
export function governmentIdKey(idNumber: string): string {
  return idNumber.normalize("NFKD").toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** One text per address: IPv4 in its IPv6-mapped form, so 1.2.3.4 and ::ffff:1.2.3.4 are equal. */
export function ipKey(ip: string): string | null {
  return ipToBigInt(ip.trim())?.toString(16) ?? null;
}

export function nameKey(firstName: string, lastName: string): string {
  return normalizeName(`${firstName} ${lastName}`);
}

/** Rounded as face templates are stored, so one face sent twice is one item. */
export function roundEmbedding(embedding: readonly number[]): number[] {
  return embedding.map((v) => Math.round(v * 1e4) / 1e4);
}

function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

const text = (max: number) => z.string().trim().min(1, "is required").max(max);
const fingerprint = z.strictObject({ fingerprint_hash: text(512) });

export const VALUE_SCHEMAS = {
  name: z.strictObject({
    first_name: text(200),
    last_name: text(200),
    date_of_birth: z.string().refine(isIsoDate, "must be a date (YYYY-MM-DD)").optional(),
  }),
  email: z.strictObject({ email: text(320), match_domain_only: z.boolean().optional() }).refine(
    (v) => v.match_domain_only ? /^[^@\s]+\.[^@\s]+$/.test(emailDomain(v.email)) : /^[^@\s]+@[^@\s]+$/.test(v.email),
    { message: "must be an email address (or, with match_domain_only, a domain)", path: ["email"] },
  ),
  phone: z.strictObject({
    phone: text(40).refine((v) => /^[\d\s()+.-]+$/.test(v) && v.replace(/\D/g, "").length >= 6, {
      message: "must be a phone number of at least 6 digits",
    }),
  }),
  ip_address: z.strictObject({ ip: text(64).refine((v) => isIP(v) !== 0, "must be an IPv4 or IPv6 address") }),
  government_id: z.strictObject({
    id_number: text(64).refine((v) => governmentIdKey(v).length >= 2, "must contain at least 2 letters or digits"),
    id_class: text(40).optional(),
  }),
  country: z.strictObject({
    country_code: text(3).refine((v) => alpha2Country(v) !== null, "must be an ISO 3166-1 country code"),
  }),
  geolocation: z.strictObject({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    radius_meters: z.number().positive().max(20_100_000),
  }),
  browser_fingerprint: fingerprint,
  device_fingerprint: fingerprint,
  face: z.strictObject({
    embedding: z.array(z.number().finite()).min(16).max(4096),
    image_url: z.string().url().max(2048).optional(),
  }),
  string: z.strictObject({ value: text(1000) }),
} satisfies Record<ListType, z.ZodType>;

export type ItemValue<T extends ListType = ListType> = z.infer<(typeof VALUE_SCHEMAS)[T]>;

/**
 * The blind index of one identifier: `purpose` is the list type (or `email_domain`), so a value
 * never matches an item of another type. blindIndex also trims and folds case (string lists match
 * case-insensitively).
 */
export function lookupDigest(indexKey: Uint8Array, purpose: string, key: string): string {
  return blindIndex(indexKey, `list:${purpose}`, key);
}

export interface ItemIndex {
  lookup_hmac: string;
  name_normalized: string | null;
}

export function indexItemValue(indexKey: Uint8Array, type: ListType, raw: ItemValue): ItemIndex {
  const digest = (purpose: string, key: string) => ({
    lookup_hmac: lookupDigest(indexKey, purpose, key),
    name_normalized: null,
  });
  switch (type) {
    case "name": {
      const v = raw as ItemValue<"name">;
      const name = nameKey(v.first_name, v.last_name);
      return { lookup_hmac: lookupDigest(indexKey, "name", `${name}|${v.date_of_birth ?? ""}`), name_normalized: name };
    }
    case "email": {
      const v = raw as ItemValue<"email">;
      return v.match_domain_only ? digest("email_domain", emailDomain(v.email)) : digest("email", emailKey(v.email));
    }
    case "phone":
      return digest("phone", phoneKey((raw as ItemValue<"phone">).phone));
    case "ip_address":
      return digest("ip_address", ipKey((raw as ItemValue<"ip_address">).ip)!);
    case "government_id":
      return digest("government_id", governmentIdKey((raw as ItemValue<"government_id">).id_number));
    case "country":
      return digest("country", alpha2Country((raw as ItemValue<"country">).country_code)!);
    case "geolocation": {
      const v = raw as ItemValue<"geolocation">;
      return digest("geolocation", `${v.latitude},${v.longitude},${v.radius_meters}`);
    }
    case "browser_fingerprint":
    case "device_fingerprint":
      return digest(type, (raw as ItemValue<"device_fingerprint">).fingerprint_hash);
    case "face":
      return digest("face", JSON.stringify(roundEmbedding((raw as ItemValue<"face">).embedding)));
    case "string":
      return digest("string", (raw as ItemValue<"string">).value);
  }
}

/** The value as stored: trimmed by its schema, the country as alpha-2, a face's embedding rounded. */
export function canonicalValue(type: ListType, value: ItemValue): ItemValue {
  if (type === "country") {
    return { country_code: alpha2Country((value as ItemValue<"country">).country_code)! };
  }
  if (type === "face") {
    const face = value as ItemValue<"face">;
    return { ...face, embedding: roundEmbedding(face.embedding) };
  }
  return value;
}
