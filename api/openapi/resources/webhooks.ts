/**
 * Owns the API document of webhooks: endpoints (create, list, get, patch, delete, rotate, clone,
 * test), deliveries with their attempts and retry, the event-type catalogue, and the payload of
 * every event type the product sends (the document's `webhooks`).
 */
import { z } from "zod";
import { createEndpointSchema, updateEndpointSchema } from "../../../core/webhooks/endpoints.ts";
import { DELIVERY_STATUSES } from "../../../core/webhooks/deliveries.ts";
import { WEBHOOK_EVENT_TYPES } from "../../../core/webhooks/event_types.ts";
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

export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  environment,
  enabled: z.boolean(),
  enabled_events: z.array(z.string()),
  label: z.string().nullable(),
  description: z.string().nullable(),
  attribute_blocklist: z.array(z.string()),
  event_filter_conditions: jsonObject.nullable(),
  api_version: z.string(),
  key_inflection: z.enum(["snake", "camel", "kebab"]),
  consecutive_failures: z.number().int(),
  disabled_reason: z.string().nullable(),
  disabled_at: nullableTimestamp,
  previous_secret_expires_at: nullableTimestamp,
  cloned_from: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  secret: z.string().optional().describe(
    "The whsec_ signing secret: on create, rotate and clone; on every read for sandbox endpoints.",
  ),
});

export const webhookDeliverySchema = z.object({
  id: z.string(),
  endpoint_id: z.string(),
  event_id: z.string().nullable(),
  event_type: z.string(),
  session_id: z.string().nullable(),
  idempotency_key: z.string(),
  url: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  next_attempt_at: nullableTimestamp,
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  is_test: z.boolean(),
  created_at: timestamp,
  completed_at: nullableTimestamp,
});

const deliveryDetailSchema = webhookDeliverySchema.extend({
  attempt_log: z.array(z.object({
    attempt: z.number().int(),
    started_at: timestamp,
    duration_ms: z.number().nullable(),
    status_code: z.number().int().nullable(),
    response_excerpt: z.string().nullable(),
    error: z.string().nullable(),
  })),
});

// ---- Payloads: what an endpoint receives (keys in the endpoint's key_inflection) ------------

const EVENT_TYPES = Object.keys(WEBHOOK_EVENT_TYPES);
const DECISION_EVENTS = [
  "session.approved",
  "session.declined",
  "session.requires-review",
  "session.resubmission-required",
];

const basePayload = {
  idempotency_key: z.string().describe("Stable across retries: deduplicate on it."),
  created_at: timestamp,
  is_sandbox: z.boolean(),
};
const sessionPayload = {
  ...basePayload,
  session_id: z.string(),
  external_ref: z.string().nullable(),
  status: z.string().describe("The session's status; for a decision event, the decision."),
  identity_id: z.string().nullable(),
};
const decisionResult = z.object({
  status: z.string(),
  face_match_passed: z.boolean().nullable(),
  face_match_score: z.number().nullable(),
  age_check_passed: z.boolean().nullable(),
  extracted_age: z.number().int().nullable(),
  extracted_data: jsonObject.describe("Filtered by api_pii_fields; an endpoint's attribute_blocklist removes more."),
  rejection_reason: z.string().nullable(),
  rejection_reason_code: z.string().nullable(),
});

function payloadOf(event: string): z.ZodType {
  const type = z.literal(event);
  if (event === "webhook.test") return z.object({ event: type, ...basePayload, message: z.string() });
  if (event.startsWith("identity.")) {
    return z.looseObject({ event: type, ...basePayload, identity_id: z.string() })
      .describe("With the change's own fields (`changed`, `tags`, `source`, `flagged_by`).");
  }
  if (event.startsWith("case.")) {
    return z.looseObject({
      event: type,
      ...sessionPayload,
      case_id: z.string(),
      decision: z.string().nullable(),
      reason_code: z.string().nullable(),
    }).describe("`status` is the case's; escalations add who and why.");
  }
  if (DECISION_EVENTS.includes(event)) {
    return z.object({ event: type, ...sessionPayload, result: decisionResult.optional() });
  }
  return z.object({ event: type, ...sessionPayload });
}

/** Event type → its payload schema, one per type the product sends (core/webhooks/event_types.ts). */
export const webhookPayloads: Record<string, z.ZodType> = Object.fromEntries(
  EVENT_TYPES.map((event) => [event, payloadOf(event)]),
);

const idParam = { id: "The endpoint id (`whep_…`)." };
const read = ["webhooks:read"];
const write = ["webhooks:write"];
const tag = "Webhooks";
const deliveryFilters = {
  ...pageQuery,
  event_type: { schema: z.string(), description: "Only deliveries of this event type." },
  status: enumListQuery(DELIVERY_STATUSES, "Only deliveries in these statuses."),
  date_from: dateQuery("Created at or after"),
  date_to: dateQuery("Created before"),
};

export const webhookSchemas = {
  WebhookEndpoint: webhookEndpointSchema,
  WebhookDelivery: webhookDeliverySchema,
  WebhookDeliveryDetail: deliveryDetailSchema,
};

export const webhookOperations = operations({ tag, auth: "api_key" }, [
  {
    method: "get",
    path: "/api/v1/webhooks/event-types",
    operationId: "listWebhookEventTypes",
    summary: "The event types an endpoint can subscribe to",
    scopes: read,
    responses: {
      200: {
        description: "The catalogue.",
        schema: listOf(z.object({ type: z.enum(EVENT_TYPES as [string, ...string[]]), description: z.string() })),
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/webhooks/endpoints",
    operationId: "listWebhookEndpoints",
    summary: "List webhook endpoints",
    scopes: read,
    query: pageQuery,
    responses: { 200: { description: "A page of endpoints.", schema: pageOf(webhookEndpointSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/webhooks/endpoints",
    operationId: "createWebhookEndpoint",
    summary: "Create a webhook endpoint",
    description:
      "Live endpoints need https; private and loopback addresses are refused unless the operator allows them.",
    scopes: write,
    body: { schema: createEndpointSchema },
    responses: { 201: { description: "The endpoint, with its secret.", schema: webhookEndpointSchema } },
  },
  {
    method: "get",
    path: "/api/v1/webhooks/endpoints/{id}",
    operationId: "getWebhookEndpoint",
    summary: "Get a webhook endpoint",
    scopes: read,
    pathParams: idParam,
    responses: { 200: { description: "The endpoint.", schema: webhookEndpointSchema } },
  },
  {
    method: "patch",
    path: "/api/v1/webhooks/endpoints/{id}",
    operationId: "updateWebhookEndpoint",
    summary: "Update a webhook endpoint",
    scopes: write,
    pathParams: idParam,
    body: { schema: updateEndpointSchema },
    responses: { 200: { description: "The endpoint.", schema: webhookEndpointSchema } },
  },
  {
    method: "delete",
    path: "/api/v1/webhooks/endpoints/{id}",
    operationId: "deleteWebhookEndpoint",
    summary: "Delete a webhook endpoint",
    scopes: write,
    pathParams: idParam,
    responses: {
      200: { description: "Deleted.", schema: z.object({ id: z.string(), deleted: z.literal(true) }) },
    },
  },
  {
    method: "post",
    path: "/api/v1/webhooks/endpoints/{id}/rotate-secret",
    operationId: "rotateWebhookSecret",
    summary: "Rotate an endpoint's secret (the old one signs too for 24 h)",
    scopes: write,
    pathParams: idParam,
    responses: { 200: { description: "The endpoint, with its new secret.", schema: webhookEndpointSchema } },
  },
  {
    method: "post",
    path: "/api/v1/webhooks/endpoints/{id}/clone",
    operationId: "cloneWebhookEndpoint",
    summary: "Clone an endpoint (a new secret)",
    scopes: write,
    pathParams: idParam,
    responses: { 201: { description: "The new endpoint, with its secret.", schema: webhookEndpointSchema } },
  },
  {
    method: "post",
    path: "/api/v1/webhooks/endpoints/{id}/test",
    operationId: "testWebhookEndpoint",
    summary: "Send a webhook.test event now",
    scopes: write,
    pathParams: idParam,
    responses: {
      200: {
        description: "The outcome of the one attempt (recorded as a delivery, never retried).",
        schema: z.object({
          success: z.boolean(),
          http_status: z.number().int().nullable(),
          error: z.string().nullable(),
          url: z.string(),
          delivery_id: z.string(),
        }),
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/webhooks/endpoints/{id}/deliveries",
    operationId: "listEndpointDeliveries",
    summary: "List an endpoint's deliveries",
    scopes: read,
    pathParams: idParam,
    query: deliveryFilters,
    responses: { 200: { description: "A page of deliveries.", schema: pageOf(webhookDeliverySchema) } },
  },
  {
    method: "get",
    path: "/api/v1/webhooks/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "List deliveries",
    scopes: read,
    query: {
      ...deliveryFilters,
      endpoint_id: { schema: z.string(), description: "Only this endpoint's deliveries." },
      session_id: { schema: z.string(), description: "Only deliveries of this session's events." },
    },
    responses: { 200: { description: "A page of deliveries.", schema: pageOf(webhookDeliverySchema) } },
  },
  {
    method: "get",
    path: "/api/v1/webhooks/deliveries/{id}",
    operationId: "getWebhookDelivery",
    summary: "Get a delivery with every attempt",
    scopes: read,
    pathParams: { id: "The delivery id (`whd_…`)." },
    responses: { 200: { description: "The delivery and its attempt log.", schema: deliveryDetailSchema } },
  },
  {
    method: "post",
    path: "/api/v1/webhooks/deliveries/{id}/retry",
    operationId: "retryWebhookDelivery",
    summary: "Retry a delivery now",
    scopes: write,
    pathParams: { id: "The delivery id (`whd_…`)." },
    responses: { 202: { description: "The delivery, queued again.", schema: webhookDeliverySchema } },
    errors: ["conflict"],
  },
]);
