/**
 * Owns the create-session request: the JSON:API envelope, key casing, the Persona aliases of the
 * contract, Persona's `{type, value}` field form, and validation of the canonical shape.
 */
import { z } from "zod";
import { snakeKeys, snakeKeysDeep } from "../casing.ts";
import { AppError, validationError } from "../errors.ts";
import { parseOrThrow, requireObject } from "../validation.ts";

const TOP_LEVEL_ALIASES: Record<string, string> = {
  reference_id: "external_ref",
  template_id: "workflow_id",
  inquiry_template_id: "workflow_id",
  redirect_uri: "redirect_url",
  country_code: "country",
};

/** Alias → canonical path inside `fields` (dots go into `address`). */
const FIELD_ALIASES: Record<string, string> = {
  name_first: "first_name",
  name_last: "last_name",
  name_middle: "middle_name",
  birthdate: "date_of_birth",
  email_address: "email",
  phone_number: "phone",
  identification_number: "document_number",
  // camelCase `addressStreet1` snake-cases to `address_street1`, so both spellings are listed.
  address_street_1: "address.line1",
  address_street1: "address.line1",
  address_street_2: "address.line2",
  address_street2: "address.line2",
  address_city: "address.city",
  address_subdivision: "address.state",
  address_postal_code: "address.zip",
  address_country_code: "address.country",
};

export const METADATA_MAX_KEYS = 50;
export const METADATA_MAX_VALUE_BYTES = 16 * 1024;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD").refine(
  (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  "must be a real calendar date",
);
const shortText = z.string().trim().min(1, "must not be empty").max(255, "must be at most 255 characters");

export const applicantFieldsSchema = z.strictObject({
  first_name: shortText.optional(),
  middle_name: shortText.optional(),
  last_name: shortText.optional(),
  date_of_birth: isoDate.optional(),
  email: z.email("must be an email address").max(254).optional(),
  phone: z.string().regex(/^\+?[0-9 ()-]{5,20}$/, "must be a phone number").optional(),
  document_number: shortText.optional(),
  nationality: z.string().regex(/^[A-Za-z]{2}$/, "must be a 2-letter country code").transform((s) => s.toUpperCase())
    .optional(),
  gender: shortText.optional(),
  ssn: z.string().regex(/^\d{3}-?\d{2}-?\d{4}$/, "must be a 9-digit SSN").optional(),
  address: z.strictObject({
    line1: shortText.optional(),
    line2: shortText.optional(),
    city: shortText.optional(),
    state: shortText.optional(),
    zip: z.string().trim().min(1).max(20).optional(),
    country: z.string().regex(/^[A-Za-z]{2}$/, "must be a 2-letter country code").transform((s) => s.toUpperCase())
      .optional(),
  }).optional(),
});
export type ApplicantFields = z.infer<typeof applicantFieldsSchema>;

/**
 * z.custom keeps the customer's object as sent: z.record rebuilds it by assignment, which would
 * silently drop a key named "__proto__".
 */
export const metadataObjectSchema = z.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "must be an object",
);

const metadataSchema = metadataObjectSchema.superRefine((metadata, ctx) => {
  if (Object.keys(metadata).length > METADATA_MAX_KEYS) {
    ctx.addIssue({ code: "custom", message: `must have at most ${METADATA_MAX_KEYS} keys` });
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (new TextEncoder().encode(JSON.stringify(value) ?? "").length > METADATA_MAX_VALUE_BYTES) {
      ctx.addIssue({ code: "custom", path: [key], message: "must be at most 16 KB when serialised" });
    }
  }
});

export const createSessionSchema = z.strictObject({
  external_ref: shortText.nullable().optional(),
  country: z.string().regex(/^[A-Za-z]{2}$/, "must be exactly 2 letters (ISO 3166-1 alpha-2)")
    .transform((s) => s.toUpperCase()).nullable().optional(),
  workflow_id: shortText.nullable().optional(),
  metadata: metadataSchema.optional(),
  redirect_url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048).nullable().optional(),
  checks: z.array(z.string().regex(/^[a-z0-9_]{1,64}$/, "must be a check name")).max(50).nullable().optional(),
  fields: applicantFieldsSchema.optional(),
  send_email: z.boolean().optional(),
  applicant_email: z.email("must be an email address").max(254).nullable().optional(),
  applicant_name: shortText.nullable().optional(),
});
export type CreateSessionInput = z.infer<typeof createSessionSchema>;

export { metadataSchema };

export function parseCreateSessionBody(raw: unknown): CreateSessionInput {
  let body = requireObject(raw);
  const data = body.data;
  if (typeof data === "object" && data !== null && !Array.isArray(data)) {
    const attributes = (data as Record<string, unknown>).attributes;
    if (typeof attributes === "object" && attributes !== null && !Array.isArray(attributes)) {
      body = attributes as Record<string, unknown>;
    }
  }
  const normalised = applyAliases(snakeKeys(body), TOP_LEVEL_ALIASES);
  if ("note" in normalised) {
    const metadata = normalised.metadata ?? {};
    if (typeof metadata === "object" && metadata !== null && !Array.isArray(metadata)) {
      normalised.metadata = { ...metadata, note: normalised.note };
    }
    delete normalised.note;
  }
  if (normalised.fields !== undefined) normalised.fields = normaliseFields(normalised.fields);
  const input = parseOrThrow(createSessionSchema, normalised);
  if (input.send_email && !input.applicant_email && typeof input.metadata?.applicant_email !== "string") {
    throw validationError({ applicant_email: "is required when send_email is true" });
  }
  return input;
}

/**
 * What a publishable key may not choose. It ships in the customer's web pages, so whoever holds it
 * is the public: a session it creates names nobody (an identity is attached later, by a secret
 * key: `PATCH /api/v1/sessions/{id}` with `external_ref`), runs the org's default workflow and its
 * checks, and carries no customer data or invitation e-mail.
 */
const REFUSED_FOR_PUBLISHABLE: Partial<Record<keyof CreateSessionInput, string>> = {
  external_ref: "may not be set with a publishable key: attach the session to your user from your backend " +
    "with a secret key (PATCH /api/v1/sessions/{id} with external_ref)",
  workflow_id: "may not be set with a publishable key: the organisation's default workflow runs",
  checks: "may not be set with a publishable key: the workflow's checks run",
  metadata: "may not be set with a publishable key: set it from your backend with a secret key",
  fields: "may not be set with a publishable key: pre-fill needs a secret key",
  send_email: "may not be set with a publishable key: invitations are sent with a secret key",
  applicant_email: "may not be set with a publishable key",
  applicant_name: "may not be set with a publishable key",
};

/** null, false and an empty object choose nothing, so a client sending its defaults is not refused. */
function chooses(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === "object" && !Array.isArray(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * Refuses (422, every refused field named) what a publishable key may not set; a `redirect_url`
 * must lie on one of the key's allowed origins, so a key without any may not send one.
 */
export function assertPublishableInput(input: CreateSessionInput, allowedOrigins: readonly string[] | null): void {
  const refused: Record<string, string> = {};
  for (const [field, message] of Object.entries(REFUSED_FOR_PUBLISHABLE)) {
    if (chooses(input[field as keyof CreateSessionInput])) refused[field] = message;
  }
  if (input.redirect_url && !onAllowedOrigin(input.redirect_url, allowedOrigins ?? [])) {
    refused.redirect_url = allowedOrigins?.length
      ? `must be on one of the publishable key's allowed origins (${allowedOrigins.join(", ")})`
      : "may not be set with a publishable key that has no allowed_origins";
  }
  if (Object.keys(refused).length > 0) throw validationError(refused);
}

function onAllowedOrigin(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = new URL(url).origin;
  return allowedOrigins.some((allowed) => URL.canParse(allowed) && new URL(allowed).origin === origin);
}

function applyAliases(body: Record<string, unknown>, aliases: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const canonical = aliases[key] ?? key;
    if (canonical in out && JSON.stringify(out[canonical]) !== JSON.stringify(value)) {
      throw validationError({ [canonical]: `was given twice with different values (as ${key})` });
    }
    out[canonical] = value;
  }
  return out;
}

/** Persona sends field values plain or wrapped as `{type, value}`; both become plain values. */
function unwrap(value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "value" in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

function normaliseFields(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new AppError("validation_error", "fields must be an object.", { fields: "must be an object" });
  }
  const out: Record<string, unknown> = {};
  const address: Record<string, unknown> = {};
  for (const [key, wrapped] of Object.entries(snakeKeysDeep(raw) as Record<string, unknown>)) {
    const value = unwrap(wrapped);
    if (value === null || value === undefined) continue;
    const canonical = FIELD_ALIASES[key] ?? key;
    if (canonical.startsWith("address.")) {
      address[canonical.slice("address.".length)] = unwrap(value);
    } else if (canonical === "address" && typeof value === "object" && !Array.isArray(value)) {
      for (const [part, inner] of Object.entries(value as Record<string, unknown>)) {
        if (inner !== null && inner !== undefined) address[part] = unwrap(inner);
      }
    } else {
      out[canonical] = value;
    }
  }
  if (Object.keys(address).length > 0) out.address = address;
  return out;
}
