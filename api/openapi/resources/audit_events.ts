/** Owns the API document of the audit log (`/api/v1/events`): the hash-chained rows and their filters. */
import { z } from "zod";
import { dateQuery, environment, jsonObject, operations, pageOf, pageQuery, timestamp } from "../spec.ts";

export const auditEventSchema = z.object({
  id: z.string(),
  object: z.literal("audit_event"),
  type: z.string().describe("The action, dotted (`api.session.create`)."),
  sequence_num: z.number().int(),
  created_at: timestamp,
  environment: environment.nullable(),
  actor: z.string(),
  actor_type: z.string(),
  actor_id: z.string(),
  resource_type: z.string().nullable(),
  resource_id: z.string().nullable(),
  metadata: jsonObject,
  request_id: z.string().nullable(),
  request_method: z.string().nullable(),
  request_path: z.string().nullable(),
  prev_hash: z.string(),
  hash: z.string(),
});

const text = (description: string) => ({ schema: z.string().max(200), description });

export const auditEventSchemas = { AuditEvent: auditEventSchema };

export const auditEventOperations = operations({ tag: "Audit log", auth: "api_key" }, [
  {
    method: "get",
    path: "/api/v1/events",
    operationId: "listAuditEvents",
    summary: "List audit events",
    scopes: ["events:read"],
    query: {
      ...pageQuery,
      action: {
        schema: z.string().regex(/^[a-z0-9_.-]+\*?$|^\*$/),
        description: "Dotted action names, a trailing `*` for a prefix (`api.session.*`).",
        list: true,
      },
      resource_type: text("Only events on this resource type."),
      resource_id: text("Only events on this resource."),
      actor: text("Only events by this actor (`api_key:key_…`)."),
      created_after: dateQuery("Created at or after"),
      created_before: dateQuery("Created before"),
      q: text("Free-text search."),
      order: { schema: z.enum(["asc", "desc"]), description: "By sequence number; newest first by default." },
    },
    responses: { 200: { description: "A page of audit events.", schema: pageOf(auditEventSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/events/{eventId}",
    operationId: "getAuditEvent",
    summary: "Get an audit event",
    scopes: ["events:read"],
    pathParams: { eventId: "The audit event id (`aud_…`)." },
    responses: { 200: { description: "The audit event.", schema: auditEventSchema } },
  },
]);
