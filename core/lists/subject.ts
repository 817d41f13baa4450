/**
 * Owns what is matched against lists: a subject (each identifier kind with its values), read from
 * the check endpoint's `subject_data` or from what a session holds (the document's reading, the
 * applicant's claims, the consent IP, client signals, the face).
 */
import { z } from "zod";
import { isIP } from "node:net";
import { validationError } from "../errors.ts";
import { parseOrThrow } from "../validation.ts";
import { alpha2Country } from "../verification/countries.ts";

export interface NameSubject {
  first_name: string;
  last_name: string;
  date_of_birth: string | null;
}

export interface ListSubject {
  names: NameSubject[];
  emails: string[];
  phones: string[];
  ip_addresses: string[];
  government_ids: string[];
  countries: string[];
  locations: { latitude: number; longitude: number }[];
  browser_fingerprints: string[];
  device_fingerprints: string[];
  faces: number[][];
  /** What `string` lists compare with: every text value the subject carries. */
  strings: string[];
}

function distinct(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === "string" && v.trim() !== ""))];
}

/** Each identifier as a source gives it: one value or none, the multi-valued ones as lists. */
interface SubjectFields {
  first_name?: string | null;
  last_name?: string | null;
  date_of_birth?: string | null;
  email?: string | null;
  phone?: string | null;
  ip_address?: string | null;
  document_numbers: (string | null | undefined)[];
  /** Alpha-2 or alpha-3. */
  countries: (string | null | undefined)[];
  location: { latitude: number; longitude: number } | null;
  browser_fingerprint?: string | null;
  device_fingerprint?: string | null;
  face_embedding?: readonly number[] | null;
  strings: (string | null | undefined)[];
}

function buildSubject(f: SubjectFields): ListSubject {
  return {
    names: f.first_name && f.last_name
      ? [{ first_name: f.first_name, last_name: f.last_name, date_of_birth: f.date_of_birth ?? null }]
      : [],
    emails: distinct([f.email]),
    phones: distinct([f.phone]),
    ip_addresses: distinct([f.ip_address]),
    government_ids: distinct(f.document_numbers),
    countries: distinct(f.countries.map((c) => alpha2Country(c))),
    locations: f.location ? [f.location] : [],
    browser_fingerprints: distinct([f.browser_fingerprint]),
    device_fingerprints: distinct([f.device_fingerprint]),
    faces: f.face_embedding ? [[...f.face_embedding]] : [],
    strings: distinct(f.strings),
  };
}

const text = z.string().trim().min(1).max(1000);
const subjectDataSchema = z.strictObject({
  first_name: text.optional(),
  last_name: text.optional(),
  date_of_birth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)").optional(),
  email: text.optional(),
  phone: text.optional(),
  ip_address: text.refine((v) => isIP(v) !== 0, "must be an IPv4 or IPv6 address").optional(),
  id_number: text.optional(),
  document_number: text.optional(),
  country_code: text.optional(),
  country: text.optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  browser_fingerprint: text.optional(),
  device_fingerprint: text.optional(),
  face_embedding: z.array(z.number().finite()).min(16).max(4096).optional(),
  value: z.union([text, z.array(text).max(50)]).optional(),
});

/** The check endpoint's `subject_data`: each key one identifier (the README lists them). */
export function subjectFromData(raw: unknown): ListSubject {
  const data = parseOrThrow(subjectDataSchema, raw);
  if (Object.keys(data).length === 0) throw validationError({ subject_data: "must hold at least one identifier" });
  if ((data.latitude === undefined) !== (data.longitude === undefined)) {
    throw validationError({ [data.latitude === undefined ? "latitude" : "longitude"]: "is required with the other" });
  }
  const { latitude, longitude } = data;
  return buildSubject({
    ...data,
    document_numbers: [data.id_number, data.document_number],
    countries: [data.country_code, data.country],
    location: latitude !== undefined && longitude !== undefined ? { latitude, longitude } : null,
    strings: Object.values(data).flatMap((v) =>
      typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((s) => typeof s === "string") : []
    ),
  });
}

function objectAt(value: unknown, key: string): Record<string, unknown> | null {
  const inner = (value as Record<string, unknown> | null)?.[key];
  return typeof inner === "object" && inner !== null && !Array.isArray(inner) ? inner as Record<string, unknown> : null;
}

function stringAt(value: Record<string, unknown> | null, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = value?.[key];
    if (typeof v === "string" && v.trim()) return v.trim();
  }
  return null;
}

export interface ClientIdentifiers {
  device_fingerprint: string | null;
  browser_fingerprint: string | null;
  location: { latitude: number; longitude: number } | null;
}

/**
 * The identifiers a capture client sent in its signals (`POST /verify/{token}/signals`):
 * `device.fingerprint_hash` (or `device.fingerprint`), `device.browser_fingerprint`, and
 * `device.geolocation` or `network.geolocation` as `{latitude, longitude}`.
 */
export function clientIdentifiers(signals: Record<string, unknown> | null): ClientIdentifiers {
  const device = objectAt(signals, "device");
  const geo = objectAt(device, "geolocation") ?? objectAt(objectAt(signals, "network"), "geolocation");
  const lat = geo?.latitude;
  const lon = geo?.longitude;
  const located = typeof lat === "number" && typeof lon === "number" && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  return {
    device_fingerprint: stringAt(device, "fingerprint_hash", "fingerprint", "device_fingerprint"),
    browser_fingerprint: stringAt(device, "browser_fingerprint"),
    location: located ? { latitude: lat, longitude: lon } : null,
  };
}

/** What a session holds, gathered by the caller (the check reads it from the run's evidence). */
export interface SessionIdentity {
  /** The document's reading, else what the applicant entered. */
  first_name?: string | null;
  last_name?: string | null;
  date_of_birth?: string | null;
  document_number?: string | null;
  email?: string | null;
  phone?: string | null;
  ip_address: string | null;
  /** Issuing country, nationality, the session's country: alpha-2 or alpha-3. */
  countries: (string | null | undefined)[];
  external_ref: string | null;
  client_signals: Record<string, unknown> | null;
  face_embedding: readonly number[] | null;
}

export function subjectFromSession(session: SessionIdentity): ListSubject {
  const client = clientIdentifiers(session.client_signals);
  return buildSubject({
    ...session,
    document_numbers: [session.document_number],
    location: client.location,
    browser_fingerprint: client.browser_fingerprint,
    device_fingerprint: client.device_fingerprint,
    strings: [
      session.external_ref,
      session.document_number,
      session.email,
      session.phone,
      session.first_name,
      session.last_name,
    ],
  });
}
