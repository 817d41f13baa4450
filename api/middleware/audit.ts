/**
 * Owns recording API calls in the audit log: every mutating call under /api/v1 (POST, PUT, PATCH,
 * DELETE) that succeeded, and the DSAR export reads, as `api.<resource>.<verb>` (from the matched
 * route, e.g. `api.session.tag.delete`) with the API key as actor. It records the route, the ids
 * in the path, the status and the request id: never bodies, query strings, or path values other
 * than the resource's identifier and generated ids.
 *
 * It runs after the handler, whose transaction has already committed, so each row is appended in a
 * transaction of its own: a crash between the two can lose the record of a committed call. The
 * changes whose record must be atomic with them (redaction receipts, …) call appendAuditEvent
 * inside their own transaction as well. If the append fails, a mutation keeps its success answer
 * (the change is done; a 500 would invite a retry that repeats it) and the failure is logged; an
 * export is refused with a 500, so personal data never leaves without its audit row.
 *
 * Idempotent replays stop in the idempotency layer before this one: the first call was recorded.
 */
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "../http.ts";
import type { Db } from "../../core/db/create_db.ts";
import type { Logger } from "../../core/logger.ts";
import { appendAuditEvent } from "../../core/audit/log.ts";

const API_PREFIX = "/api/v1/";
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Reads that hand out personal data (GDPR Art. 15 exports) are audited too. */
const AUDITED_READS = new Set(["/api/v1/sessions/:id/export", "/api/v1/identities/:id/export"]);
const METHOD_VERBS: Record<string, string> = { POST: "create", PUT: "update", PATCH: "update", DELETE: "delete" };
/** The shape of ids core/ids.ts generates: only such path values are recorded beside the target. */
const GENERATED_ID = /^[a-z]+_[0-9a-z]{24}$/;
/** Collection names in routes, in the singular the actions use; a POST to one is a `create`. */
const NOUNS: Record<string, string> = {
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
};

export interface ApiCallRecord {
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The route with the target and generated ids filled in and any other parameter left as `:name`. */
  path: string;
  /** Generated ids among the other path parameters, by parameter name. */
  ids: Record<string, string>;
  /** Whether the create's response body should be read for the new object's id. */
  createsAtCollection: boolean;
}

function isParam(segment: string): boolean {
  return segment.startsWith(":");
}

function paramName(segment: string): string {
  return segment.slice(1).replace(/\{.*\}$/, "").replace(/\?$/, "");
}

/** Hono has matched the route, so the value decodes; a stray `%` stays as sent. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function word(segment: string): string {
  return Object.hasOwn(NOUNS, segment) ? NOUNS[segment] : segment.replaceAll("-", "_");
}

/**
 * Names a call from its method, the matched route pattern and the request path; null for a route
 * the rules cannot read (a wildcard), which is then recorded under its method alone.
 */
export function describeApiCall(method: string, pattern: string, path: string): ApiCallRecord | null {
  if (!pattern.startsWith(API_PREFIX) || pattern.includes("*")) return null;
  const shape = pattern.slice(API_PREFIX.length).split("/").filter(Boolean);
  const values = path.slice(API_PREFIX.length).split("/").filter(Boolean);
  if (shape.length !== values.length || shape.length === 0 || isParam(shape[0])) return null;

  const resource = word(shape[0]);
  const literals = shape.slice(1).filter((s) => !isParam(s)).map(word);
  const last = shape[shape.length - 1];
  const firstParam = shape.findIndex(isParam);
  const methodVerb = METHOD_VERBS[method] ?? "read";
  const postToCollection = method === "POST" && Object.hasOwn(NOUNS, last);
  const createsAtCollection = firstParam === -1 && postToCollection;
  let verb: string;
  if (literals.length === 0) verb = methodVerb;
  else if (isParam(last) || method !== "POST" && method !== "GET") verb = `${literals.join(".")}.${methodVerb}`;
  else if (postToCollection) verb = `${literals.join(".")}.create`;
  else verb = literals.join(".");

  // The target: the resource named by the first parameter (its id, or the external reference the
  // product keeps for audit even after erasure); for a create, the resource being created.
  const ownerIndex = firstParam === -1 ? shape.length - 1 : firstParam - 1;
  const owner = word(shape[ownerIndex]);
  const targetType = ownerIndex === 0 ? resource : `${resource}_${owner}`;
  const ids: Record<string, string> = {};
  const filled = shape.map((segment, i) => {
    if (!isParam(segment)) return segment;
    const value = decoded(values[i]);
    if (i === firstParam) return value;
    if (GENERATED_ID.test(value)) {
      ids[paramName(segment)] = value;
      return value;
    }
    return `:${paramName(segment)}`;
  });
  return {
    action: `api.${resource}.${verb}`,
    targetType: firstParam === -1 && !createsAtCollection ? null : targetType,
    targetId: firstParam === -1 ? null : decoded(values[firstParam]),
    path: API_PREFIX + filled.join("/"),
    ids,
    createsAtCollection,
  };
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
    await next();
    const method = c.req.method;
    const status = c.res.status;
    const pattern = routePath(c);
    const read = method === "GET" && AUDITED_READS.has(pattern);
    if (!(MUTATING.has(method) || read) || status < 200 || status > 299) return;
    const principal = c.get("principal");
    if (!principal || !c.req.path.startsWith(API_PREFIX)) return;

    const call = describeApiCall(method, pattern, c.req.path);
    const created = call?.createsAtCollection ? await createdId(c.res) : null;
    const action = call?.action ?? `api.${method.toLowerCase()}`;
    try {
      await appendAuditEvent(db, {
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
      }, clock());
    } catch (error) {
      log.error("audit append failed", {
        request_id: c.get("requestId"),
        org_id: principal.orgId,
        action,
        error: error instanceof Error ? error.message : String(error),
      });
      if (read) throw error;
    }
  };
}
