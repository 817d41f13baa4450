/**
 * Owns an identity's personal data at rest: its shape, the encryption binding it to its row, the
 * blind indexes search looks it up by, and how a session's extracted data or a patch folds into it.
 */
import type { KeyRing } from "../crypto/key_ring.ts";
import type { IdentityRow } from "../db/database.ts";
import { identifierDigests } from "../verification/identifiers.ts";

export type IdentityAddress = {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
};

/**
 * Keys follow the sessions' `extracted_data`, plus what only an API patch can set (ssn, email,
 * phone). Type aliases, not interfaces, so they pass where a plain record is expected (claims).
 */
export type IdentityPii = {
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  date_of_birth?: string;
  document_number?: string;
  document_type?: string;
  document_expiration_date?: string;
  document_issuing_state?: string;
  document_issuing_country?: string;
  nationality?: string;
  gender?: string;
  ssn?: string;
  email?: string;
  phone?: string;
  address?: IdentityAddress;
};

export const PII_TEXT_FIELDS = [
  "first_name",
  "middle_name",
  "last_name",
  "date_of_birth",
  "document_number",
  "document_type",
  "document_expiration_date",
  "document_issuing_state",
  "document_issuing_country",
  "nationality",
  "gender",
  "ssn",
  "email",
  "phone",
] as const;
type PiiTextField = typeof PII_TEXT_FIELDS[number];

const ADDRESS_PARTS = ["line1", "line2", "city", "state", "zip"] as const;

/** Columns written together whenever the personal data changes, so ciphertext and indexes never disagree. */
export interface PiiColumns {
  pii_enc: string | null;
  email_bidx: string | null;
  phone_bidx: string | null;
  document_number_bidx: string | null;
  name_dob_bidx: string | null;
}

export const REDACTED_PII: PiiColumns = {
  pii_enc: null,
  email_bidx: null,
  phone_bidx: null,
  document_number_bidx: null,
  name_dob_bidx: null,
};

function piiContext(identityId: string) {
  return { table: "identities", column: "pii_enc", rowId: identityId };
}

export function readPii(keyRing: KeyRing, row: Pick<IdentityRow, "id" | "pii_enc">): IdentityPii {
  return row.pii_enc ? keyRing.decryptJson<IdentityPii>(row.pii_enc, piiContext(row.id)) : {};
}

/**
 * The same digests duplicate detection records for sessions (same normalisation, same purposes),
 * so a value searched for matches however it was typed, on an identity or a session alike.
 */
export function searchDigests(indexKey: Uint8Array, pii: IdentityPii) {
  return identifierDigests(indexKey, {}, pii);
}

export function writePii(keyRing: KeyRing, indexKey: Uint8Array, identityId: string, pii: IdentityPii): PiiColumns {
  if (Object.keys(pii).length === 0) return REDACTED_PII;
  const digests = searchDigests(indexKey, pii);
  return {
    pii_enc: keyRing.encryptJson(pii, piiContext(identityId)),
    email_bidx: digests.email ?? null,
    phone_bidx: digests.phone ?? null,
    document_number_bidx: digests.document_number ?? null,
    name_dob_bidx: digests.name_dob ?? null,
  };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The identity fields a session's `extracted_data` carries; anything else in it is ignored. */
export function piiFromExtracted(extracted: Record<string, unknown>): IdentityPii {
  const pii: IdentityPii = {};
  for (const field of PII_TEXT_FIELDS) {
    const value = text(extracted[field]);
    if (value !== undefined) pii[field] = value;
  }
  const address = extracted.address;
  if (typeof address === "object" && address !== null) {
    const parts = address as Record<string, unknown>;
    const read = Object.fromEntries(ADDRESS_PARTS.map((part) => [part, text(parts[part]) ?? null]));
    if (Object.values(read).some((v) => v !== null)) pii.address = read as unknown as IdentityAddress;
  }
  return pii;
}

/**
 * `incoming` replaces what it names when `overwrite`, and otherwise only fills what is missing:
 * an approved session is the best evidence of who the person is, while a rejected one may carry
 * someone else's document and must not overwrite a verified record.
 */
export function foldPii(current: IdentityPii, incoming: IdentityPii, overwrite: boolean): IdentityPii {
  const next: IdentityPii = { ...current };
  for (const [key, value] of Object.entries(incoming) as [keyof IdentityPii, IdentityPii[keyof IdentityPii]][]) {
    if (value === undefined || (!overwrite && current[key] !== undefined)) continue;
    (next as Record<string, unknown>)[key] = value;
  }
  return next;
}

/** A patch's flat fields (address_line1, zip_code, …) onto the stored shape; null removes a field. */
export type PiiPatch = Partial<
  Record<PiiTextField | "address_line1" | "address_line2" | "city" | "state" | "zip_code", string | null>
>;

const PATCH_ADDRESS_PARTS: Record<string, keyof IdentityAddress> = {
  address_line1: "line1",
  address_line2: "line2",
  city: "city",
  state: "state",
  zip_code: "zip",
};

export function applyPiiPatch(current: IdentityPii, patch: PiiPatch): IdentityPii {
  const next: IdentityPii = { ...current };
  let address: IdentityAddress = { line1: null, line2: null, city: null, state: null, zip: null, ...current.address };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const part = PATCH_ADDRESS_PARTS[key];
    if (part) address = { ...address, [part]: value };
    else if (value === null) delete next[key as PiiTextField];
    else next[key as PiiTextField] = value;
  }
  if (Object.values(address).some((v) => v !== null)) next.address = address;
  else delete next.address;
  return next;
}

/** Field names (never values) whose content differs: what a merge preview reports as conflicts. */
export function differingFields(a: IdentityPii, b: IdentityPii): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof IdentityPii>;
  return [...keys].filter((key) =>
    a[key] !== undefined && b[key] !== undefined && JSON.stringify(a[key]) !== JSON.stringify(b[key])
  ).sort();
}
