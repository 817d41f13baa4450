/**
 * Owns what every dashboard page handler can rely on: the signed-in operator (their user, role,
 * organisation and the environment they are looking at) and the CSRF token forms must carry. The
 * sign-in middleware (api/dashboard/auth/) sets both before any page handler runs.
 */
import type { Context } from "hono";
import type { AppVariables } from "../http.ts";

export type OperatorRole = "admin" | "reviewer" | "viewer";
export const OPERATOR_ROLES: readonly OperatorRole[] = ["admin", "reviewer", "viewer"];

export interface Operator {
  userId: string;
  email: string;
  displayName: string;
  role: OperatorRole;
  orgId: string;
  /** The sandbox/live switch: every page reads and writes this environment only. */
  environment: "sandbox" | "live";
}

/**
 * A handler's additions to the audit row the dashboard writes for its request, when the route
 * alone does not say enough (which decision, which invite, the new role). Never form values that
 * could be personal data: enums, ids and counts only.
 */
export interface AuditNote {
  action?: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export type DashboardEnv = {
  Variables: AppVariables & {
    operator: Operator;
    csrfToken: string;
    /** The signed-in session's id (sign-out and the environment switch act on it). */
    operatorSessionId: string;
    /** The session's latest passkey assertion (sign-in or step-up); auth/step_up.tsx checks it. */
    reauthenticatedAt: Date | null;
    /** What a handler adds to its audit row (api/dashboard/audit.ts): a finer action, the target, details. */
    auditNote?: AuditNote;
  };
};
export type DashboardContext = Context<DashboardEnv>;

/** What each role may do; pages hide what the role cannot do and handlers refuse it (403). */
export function roleAllows(role: OperatorRole, action: "view" | "review" | "manage"): boolean {
  if (action === "view") return true;
  if (action === "review") return role === "admin" || role === "reviewer";
  return role === "admin";
}

/** The operator as a tenant scope for core services (org + the environment of the switch). */
export function operatorScope(operator: Operator) {
  return { orgId: operator.orgId, environment: operator.environment };
}
