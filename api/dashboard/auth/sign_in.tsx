/**
 * Owns the routes reached before sign-in: the sign-in page, the enrolment page a one-time link
 * opens, and the JSON endpoints of both passkey ceremonies. Their POSTs carry the pre-sign-in
 * CSRF token (X-CSRF-Token, bound to a nonce cookie); a finished ceremony starts a session, sets
 * the session cookie and is recorded in the audit log (`dashboard.auth.sign_in` / `.enrol`).
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import { AppError } from "../../../core/errors.ts";
import { randomString } from "../../../core/ids.ts";
import { findUsableInvite } from "../../../core/operators/invites.ts";
import {
  beginEnrolment,
  beginSignIn,
  finishEnrolment,
  finishSignIn,
  relyingPartyFor,
} from "../../../core/operators/passkeys.ts";
import { preAuthCsrfToken, preAuthCsrfValid, startOperatorSession } from "../../../core/operators/sessions.ts";
import { type AppEnv, readJson } from "../../http.ts";
import { SignedOutPage } from "../layout.tsx";
import {
  ensurePreAuthNonce,
  readPreAuthNonce,
  setCeremonyCookie,
  setSessionCookie,
  takeCeremonyCookie,
} from "./cookies.ts";
import { resolveSession, safeNext, sessionKeys, type SessionPolicy } from "./require_operator.ts";
import { recordOperatorAction } from "../audit.ts";

const SCRIPTS = ["/dashboard/static/simplewebauthn-browser.js", "/dashboard/static/passkeys.js"];

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

export function signInRoutes(deps: CoreDeps, policy: SessionPolicy = {}) {
  const app = new Hono<AppEnv>();
  const keys = sessionKeys(deps);
  const ceremony = () => ({ db: deps.db, rp: relyingPartyFor(deps.publicUrl), now: deps.clock() });

  const pageCsrf = (c: Context) =>
    preAuthCsrfToken(keys, ensurePreAuthNonce(c, deps.publicUrl, () => randomString(32)));

  /** Every ceremony POST: the nonce cookie and the token in the header must match. */
  const checkCsrf = (c: Context) => {
    const nonce = readPreAuthNonce(c);
    const sent = c.req.header("x-csrf-token");
    if (!nonce || !sent || !preAuthCsrfValid(keys, nonce, sent)) {
      throw new AppError("forbidden", "The CSRF token is missing or wrong; reload the page and try again.");
    }
  };

  const signedIn = async (c: Context, user: { id: string; org_id: string }) => {
    const session = await startOperatorSession(deps.db, keys, user);
    setSessionCookie(c, deps.publicUrl, session.token);
  };

  /** The audit row of a finished ceremony, right after its transaction: the user is the actor and the target. */
  const recorded = (
    c: Context,
    user: { id: string; org_id: string },
    action: string,
    details: Record<string, unknown>,
  ) =>
    recordOperatorAction(deps, c, {
      orgId: user.org_id,
      userId: user.id,
      environment: null,
      action,
      targetType: "user",
      targetId: user.id,
      details: { ...details, method: c.req.method, path: c.req.path, status: 200 },
    });

  app.get("/sign-in", async (c) => {
    const next = safeNext(c.req.query("next"));
    if (await resolveSession(deps, c, policy)) return c.redirect(next, 303);
    const csrfToken = pageCsrf(c);
    return c.html(
      <SignedOutPage title="Sign in" csrfToken={csrfToken} scripts={SCRIPTS}>
        <p>Sign in to the operator dashboard with your passkey.</p>
        <p role="alert" data-passkey-error hidden></p>
        <button type="button" data-passkey-sign-in data-next={next}>Sign in with a passkey</button>
        <p class="muted">
          No passkey yet? Ask an admin of your organisation for an invite link. The first admin's link is printed by
          {" "}
          <code>deno task start</code> on first run, or by <code>deno task admin-link</code>.
        </p>
      </SignedOutPage>,
    );
  });

  app.get("/enrol/:token", async (c) => {
    const invite = await findUsableInvite(deps.db, c.req.param("token"), deps.clock());
    const csrfToken = pageCsrf(c);
    return c.html(
      <SignedOutPage title="Create your passkey" csrfToken={csrfToken} scripts={SCRIPTS}>
        <p>
          You are joining as{" "}
          <strong>{invite.role}</strong>. Your passkey (this device, a phone or a security key) is how you will sign in;
          there is no password.
        </p>
        <p role="alert" data-passkey-error hidden></p>
        <form data-passkey-enrol data-token={c.req.param("token")}>
          <label>
            Email{" "}
            {invite.email
              ? <input type="email" name="email" value={invite.email} readonly />
              : <input type="email" name="email" required autocomplete="username" />}
          </label>
          <label>
            Your name <input type="text" name="display_name" required maxlength={100} autocomplete="name" />
          </label>
          <label>
            Passkey name <input type="text" name="passkey_name" maxlength={100} placeholder="e.g. Work laptop" />
          </label>
          <button type="submit">Create passkey</button>
        </form>
      </SignedOutPage>,
    );
  });

  app.post("/auth/enrol/options", async (c) => {
    checkCsrf(c);
    const body = record(await readJson(c));
    const token = typeof body.token === "string" ? body.token : "";
    const { challengeId, options } = await beginEnrolment(ceremony(), {
      token,
      email: body.email,
      displayName: body.display_name,
    });
    setCeremonyCookie(c, deps.publicUrl, challengeId);
    return c.json({ options });
  });

  app.post("/auth/enrol/verify", async (c) => {
    checkCsrf(c);
    const body = record(await readJson(c));
    const user = await finishEnrolment(ceremony(), {
      challengeId: takeCeremonyCookie(c, deps.publicUrl),
      response: body.response as never,
      passkeyName: body.passkey_name,
    });
    deps.log.info("operator enrolled", { org_id: user.org_id, user_id: user.id, role: user.role });
    await signedIn(c, user);
    await recorded(c, user, "dashboard.auth.enrol", { role: user.role });
    return c.json({ redirect: "/dashboard/verifications" });
  });

  app.post("/auth/sign-in/options", async (c) => {
    checkCsrf(c);
    const { challengeId, options } = await beginSignIn(ceremony());
    setCeremonyCookie(c, deps.publicUrl, challengeId);
    return c.json({ options });
  });

  app.post("/auth/sign-in/verify", async (c) => {
    checkCsrf(c);
    const body = record(await readJson(c));
    const user = await finishSignIn(ceremony(), {
      challengeId: takeCeremonyCookie(c, deps.publicUrl),
      response: body.response as never,
    });
    await signedIn(c, user);
    await recorded(c, user, "dashboard.auth.sign_in", {});
    return c.json({ redirect: safeNext(typeof body.next === "string" ? body.next : null) });
  });

  return app;
}
