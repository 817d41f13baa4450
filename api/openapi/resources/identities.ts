/**
 * Owns the API document of identities: create (or upsert) a stub, list (offset or cursor pages),
 * get, patch, erase, export, search, merge and its preview, sessions, audit log, archive and
 * restore, flag and unflag, legal hold, tags. `{id}` is an `idn_…` id or the customer's external_ref.
 */
import { z } from "zod";
import { IDENTITY_STATUSES } from "../../../core/identities/status.ts";
import {
  createIdentitySchema,
  flagSchema,
  mergeSchema,
  patchIdentitySchema,
  searchSchema,
  tagsSchema,
} from "../../../core/identities/input.ts";
import { holdRequestSchema, releaseRequestSchema } from "../../../core/legal_holds/holds.ts";
import {
  booleanQuery,
  enumListQuery,
  jsonObject,
  listOf,
  nullableTimestamp,
  operations,
  pageOf,
  pageQuery,
  timestamp,
} from "../spec.ts";
import { sessionSchema } from "./sessions.ts";

export const identitySchema = z.object({
  id: z.string(),
  status: z.enum(IDENTITY_STATUSES),
  session_count: z.number().int(),
  is_sandbox: z.boolean(),
  created_at: nullableTimestamp,
  external_ref: z.string().nullable(),
  latest_session_id: z.string().nullable(),
  latest_result_id: z.string().nullable(),
  face_match_passed: z.boolean().nullable(),
  age_check_passed: z.boolean().nullable(),
  extracted_age: z.number().int().nullable(),
  rejection_reason: z.string().nullable(),
  country: z.string().nullable(),
  extracted_data: jsonObject,
  first_verified_at: nullableTimestamp,
  last_verified_at: nullableTimestamp,
  archived_at: nullableTimestamp,
  tags: z.array(z.string()),
  custom_fields: jsonObject,
  is_flagged: z.boolean(),
  flag_reason: z.string().nullable(),
  flagged_at: nullableTimestamp,
  flagged_by: z.string().nullable(),
  legal_hold: z.boolean(),
  merged_into: z.string().nullable(),
  merged_at: nullableTimestamp,
  redacted_at: nullableTimestamp,
  updated_at: nullableTimestamp,
});

const tagsResponse = z.object({ id: z.string(), tags: z.array(z.string()) });
const idParam = { id: "The identity id (`idn_…`) or your external_ref." };
const read = ["identities:read"];
const write = ["identities:write"];
const tag = "Identities";

export const identitySchemas = { Identity: identitySchema };

export const identityOperations = operations({ tag, auth: "api_key" }, [
  {
    method: "post",
    path: "/api/v1/identities",
    operationId: "createIdentity",
    summary: "Create an identity stub (or find it, with upsert)",
    scopes: write,
    body: { schema: createIdentitySchema },
    responses: {
      200: {
        description: "With upsert: the existing identity.",
        schema: identitySchema.extend({ upserted: z.boolean() }),
      },
      201: { description: "The new identity.", schema: identitySchema.extend({ upserted: z.boolean() }) },
    },
    errors: ["conflict"],
  },
  {
    method: "get",
    path: "/api/v1/identities",
    operationId: "listIdentities",
    summary: "List identities (offset pages, or cursor pages with page[…])",
    scopes: read,
    query: {
      ...pageQuery,
      "page[size]": { schema: z.number().int().min(1).max(100), description: "Cursor page size." },
      "page[after]": { schema: z.string(), description: "The page after this identity id." },
      "page[before]": { schema: z.string(), description: "The page before this identity id." },
      status: enumListQuery(IDENTITY_STATUSES, "Only identities in these statuses."),
      q: { schema: z.string(), description: "Search by id or external_ref." },
      include_archived: booleanQuery("Include archived identities."),
    },
    responses: {
      200: {
        description: "A page of identities: offset pagination, or cursor links with page[…].",
        schema: z.union([
          pageOf(identitySchema),
          z.object({
            data: z.array(identitySchema),
            pagination: z.object({ total: z.number().int(), limit: z.number().int() }),
            links: z.object({ next: z.string().nullable(), prev: z.string().nullable() }),
          }),
        ]),
      },
    },
  },
  {
    method: "post",
    path: "/api/v1/identities/search",
    operationId: "searchIdentities",
    summary: "Find identities by email, phone, document number, or name and date of birth",
    scopes: read,
    body: { schema: searchSchema },
    responses: { 200: { description: "The matches.", schema: listOf(identitySchema) } },
  },
  {
    method: "post",
    path: "/api/v1/identities/merge/preview",
    operationId: "previewIdentityMerge",
    summary: "What a merge would produce",
    scopes: read,
    body: { schema: mergeSchema },
    responses: {
      200: {
        description: "The identities and the merged result.",
        schema: z.object({
          primary: identitySchema,
          secondaries: z.array(identitySchema),
          result: z.looseObject({}),
          conflicting_fields: z.array(z.unknown()),
        }),
      },
    },
    errors: ["not_found", "conflict", "legal_hold"],
  },
  {
    method: "post",
    path: "/api/v1/identities/merge",
    operationId: "mergeIdentities",
    summary: "Merge identities into a primary",
    scopes: write,
    body: { schema: mergeSchema },
    responses: {
      200: {
        description: "The primary and what was merged into it.",
        schema: z.union([
          z.object({ primary: identitySchema, secondary: identitySchema }),
          z.object({ primary: identitySchema, merged_count: z.number().int(), merged_ids: z.array(z.string()) }),
        ]),
      },
    },
    errors: ["not_found", "conflict", "legal_hold"],
  },
  {
    method: "get",
    path: "/api/v1/identities/{id}",
    operationId: "getIdentity",
    summary: "Get an identity",
    scopes: read,
    pathParams: idParam,
    responses: { 200: { description: "The identity.", schema: identitySchema } },
  },
  {
    method: "patch",
    path: "/api/v1/identities/{id}",
    operationId: "updateIdentity",
    summary: "Update an identity",
    scopes: write,
    pathParams: idParam,
    body: { schema: patchIdentitySchema },
    responses: { 200: { description: "The identity.", schema: identitySchema } },
    errors: ["conflict"],
  },
  {
    method: "delete",
    path: "/api/v1/identities/{id}",
    operationId: "redactIdentity",
    summary: "Erase an identity and its sessions",
    scopes: ["redact:write"],
    pathParams: idParam,
    responses: {
      200: {
        description: "The erasure, and what it keeps on purpose.",
        schema: z.object({
          id: z.string(),
          status: z.enum(IDENTITY_STATUSES),
          redacted_at: nullableTimestamp,
          already_redacted: z.boolean(),
          sessions_redacted: z.number().int(),
          retained: z.object({ list_items: z.array(z.looseObject({})), audit_log_rows: z.number().int() }),
        }),
      },
    },
    errors: ["legal_hold", "conflict"],
  },
  {
    method: "get",
    path: "/api/v1/identities/{id}/export",
    operationId: "exportIdentity",
    summary: "Export everything held about an identity (DSAR)",
    scopes: read,
    pathParams: idParam,
    responses: {
      200: {
        description: "The identity and each of its sessions' exports.",
        schema: z.object({
          exported_at: timestamp,
          identity: identitySchema,
          sessions: z.array(z.looseObject({ session: z.looseObject({ id: z.string() }) })),
          identity_links: z.array(z.unknown()),
          identity_relationships: z.array(z.unknown()),
          face_embeddings_count: z.number().int(),
        }),
      },
    },
    errors: ["service_unavailable"],
  },
  {
    method: "get",
    path: "/api/v1/identities/{id}/sessions",
    operationId: "listIdentitySessions",
    summary: "List an identity's sessions",
    scopes: read,
    pathParams: idParam,
    query: pageQuery,
    responses: { 200: { description: "A page of sessions.", schema: pageOf(sessionSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/identities/{id}/audit-log",
    operationId: "listIdentityEvents",
    summary: "An identity's event history",
    scopes: read,
    pathParams: idParam,
    query: pageQuery,
    responses: {
      200: {
        description: "A page of events.",
        schema: pageOf(z.object({
          id: z.string(),
          type: z.string(),
          identity_id: z.string().nullable(),
          session_id: z.string().nullable(),
          payload: z.unknown(),
          created_at: timestamp,
        })),
      },
    },
  },
  {
    method: "post",
    path: "/api/v1/identities/{id}/archive",
    operationId: "archiveIdentity",
    summary: "Archive an identity",
    scopes: write,
    pathParams: idParam,
    responses: {
      200: {
        description: "Archived.",
        schema: z.object({ id: z.string(), status: z.enum(IDENTITY_STATUSES), archived_at: timestamp.optional() }),
      },
    },
    errors: ["conflict"],
  },
  ...(["restore", "unflag"] as const).map((action) => ({
    method: "post" as const,
    path: `/api/v1/identities/{id}/${action}`,
    operationId: `${action}Identity`,
    summary: action === "restore" ? "Restore an archived identity" : "Clear an identity's flag",
    tag,
    auth: "api_key" as const,
    scopes: write,
    pathParams: idParam,
    responses: { 200: { description: "The identity.", schema: identitySchema } },
    errors: ["conflict" as const],
  })),
  {
    method: "post",
    path: "/api/v1/identities/{id}/flag",
    operationId: "flagIdentity",
    summary: "Flag an identity for review",
    scopes: write,
    pathParams: idParam,
    body: { schema: flagSchema },
    responses: { 200: { description: "The identity.", schema: identitySchema } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/identities/{id}/legal-hold",
    operationId: "holdIdentity",
    summary: "Place a legal hold on an identity (and so its sessions)",
    scopes: ["legal_hold:write"],
    pathParams: idParam,
    body: { schema: holdRequestSchema },
    responses: { 200: { description: "The held identity.", schema: identitySchema } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/identities/{id}/legal-hold/release",
    operationId: "releaseIdentityHold",
    summary: "Release an identity's legal hold",
    scopes: ["legal_hold:write"],
    pathParams: idParam,
    body: { schema: releaseRequestSchema },
    responses: { 200: { description: "The released identity.", schema: identitySchema } },
    errors: ["conflict"],
  },
  ...(["add", "remove", "set"] as const).map((operation) => ({
    method: "post" as const,
    path: `/api/v1/identities/{id}/tags/${operation}`,
    operationId: `${operation}IdentityTags`,
    summary: `${operation === "set" ? "Replace" : operation === "add" ? "Add" : "Remove"} an identity's tags`,
    tag,
    auth: "api_key" as const,
    scopes: write,
    pathParams: idParam,
    body: { schema: tagsSchema },
    responses: { 200: { description: "The tags.", schema: tagsResponse } },
    errors: ["conflict" as const],
  })),
]);
