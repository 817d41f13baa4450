/**
 * Owns the gate in front of every signed-in dashboard route: the session cookie must name a live
 * session of an enabled user (else a redirect to sign-in for page GETs, 401 otherwise); every
 * state-changing request must carry the session's CSRF token (form field `csrf_token` or header
 * `X-CSRF-Token`); and the sandbox/live switch (the session's choice, or `?environment=` for one
 * request) becomes `operator.environment`. A session left idle past the policy's timeout is over
 * (each request it answers restarts the count).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import { AppError } from "../../../core/errors.ts";
import {
  csrfTokenFor,
  csrfTokenValid,
  DEFAULT_IDLE_TIMEOUT_MS,
  resolveOperatorSession,
} from "../../../core/operators/sessions.ts";
import type { DashboardEnv } from "../env.ts";
import { readSessionCookie } from "./cookies.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function sessionKeys(deps: Pick<CoreDeps, "signingKeys" | "clock">) {
  return { signingKeys: deps.signingKeys, clock: deps.clock };
}

/** How long dashboard sessions may sit unused (VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES). */
export interface SessionPolicy {
  idleTimeoutMs?: number;
}

/** The session the request's cookie names, under the policy's idle timeout; null when there is none. */
export function resolveSession(deps: CoreDeps, c: Context, policy: SessionPolicy) {
  return resolveOperatorSession(
    deps.db,
    sessionKeys(deps),
    readSessionCookie(c),
    policy.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  );
}

/** A page the browser navigates to (as opposed to a fetch from a script). */
function isPageRequest(c: Context): boolean {
  return c.req.method === "GET" && !(c.req.header("accept") ?? "").startsWith("application/json");
}

/** Only paths of the dashboard itself, so `next` cannot become an open redirect. */
export function safeNext(next: string | undefined | null): string {
  return next && /^\/dashboard(\/|$|\?)/.test(next) && !next.startsWith("//") ? next : "/dashboard/verifications";
}

/** The CSRF token a request carries: the header for scripts, the form field for forms. */
export async function sentCsrfToken(c: Context): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
    // parseBody caches the body, so the handler can parse it again.
    const body = await c.req.parseBody();
    const value = body["csrf_token"];
    return typeof value === "string" ? value : undefined;
  }
  return undefined;
}

export function requireOperator(deps: CoreDeps, policy: SessionPolicy = {}): MiddlewareHandler<DashboardEnv> {
  const keys = sessionKeys(deps);
  return async (c, next) => {
    const session = await resolveSession(deps, c, policy);
    if (!session) {
      if (isPageRequest(c)) {
        const url = new URL(c.req.url);
        return c.redirect(`/dashboard/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      throw new AppError("unauthorized", "Sign in to the dashboard.");
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const sent = await sentCsrfToken(c);
      if (!sent || !csrfTokenValid(keys, session.sessionId, sent)) {
        throw new AppError("forbidden", "The CSRF token is missing or wrong; reload the page and try again.");
      }
    }
    const requested = c.req.query("environment");
    const environment = requested === "live" || requested === "sandbox" ? requested : session.environment;
    c.set("operator", {
      userId: session.user.id,
      email: session.user.email,
      displayName: session.user.display_name,
      role: session.user.role,
      orgId: session.user.org_id,
      environment,
    });
    c.set("csrfToken", csrfTokenFor(keys, session.sessionId));
    c.set("operatorSessionId", session.sessionId);
    c.set("reauthenticatedAt", session.reauthenticatedAt);
    await next();
  };
}

/** For admin-only routes: 403 for the other roles (who never see the links). */
export function requireRole(role: "admin"): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (c.get("operator").role !== role) throw new AppError("forbidden", "Only admins can do this.");
    await next();
  };
}
