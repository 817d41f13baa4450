/**
 * Owns building the OpenAPI 3.1 document from the resources' operation lists: paths with their
 * parameters, bodies and every response (errors by status, each with the codes it can carry),
 * components (schemas from zod's JSON Schema output, the shared headers and parameters, the
 * security schemes) and `webhooks`, one per event type. Built once per process.
 */
import { z } from "zod";
import type { ErrorCode } from "../../core/errors.ts";
import { AppError } from "../../core/errors.ts";
import { CURRENT_API_VERSION, SUPPORTED_API_VERSIONS } from "../../core/versioning.ts";
import { INFLECTIONS } from "../../core/casing.ts";
import { WEBHOOK_EVENT_TYPES } from "../../core/webhooks/event_types.ts";
import { errorBodySchema, type OperationSpec, type ParameterSpec } from "./spec.ts";
import { API_OPERATIONS, NAMED_SCHEMAS } from "./operations.ts";
import { webhookPayloads } from "./resources/webhooks.ts";

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, JsonSchema>; responses?: Record<string, unknown> } & Record<string, unknown>;
  webhooks: Record<string, unknown>;
};

const SCHEMA_REF = "#/components/schemas/";

const TAG_DESCRIPTIONS: Record<string, string> = {
  Sessions: "A verification session: created by your backend, captured by the applicant, decided by a workflow.",
  Privacy: "Erasure of a session's personal data and documents, and the data-subject export.",
  Verification: "The live engine: workflow runs, check attempts, reprocessing and external decisions.",
  Documents: "A session's document images: signed URLs, API uploads and the signed download.",
  Lists: "Custom lists (block, flag, allow) and the matches recorded on sessions.",
  Results: "Decisions: the PII-free list and each session's result.",
  Identities: "The people behind sessions, by your external_ref: merge, flag, archive, erase, export.",
  Cases: "Manual review: the queue, claims, decisions, notes, corrections and overrides.",
  Workflows: "Verification workflows as versioned graphs, their templates, dry runs and the check catalogue.",
  Webhooks: "Webhook endpoints, their signing secrets, deliveries and retries.",
  "API keys": "Secret and publishable keys: scopes, allowlists, expiry. A secret is shown once.",
  Settings: "Organisation-wide settings: retention, PII in answers, risk actions.",
  "Audit log": "The append-only, hash-chained audit log.",
  Capture: "The applicant's capture API under /verify/{token}: the token in the path is the credential.",
  Documentation: "This document.",
  "Webhook events": "What your endpoint receives, one payload per event type.",
};

/** The codes every operation of a kind can answer, besides its own (see api/app.ts for the layers). */
function impliedErrors(op: OperationSpec): ErrorCode[] {
  const codes: ErrorCode[] = ["internal_error", "invalid_parameter"];
  if (op.auth === "api_key") {
    codes.push(
      "unauthorized",
      "insufficient_scope",
      "ip_not_allowed",
      "origin_not_allowed",
      "invalid_key_inflection",
      "unsupported_version",
      "rate_limited",
    );
    if (op.method === "post") codes.push("invalid_idempotency_key", "idempotency_in_progress", "idempotency_mismatch");
  }
  if (op.auth === "capture_token") codes.push("token_expired", "rate_limited");
  if (op.auth === "signed_url") codes.push("forbidden");
  if (op.path.includes("{")) codes.push("not_found");
  if (op.body) {
    codes.push("validation_error");
    const type = op.body.contentType ?? "application/json";
    if (type === "application/json") codes.push("invalid_json", "unsupported_media_type", "payload_too_large");
    if (type === "text/csv") codes.push("unsupported_media_type", "payload_too_large");
  }
  return codes;
}

const statusOf = (code: ErrorCode) => new AppError(code, "").status;

/** Status → the codes an operation can answer with it. */
export function errorCodesByStatus(op: OperationSpec): Map<number, string[]> {
  const byStatus = new Map<number, string[]>();
  const add = (code: ErrorCode, status: number) => {
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) codes.push(code);
    byStatus.set(status, codes);
  };
  for (const code of impliedErrors(op)) add(code, statusOf(code));
  for (const entry of op.errors ?? []) {
    if (typeof entry === "string") add(entry, statusOf(entry));
    else add(entry[0], entry[1]);
  }
  return new Map([...byStatus.entries()].sort(([a], [b]) => a - b));
}

function errorResponse(status: number, codes: string[]) {
  const constraint: JsonSchema = {
    type: "object",
    properties: { error: { enum: codes }, status_code: { const: status } },
  };
  if (status === 422 && codes.length === 1 && codes[0] === "validation_error") constraint.required = ["fields"];
  return {
    description: `Error: ${codes.map((code) => `\`${code}\``).join(", ")}.`,
    headers: commonResponseHeaders(status),
    content: { "application/json": { schema: { allOf: [{ $ref: `${SCHEMA_REF}ErrorBody` }, constraint] } } },
  };
}

function commonResponseHeaders(status: number): Record<string, unknown> {
  const headers: Record<string, unknown> = { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } };
  if (status === 429) headers["Retry-After"] = { $ref: "#/components/headers/Retry-After" };
  return headers;
}

/**
 * Converts a registry of zod schemas (ids → schemas) to JSON Schema with references between them,
 * as OpenAPI components: without the `$schema`/`$id` zod adds per schema.
 */
function convertRegistry(entries: [string, z.ZodType][], io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) if (!registry.has(schema)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id) => `${SCHEMA_REF}${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema;
      return [id, rest];
    }),
  );
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function parameterSchema(spec: ParameterSpec): JsonSchema {
  const schema = z.toJSONSchema(spec.schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete schema.$schema;
  return spec.list ? { type: "array", items: schema } : schema;
}

function parametersOf(op: OperationSpec): unknown[] {
  const params: unknown[] = [];
  for (const name of op.path.match(/\{([^}]+)\}/g)?.map((m) => m.slice(1, -1)) ?? []) {
    params.push({
      name,
      in: "path",
      required: true,
      description: op.pathParams?.[name] ?? name,
      schema: { type: "string", minLength: 1 },
    });
  }
  for (const [name, spec] of Object.entries(op.query ?? {})) {
    params.push({
      name,
      in: "query",
      required: false,
      description: spec.list ? `${spec.description} Repeat it, or separate values with commas.` : spec.description,
      schema: parameterSchema(spec),
      ...(spec.list ? { style: "form", explode: true } : {}),
    });
  }
  if (op.auth === "api_key") {
    params.push({ $ref: "#/components/parameters/KeyInflection" }, { $ref: "#/components/parameters/VerifaVersion" });
    if (op.method === "post") params.push({ $ref: "#/components/parameters/IdempotencyKey" });
  }
  return params;
}

function securityOf(op: OperationSpec): unknown[] {
  if (op.auth !== "api_key") return [];
  const scopes = [...(op.scopes ?? [])];
  return [{ ApiKeyAuth: scopes }, { BearerAuth: scopes }];
}

function describe(op: OperationSpec): string {
  const lines = [op.description ?? ""];
  if (op.auth === "api_key" && op.scopes?.length) {
    lines.push(`Scopes: ${op.scopes.map((s) => `\`${s}\``).join(", ")}.`);
  }
  if (op.auth === "capture_token") lines.push("No API key: the capture token in the path is the credential.");
  return lines.filter(Boolean).join("\n\n");
}

let built: OpenApiDocument | null = null;

/** The document (the same object on every call: treat it as read-only). */
export function openApiDocument(): OpenApiDocument {
  built ??= buildDocument();
  return built;
}

function buildDocument(): OpenApiDocument {
  const requestEntries: [string, z.ZodType][] = [];
  const responseEntries: [string, z.ZodType][] = [["ErrorBody", errorBodySchema], ...Object.entries(NAMED_SCHEMAS)];
  const named = new Map<z.ZodType, string>(responseEntries.map(([id, schema]) => [schema, id]));
  const responseRef = (op: OperationSpec, status: number, schema: z.ZodType) => {
    let id = named.get(schema);
    if (!id) {
      id = `${capitalised(op.operationId)}${status}`;
      named.set(schema, id);
      responseEntries.push([id, schema]);
    }
    return { $ref: `${SCHEMA_REF}${id}` };
  };
  const requestIds = new Map<z.ZodType, string>();
  const requestRef = (op: OperationSpec, schema: z.ZodType, suffix = "Request") => {
    let id = requestIds.get(schema);
    if (!id) {
      id = `${capitalised(op.operationId)}${suffix}`;
      requestIds.set(schema, id);
      requestEntries.push([id, schema]);
    }
    return { $ref: `${SCHEMA_REF}${id}` };
  };

  const paths: OpenApiDocument["paths"] = {};
  const errorResponseNames = new Map<string, string>();
  const errorResponses: Record<string, unknown> = {};
  for (const op of API_OPERATIONS) {
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(op.responses)) {
      const headers: Record<string, unknown> = commonResponseHeaders(Number(status));
      for (const [name, description] of Object.entries(spec.headers ?? {})) {
        headers[name] = { description, schema: { type: "string" } };
      }
      const response: Record<string, unknown> = { description: spec.description, headers };
      if (spec.schema) {
        response.content = {
          [spec.contentType ?? "application/json"]: { schema: responseRef(op, Number(status), spec.schema) },
        };
      } else if (spec.contentType) {
        response.content = { [spec.contentType]: { schema: { type: "string", format: "binary" } } };
      }
      responses[status] = response;
    }
    for (const [status, codes] of errorCodesByStatus(op)) {
      // The same status and codes are one shared component: the document (and generated clients) stay small.
      const key = `${status} ${codes.join(" ")}`;
      let name = errorResponseNames.get(key);
      if (!name) {
        name = `Error${status}_${errorResponseNames.size + 1}`;
        errorResponseNames.set(key, name);
        errorResponses[name] = errorResponse(status, codes);
      }
      responses[String(status)] = { $ref: `#/components/responses/${name}` };
    }

    const operation: Record<string, unknown> = {
      operationId: op.operationId,
      summary: op.summary,
      tags: [op.tag],
      security: securityOf(op),
      parameters: parametersOf(op),
      responses,
    };
    const description = describe(op);
    if (description) operation.description = description;
    if (op.body) {
      const content: Record<string, unknown> = {
        [op.body.contentType ?? "application/json"]: { schema: requestRef(op, op.body.schema) },
      };
      for (const alternative of op.body.alternatives ?? []) {
        content[alternative.contentType] = { schema: requestRef(op, alternative.schema, "Upload") };
      }
      operation.requestBody = {
        required: op.body.required ?? false,
        description: op.body.description ??
          ((op.body.contentType ?? "application/json") === "application/json"
            ? "Keys may also be sent in camelCase or kebab-case; an empty body is `{}`."
            : undefined),
        content,
      };
    }
    (paths[op.path] ??= {})[op.method] = operation;
  }

  const webhookEntries = Object.entries(webhookPayloads).map(([event, schema]) => {
    const id = `${event.split(/[.-]/).map(capitalised).join("")}Event`;
    responseEntries.push([id, schema]);
    return [event, id] as const;
  });

  const schemas = {
    ...convertRegistry(responseEntries, "output"),
    ...convertRegistry(requestEntries, "input"),
  };
  const webhooks = Object.fromEntries(webhookEntries.map(([event, id]) => [event, {
    post: {
      operationId: `webhook_${event.replace(/[.-]/g, "_")}`,
      summary: event,
      description: `${WEBHOOK_EVENT_TYPES[event]}\n\nSigned with \`X-Verifa-Signature: t=<unix>,v1=<hex ` +
        `HMAC-SHA256 of "{t}.{raw body}">\` under the endpoint's whsec_ secret (one v1= per valid secret ` +
        "during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.",
      tags: ["Webhook events"],
      parameters: [
        { name: "X-Verifa-Signature", in: "header", required: true, schema: { type: "string" } },
        { name: "X-Verifa-Event", in: "header", required: true, schema: { type: "string", const: event } },
        { name: "X-Verifa-Delivery-Id", in: "header", required: true, schema: { type: "string" } },
        { name: "webhook-id", in: "header", required: true, schema: { type: "string" } },
        { name: "webhook-timestamp", in: "header", required: true, schema: { type: "string" } },
        { name: "webhook-signature", in: "header", required: true, schema: { type: "string" } },
      ],
      requestBody: { required: true, content: { "application/json": { schema: { $ref: `${SCHEMA_REF}${id}` } } } },
      responses: { "200": { description: "Any 2xx acknowledges the delivery; anything else is retried." } },
    },
  }]));

  const tags = [...new Set(API_OPERATIONS.map((op) => op.tag)), "Webhook events"].map((name) => ({
    name,
    description: TAG_DESCRIPTIONS[name] ?? name,
  }));
  return {
    openapi: "3.1.0",
    info: {
      title: "Verifa self-hosted API",
      version: CURRENT_API_VERSION,
      description: "Identity verification on your own infrastructure. REST under `/api/v1` (an API key in " +
        "`X-API-Key` or `Authorization: Bearer`), the capture API under `/verify/{token}/…` (the token is the " +
        "credential). Errors are `{error, detail, status_code}`; a 422 adds `fields`. Every response carries " +
        "`X-Request-Id`; API responses carry `X-RateLimit-Limit`, `-Remaining` and `-Reset`.",
      license: { name: "Proprietary", identifier: "LicenseRef-Verifa" },
    },
    servers: [{ url: "/", description: "This server (VERIFA_PUBLIC_URL)." }],
    security: [{ ApiKeyAuth: [] }, { BearerAuth: [] }],
    tags,
    paths,
    webhooks,
    components: {
      schemas,
      responses: errorResponses,
      securitySchemes: {
        ApiKeyAuth: { type: "apiKey", in: "header", name: "X-API-Key", description: "vk_live_…, vk_sandbox_…" },
        BearerAuth: { type: "http", scheme: "bearer", description: "The same key as `Authorization: Bearer <key>`." },
      },
      parameters: {
        KeyInflection: {
          name: "Key-Inflection",
          in: "header",
          required: false,
          description: "The casing of response keys; defaults to the key's default_key_inflection (snake).",
          schema: { type: "string", enum: [...INFLECTIONS] },
        },
        VerifaVersion: {
          name: "Verifa-Version",
          in: "header",
          required: false,
          description: `The API version (YYYY-MM-DD); current ${CURRENT_API_VERSION}.`,
          schema: { type: "string", enum: [...SUPPORTED_API_VERSIONS] },
        },
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "A replay within 24 h returns the stored reply; the same key with another body is 422 " +
            "idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress.",
          schema: { type: "string", minLength: 1, maxLength: 255 },
        },
      },
      headers: {
        "X-Request-Id": { description: "Quote it when reporting a problem.", schema: { type: "string" } },
        "Retry-After": { description: "Seconds until the rate-limit window resets.", schema: { type: "integer" } },
      },
    },
  };
}
