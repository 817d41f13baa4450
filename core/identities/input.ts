/**
 * Owns what the identities API accepts: the request bodies of create, patch, flag, tags, search
 * and merge. Personal fields reuse the session fields' rules, so a value valid on a session is
 * valid on its identity.
 */
import { z } from "zod";
import { applicantFieldsSchema, metadataSchema } from "../sessions/create_input.ts";
import { MAX_TAGS } from "../sessions/service.ts";
import { VERIFICATION_STATUSES } from "./status.ts";

const externalRef = z.string().trim().min(1, "must not be empty").max(255, "must be at most 255 characters");
const fields = applicantFieldsSchema.shape;
const address = fields.address.unwrap().shape;
const alpha2 = fields.nationality;
const shortText = fields.first_name;

export const createIdentitySchema = z.strictObject({
  external_ref: externalRef,
  upsert: z.boolean().optional(),
});

/** null clears a field; custom_fields merge key by key (null removes a key), like session metadata. */
export const patchIdentitySchema = z.strictObject({
  external_ref: externalRef.optional(),
  status: z.enum(VERIFICATION_STATUSES, { error: `must be one of ${VERIFICATION_STATUSES.join(", ")}` }).optional(),
  first_name: shortText.nullable(),
  middle_name: shortText.nullable(),
  last_name: shortText.nullable(),
  date_of_birth: fields.date_of_birth.nullable(),
  document_number: fields.document_number.nullable(),
  document_type: shortText.nullable(),
  ssn: fields.ssn.nullable(),
  nationality: alpha2.nullable(),
  gender: fields.gender.nullable(),
  email: fields.email.nullable(),
  phone: fields.phone.nullable(),
  address_line1: address.line1.nullable(),
  address_line2: address.line2.nullable(),
  city: address.city.nullable(),
  state: address.state.nullable(),
  zip_code: address.zip.nullable(),
  country: alpha2.nullable(),
  custom_fields: z.record(z.string(), z.unknown()).optional(),
  // Legal holds have their own endpoints and opt-in scope (issue #15), refused here by name.
  legal_hold: z.never({
    error:
      "is set with POST /identities/{id}/legal-hold and released with POST /identities/{id}/legal-hold/release (scope legal_hold:write)",
  }).optional(),
});
export type IdentityPatch = z.infer<typeof patchIdentitySchema>;

/** Checks merged custom_fields against the metadata limits (50 keys, 16 KB a value). */
export const customFieldsSchema = z.strictObject({ custom_fields: metadataSchema });

export const flagSchema = z.strictObject({
  reason: z.string().trim().min(1, "must not be empty").max(500, "must be at most 500 characters"),
});

const tag = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

/** `{tags: [...]}` or a single `{tag}`. */
export const tagsSchema = z.strictObject({
  tags: z.array(tag).max(MAX_TAGS, `must have at most ${MAX_TAGS} tags`).optional(),
  tag: tag.optional(),
}).refine((body) => body.tags !== undefined || body.tag !== undefined, {
  message: "is required",
  path: ["tags"],
}).transform((body) => [...body.tags ?? [], ...(body.tag === undefined ? [] : [body.tag])]);

export const searchSchema = z.strictObject({
  // Trimmed before the email check, so a pasted value with stray spaces still searches.
  email: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), fields.email),
  phone: fields.phone,
  document_number: fields.document_number,
  first_name: shortText,
  last_name: shortText,
  date_of_birth: fields.date_of_birth,
  limit: z.number().int().min(1).max(100).optional(),
}).superRefine((body, ctx) => {
  const name = [body.first_name, body.last_name, body.date_of_birth];
  if (name.some((v) => v !== undefined) && name.some((v) => v === undefined)) {
    for (const key of ["first_name", "last_name", "date_of_birth"] as const) {
      if (body[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "is required with first_name, last_name and date_of_birth",
        });
      }
    }
  }
  if (!body.email && !body.phone && !body.document_number && !body.first_name) {
    ctx.addIssue({
      code: "custom",
      path: [],
      message: "needs email, phone, document_number, or first_name with last_name and date_of_birth",
    });
  }
});

const identityId = z.string().min(1, "must not be empty");

export const mergeSchema = z.strictObject({
  primary_identity_id: identityId,
  secondary_identity_id: identityId.optional(),
  secondary_identity_ids: z.array(identityId).min(1, "must not be empty").max(50, "must have at most 50 ids")
    .optional(),
  /** Erase the secondaries instead of keeping them as merged pointers. */
  redact_secondary: z.boolean().optional(),
}).superRefine((body, ctx) => {
  if ((body.secondary_identity_id === undefined) === (body.secondary_identity_ids === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["secondary_identity_id"],
      message: "send exactly one of secondary_identity_id and secondary_identity_ids",
    });
  }
});
export type MergeInput = z.infer<typeof mergeSchema>;
