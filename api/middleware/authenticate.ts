/**
 * Owns API-key authentication: resolves `X-API-Key` (or a Bearer token) to its principal,
 * enforces the key's IP and origin allowlists, confines publishable keys to creating sessions,
 * and settles the response casing and API version for the request.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http.ts";
import type { Db } from "../../core/db/create_db.ts";
import { findActiveKey, toPrincipal, touchLastUsed } from "../../core/orgs/api_keys.ts";
import { hasScope } from "../../core/orgs/scopes.ts";
import { AppError } from "../../core/errors.ts";
import { ipInCidr } from "../../core/net/ip.ts";
import { type Inflection, INFLECTIONS } from "../../core/casing.ts";
import { isSupportedVersion } from "../../core/versioning.ts";
import { passIdempotencyGate } from "./idempotency.ts";

export function authenticate(db: Db, clock: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const presented = c.req.header("x-api-key") ?? bearerToken(c.req.header("authorization"));
    if (!presented) {
      throw new AppError("unauthorized", "Missing API key. Send it in the X-API-Key header.");
    }
    const now = clock();
    const row = /^vk_/.test(presented) ? await findActiveKey(db, presented, now) : null;
    if (!row) throw new AppError("unauthorized", "Invalid, revoked or expired API key.");
    const principal = toPrincipal(row);

    const ip = c.get("clientIp");
    if (principal.allowedIps?.length && !(ip && principal.allowedIps.some((cidr) => ipInCidr(ip, cidr)))) {
      throw new AppError("ip_not_allowed", "This API key may not be used from this IP address.");
    }
    if (principal.kind === "publishable") {
      const origin = c.req.header("origin");
      if (principal.allowedOrigins?.length && !(origin && principal.allowedOrigins.includes(origin))) {
        throw new AppError("origin_not_allowed", "This publishable key may not be used from this origin.");
      }
      if (!(c.req.method === "POST" && c.req.path === "/api/v1/sessions")) {
        throw new AppError("insufficient_scope", "Publishable keys can only create sessions.");
      }
    }
    c.set("principal", principal);
    c.set("inflection", resolveInflection(c.req.header("key-inflection"), principal.defaultKeyInflection));
    c.set("apiVersion", resolveVersion(c.req.header("verifa-version"), principal.apiVersion));
    await touchLastUsed(db, row, now);
    await next();
    c.header("Verifa-Version", c.get("apiVersion"));
  };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header && /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : undefined;
}

function resolveInflection(requested: string | undefined, fallback: string): Inflection {
  const value = (requested ?? fallback).toLowerCase();
  if (!(INFLECTIONS as readonly string[]).includes(value)) {
    throw new AppError("invalid_key_inflection", `Key-Inflection must be one of ${INFLECTIONS.join(", ")}.`);
  }
  return value as Inflection;
}

function resolveVersion(requested: string | undefined, fallback: string): string {
  if (requested === undefined) return fallback;
  if (!isSupportedVersion(requested.trim())) {
    throw new AppError(
      "unsupported_version",
      `Verifa-Version "${requested}" is not supported. Use YYYY-MM-DD; the current version is 2026-01-01.`,
    );
  }
  return requested.trim();
}

/**
 * The route's authorisation: the key must hold every scope named. Only then is the request's
 * Idempotency-Key honoured (a stored reply replayed, or this run stored), so a key that may not
 * make the request never sees a reply (issue #15). A route needing several scopes names them in
 * one call: the gate opens at the first call.
 */
export function requireScope(...scopes: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    for (const scope of scopes) {
      if (!hasScope(c.get("principal").scopes, scope)) {
        throw new AppError("insufficient_scope", `This API key lacks the "${scope}" scope.`);
      }
    }
    return await passIdempotencyGate(c, next);
  };
}
