/**
 * Owns the dashboard's cookies: the session (jose token, 8 hours), the pre-sign-in CSRF nonce and
 * the ceremony cookie naming the WebAuthn challenge in flight. All HttpOnly, SameSite=Strict,
 * Path=/dashboard, and Secure whenever the public URL is https.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_COOKIE, SESSION_TTL_MS } from "../../../core/operators/sessions.ts";
import { CHALLENGE_TTL_MS } from "../../../core/operators/passkeys.ts";

export const PREAUTH_COOKIE = "verifa_dashboard_preauth";
export const CEREMONY_COOKIE = "verifa_dashboard_ceremony";
const PREAUTH_TTL_MS = 60 * 60 * 1000;

// deno-lint-ignore no-explicit-any
type AnyContext = Context<any>;

function attributes(publicUrl: string, maxAgeMs: number) {
  return {
    httpOnly: true,
    secure: publicUrl.startsWith("https:"),
    sameSite: "Strict" as const,
    path: "/dashboard",
    maxAge: Math.floor(maxAgeMs / 1000),
  };
}

export function setSessionCookie(c: AnyContext, publicUrl: string, token: string): void {
  setCookie(c, SESSION_COOKIE, token, attributes(publicUrl, SESSION_TTL_MS));
}

export function clearSessionCookie(c: AnyContext, publicUrl: string): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/dashboard", secure: publicUrl.startsWith("https:") });
}

export function readSessionCookie(c: AnyContext): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** The random nonce behind the pre-sign-in CSRF token; set by the sign-in and enrol pages. */
export function ensurePreAuthNonce(c: AnyContext, publicUrl: string, fresh: () => string): string {
  const existing = getCookie(c, PREAUTH_COOKIE);
  if (existing && /^[a-z0-9]{32}$/.test(existing)) return existing;
  const nonce = fresh();
  setCookie(c, PREAUTH_COOKIE, nonce, attributes(publicUrl, PREAUTH_TTL_MS));
  return nonce;
}

export function readPreAuthNonce(c: AnyContext): string | undefined {
  return getCookie(c, PREAUTH_COOKIE);
}

export function setCeremonyCookie(c: AnyContext, publicUrl: string, challengeId: string): void {
  setCookie(c, CEREMONY_COOKIE, challengeId, attributes(publicUrl, CHALLENGE_TTL_MS));
}

/** Reads and clears the ceremony cookie: a challenge is good for one attempt. */
export function takeCeremonyCookie(c: AnyContext, publicUrl: string): string | undefined {
  const id = getCookie(c, CEREMONY_COOKIE);
  if (id) deleteCookie(c, CEREMONY_COOKIE, { path: "/dashboard", secure: publicUrl.startsWith("https:") });
  return id;
}
