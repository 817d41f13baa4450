/**
 * Owns signed-in dashboard sessions: a server-side row per sign-in (so sign-out and disabling a
 * user really end it) named by a jose HS256 token in the cookie, signed with a sub-key derived by
 * HMAC from each signing key (never the raw key, which also signs URLs). The first signing key
 * signs; every key verifies, found by the token's `kid`. A session lasts 8 hours at most and ends
 * sooner when left idle (each request restarts the idle count); it remembers its operator's latest
 * passkey assertion, which destructive actions need to be recent (step-up). Also the CSRF token
 * bound to the session.
 */
import { jwtVerify, SignJWT } from "jose";
import type { Kysely } from "kysely";
import type { Database, Environment, OperatorUserRow } from "../db/database.ts";
import type { KeyEntry } from "../config.ts";
import { newId } from "../ids.ts";
import { constantTimeEqual } from "../crypto/hmac.ts";
import { createHmac } from "node:crypto";

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES' default: an unattended, signed-in browser is not an operator. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/**
 * How recent a passkey assertion (the sign-in or a step-up) must be for a destructive action:
 * long enough for a batch of changes, short enough that a session taken over later cannot use it.
 */
export const STEP_UP_MAX_AGE_MS = 5 * 60 * 1000;
export const SESSION_COOKIE = "verifa_dashboard";
const AUDIENCE = "verifa-dashboard";

/** Labels keep the sub-keys independent of each other and of the URL signatures. */
function subKey(key: Uint8Array, purpose: "session" | "csrf" | "preauth-csrf"): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(`verifa dashboard ${purpose} v1`).digest());
}

export interface SessionKeys {
  signingKeys: readonly KeyEntry[];
  clock: () => Date;
}

export interface StartedSession {
  sessionId: string;
  /** The cookie value: a jose JWT naming the session. */
  token: string;
  expiresAt: Date;
  csrfToken: string;
}

/** Creates the session row and its signed cookie value; the one way anyone gets signed in. */
export async function startOperatorSession(
  db: Kysely<Database>,
  keys: SessionKeys,
  user: Pick<OperatorUserRow, "id" | "org_id">,
  environment: Environment = "sandbox",
): Promise<StartedSession> {
  const now = keys.clock();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const sessionId = newId("osess");
  await db.insertInto("operator_sessions").values({
    id: sessionId,
    user_id: user.id,
    org_id: user.org_id,
    environment,
    created_at: now,
    expires_at: expiresAt,
    last_seen_at: now,
    // Every way in ends a passkey ceremony (a sign-in assertion, or the enrolment's registration).
    reauthenticated_at: now,
  }).execute();
  const [first] = keys.signingKeys;
  const token = await new SignJWT({ org: user.org_id })
    .setProtectedHeader({ alg: "HS256", kid: first.id })
    .setSubject(user.id)
    .setJti(sessionId)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(subKey(first.key, "session"));
  return { sessionId, token, expiresAt, csrfToken: csrfTokenFor(keys, sessionId) };
}

export interface ActiveSession {
  sessionId: string;
  environment: Environment;
  expiresAt: Date;
  /** The operator's latest passkey assertion in this session (sign-in or step-up). */
  reauthenticatedAt: Date | null;
  user: OperatorUserRow;
}

/**
 * The session a cookie names, if its signature verifies with any signing key, it has not expired
 * (by the injected clock) nor been idle for `idleTimeoutMs`, was not revoked, and its user is still
 * enabled; otherwise null. Resolving it counts as use: the idle count starts again (sliding). A
 * session found idle is revoked, so a longer timeout configured later cannot bring it back.
 */
export async function resolveOperatorSession(
  db: Kysely<Database>,
  keys: SessionKeys,
  token: string | undefined,
  idleTimeoutMs: number = DEFAULT_IDLE_TIMEOUT_MS,
): Promise<ActiveSession | null> {
  if (!token) return null;
  const now = keys.clock();
  let sessionId: string | undefined;
  let userId: string | undefined;
  try {
    const { payload } = await jwtVerify(token, (header) => {
      const entry = keys.signingKeys.find((k) => k.id === header.kid);
      if (!entry) throw new Error("unknown key id");
      return subKey(entry.key, "session");
    }, { algorithms: ["HS256"], audience: AUDIENCE, currentDate: now });
    sessionId = payload.jti;
    userId = payload.sub;
  } catch {
    return null;
  }
  if (!sessionId || !userId) return null;
  const row = await db.selectFrom("operator_sessions")
    .innerJoin("operator_users", "operator_users.id", "operator_sessions.user_id")
    .selectAll("operator_users")
    .select([
      "operator_sessions.id as session_id",
      "operator_sessions.environment as session_environment",
      "operator_sessions.expires_at as session_expires_at",
      "operator_sessions.revoked_at as session_revoked_at",
      "operator_sessions.last_seen_at as session_last_seen_at",
      "operator_sessions.reauthenticated_at as session_reauthenticated_at",
    ])
    .where("operator_sessions.id", "=", sessionId)
    .where("operator_sessions.user_id", "=", userId)
    .executeTakeFirst();
  if (!row || row.session_revoked_at || row.disabled_at) return null;
  if (row.session_expires_at.getTime() <= now.getTime()) return null;
  if (now.getTime() - row.session_last_seen_at.getTime() >= idleTimeoutMs) {
    await revokeOperatorSession(db, row.session_id, now);
    return null;
  }
  await db.updateTable("operator_sessions").set({ last_seen_at: now })
    .where("id", "=", row.session_id).where("last_seen_at", "<", now).execute();
  const {
    session_id,
    session_environment,
    session_expires_at,
    session_revoked_at: _r,
    session_last_seen_at: _s,
    session_reauthenticated_at,
    ...user
  } = row;
  return {
    sessionId: session_id,
    environment: session_environment,
    expiresAt: session_expires_at,
    reauthenticatedAt: session_reauthenticated_at,
    user,
  };
}

/** Whether the session's latest passkey assertion is recent enough for a destructive action. */
export function recentlyReauthenticated(session: Pick<ActiveSession, "reauthenticatedAt">, now: Date): boolean {
  const at = session.reauthenticatedAt;
  return at !== null && now.getTime() - at.getTime() < STEP_UP_MAX_AGE_MS;
}

/** Records a step-up: the session's operator has just made a passkey assertion. */
export async function markReauthenticated(db: Kysely<Database>, sessionId: string, now: Date): Promise<void> {
  await db.updateTable("operator_sessions").set({ reauthenticated_at: now }).where("id", "=", sessionId).execute();
}

export async function revokeOperatorSession(db: Kysely<Database>, sessionId: string, now: Date): Promise<void> {
  await db.updateTable("operator_sessions").set({ revoked_at: now })
    .where("id", "=", sessionId).where("revoked_at", "is", null).execute();
}

export async function setSessionEnvironment(db: Kysely<Database>, sessionId: string, environment: Environment) {
  await db.updateTable("operator_sessions").set({ environment }).where("id", "=", sessionId).execute();
}

/** Session-bound CSRF token: an HMAC of the session id, so it needs no storage and dies with it. */
export function csrfTokenFor(keys: Pick<SessionKeys, "signingKeys">, sessionId: string): string {
  return createHmac("sha256", subKey(keys.signingKeys[0].key, "csrf")).update(sessionId).digest("base64url");
}

/** Any signing key's token is accepted, so a key rotation does not break open forms. */
export function csrfTokenValid(keys: Pick<SessionKeys, "signingKeys">, sessionId: string, sent: string): boolean {
  return keys.signingKeys.some((k) =>
    constantTimeEqual(createHmac("sha256", subKey(k.key, "csrf")).update(sessionId).digest("base64url"), sent)
  );
}

/**
 * Before sign-in there is no session to bind to: the sign-in and enrol pages set a random nonce
 * cookie and embed `preAuthCsrfToken(nonce)`; the ceremony endpoints compare the two (a
 * double-submit whose token an attacker cannot compute without the signing key).
 */
export function preAuthCsrfToken(keys: Pick<SessionKeys, "signingKeys">, nonce: string): string {
  return createHmac("sha256", subKey(keys.signingKeys[0].key, "preauth-csrf")).update(nonce).digest("base64url");
}

export function preAuthCsrfValid(keys: Pick<SessionKeys, "signingKeys">, nonce: string, sent: string): boolean {
  return keys.signingKeys.some((k) =>
    constantTimeEqual(createHmac("sha256", subKey(k.key, "preauth-csrf")).update(nonce).digest("base64url"), sent)
  );
}
