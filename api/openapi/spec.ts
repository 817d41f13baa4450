/**
 * Owns the vocabulary of the API document: what one documented operation says (method, path,
 * auth and scopes, parameters, body, responses, error codes) and the schema pieces many share
 * (timestamps, ids, pages, the error body). Each resource's module under api/openapi/resources/
 * lists its operations in these terms, naming the same zod schemas its routes validate with;
 * api/openapi/document.ts turns the lists into OpenAPI 3.1.
 */
import { z } from "zod";
import type { ErrorCode } from "../../core/errors.ts";
import { MAX_PAGE_LIMIT, MAX_PAGE_OFFSET } from "../http.ts";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/**
 * How a caller proves who it is: an API key (X-API-Key or Bearer), the capture token in the path
 * (the applicant's link), or the signature in a signed document URL.
 */
export type OperationAuth = "api_key" | "capture_token" | "signed_url" | "none";

export interface ResponseSpec {
  description: string;
  /** The JSON body; absent for a 204, or for a body of another `contentType`. */
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
  /** Response headers beyond the ones every response carries, by name. */
  headers?: Record<string, string>;
}

export interface ParameterSpec {
  schema: z.ZodType;
  description: string;
  /** A list parameter: repeated (`status=a&status=b`) or comma-separated, as the routes read it. */
  list?: boolean;
}

export interface BodySpec {
  schema: z.ZodType;
  /** Defaults to application/json. */
  contentType?: "application/json" | "multipart/form-data" | "text/csv";
  /** Other content types the route reads the same body from. */
  alternatives?: { contentType: "multipart/form-data" | "text/csv"; schema: z.ZodType }[];
  description?: string;
  /** JSON bodies are optional where the route reads an empty body as `{}`; uploads are required. */
  required?: boolean;
}

export type ErrorSpec = ErrorCode | readonly [ErrorCode, number];

export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI path template: `/api/v1/sessions/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  auth: OperationAuth;
  /** Every scope the key must hold (api_key operations). */
  scopes?: readonly string[];
  /** Path parameters by name → description; each is a string. */
  pathParams?: Record<string, string>;
  query?: Record<string, ParameterSpec>;
  body?: BodySpec;
  /** Successful answers by status. */
  responses: Record<number, ResponseSpec>;
  /**
   * Error codes this operation answers beyond those its auth, method and body already imply; a
   * pair names a code the route answers under another status than its usual one.
   */
  errors?: readonly ErrorSpec[];
}

/** An operation of a resource's list: `tag` and `auth` default to the resource's own. */
export type ResourceOperation = Omit<OperationSpec, "tag" | "auth"> & Partial<Pick<OperationSpec, "tag" | "auth">>;

/** A resource's operations, with the tag and auth most of them share filled in where not given. */
export function operations(
  defaults: Pick<OperationSpec, "tag" | "auth">,
  list: ResourceOperation[],
): OperationSpec[] {
  return list.map((op) => ({ ...defaults, ...op }));
}

// ---- Shared schema pieces -------------------------------------------------------------------

/** Every time in a body is ISO 8601 UTC (`Date.prototype.toISOString`). */
export const timestamp = z.string().meta({ format: "date-time", examples: ["2026-01-01T12:00:00.000Z"] });
export const nullableTimestamp = timestamp.nullable();
/** A customer's own JSON object, returned as stored (metadata, custom fields, check results). */
export const jsonObject = z.record(z.string(), z.unknown());
export const environment = z.enum(["sandbox", "live"]);

/** `{data, pagination}` of offset pages (`limit` ≤ 100, `offset`). */
export function pageOf(item: z.ZodType) {
  return z.object({
    data: z.array(item),
    pagination: z.object({
      total: z.number().int().min(0),
      limit: z.number().int().min(1).max(MAX_PAGE_LIMIT),
      offset: z.number().int().min(0),
    }),
  });
}

/** `{data}`: a whole collection in one answer (catalogues, a session's documents). */
export function listOf(item: z.ZodType) {
  return z.object({ data: z.array(item) });
}

/** The offset page parameters every list reads (api/http.ts pageParams). */
export const pageQuery: Record<string, ParameterSpec> = {
  limit: {
    schema: z.number().int().min(1).max(MAX_PAGE_LIMIT),
    description: `Page size, 1 to ${MAX_PAGE_LIMIT}.`,
  },
  offset: { schema: z.number().int().min(0).max(MAX_PAGE_OFFSET), description: "Items to skip." },
};

export function dateQuery(description: string): ParameterSpec {
  return { schema: z.string().meta({ format: "date-time" }), description: `${description} (ISO 8601 date or time).` };
}

export function enumListQuery(values: readonly string[], description: string): ParameterSpec {
  return { schema: z.enum(values as [string, ...string[]]), description, list: true };
}

export function booleanQuery(description: string): ParameterSpec {
  return { schema: z.enum(["true", "false"]), description };
}

/** The contract's error body: `{error, detail, status_code}`; a 422 adds `fields`. */
export const errorBodySchema = z.object({
  error: z.string().describe("A snake_case error code."),
  detail: z.string().describe("What went wrong, for a person."),
  status_code: z.number().int().describe("The HTTP status, repeated."),
  fields: z.record(z.string(), z.string()).optional().describe(
    "422 validation_error only: one message per field path (dotted, `` for the body).",
  ),
});
