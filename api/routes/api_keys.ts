/** Owns the API keys REST resource: list, create (secret shown once), get, patch, expire. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../http.ts";
import { pageParams, paginated, readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import type { ApiKeyRow } from "../../core/db/database.ts";
import {
  createApiKey,
  DEFAULT_RATE_LIMITS,
  getApiKey,
  listApiKeys,
  revokeApiKey,
  updateApiKey,
} from "../../core/orgs/api_keys.ts";
import { ALL_SCOPES, DEFAULT_SCOPES, hasScope } from "../../core/orgs/scopes.ts";
import { INFLECTIONS } from "../../core/casing.ts";
import { SUPPORTED_API_VERSIONS } from "../../core/versioning.ts";
import { isValidCidr } from "../../core/net/ip.ts";
import { snakeKeys } from "../../core/casing.ts";
import { parseOrThrow, requireObject } from "../../core/validation.ts";
import { AppError, validationError } from "../../core/errors.ts";

const originSchema = z.string().refine((s) => {
  try {
    const url = new URL(s);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === s;
  } catch {
    return false;
  }
}, "must be an origin such as https://app.example.com");

const mutableFields = {
  label: z.string().trim().max(255).nullable().optional(),
  note: z.string().trim().max(2000).nullable().optional(),
  scopes: z.array(z.string().refine((s) => ALL_SCOPES.includes(s), "is not a known scope")).min(1).optional(),
  api_version: z.enum(SUPPORTED_API_VERSIONS as [string, ...string[]]).optional(),
  default_key_inflection: z.enum(INFLECTIONS).optional(),
  allowed_ips: z.array(z.string().refine(isValidCidr, "must be an IP address or CIDR range")).max(100).nullable()
    .optional(),
  allowed_origins: z.array(originSchema).max(100).nullable().optional(),
  expires_at: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time" }).nullable().optional(),
};

export const createApiKeySchema = z.strictObject({
  ...mutableFields,
  environment: z.enum(["sandbox", "live"]).optional(),
  type: z.enum(["secret", "publishable"]).optional(),
});
export const patchApiKeySchema = z.strictObject(mutableFields);

export function toApiKeyDto(row: ApiKeyRow, now: Date) {
  return {
    id: row.id,
    type: row.kind === "publishable" ? "publishable-key" : "api-key",
    environment: row.environment,
    key_prefix: row.key_prefix,
    is_active: !row.revoked_at && !(row.expires_at && row.expires_at <= now),
    label: row.label,
    note: row.note,
    scopes: row.scopes,
    api_version: row.api_version,
    default_key_inflection: row.default_key_inflection,
    allowed_ips: row.allowed_ips,
    allowed_origins: row.allowed_origins,
    rate_limit_per_minute: row.rate_limit_per_minute ?? DEFAULT_RATE_LIMITS[row.kind],
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** A key may only hand out scopes it holds itself, so key management cannot escalate privilege. */
function assertGrantable(c: AppContext, scopes: string[] | undefined) {
  const held = c.get("principal").scopes;
  const missing = (scopes ?? []).filter((s) => !hasScope(held, s));
  if (missing.length) {
    throw new AppError("insufficient_scope", `This API key cannot grant scopes it lacks: ${missing.join(", ")}.`);
  }
}

/** Managing a key (patch, expire) needs every scope that key holds, so a weaker key cannot tamper with a stronger one. */
function assertCanManage(c: AppContext, target: ApiKeyRow) {
  const held = c.get("principal").scopes;
  if (target.scopes.some((s) => !hasScope(held, s))) {
    throw new AppError("insufficient_scope", "This API key cannot manage a key that holds scopes it lacks.");
  }
}

function futureDate(value: string | null | undefined, now: Date): Date | null | undefined {
  if (value === undefined || value === null) return value;
  const date = new Date(value);
  if (date <= now) throw validationError({ expires_at: "must be in the future" });
  return date;
}

export function apiKeyRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/", requireScope("api_keys:read"), async (c) => {
    const page = pageParams(c, 50);
    const { rows, total } = await listApiKeys(deps.db, c.get("principal"), page);
    return respond(c, paginated(rows.map((r) => toApiKeyDto(r, deps.clock())), total, page));
  });

  app.post("/", requireScope("api_keys:write"), async (c) => {
    const input = parseOrThrow(createApiKeySchema, snakeKeys(requireObject(await readJson(c))));
    const principal = c.get("principal");
    const now = deps.clock();
    const environment = input.environment ?? principal.environment;
    if (environment !== principal.environment) {
      throw validationError({ environment: `must be ${principal.environment}, the calling key's environment` });
    }
    const kind = input.type ?? "secret";
    if (kind === "secret" && input.allowed_origins?.length) {
      throw validationError({ allowed_origins: "applies to publishable keys only" });
    }
    const scopes = kind === "publishable" ? ["sessions:create"] : input.scopes ?? [...DEFAULT_SCOPES];
    assertGrantable(c, scopes);
    const { row, secret } = await createApiKey(deps.db, principal.orgId, {
      environment,
      kind,
      label: input.label,
      note: input.note,
      scopes,
      apiVersion: input.api_version,
      defaultKeyInflection: input.default_key_inflection,
      allowedIps: input.allowed_ips,
      allowedOrigins: input.allowed_origins,
      expiresAt: futureDate(input.expires_at, now),
    });
    return respond(c, {
      ...toApiKeyDto(row, now),
      secret,
      warning: "Store this secret now: it is shown only once and cannot be retrieved again.",
    }, 201);
  });

  app.get("/:id", requireScope("api_keys:read"), async (c) => {
    return respond(c, toApiKeyDto(await getApiKey(deps.db, c.get("principal"), c.req.param("id")), deps.clock()));
  });

  app.patch("/:id", requireScope("api_keys:write"), async (c) => {
    const input = parseOrThrow(patchApiKeySchema, snakeKeys(requireObject(await readJson(c))));
    const principal = c.get("principal");
    const now = deps.clock();
    const current = await getApiKey(deps.db, principal, c.req.param("id"));
    assertCanManage(c, current);
    if (current.revoked_at || (current.expires_at && current.expires_at <= now)) {
      throw new AppError("conflict", "This API key is expired or revoked; create a new key instead.");
    }
    if (current.kind === "publishable" && input.scopes) {
      throw validationError({ scopes: "publishable keys always have only sessions:create" });
    }
    if (current.kind === "secret" && input.allowed_origins?.length) {
      throw validationError({ allowed_origins: "applies to publishable keys only" });
    }
    assertGrantable(c, input.scopes);
    const row = await updateApiKey(deps.db, principal, current.id, {
      ...input,
      expires_at: futureDate(input.expires_at, now),
    }, now);
    return respond(c, toApiKeyDto(row, now));
  });

  app.post("/:id/expire", requireScope("api_keys:write"), async (c) => {
    assertCanManage(c, await getApiKey(deps.db, c.get("principal"), c.req.param("id")));
    const row = await revokeApiKey(deps.db, c.get("principal"), c.req.param("id"), deps.clock());
    return respond(c, { id: row.id, expired: true });
  });

  return app;
}
