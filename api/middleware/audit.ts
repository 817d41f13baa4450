/**
 * Owns recording API calls in the audit log: every mutating call under /api/v1 (POST, PUT, PATCH,
 * DELETE) that succeeded, and the DSAR export reads, as `api.<resource>.<verb>` (from the matched
 * route, e.g. `api.session.tag.delete`) with the API key as actor. It records the route, the ids
 * in the path, the status and the request id: never bodies, query strings, or path values other
 * than the resource's identifier and generated ids.
 *
 * The handler runs as one request transaction (core/db/request_transaction.ts): what it writes and
 * this row commit together, so a crash can no longer leave a committed call unrecorded, and if the
 * append fails the call's changes roll back with it and the answer is a 500 (nothing changed, so a
 * retry is safe). A handler that fails (5xx) rolls back too; a 4xx keeps what it wrote, as it did.
 * The changes whose record must be atomic outside a request (the worker's redaction receipts, …)
 * call appendAuditEvent inside their own transaction.
 *
 * Idempotent replays (answered inside the route, once requireScope authorised them) are not
 * recorded again: the first call was.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../http.ts";
import type { Db } from "../../core/db/create_db.ts";
import type { Logger } from "../../core/logger.ts";
import { appendAuditEventAtCommit } from "../../core/audit/log.ts";
import {
  describeRouteCall,
  GENERATED_ID,
  recordableCall,
  type RouteCallRecord,
  type RouteRules,
  withAuditedCall,
} from "../route_actions.ts";

const API_PREFIX = "/api/v1/";
/** Reads that hand out personal data (GDPR Art. 15 exports) are audited too. */
const AUDITED_READS = new Set(["/api/v1/sessions/:id/export", "/api/v1/identities/:id/export"]);
/** Collection names in routes, in the singular the actions use; a POST to one is a `create`. */
const API_RULES: RouteRules = {
  urlPrefix: API_PREFIX,
  actionPrefix: "api",
  nouns: {
    "sessions": "session",
    "identities": "identity",
    "api-keys": "api_key",
    "webhooks": "webhook",
    "endpoints": "endpoint",
    "deliveries": "delivery",
    "workflows": "workflow",
    "versions": "version",
    "verification-policies": "verification_policy",
    "lists": "list",
    "items": "item",
    "list-matches": "list_match",
    "cases": "case",
    "notes": "note",
    "results": "result",
    "documents": "document",
    "tags": "tag",
    "settings": "settings",
    "events": "event",
  },
};

export type ApiCallRecord = RouteCallRecord;

/**
 * Names a call from its method, the matched route pattern and the request path; null for a route
 * the rules cannot read (a wildcard), which is then recorded under its method alone.
 */
export function describeApiCall(method: string, pattern: string, path: string): ApiCallRecord | null {
  return describeRouteCall(API_RULES, method, pattern, path);
}

/** The `id` of a created object in a JSON response, when it has the generated shape. */
async function createdId(response: Response): Promise<string | null> {
  if (!/^application\/json/i.test(response.headers.get("content-type") ?? "")) return null;
  try {
    const body = await response.clone().json();
    const id = body?.id ?? body?.data?.id;
    return typeof id === "string" && GENERATED_ID.test(id) ? id : null;
  } catch {
    return null;
  }
}

export function auditApiCalls(db: Db, clock: () => Date, log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await withAuditedCall(next, c, () => recordApiCall(c, db, clock, log));
  };
}

/** Appends the row for a recordable call, with its request transaction's COMMIT; a failure is logged and fails the call. */
async function recordApiCall(c: Context<AppEnv>, db: Db, clock: () => Date, log: Logger): Promise<void> {
  if (c.res.headers.get("Idempotent-Replayed") === "true") return;
  const recordable = recordableCall(c, AUDITED_READS, 299);
  if (!recordable) return;
  const { method, status, pattern } = recordable;
  const principal = c.get("principal");
  if (!principal || !c.req.path.startsWith(API_PREFIX)) return;

  const call = describeApiCall(method, pattern, c.req.path);
  const created = call?.createsAtCollection ? await createdId(c.res) : null;
  const action = call?.action ?? `api.${method.toLowerCase()}`;
  const failed = (error: unknown) =>
    log.error("audit append failed", {
      request_id: c.get("requestId"),
      org_id: principal.orgId,
      action,
      error: error instanceof Error ? error.message : String(error),
    });
  await appendAuditEventAtCommit(
    db,
    {
      orgId: principal.orgId,
      environment: principal.environment,
      actor: { type: "api_key", id: principal.keyId },
      action,
      targetType: call?.targetType ?? null,
      targetId: call?.targetId ?? created,
      details: {
        method,
        path: call?.path ?? pattern,
        status,
        key_prefix: principal.keyPrefix,
        ...(call && Object.keys(call.ids).length ? { ids: call.ids } : {}),
      },
      requestId: c.get("requestId"),
    },
    clock(),
    failed,
  );
}
