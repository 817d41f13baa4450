/**
 * Owns signing operators into the dashboard in tests: `createOperator` makes a user of an org, and
 * `signedInCookie` signs them in through `startOperatorSession`, the same code the passkey
 * ceremony ends with (same session row, same jose signing with the world's keys), minus the
 * WebAuthn ceremony itself, which tests/dashboard/auth_test.ts and the browser test cover.
 * `dashboardRequest` sends a request with that cookie and, for forms, the CSRF field.
 */
import type { TestWorld } from "./test_app.ts";
import { createOperatorUser, type OperatorRoleName } from "../../core/operators/users.ts";
import { SESSION_COOKIE, startOperatorSession } from "../../core/operators/sessions.ts";
import type { OperatorUserRow } from "../../core/db/database.ts";
import { randomString } from "../../core/ids.ts";

export type TestOperator = OperatorUserRow;

export interface DashboardSession {
  /** The `Cookie` request header value. */
  cookie: string;
  /** The CSRF token forms and the dashboard's JSON fetches must send. */
  csrfToken: string;
  sessionId: string;
}

/** A user of `orgId` (default: the world's org) with `role`; the email is unique per call. */
export function createOperator(
  world: TestWorld,
  { role, orgId, email, displayName }: {
    role: OperatorRoleName;
    orgId?: string;
    email?: string;
    displayName?: string;
  },
): Promise<TestOperator> {
  return createOperatorUser(world.db, {
    orgId: orgId ?? world.org.org_id,
    email: email ?? `${role}-${randomString(8)}@example.test`,
    displayName: displayName ?? `Test ${role}`,
    role,
  }, world.clock.now());
}

/** Signs `operator` in (optionally looking at `environment`); the result goes to `dashboardRequest`. */
export async function signedInCookie(
  world: TestWorld,
  operator: Pick<OperatorUserRow, "id" | "org_id">,
  { environment = "sandbox" }: { environment?: "sandbox" | "live" } = {},
): Promise<DashboardSession> {
  const session = await startOperatorSession(
    world.db,
    { signingKeys: world.deps.signingKeys, clock: () => world.clock.now() },
    operator,
    environment,
  );
  return { cookie: `${SESSION_COOKIE}=${session.token}`, csrfToken: session.csrfToken, sessionId: session.sessionId };
}

/**
 * Sends `method path` as the signed-in operator. `form` (POST) is sent urlencoded with the CSRF
 * field added unless `csrf: false` (to test the refusal); a `json` body is sent with the
 * `X-CSRF-Token` header, as the dashboard's scripts do. Redirects are not followed.
 */
export function dashboardRequest(
  world: TestWorld,
  session: DashboardSession | string,
  method: string,
  path: string,
  form?: Record<string, string | string[]>,
  { csrf = true, json, headers: extra = {} }: {
    csrf?: boolean;
    json?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const cookie = typeof session === "string" ? session : session.cookie;
  const token = typeof session === "string" ? undefined : session.csrfToken;
  const headers: Record<string, string> = { ...extra };
  if (cookie) headers.Cookie = cookie;
  let body: BodyInit | undefined;
  if (form) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
    }
    if (csrf && token && !params.has("csrf_token")) params.set("csrf_token", token);
    body = params.toString();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  } else if (json !== undefined) {
    body = JSON.stringify(json);
    headers["Content-Type"] = "application/json";
    if (csrf && token) headers["X-CSRF-Token"] = token;
  } else if (csrf && token && method !== "GET" && method !== "HEAD") {
    headers["X-CSRF-Token"] = token;
  }
  return Promise.resolve(world.app.request(path, { method, headers, body }));
}
