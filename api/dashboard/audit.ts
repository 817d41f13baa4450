/**
 * Owns recording dashboard actions in the audit log (issue #9): every successful (2xx/3xx) non-GET
 * request under /dashboard past `requireOperator`, and the session export download, as
 * `dashboard.<resource>.<verb>` named from the matched route by the rules the API's audit middleware
 * uses (api/route_actions.ts), e.g. `dashboard.session.expire`, `dashboard.case.note.create`,
 * `dashboard.settings.update`. The actor is the operator; the environment the one they are looking
 * at, or none for organisation-wide areas (users, their own account, settings, sign-out). Details
 * hold the method, the route with only ids filled in, the status, and what the handler noted
 * (`auditNote`: enums, ids, counts) — never form values.
 *
 * Sign-in and enrolment happen before there is an operator; api/dashboard/auth/sign_in.tsx records
 * them with `recordOperatorAction`. As in the API, the action runs as one request transaction
 * (core/db/request_transaction.ts) that its row joins: both commit or neither does. If the append
 * fails, the action rolls back and is answered with a 500 (the failure is logged); an action that
 * fails (5xx) rolls back too.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { CoreDeps } from "../../core/deps.ts";
import type { Environment } from "../../core/db/database.ts";
import { appendAuditEventAtCommit } from "../../core/audit/log.ts";
import { describeRouteCall, GENERATED_ID, recordableCall, type RouteRules, withAuditedCall } from "../route_actions.ts";
import type { AuditNote, DashboardEnv } from "./env.ts";

const DASHBOARD_PREFIX = "/dashboard/";

const DASHBOARD_RULES: RouteRules = {
  urlPrefix: DASHBOARD_PREFIX,
  actionPrefix: "dashboard",
  nouns: {
    "verifications": "session",
    "review": "case",
    "identities": "identity",
    "lists": "list",
    "items": "item",
    "workflows": "workflow",
    "versions": "version",
    "api-keys": "api_key",
    "webhooks": "webhook",
    "deliveries": "delivery",
    "notes": "note",
    "users": "user",
    "invites": "invite",
    "passkeys": "passkey",
  },
  sections: ["developers"],
  singletons: ["settings", "environment"],
};

/** Reads that hand out personal data, audited like changes. */
const AUDITED_READS = new Set(["/dashboard/verifications/:id/export"]);
/** Routes whose name the rules would get wrong or vague. */
const NAMED: Record<string, string> = {
  "/dashboard/sign-out": "dashboard.auth.sign_out",
  "/dashboard/environment": "dashboard.environment.switch",
  "/dashboard/review/next": "dashboard.case.claim",
  "/dashboard/account/passkeys/verify": "dashboard.account.passkey.add",
  "/dashboard/users/:id/role": "dashboard.user.role.update",
  "/dashboard/auth/step-up/verify": "dashboard.auth.step_up",
};
/** Ceremony steps that change nothing (the step that finishes the ceremony is recorded). */
const NOT_RECORDED = new Set(["/dashboard/account/passkeys/options", "/dashboard/auth/step-up/options"]);
/** Resources of the organisation as a whole: recorded with no environment. */
const ORG_WIDE = new Set(["auth", "environment", "account", "user", "settings"]);

/**
 * Appends one dashboard row. `environment` null for organisation-wide actions. Failures are
 * logged and reported as false; the caller decides whether to refuse. In a request transaction
 * that has written, the row goes with its COMMIT, and a failure there fails the whole action.
 */
export async function recordOperatorAction(
  deps: CoreDeps,
  c: Context,
  entry: {
    orgId: string;
    userId: string;
    environment: Environment | null;
    action: string;
    targetType: string | null;
    targetId: string | null;
    details: Record<string, unknown>;
  },
): Promise<boolean> {
  const failed = (error: unknown) =>
    deps.log.error("audit append failed", {
      request_id: c.get("requestId"),
      org_id: entry.orgId,
      action: entry.action,
      error: error instanceof Error ? error.message : String(error),
    });
  try {
    await appendAuditEventAtCommit(
      deps.db,
      {
        orgId: entry.orgId,
        environment: entry.environment,
        actor: { type: "operator", id: entry.userId },
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        details: entry.details,
        requestId: c.get("requestId") ?? null,
      },
      deps.clock(),
      failed,
    );
    return true;
  } catch {
    // Logged by `failed`.
    return false;
  }
}

/** The generated id a redirect leads to within the same page area (the object just created or claimed). */
function redirectedId(location: string | null, firstSegment: string): string | null {
  if (!location?.startsWith(DASHBOARD_PREFIX)) return null;
  const segments = location.slice(DASHBOARD_PREFIX.length).split(/[?#]/)[0].split("/");
  if (segments[0] !== firstSegment) return null;
  return segments.find((s) => GENERATED_ID.test(s)) ?? null;
}

export function describeDashboardAction(method: string, pattern: string, path: string, note: AuditNote = {}) {
  const call = describeRouteCall(DASHBOARD_RULES, method, pattern, path);
  const action = note.action ?? NAMED[pattern] ?? call?.action ?? `dashboard.${method.toLowerCase()}`;
  const resource = action.split(".")[1] ?? "";
  return {
    action,
    call,
    orgWide: ORG_WIDE.has(resource),
    targetType: note.targetType ?? call?.targetType ?? null,
    targetId: note.targetId ?? call?.targetId ?? null,
  };
}

export function auditDashboardActions(deps: CoreDeps): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    await withAuditedCall(next, c, async () => {
      if (!await recordDashboardAction(deps, c)) throw new Error("the action's audit row could not be written");
    });
  };
}

/** Appends the row for a recordable action; false if appending failed (logged), true otherwise. */
async function recordDashboardAction(deps: CoreDeps, c: Context<DashboardEnv>): Promise<boolean> {
  const recordable = recordableCall(c, AUDITED_READS, 399);
  if (!recordable || NOT_RECORDED.has(recordable.pattern)) return true;
  const { method, status, pattern } = recordable;
  const operator = c.get("operator");
  if (!operator) return true;

  const note = c.get("auditNote") ?? {};
  const named = describeDashboardAction(method, pattern, c.req.path, note);
  let { targetType, targetId } = named;
  if (targetId === null && named.call) {
    const first = pattern.slice(DASHBOARD_PREFIX.length).split("/")[0];
    const created = redirectedId(c.res.headers.get("location"), first);
    if (created) [targetType, targetId] = [targetType ?? named.call.resource, created];
  }
  const ids = named.call && Object.keys(named.call.ids).length ? { ids: named.call.ids } : {};
  return await recordOperatorAction(deps, c, {
    orgId: operator.orgId,
    userId: operator.userId,
    environment: named.orgWide ? null : operator.environment,
    action: named.action,
    targetType,
    targetId,
    details: { ...note.details, method, path: named.call?.path ?? pattern, status, ...ids },
  });
}
