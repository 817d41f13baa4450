/**
 * Owns naming an HTTP call for the audit log from the route Hono matched: `<prefix>.<resource>.<verb>`
 * (e.g. `api.session.tag.delete`, `dashboard.case.note.create`), the target (the resource the first
 * path parameter names) and the route with only identifiers filled in. Shared by the API's audit
 * middleware (api/middleware/audit.ts) and the dashboard's (api/dashboard/audit.ts), each with its
 * own rules: the URL prefix, the collection names, and the dashboard's extras (section segments
 * such as `developers/` that name no resource, singletons such as `settings` a POST updates); and
 * running a recorded call as one transaction with its row (withAuditedCall).
 */
import type { Context, Next } from "hono";
import { withRequestTransaction } from "../core/db/request_transaction.ts";
import { routePath } from "hono/route";

export interface RouteRules {
  /** The mount point, with both slashes: `/api/v1/`. */
  urlPrefix: string;
  /** The first word of every action: `api`, `dashboard`. */
  actionPrefix: string;
  /** Collection names in routes, in the singular the actions use; a POST to one is a `create`. */
  nouns: Record<string, string>;
  /** Leading segments that only group pages (`developers`), skipped when naming. */
  sections?: readonly string[];
  /** Resources with one instance (`settings`): a POST to them is an `update`. */
  singletons?: readonly string[];
}

export interface RouteCallRecord {
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The route with the target and generated ids filled in and any other parameter left as `:name`. */
  path: string;
  /** Generated ids among the other path parameters, by parameter name. */
  ids: Record<string, string>;
  /** Whether the call creates an object at a collection (its id is in the response, not the path). */
  createsAtCollection: boolean;
  /** The resource's singular name (`session`), the first word after the prefix. */
  resource: string;
}

const METHOD_VERBS: Record<string, string> = { POST: "create", PUT: "update", PATCH: "update", DELETE: "delete" };
/** The shape of ids core/ids.ts generates: only such path values are recorded beside the target. */
export const GENERATED_ID = /^[a-z]+_[0-9a-z]{24}$/;

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

/**
 * Names a call from its method, the matched route pattern and the request path; null for a route
 * the rules cannot read (a wildcard, another prefix), which the caller records under its method.
 */
export function describeRouteCall(
  rules: RouteRules,
  method: string,
  pattern: string,
  path: string,
): RouteCallRecord | null {
  const { urlPrefix, nouns } = rules;
  if (!pattern.startsWith(urlPrefix) || !path.startsWith(urlPrefix) || pattern.includes("*")) return null;
  const fullShape = pattern.slice(urlPrefix.length).split("/").filter(Boolean);
  const fullValues = path.slice(urlPrefix.length).split("/").filter(Boolean);
  if (fullShape.length !== fullValues.length) return null;
  let skip = 0;
  while (skip < fullShape.length - 1 && rules.sections?.includes(fullShape[skip])) skip++;
  const shape = fullShape.slice(skip);
  const values = fullValues.slice(skip);
  if (shape.length === 0 || isParam(shape[0])) return null;

  const word = (segment: string) => Object.hasOwn(nouns, segment) ? nouns[segment] : segment.replaceAll("-", "_");
  const resource = word(shape[0]);
  const literals = shape.slice(1).filter((s) => !isParam(s)).map(word);
  const last = shape[shape.length - 1];
  const firstParam = shape.findIndex(isParam);
  const singleton = shape.length === 1 && (rules.singletons?.includes(shape[0]) ?? false);
  const methodVerb = singleton ? "update" : METHOD_VERBS[method] ?? "read";
  const postToCollection = method === "POST" && !singleton && Object.hasOwn(nouns, last);
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
    action: `${rules.actionPrefix}.${resource}.${verb}`,
    targetType: firstParam === -1 && !createsAtCollection ? null : targetType,
    targetId: firstParam === -1 ? null : decoded(values[firstParam]),
    path: urlPrefix + [...fullShape.slice(0, skip), ...filled].join("/"),
    ids,
    createsAtCollection,
    resource,
  };
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * For a recorder running after `next()`: the call to record, when it was a change (POST, PUT,
 * PATCH, DELETE) or one of `auditedReads` (matched route patterns) and its answer's status is
 * between 200 and `maxStatus`; null otherwise.
 */
export function recordableCall(c: Context, auditedReads: ReadonlySet<string>, maxStatus: number) {
  const method = c.req.method;
  const status = c.res.status;
  const pattern = routePath(c);
  const read = method === "GET" && auditedReads.has(pattern);
  if (!(MUTATING.has(method) || read) || status < 200 || status > maxStatus) return null;
  return { method, status, pattern };
}

/**
 * Runs the rest of the request as one request transaction (core/db/request_transaction.ts) whose
 * audit row `record` appends before it commits. A handler that failed (5xx) is rolled back: its
 * error answer is already set. If `record` throws, the call rolls back and the error reaches the
 * app's error handler (a 500).
 */
export async function withAuditedCall(next: Next, c: Context, record: () => Promise<void>): Promise<void> {
  await withRequestTransaction(next, async () => {
    if (c.res.status >= 500) return "rollback";
    await record();
    return "commit";
  });
}
