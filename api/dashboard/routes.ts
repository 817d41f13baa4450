/**
 * Owns the dashboard's assembly under /dashboard: security headers on every page, the body cap,
 * the static files, the routes reached before sign-in (sign-in, enrol, the passkey ceremonies),
 * then `requireOperator` (session cookie with its idle timeout, CSRF on every POST, the sandbox/live
 * switch) and the audit recorder (every successful change as `dashboard.<resource>.<verb>`;
 * ./audit.ts) in front of the step-up (a fresh passkey before destructive actions; auth/step_up.tsx),
 * sign-out, the environment switch, the team pages and every page module. Errors render as an HTML
 * page for browsers navigating, as the contract's JSON body otherwise.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { CoreDeps } from "../../core/deps.ts";
import { AppError, errorBody, INTERNAL_ERROR_BODY, validationError } from "../../core/errors.ts";
import { revokeOperatorSession, setSessionEnvironment } from "../../core/operators/sessions.ts";
import { setDashboardPageHeaders } from "../../capture-ui/page_headers.ts";
import type { DashboardEnv } from "./env.ts";
import { dashboardStaticRoutes } from "./static_files.ts";
import { signInRoutes } from "./auth/sign_in.tsx";
import { requireOperator, safeNext, type SessionPolicy } from "./auth/require_operator.ts";
import { requireStepUp, STEP_UP_ACTIONS, stepUpRoutes } from "./auth/step_up.tsx";
import { clearSessionCookie } from "./auth/cookies.ts";
import { accountPages } from "./auth/account.tsx";
import { verificationsPages } from "./pages/verifications.tsx";
import { reviewPages } from "./pages/review.tsx";
import { identitiesPages } from "./pages/identities.tsx";
import { listsPages } from "./pages/lists.tsx";
import { workflowsPages } from "./pages/workflows.tsx";
import { developersPages } from "./pages/developers.tsx";
import { settingsPages } from "./pages/settings.tsx";
import { auditPages } from "./pages/audit.tsx";
import { auditDashboardActions } from "./audit.ts";

/** Forms upload at most a list import or a workflow JSON; images go through the capture API. */
const DASHBOARD_BODY_LIMIT_BYTES = 12 * 1024 * 1024;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function dashboardRoutes(deps: CoreDeps, policy: SessionPolicy = {}) {
  const app = new Hono<DashboardEnv>();

  app.use("*", async (c, next) => {
    await next();
    if ((c.res.headers.get("content-type") ?? "").startsWith("text/html")) setDashboardPageHeaders(c);
    else if (!c.req.path.startsWith("/dashboard/static/")) c.header("Cache-Control", "no-store");
  });
  app.use(
    "*",
    bodyLimit({
      maxSize: DASHBOARD_BODY_LIMIT_BYTES,
      onError: () => {
        throw new AppError(
          "payload_too_large",
          `Dashboard requests are limited to ${DASHBOARD_BODY_LIMIT_BYTES} bytes.`,
        );
      },
    }),
  );

  app.route("/static", dashboardStaticRoutes());
  app.get("/", (c) => c.redirect("/dashboard/verifications", 303));
  app.route("/", signInRoutes(deps, policy));

  app.use("*", requireOperator(deps, policy));
  app.use("*", auditDashboardActions(deps));
  // Inside the audit recorder (a step-up is recorded; a refused action is not), before the pages.
  app.route("/", stepUpRoutes(deps));
  for (const path of STEP_UP_ACTIONS) app.post(path, requireStepUp(deps));

  app.post("/sign-out", async (c) => {
    await revokeOperatorSession(deps.db, c.get("operatorSessionId"), deps.clock());
    clearSessionCookie(c, deps.publicUrl);
    return c.redirect("/dashboard/sign-in", 303);
  });

  app.post("/environment", async (c) => {
    const environment = (await c.req.parseBody())["environment"];
    if (environment !== "sandbox" && environment !== "live") {
      throw validationError({ environment: "must be sandbox or live" });
    }
    await setSessionEnvironment(deps.db, c.get("operatorSessionId"), environment);
    const referer = c.req.header("referer");
    let back: string | null = null;
    try {
      const url = referer ? new URL(referer) : null;
      // Only our own pages, and without a one-request ?environment= that would undo the switch.
      if (url && url.origin === new URL(deps.publicUrl).origin) {
        url.searchParams.delete("environment");
        back = url.pathname + url.search;
      }
    } catch {
      back = null;
    }
    return c.redirect(safeNext(back), 303);
  });

  app.route("/", accountPages(deps));
  app.route("/", verificationsPages(deps));
  app.route("/", reviewPages(deps));
  app.route("/", identitiesPages(deps));
  app.route("/", listsPages(deps));
  app.route("/", workflowsPages(deps));
  app.route("/", developersPages(deps));
  app.route("/", settingsPages(deps));
  app.route("/", auditPages(deps));

  app.onError((err, c) => {
    let error: AppError;
    if (err instanceof AppError) error = err;
    else if (err instanceof HTTPException && err.status < 500) {
      error = new AppError("bad_request", err.message || "Bad request.");
    } else {
      deps.log.error("unhandled error", {
        request_id: c.get("requestId"),
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        stack: err instanceof Error ? err.stack?.split("\n").slice(0, 6).join(" | ") : undefined,
      });
      error = new AppError("internal_error", "Something went wrong.");
    }
    const body = error.status >= 500 ? INTERNAL_ERROR_BODY : errorBody(error);
    for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
    // Browsers navigating (or posting a form) get a page; scripts and API-style callers get JSON.
    if ((c.req.header("accept") ?? "").includes("text/html")) {
      return c.html(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${body.status_code} · Verifa</title>` +
          `<link rel="stylesheet" href="/dashboard/static/dashboard.css"></head><body class="signed-out">` +
          `<main class="card"><p class="brand">Verifa</p><h1>${escapeHtml(body.error.replace(/_/g, " "))}</h1>` +
          `<p>${escapeHtml(body.detail)}</p><p><a href="/dashboard">Back to the dashboard</a></p></main></body></html>`,
        body.status_code as 400,
      );
    }
    return c.json(body, body.status_code as 400);
  });

  return app;
}
