/**
 * Owns the HTTP application: the middleware order (each layer commented with why it sits where
 * it does), the error renderer, and the mounting of every resource's sub-app.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./http.ts";
import type { CoreDeps } from "../core/deps.ts";
import type { Config } from "../core/config.ts";
import { AppError, errorBody, INTERNAL_ERROR_BODY } from "../core/errors.ts";
import { requestContext } from "./middleware/request_context.ts";
import { transportSecurity } from "./middleware/transport_security.ts";
import { authenticate } from "./middleware/authenticate.ts";
import {
  captureRateLimit,
  type CaptureRateLimits,
  DASHBOARD_AUTH_PER_IP_PER_MINUTE,
  DEFAULT_CAPTURE_RATE_LIMITS,
  perIpRateLimit,
  rateLimit,
  RateLimiter,
} from "./middleware/rate_limit.ts";
import { idempotency } from "./middleware/idempotency.ts";
import { auditApiCalls } from "./middleware/audit.ts";
import { auditEventRoutes } from "./routes/audit_events.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { privacyRoutes } from "./routes/privacy.ts";
import { resultRoutes } from "./routes/results.ts";
import { apiKeyRoutes } from "./routes/api_keys.ts";
import { healthRoutes } from "./routes/health.ts";
import { documentDownloadRoutes, documentRoutes } from "./routes/documents.ts";
import { captureRoutes } from "./routes/capture.ts";
import { captureUiRoutes } from "../capture-ui/routes.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { settingsRoutes } from "./routes/settings.ts";
import { verificationPolicyRoutes, workflowRoutes } from "./routes/workflows.ts";
import { sessionVerificationRoutes, workflowRunRoutes } from "./routes/verification.ts";
import { identityRoutes } from "./routes/identities.ts";
import { caseRoutes } from "./routes/cases.ts";
import { MAX_UPLOAD_BYTES } from "../core/images/image_pipeline.ts";
import { listRoutes, sessionListMatchRoutes } from "./routes/lists.ts";
import { dashboardRoutes } from "./dashboard/routes.ts";
import { probeRoutes } from "./routes/probes.ts";
import { apiDocsRoutes } from "./routes/api_docs.ts";
import { httpMetrics } from "./middleware/http_metrics.ts";
import type { Observability } from "../core/observability/ops_server.ts";

export interface ApiDeps extends CoreDeps {
  trustProxy: boolean;
  /** VERIFA_TRUSTED_PROXIES: how many proxies of ours stand in front, when trustProxy (default 1). */
  trustedProxies?: number;
  /** VERIFA_CAPTURE_RATE_LIMIT_PER_TOKEN / _PER_IP; DEFAULT_CAPTURE_RATE_LIMITS when absent. */
  captureRateLimits?: CaptureRateLimits;
  /** How long POST /workflows/dry-run waits for the worker before a 202 (tests shorten it). */
  dryRunWaitMs?: number;
  /** VERIFA_EXAMPLES: serve the example host page /examples/embed (default false). */
  examples?: boolean;
  /** VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES, in ms: a dashboard session unused this long ends (default 30 min). */
  dashboardIdleTimeoutMs?: number;
  /** The process's metrics, and the worker's heartbeat when it runs inside (core/observability/ops_server.ts). */
  observability?: Pick<Observability, "metrics" | "heartbeat">;
}

/** The ApiDeps fields the configuration sets (for the composition roots: api/main.ts, scripts/start.ts). */
export function httpSettings(
  config: Config,
): Pick<ApiDeps, "trustProxy" | "trustedProxies" | "captureRateLimits" | "examples" | "dashboardIdleTimeoutMs"> {
  return {
    trustProxy: config.trustProxy,
    trustedProxies: config.trustedProxies,
    captureRateLimits: config.captureRateLimits,
    examples: config.examples,
    dashboardIdleTimeoutMs: config.dashboardIdleTimeoutMinutes * 60_000,
  };
}

/** 50 metadata values of 16 KB each fit with room for the rest of a session body. */
const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
/** A 10 MB file plus its multipart framing and form fields. */
const UPLOAD_BODY_LIMIT_BYTES = MAX_UPLOAD_BYTES + 256 * 1024;
const UPLOAD_PATH = /^\/(api\/v1\/sessions\/[^/]+\/documents|verify\/[^/]+\/(documents|selfie))$/;

/** Uploads get the file cap (and the capture API's 400 file_too_large); every other body the JSON cap. */
function capBody(): MiddlewareHandler<AppEnv> {
  const json = bodyLimit({
    maxSize: JSON_BODY_LIMIT_BYTES,
    onError: () => {
      throw new AppError("payload_too_large", `Request bodies are limited to ${JSON_BODY_LIMIT_BYTES} bytes.`);
    },
  });
  const upload = bodyLimit({
    maxSize: UPLOAD_BODY_LIMIT_BYTES,
    onError: () => {
      throw new AppError("file_too_large", `Files are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
    },
  });
  return (c, next) => (c.req.method === "POST" && UPLOAD_PATH.test(c.req.path) ? upload : json)(c, next);
}

export function createApp(deps: ApiDeps) {
  const app = new Hono<AppEnv>();
  const limiter = new RateLimiter(deps.db, deps.indexKey, deps.clock);

  // Outermost: every response, including errors and 404s, gets a request id and an access-log line.
  app.use("*", requestContext(deps.log, { trustedProxies: deps.trustProxy ? deps.trustedProxies ?? 1 : 0 }));
  // Inside it too, so errors and 404s are counted, by the route pattern that answered.
  if (deps.observability) app.use("*", httpMetrics(deps.observability.metrics));
  // Just inside it, so errors and 404s carry HSTS too (only when the public URL is https).
  app.use("*", transportSecurity(deps.publicUrl));
  // Path and query values reach SQL as text, which cannot hold U+0000: refuse it before any lookup.
  app.use("*", async (c, next) => {
    if (/%00/.test(c.req.url)) throw new AppError("invalid_parameter", "The URL must not contain NUL (%00).");
    await next();
  });

  // Browsers (verifa.js with a publishable key) call the API cross-origin; the key's own
  // allowed_origins list is enforced in authenticate, after the preflight that carries no key.
  app.use(
    "/api/*",
    cors({
      origin: (origin) => origin,
      allowHeaders: [
        "X-API-Key",
        "Authorization",
        "Content-Type",
        "Idempotency-Key",
        "Verifa-Version",
        "Key-Inflection",
      ],
      exposeHeaders: ["X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"],
      maxAge: 600,
    }),
  );
  // Applicants' browsers call the capture API from the hosted page or the customer's own UI;
  // the token in the path is the credential, so any origin may call it.
  app.use("/verify/*", cors({ origin: (origin) => origin, allowHeaders: ["Content-Type"], maxAge: 600 }));
  // No API key there, so no per-key limit: the capture page and API are limited per token and
  // per client IP instead, before any body is read or image decoded (after CORS, so a refused
  // request still carries the headers a browser needs to read the 429).
  app.use("/verify/*", captureRateLimit(limiter, deps.captureRateLimits ?? DEFAULT_CAPTURE_RATE_LIMITS));
  // The cap is enforced while the body streams in, so a lying Content-Length cannot get past it.
  app.use("/api/*", capBody());
  app.use("/verify/*", capBody());
  // Signed document URLs carry their own credential (the signature), so they are served
  // before API-key authentication.
  app.route("/api/v1/sessions", documentDownloadRoutes(deps));
  // The API document (/api/v1/openapi.json) and its reference page (/docs) are public: no key.
  app.route("/", apiDocsRoutes());
  // Authentication before rate limiting: limits are per key. Idempotency after both, so a
  // replay still counts against the limit; it only reads the header here: the route's
  // requireScope claims or replays once the key is authorised, under that key's own records.
  app.use("/api/*", authenticate(deps.db, deps.clock));
  app.use("/api/*", rateLimit(limiter));
  app.use("/api/*", idempotency(deps.db, deps.keyRing, deps.clock));
  // Innermost: it sees the final status of the handler (errors already rendered by onError) and
  // the principal; a replay (answered inside the route) is skipped there (the first call was
  // recorded). It appends after the handler's transaction committed, in one of its own.
  app.use("/api/*", auditApiCalls(deps.db, deps.clock, deps.log));

  app.route("/api/v1/sessions", sessionRoutes(deps));
  app.route("/api/v1/sessions", privacyRoutes(deps));
  app.route("/api/v1/sessions", sessionVerificationRoutes(deps));
  app.route("/api/v1/sessions", documentRoutes(deps));
  app.route("/api/v1/results", resultRoutes(deps));
  app.route("/api/v1/api-keys", apiKeyRoutes(deps));
  app.route("/api/v1/webhooks", webhookRoutes(deps));
  app.route("/api/v1/settings", settingsRoutes(deps));
  app.route("/api/v1/workflows", workflowRunRoutes(deps, { dryRunWaitMs: deps.dryRunWaitMs }));
  app.route("/api/v1/workflows", workflowRoutes(deps));
  app.route("/api/v1/verification-policies", verificationPolicyRoutes());
  app.route("/api/v1/lists", listRoutes(deps));
  app.route("/api/v1/sessions", sessionListMatchRoutes(deps));
  app.route("/api/v1/identities", identityRoutes(deps));
  app.route("/api/v1/cases", caseRoutes(deps));
  // The audit log; `events` the table is the webhook outbox, which this does not read.
  app.route("/api/v1/events", auditEventRoutes(deps));
  app.route("/health", healthRoutes(deps));
  // /livez, /readyz, /version: before the capture UI's "/" routes, outside /api/* (no API key).
  app.route("/", probeRoutes({ ...deps, heartbeat: deps.observability?.heartbeat }));
  // The hosted capture page (GET /verify/{token}: one path segment, so it never shadows the
  // capture API's /verify/{token}/… routes), its static files and the embed example. After the
  // /verify/* CORS and body cap (a GET carries no body) and outside /api/*: no API key, the token
  // in the page's URL is the credential.
  app.route("/", captureUiRoutes(deps, { examples: deps.examples }));
  app.route("/verify", captureRoutes(deps));
  // The operator dashboard: outside /api/* (no API key, no API rate limit or idempotency); its
  // own middleware signs operators in with passkeys and checks CSRF (api/dashboard/routes.ts).
  // Each sign-in options call stores a challenge (purged by operator-challenges.purge): per IP,
  // the ceremonies anyone may start are limited before the dashboard sees them.
  app.use(
    "/dashboard/auth/*",
    perIpRateLimit(limiter, "dashboard-auth", DASHBOARD_AUTH_PER_IP_PER_MINUTE),
  );
  app.route("/dashboard", dashboardRoutes(deps, { idleTimeoutMs: deps.dashboardIdleTimeoutMs }));

  app.notFound((c) => {
    const error = new AppError("not_found", `No route matches ${c.req.method} ${c.req.path}.`);
    return c.json(errorBody(error), 404);
  });

  app.onError((err, c) => {
    if (err instanceof AppError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
      return c.json(errorBody(err), err.status as 400);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const error = new AppError("bad_request", err.message || "Bad request.");
      return c.json({ ...errorBody(error), status_code: err.status }, err.status);
    }
    deps.log.error("unhandled error", {
      request_id: c.get("requestId"),
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      stack: err instanceof Error ? err.stack?.split("\n").slice(0, 6).join(" | ") : undefined,
    });
    return c.json(INTERNAL_ERROR_BODY, 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
