/**
 * Owns the API document of review cases: create, list, counts per tab, claim-next, get (with the
 * session, documents and checks), patch, claim, release, assign, escalate, approve, reject, notes,
 * PII correction and check override. A body's `reviewer_id` names the operator the key acts for.
 */
import { z } from "zod";
import { CASE_STATUSES } from "../../../core/cases/status.ts";
import { CASE_TABS } from "../../../core/cases/tabs.ts";
import { createCaseSchema } from "../../../core/cases/open.ts";
import { updateCaseSchema } from "../../../core/cases/annotations.ts";
import { approveSchema, rejectSchema } from "../../../core/cases/decisions.ts";
import { correctPiiSchema, overrideCheckSchema } from "../../../core/cases/corrections.ts";
import { assignCaseSchema, caseActorSchema, caseNoteSchema, escalateCaseSchema } from "../../routes/cases.ts";
import {
  enumListQuery,
  type ErrorSpec,
  jsonObject,
  nullableTimestamp,
  operations,
  pageOf,
  pageQuery,
  timestamp,
} from "../spec.ts";
import { documentSchema, resultSchema } from "./sessions.ts";

export const caseSchema = z.object({
  id: z.string(),
  session_id: z.string(),
  identity_id: z.string().nullable(),
  status: z.enum(CASE_STATUSES as [string, ...string[]]),
  is_final: z.boolean(),
  is_sandbox: z.boolean(),
  source: z.string(),
  priority: z.string(),
  decision: z.string().nullable(),
  reason_code: z.string().nullable(),
  reason: z.string().nullable(),
  assigned_to: z.string().nullable(),
  claimed_at: nullableTimestamp,
  claim_expires_at: nullableTimestamp,
  last_activity_at: nullableTimestamp,
  entered_review_at: nullableTimestamp,
  sla_status: z.enum(["green", "yellow", "red"]),
  sla_elapsed_seconds: z.number().int(),
  escalated_to: z.string().nullable(),
  escalated_by: z.string().nullable(),
  escalated_at: nullableTimestamp,
  escalation_reason: z.string().nullable(),
  first_decision: z.string().nullable(),
  first_reason_code: z.string().nullable(),
  first_reviewer: z.string().nullable(),
  first_decided_at: nullableTimestamp,
  decided_by: z.string().nullable(),
  decided_at: nullableTimestamp,
  metadata: jsonObject,
  custom_fields: jsonObject,
  created_at: nullableTimestamp,
  updated_at: nullableTimestamp,
});

export const caseDetailSchema = caseSchema.extend({
  session: z.object({
    id: z.string(),
    status: z.string(),
    external_ref: z.string().nullable(),
    country: z.string().nullable(),
    document_type: z.string().nullable(),
    workflow_id: z.string().nullable(),
    metadata: jsonObject,
    tags: z.array(z.string()),
    created_at: timestamp,
    completed_at: nullableTimestamp,
  }),
  documents: z.array(documentSchema),
  result: resultSchema.nullable(),
  check_results: jsonObject,
  risk_signals: z.unknown(),
  history: z.array(z.object({
    action: z.string(),
    actor: z.string().nullable(),
    from_status: z.string().nullable(),
    to_status: z.string().nullable(),
    details: z.unknown(),
    created_at: nullableTimestamp,
  })),
});

export const caseNoteDtoSchema = z.object({
  id: z.string(),
  case_id: z.string(),
  author: z.string(),
  text: z.string(),
  created_at: nullableTimestamp,
});

const decisionSchema = caseSchema.extend({
  final: z.boolean().describe("False while a second reviewer's decision is still needed (dual review)."),
  blocked: z.unknown().optional(),
});

const idParam = { id: "The case id (`case_…`)." };
const read = ["cases:read"];
const decide = ["cases:decide"];
const tag = "Cases";
const reviewerQuery = {
  schema: z.string(),
  description: "A reviewer id (`orguser_…` or an operator's email); defaults to the key itself.",
};

function caseChange(
  action: string,
  operationId: string,
  summary: string,
  body: z.ZodType,
  schema: z.ZodType = caseSchema,
  errors: readonly ErrorSpec[] = [],
) {
  return {
    method: "post" as const,
    path: `/api/v1/cases/{id}/${action}`,
    operationId,
    summary,
    tag,
    auth: "api_key" as const,
    scopes: decide,
    pathParams: idParam,
    body: { schema: body },
    responses: { 200: { description: "The case.", schema } },
    errors: ["conflict" as const, "forbidden" as const, ...errors],
  };
}

export const caseSchemas = { Case: caseSchema, CaseDetail: caseDetailSchema, CaseNote: caseNoteDtoSchema };

export const caseOperations = operations({ tag, auth: "api_key" }, [
  {
    method: "post",
    path: "/api/v1/cases",
    operationId: "createCase",
    summary: "Open a review case for a session under review",
    scopes: decide,
    body: { schema: createCaseSchema },
    responses: { 201: { description: "The case.", schema: caseSchema } },
    errors: ["not_found", "conflict", "invalid_session_state", "forbidden"],
  },
  {
    method: "get",
    path: "/api/v1/cases",
    operationId: "listCases",
    summary: "List cases",
    scopes: read,
    query: {
      ...pageQuery,
      tab: enumListQuery(CASE_TABS, "A queue tab (its first value counts)."),
      status: enumListQuery(CASE_STATUSES, "Only cases in these statuses."),
      assigned_to: { ...reviewerQuery, description: "Only cases assigned to this reviewer." },
      reviewer_id: { ...reviewerQuery, description: "Whose `mine` tab." },
      session_id: { schema: z.string(), description: "Only this session's cases." },
    },
    responses: { 200: { description: "A page of cases.", schema: pageOf(caseSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/cases/counts",
    operationId: "countCases",
    summary: "How many cases each queue tab holds",
    scopes: read,
    query: { reviewer_id: { ...reviewerQuery, description: "Whose `mine` count." } },
    responses: {
      200: {
        description: "The counts.",
        schema: z.object({
          unassigned: z.number().int(),
          mine: z.number().int(),
          pending_second_review: z.number().int(),
          escalated: z.number().int(),
          all: z.number().int(),
        }),
      },
    },
  },
  {
    method: "post",
    path: "/api/v1/cases/next",
    operationId: "claimNextCase",
    summary: "Claim the next case in the queue",
    scopes: decide,
    body: { schema: caseActorSchema },
    responses: {
      200: { description: "The claimed case, in detail.", schema: caseDetailSchema },
      204: { description: "The queue is empty." },
    },
    errors: ["forbidden", "not_found"],
  },
  {
    method: "get",
    path: "/api/v1/cases/{id}",
    operationId: "getCase",
    summary: "Get a case with its session, documents, checks and history",
    scopes: read,
    pathParams: idParam,
    responses: { 200: { description: "The case.", schema: caseDetailSchema } },
  },
  {
    method: "patch",
    path: "/api/v1/cases/{id}",
    operationId: "updateCase",
    summary: "Update a case's priority, metadata or custom fields",
    scopes: decide,
    pathParams: idParam,
    body: { schema: updateCaseSchema },
    responses: { 200: { description: "The case.", schema: caseSchema } },
    errors: ["conflict", "forbidden"],
  },
  caseChange("claim", "claimCase", "Claim a case", caseActorSchema),
  caseChange("release", "releaseCase", "Release a claimed case", caseActorSchema),
  caseChange("assign", "assignCase", "Assign a case to a reviewer", assignCaseSchema),
  caseChange("escalate", "escalateCase", "Escalate a case", escalateCaseSchema),
  // A decision on a session erased meanwhile is refused (tests/outcomes/erasure_race_test.ts).
  caseChange("approve", "approveCase", "Approve a case", approveSchema, decisionSchema, ["invalid_session_state"]),
  caseChange("reject", "rejectCase", "Reject a case", rejectSchema, decisionSchema, ["invalid_session_state"]),
  {
    method: "get",
    path: "/api/v1/cases/{id}/notes",
    operationId: "listCaseNotes",
    summary: "List a case's notes",
    scopes: read,
    pathParams: idParam,
    query: pageQuery,
    responses: { 200: { description: "A page of notes.", schema: pageOf(caseNoteDtoSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/cases/{id}/notes",
    operationId: "addCaseNote",
    summary: "Add a note to a case",
    scopes: decide,
    pathParams: idParam,
    body: { schema: caseNoteSchema },
    responses: { 201: { description: "The note.", schema: caseNoteDtoSchema } },
    errors: ["conflict", "forbidden"],
  },
  {
    method: "put",
    path: "/api/v1/cases/{id}/result/pii",
    operationId: "correctCasePii",
    summary: "Correct the extracted data of a case's result",
    scopes: decide,
    pathParams: idParam,
    body: { schema: correctPiiSchema },
    responses: {
      200: {
        description: "The corrected fields and the result after the correction.",
        schema: z.object({ case_id: z.string(), corrected_fields: z.array(z.string()), result: resultSchema }),
      },
    },
    errors: ["conflict", "forbidden"],
  },
  {
    method: "post",
    path: "/api/v1/cases/{id}/override-check",
    operationId: "overrideCaseCheck",
    summary: "Pass a failed check by a reviewer's decision",
    scopes: decide,
    pathParams: idParam,
    body: { schema: overrideCheckSchema },
    responses: {
      200: {
        description: "The case, the overridden check, and where the workflow continued.",
        schema: caseSchema.extend({
          overridden_check: z.object({ policy: z.string(), original_status: z.string(), status: z.literal("passed") }),
          remaining_failed_checks: z.array(z.string()),
          continued_to: z.string().nullable(),
        }),
      },
    },
    errors: ["conflict", "forbidden"],
  },
]);
