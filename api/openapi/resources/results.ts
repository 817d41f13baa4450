/** Owns the API document of the results resource: the PII-free list and the nested single result. */
import { z } from "zod";
import { dateQuery, enumListQuery, jsonObject, nullableTimestamp, operations, pageOf, pageQuery } from "../spec.ts";

const RESULT_STATUSES = ["approved", "rejected", "needs_review"] as const;

export const resultSummarySchema = z.object({
  session_id: z.string(),
  external_ref: z.string().nullable(),
  status: z.enum(RESULT_STATUSES),
  is_sandbox: z.boolean(),
  created_at: nullableTimestamp,
  face_match_passed: z.boolean().nullable(),
  face_match_score: z.number().nullable(),
  age_check_passed: z.boolean().nullable(),
  rejection_reason: z.string().nullable(),
  rejection_reason_code: z.string().nullable(),
  processing_mode: z.string().nullable(),
  country_used: z.string().nullable(),
});

export const nestedResultSchema = z.object({
  session_id: z.string(),
  external_ref: z.string().nullable(),
  status: z.enum(RESULT_STATUSES),
  is_sandbox: z.boolean(),
  created_at: nullableTimestamp,
  result: z.object({
    face_match_passed: z.boolean().nullable(),
    face_match_score: z.number().nullable(),
    age_check_passed: z.boolean().nullable(),
    extracted_age: z.number().int().nullable(),
    extracted_data: jsonObject,
    check_results: jsonObject.nullable(),
  }),
  rejection_reason: z.string().nullable(),
  rejection_reason_code: z.string().nullable(),
  processing_mode: z.string().nullable(),
  country_used: z.string().nullable(),
  sensitive_data_expired: z.boolean(),
});

export const resultSchemas = { ResultSummary: resultSummarySchema, NestedResult: nestedResultSchema };

export const resultOperations = operations({ tag: "Results", auth: "api_key" }, [
  {
    method: "get",
    path: "/api/v1/results",
    operationId: "listResults",
    summary: "List results (no personal data)",
    scopes: ["verifications:read"],
    query: {
      ...pageQuery,
      status: enumListQuery(RESULT_STATUSES, "Only results with these statuses."),
      created_after: dateQuery("Created at or after"),
      created_before: dateQuery("Created before"),
    },
    responses: { 200: { description: "A page of results.", schema: pageOf(resultSummarySchema) } },
  },
  {
    method: "get",
    path: "/api/v1/results/{sessionId}",
    operationId: "getResult",
    summary: "Get a result, its details nested under `result`",
    scopes: ["verifications:read"],
    pathParams: { sessionId: "The session id (`ses_…`)." },
    responses: { 200: { description: "The result.", schema: nestedResultSchema } },
  },
]);
