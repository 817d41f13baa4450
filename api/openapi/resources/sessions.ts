/**
 * Owns the API document of the session resource and what hangs off a session: lifecycle, tags,
 * simulate and submit, risk and result, privacy (erasure, export), documents, the live engine's
 * runs and checks, and list matches. Request bodies are the routes' own zod schemas.
 */
import { z } from "zod";
import { SESSION_STATUSES } from "../../../core/sessions/status.ts";
import { createSessionSchema } from "../../../core/sessions/create_input.ts";
import { addTagSchema, patchSessionSchema, setTagsSchema, simulateSchema } from "../../routes/sessions.ts";
import { bulkRedactSchema } from "../../routes/privacy.ts";
import { holdRequestSchema, releaseRequestSchema } from "../../../core/legal_holds/holds.ts";
import { externalDecisionSchema } from "../../../core/verification/service.ts";
import { API_DOCUMENT_TYPES, uploadFieldsSchema } from "../../../core/capture/api_capture.ts";
import { falsePositiveSchema } from "../../../core/lists/list_matches.ts";
import { SANDBOX_PRESETS } from "../../../core/sessions/sandbox_presets.ts";
import {
  dateQuery,
  enumListQuery,
  environment,
  jsonObject,
  listOf,
  nullableTimestamp,
  operations,
  pageOf,
  pageQuery,
  timestamp,
} from "../spec.ts";
import { listMatchSchema } from "./lists.ts";

export const sessionSchema = z.object({
  id: z.string().meta({ examples: ["ses_0123456789abcdefghijklmn"] }),
  status: z.enum(SESSION_STATUSES),
  is_sandbox: z.boolean(),
  environment,
  external_ref: z.string().nullable(),
  identity_id: z.string().nullable(),
  country: z.string().nullable(),
  workflow_id: z.string().nullable(),
  redirect_url: z.string().nullable(),
  checks: z.array(z.string()).nullable(),
  metadata: jsonObject,
  tags: z.array(z.string()),
  document_type: z.string().nullable(),
  retention_status: z.string(),
  legal_hold: z.boolean(),
  legal_hold_reason: z.string().nullable(),
  legal_hold_set_at: nullableTimestamp,
  processing_attempts: z.number().int(),
  consent_ip: z.string().nullable(),
  capture_url: z.string().nullable().describe("Set while capture is open (pending or capturing, token alive)."),
  send_email: z.boolean(),
  case_id: z.string().nullable(),
  case_status: z.string().nullable(),
  created_at: nullableTimestamp,
  updated_at: nullableTimestamp,
  expires_at: nullableTimestamp,
  token_expires_at: nullableTimestamp,
  started_at: nullableTimestamp,
  completed_at: nullableTimestamp,
  expired_at: nullableTimestamp,
  links: z.object({ result: z.string(), documents: z.string(), risk: z.string(), webhook_deliveries: z.string() }),
});

const qrCodeDataUrl = z.string().describe("A PNG data URL of capture_url.");

export const createdSessionSchema = sessionSchema.extend({ capture_url: z.string(), qr_code_data_url: qrCodeDataUrl });

const checkResults = jsonObject.describe("Each check's result, keyed by check name.");

export const resultSchema = z.object({
  session_id: z.string(),
  status: z.enum(["approved", "rejected", "needs_review"]),
  is_sandbox: z.boolean(),
  created_at: nullableTimestamp,
  face_match_passed: z.boolean().nullable(),
  face_match_score: z.number().nullable(),
  age_check_passed: z.boolean().nullable(),
  extracted_age: z.number().int().nullable(),
  extracted_data: jsonObject.describe("Filtered by the organisation's api_pii_fields; {} past the sensitive window."),
  rejection_reason: z.string().nullable(),
  rejection_reason_code: z.string().nullable(),
  processing_mode: z.string().nullable(),
  country_used: z.string().nullable(),
  check_results: checkResults.nullable(),
  sensitive_data_expired: z.boolean(),
});

const tagsResponse = z.object({ id: z.string(), tags: z.array(z.string()) });

const qualitySchema = z.object({
  ok: z.boolean(),
  warnings: z.array(z.string()),
  blur: z.unknown(),
  glare: z.unknown(),
  resolution: z.unknown(),
  exposure: z.unknown(),
}).nullable();

export const documentQualitySchema = qualitySchema;

export const documentSchema = z.object({
  id: z.string(),
  doc_type: z.string(),
  document_type: z.string().nullable(),
  side: z.string().nullable(),
  mime_type: z.string(),
  url: z.string().describe("A signed URL, valid for expires_in seconds."),
  thumbnail_url: z.string().nullable(),
  expires_in: z.number().int(),
  file_size_bytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  quality: qualitySchema,
  upload_source: z.string(),
  poa_document_type: z.string().nullable(),
  poa_document_date: z.string().nullable(),
  created_at: timestamp,
});

const retainedSchema = z.object({
  list_items: z.array(z.looseObject({})),
  audit_log_rows: z.number().int(),
});

const attemptSchema = z.object({
  id: z.string(),
  session_id: z.string(),
  run_id: z.string().nullable(),
  node: z.string(),
  policy: z.string(),
  attempt_number: z.number().int(),
  status: z.string(),
  score: z.number().nullable(),
  reasons: z.unknown(),
  outputs: z.unknown(),
  options: z.unknown(),
  versions: z.unknown(),
  duration_ms: z.number().nullable(),
  error: z.string().nullable(),
  replayable: z.boolean(),
  created_at: timestamp,
  decided_at: nullableTimestamp,
});

const workflowRunSchema = z.object({
  id: z.string(),
  session_id: z.string(),
  workflow_id: z.string().nullable(),
  workflow_version: z.number().int().nullable(),
  trigger: z.string(),
  status: z.string(),
  final_status: z.string().nullable(),
  current_node: z.string().nullable(),
  paused_at_node: z.string().nullable(),
  external_decision: z.string().nullable(),
  external_metadata: z.unknown(),
  node_results: z.unknown(),
  graph_snapshot: z.unknown(),
  error: z.string().nullable(),
  created_at: timestamp,
  started_at: nullableTimestamp,
  completed_at: nullableTimestamp,
  duration_ms: z.number().nullable(),
});

const idParam = { id: "The session id (`ses_…`)." };
const read = ["sessions:read"];
const write = ["sessions:write"];
const tag = "Sessions";

export const sessionSchemas = {
  Session: sessionSchema,
  CreatedSession: createdSessionSchema,
  Result: resultSchema,
  Document: documentSchema,
  CheckAttempt: attemptSchema,
  WorkflowRun: workflowRunSchema,
};

export const sessionOperations = operations({ tag, auth: "api_key" }, [
  {
    method: "post",
    path: "/api/v1/sessions",
    operationId: "createSession",
    summary: "Create a session",
    description: "Also accepts the JSON:API envelope `{data: {attributes: {…}}}` and the Persona aliases " +
      "(`reference_id`, `template_id`, `name_first`, …). A publishable key may set only `country` and " +
      "`redirect_url` (on one of its allowed origins).",
    scopes: ["sessions:create"],
    body: { schema: createSessionSchema },
    responses: { 201: { description: "The session, with its capture URL and QR code.", schema: createdSessionSchema } },
    errors: ["not_found"],
  },
  {
    method: "get",
    path: "/api/v1/sessions",
    operationId: "listSessions",
    summary: "List sessions",
    scopes: read,
    query: {
      ...pageQuery,
      status: enumListQuery(SESSION_STATUSES, "Only sessions in these statuses."),
      q: { schema: z.string(), description: "Search by id or external_ref." },
      external_ref: { schema: z.string(), description: "Only sessions with this external_ref." },
      created_after: dateQuery("Created at or after"),
      created_before: dateQuery("Created before"),
    },
    responses: { 200: { description: "A page of sessions.", schema: pageOf(sessionSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}",
    operationId: "getSession",
    summary: "Get a session",
    scopes: read,
    pathParams: idParam,
    responses: { 200: { description: "The session.", schema: sessionSchema } },
  },
  {
    method: "patch",
    path: "/api/v1/sessions/{id}",
    operationId: "updateSession",
    summary: "Update a session",
    description: "`metadata` merges key by key; a null value deletes that key.",
    scopes: write,
    pathParams: idParam,
    body: { schema: patchSessionSchema },
    responses: { 200: { description: "The updated session.", schema: sessionSchema } },
    errors: ["invalid_session_state", "conflict"],
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/resume",
    operationId: "resumeSession",
    summary: "Resume an expired or abandoned session",
    scopes: write,
    pathParams: idParam,
    responses: {
      200: {
        description: "The session is pending again, with a new capture token.",
        schema: z.object({
          id: z.string(),
          status: z.enum(SESSION_STATUSES),
          capture_url: z.string(),
          expires_at: nullableTimestamp,
          qr_code_data_url: qrCodeDataUrl,
        }),
      },
    },
    errors: ["invalid_session_state"],
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/legal-hold",
    operationId: "holdSession",
    summary: "Place a legal hold on a session",
    description: "While held, every redaction path (API, bulk, retention, identity erasure) refuses the session.",
    scopes: ["legal_hold:write"],
    pathParams: idParam,
    body: { schema: holdRequestSchema },
    responses: { 200: { description: "The held session.", schema: sessionSchema } },
    errors: ["invalid_session_state", "conflict"],
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/legal-hold/release",
    operationId: "releaseSessionHold",
    summary: "Release a session's legal hold",
    scopes: ["legal_hold:write"],
    pathParams: idParam,
    body: { schema: releaseRequestSchema },
    responses: { 200: { description: "The released session.", schema: sessionSchema } },
    errors: ["invalid_session_state", "conflict"],
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/expire",
    operationId: "expireSession",
    summary: "Expire a session",
    scopes: write,
    pathParams: idParam,
    responses: {
      200: {
        description: "The expired session.",
        schema: z.object({ id: z.string(), status: z.enum(SESSION_STATUSES), expired_at: timestamp.optional() }),
      },
    },
    errors: ["invalid_session_state"],
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/tags",
    operationId: "getSessionTags",
    summary: "Get a session's tags",
    scopes: read,
    pathParams: idParam,
    responses: { 200: { description: "The tags.", schema: tagsResponse } },
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/tags",
    operationId: "addSessionTag",
    summary: "Add a tag to a session",
    scopes: write,
    pathParams: idParam,
    body: { schema: addTagSchema },
    responses: { 200: { description: "The tags.", schema: tagsResponse } },
  },
  {
    method: "put",
    path: "/api/v1/sessions/{id}/tags",
    operationId: "setSessionTags",
    summary: "Replace a session's tags",
    scopes: write,
    pathParams: idParam,
    body: { schema: setTagsSchema },
    responses: { 200: { description: "The tags.", schema: tagsResponse } },
  },
  {
    method: "delete",
    path: "/api/v1/sessions/{id}/tags/{tag}",
    operationId: "removeSessionTag",
    summary: "Remove a tag from a session",
    scopes: write,
    pathParams: { ...idParam, tag: "The tag to remove." },
    responses: { 200: { description: "The tags.", schema: tagsResponse } },
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/simulate",
    operationId: "simulateSession",
    summary: "Simulate an outcome (sandbox keys only)",
    description: `\`action\`: \`approve\`, \`decline\`, \`require-review\`, \`expire\`, or a preset (${
      SANDBOX_PRESETS.join(", ")
    }).`,
    scopes: write,
    pathParams: idParam,
    body: { schema: simulateSchema },
    responses: {
      200: {
        description: "The session after the simulated outcome.",
        schema: z.object({
          id: z.string(),
          action: z.string(),
          status: z.enum(SESSION_STATUSES),
          simulated: z.literal(true),
        }),
      },
    },
    errors: ["sandbox_only", "invalid_session_state"],
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/submit",
    operationId: "submitSession",
    summary: "Submit a session captured through the API",
    scopes: write,
    pathParams: idParam,
    responses: {
      202: {
        description: "Accepted: processing starts.",
        schema: z.object({ id: z.string(), status: z.enum(SESSION_STATUSES) }),
      },
    },
    errors: ["invalid_session_state", "capture_incomplete"],
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/risk",
    operationId: "getSessionRisk",
    summary: "Get a session's risk assessment",
    scopes: ["verifications:read"],
    pathParams: idParam,
    responses: {
      200: {
        description: "The risk score, its level and the signals behind it.",
        schema: z.object({
          session_id: z.string(),
          risk_score: z.number(),
          risk_level: z.string(),
          signals: z.array(z.looseObject({})),
          blocked_by: z.array(z.unknown()),
          ip_address: z.string().nullable(),
          client_signals: z.unknown(),
          assessed_at: timestamp,
        }),
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/result",
    operationId: "getSessionResult",
    summary: "Get a session's result",
    scopes: ["verifications:read"],
    pathParams: idParam,
    responses: { 200: { description: "The decision.", schema: resultSchema } },
  },
  {
    method: "post",
    path: "/api/v1/sessions/bulk-redact",
    operationId: "bulkRedactSessions",
    summary: "Erase up to 100 sessions",
    tag: "Privacy",
    auth: "api_key",
    scopes: ["redact:write"],
    body: { schema: bulkRedactSchema },
    responses: {
      200: {
        description: "One result per session id.",
        schema: z.object({
          total: z.number().int(),
          results: z.array(z.object({ session_id: z.string(), status: z.string(), documents_removed: z.number() })),
        }),
      },
    },
  },
  {
    method: "delete",
    path: "/api/v1/sessions/{id}/data",
    operationId: "redactSession",
    summary: "Erase a session's personal data and documents",
    tag: "Privacy",
    auth: "api_key",
    scopes: ["redact:write"],
    pathParams: idParam,
    responses: {
      200: {
        description: "The erasure receipt (`retained` is present when something was erased).",
        schema: z.object({
          status: z.enum(["deleted", "already_redacted"]),
          session_id: z.string(),
          documents_removed: z.number().int(),
          retained: retainedSchema.optional(),
          message: z.string(),
        }),
      },
    },
    errors: ["legal_hold", "invalid_session_state", "conflict"],
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/export",
    operationId: "exportSession",
    summary: "Export a session's data (DSAR)",
    tag: "Privacy",
    auth: "api_key",
    scopes: read,
    pathParams: idParam,
    responses: {
      200: {
        description: "Everything held about the applicant of this session, with 24 h download URLs.",
        schema: z.looseObject({
          exported_at: timestamp,
          sensitive_data_expired: z.boolean(),
          session: z.looseObject({ id: z.string() }),
          result: z.unknown(),
          documents: z.array(z.looseObject({ id: z.string(), download_url: z.string() })),
        }),
      },
    },
    errors: ["service_unavailable"],
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/reprocess",
    operationId: "reprocessSession",
    summary: "Run the workflow again on the stored documents",
    tag: "Verification",
    auth: "api_key",
    scopes: write,
    pathParams: idParam,
    responses: {
      202: {
        description: "Accepted: the session is processing.",
        schema: z.object({ session_id: z.string(), status: z.enum(SESSION_STATUSES), message: z.string() }),
      },
    },
    errors: [["invalid_session_state", 409]],
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/external-decision",
    operationId: "submitExternalDecision",
    summary: "Decide a session waiting at an external gate",
    tag: "Verification",
    auth: "api_key",
    scopes: write,
    pathParams: idParam,
    body: { schema: externalDecisionSchema },
    responses: {
      202: {
        description: "Accepted: the worker applies the decision.",
        schema: z.object({
          session_id: z.string(),
          decision: z.string(),
          status: z.enum(SESSION_STATUSES),
          message: z.string(),
        }),
      },
    },
    errors: [["invalid_session_state", 409]],
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/workflow-run",
    operationId: "getWorkflowRun",
    summary: "Get the session's latest workflow run",
    tag: "Verification",
    auth: "api_key",
    scopes: ["verifications:read"],
    pathParams: idParam,
    responses: { 200: { description: "The run, node by node.", schema: workflowRunSchema } },
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/workflow-run/replay",
    operationId: "replayWorkflowRun",
    summary: "Decide the latest run's checks again from their stored inputs",
    tag: "Verification",
    auth: "api_key",
    scopes: ["verifications:read"],
    pathParams: idParam,
    responses: {
      200: {
        description: "Each settled attempt, stored and replayed.",
        schema: z.object({
          run_id: z.string(),
          session_id: z.string(),
          replayed: z.array(z.object({
            attempt_id: z.string(),
            node: z.string(),
            policy: z.string(),
            stored: z.object({ status: z.string(), score: z.number().nullable() }),
            replayed: z.object({ status: z.string(), score: z.number().nullable() }).nullable(),
            matches: z.boolean().nullable(),
          })),
          all_match: z.boolean(),
        }),
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/verifications",
    operationId: "listVerifications",
    summary: "The latest attempt of each check in the latest run",
    tag: "Verification",
    auth: "api_key",
    scopes: ["verifications:read"],
    pathParams: idParam,
    responses: { 200: { description: "The attempts.", schema: listOf(attemptSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/verifications/{policy}/attempts",
    operationId: "listPolicyAttempts",
    summary: "Every attempt of one check",
    tag: "Verification",
    auth: "api_key",
    scopes: ["verifications:read"],
    pathParams: { ...idParam, policy: "A verification policy name (GET /api/v1/verification-policies)." },
    responses: {
      200: {
        description: "The attempts, oldest first.",
        schema: z.object({ session_id: z.string(), policy: z.string(), attempts: z.array(attemptSchema) }),
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/documents",
    operationId: "listSessionDocuments",
    summary: "List a session's documents, with signed URLs",
    tag: "Documents",
    auth: "api_key",
    scopes: ["verifications:read"],
    pathParams: idParam,
    responses: { 200: { description: "The documents.", schema: listOf(documentSchema) } },
    errors: ["sensitive_data_expired"],
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/documents",
    operationId: "uploadSessionDocument",
    summary: "Upload a document to a session",
    description: "JPEG, PNG, WebP, HEIC (or PDF for proof of address), at most 10 MB.",
    tag: "Documents",
    auth: "api_key",
    scopes: ["documents:write"],
    pathParams: idParam,
    body: {
      contentType: "multipart/form-data",
      required: true,
      schema: uploadFieldsSchema.extend({ file: z.string().meta({ format: "binary" }) }),
    },
    responses: {
      201: {
        description: "The stored document and its quality feedback.",
        schema: z.object({
          id: z.string(),
          session_id: z.string(),
          document_type: z.enum(API_DOCUMENT_TYPES).nullable(),
          doc_type: z.string(),
          side: z.string().nullable(),
          mime_type: z.string(),
          file_size_bytes: z.number().int(),
          quality: qualitySchema,
          created_at: timestamp,
        }),
      },
    },
    errors: [
      "bad_request",
      "invalid_session_state",
      ["unsupported_media_type", 400],
      "file_too_large",
      "image_too_small",
      "image_unreadable",
      "service_unavailable",
    ],
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/documents/{slot}",
    operationId: "downloadSessionDocument",
    summary: "Download a document through its signed URL",
    description: "No API key: the `expires` and `sig` query parameters of the URL from the documents list " +
      "are the credential.",
    tag: "Documents",
    auth: "signed_url",
    pathParams: { ...idParam, slot: "The document slot (`id_front`, `id_back`, `selfie`, …)." },
    query: {
      expires: { schema: z.string(), description: "Unix time the URL expires at." },
      sig: { schema: z.string(), description: "The URL's HMAC signature." },
      variant: { schema: z.enum(["full", "thumb"]), description: "The thumbnail instead of the full image." },
    },
    responses: {
      200: { description: "The document bytes (a PDF is served as an attachment).", contentType: "*/*" },
    },
    errors: ["forbidden", "sensitive_data_expired"],
  },
  {
    method: "get",
    path: "/api/v1/sessions/{id}/list-matches",
    operationId: "listSessionListMatches",
    summary: "The custom-list matches recorded on a session",
    tag: "Lists",
    auth: "api_key",
    scopes: ["lists:read"],
    pathParams: idParam,
    query: pageQuery,
    responses: { 200: { description: "A page of matches.", schema: pageOf(listMatchSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/sessions/{id}/list-matches/{match_id}/false-positive",
    operationId: "markListMatchFalsePositive",
    summary: "Mark a list match as a false positive",
    tag: "Lists",
    auth: "api_key",
    scopes: ["lists:write"],
    pathParams: { ...idParam, match_id: "The match id." },
    body: { schema: falsePositiveSchema },
    responses: { 200: { description: "The match.", schema: listMatchSchema } },
    errors: ["conflict"],
  },
]);
