/**
 * Dashboard sessions over HTTP (issue #15): a session left idle past the timeout is over, and every
 * request it answers restarts the count (the test clock moves, nothing sleeps); destructive actions
 * (redact, API key creation, operator invites and roles, settings) need a passkey assertion from the last five minutes, else a
 * script gets 403 step_up_required and a browser a page asking for the passkey that sends the same
 * form again; the step-up ceremony (a software passkey, tests/helpers/soft_authenticator.ts)
 * accepts only the operator's own passkey.
 */
import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { createOperator, dashboardRequest, type DashboardSession, signedInCookie } from "../helpers/dashboard.ts";
import { SoftAuthenticator } from "../helpers/soft_authenticator.ts";
import { createSession } from "../helpers/sessions.ts";

const MINUTE = 60_000;
const JSON_ACCEPT = { headers: { Accept: "application/json" } };
const HTML_ACCEPT = { headers: { Accept: "text/html" } };

/** A JSON POST with the session cookie (and `extraCookie`), as passkeys.js sends it; the reply and its cookies. */
async function postJson(world: TestWorld, session: DashboardSession, path: string, body: unknown, extraCookie = "") {
  const response = await world.app.request(path, {
    method: "POST",
    headers: {
      Cookie: [session.cookie, extraCookie].filter(Boolean).join("; "),
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRF-Token": session.csrfToken,
    },
    body: JSON.stringify(body),
  });
  const setCookies = response.headers.getSetCookie().map((line) => line.split(";")[0]);
  return { status: response.status, body: await response.json(), setCookies };
}

/** Registers `authenticator` as a passkey of the signed-in operator (the account page's ceremony). */
async function addPasskey(world: TestWorld, session: DashboardSession, authenticator: SoftAuthenticator) {
  const options = await postJson(world, session, "/dashboard/account/passkeys/options", {});
  assert.equal(options.status, 200, JSON.stringify(options.body));
  const verify = await postJson(world, session, "/dashboard/account/passkeys/verify", {
    response: authenticator.register(options.body.options, world.deps.publicUrl),
    passkey_name: "Laptop",
  }, options.setCookies.join("; "));
  assert.equal(verify.status, 200, JSON.stringify(verify.body));
}

/** The step-up ceremony with `authenticator`: the status of the verify call. */
async function stepUp(world: TestWorld, session: DashboardSession, authenticator: SoftAuthenticator) {
  const options = await postJson(world, session, "/dashboard/auth/step-up/options", {});
  assert.equal(options.status, 200, JSON.stringify(options.body));
  const verify = await postJson(world, session, "/dashboard/auth/step-up/verify", {
    response: authenticator.assert(options.body.options, world.deps.publicUrl),
  }, options.setCookies.join("; "));
  return { options: options.body.options, ...verify };
}

Deno.test("dashboard sessions: idle timeout", async (t) => {
  const world = await createTestWorld();
  try {
    const viewer = await createOperator(world, { role: "viewer" });
    const account = (session: DashboardSession, options = JSON_ACCEPT) =>
      dashboardRequest(world, session, "GET", "/dashboard/account", undefined, options);

    await t.step("each request restarts the 30 minutes; 30 minutes without one end the session", async () => {
      const session = await signedInCookie(world, viewer);
      // Well past 30 minutes in all, but never 30 without a request: still signed in.
      for (let i = 0; i < 3; i++) {
        world.clock.advance(29 * MINUTE);
        const alive = await account(session);
        await alive.body?.cancel();
        assert.equal(alive.status, 200, `after ${(i + 1) * 29} minutes of steady use`);
      }
      world.clock.advance(30 * MINUTE);
      const idle = await account(session);
      assert.equal(idle.status, 401);
      assert.equal((await idle.json()).error, "unauthorized");
      // A page sends the operator to sign in again, and coming back does not revive the session.
      world.clock.advance(-29 * MINUTE);
      const page = await account(session, HTML_ACCEPT);
      assert.equal(page.status, 303);
      assert.match(page.headers.get("location") ?? "", /^\/dashboard\/sign-in\?next=/);
      const row = await world.db.selectFrom("operator_sessions").select("revoked_at")
        .where("id", "=", session.sessionId).executeTakeFirstOrThrow();
      assert.ok(row.revoked_at, "the idle session is ended for good");
      world.clock.advance(29 * MINUTE);
    });

    await t.step("the sign-in page no longer counts an idle session as signed in", async () => {
      const session = await signedInCookie(world, viewer);
      world.clock.advance(31 * MINUTE);
      const signIn = await dashboardRequest(world, session, "GET", "/dashboard/sign-in", undefined, HTML_ACCEPT);
      await signIn.body?.cancel();
      assert.equal(signIn.status, 200, "the sign-in page, not a redirect into the dashboard");
    });

    await t.step("VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES sets the timeout", async () => {
      const app = createApp({ ...world.deps, dashboardIdleTimeoutMs: 5 * MINUTE });
      const session = await signedInCookie(world, viewer);
      const get = () =>
        app.request("/dashboard/account", { headers: { Cookie: session.cookie, Accept: "application/json" } });
      world.clock.advance(4 * MINUTE);
      const alive = await get();
      await alive.body?.cancel();
      assert.equal(alive.status, 200);
      world.clock.advance(5 * MINUTE);
      const idle = await get();
      await idle.body?.cancel();
      assert.equal(idle.status, 401);
    });
  } finally {
    await world.close();
  }
});

Deno.test("dashboard step-up: destructive actions need a recent passkey", async (t) => {
  const world = await createTestWorld();
  try {
    const admin = await createOperator(world, { role: "admin" });
    const session = await signedInCookie(world, admin);
    const passkey = new SoftAuthenticator();
    await addPasskey(world, session, passkey);
    const verification = await createSession(world, world.org.sandbox_secret_key, {});
    const reviewerToPromote = await createOperator(world, { role: "reviewer" });
    /** Each destructive action: its path, and a form that succeeds once the step-up is fresh. */
    const actions: Record<string, [string, Record<string, string | string[]>]> = {
      redact: [`/dashboard/verifications/${verification.id}/redact`, { confirm: "redact" }],
      apiKey: ["/dashboard/developers/api-keys", { label: "ci", type: "secret", scopes: "sessions:read" }],
      invite: ["/dashboard/users/invite", { email: "new-admin@example.test", role: "admin" }],
      role: [`/dashboard/users/${reviewerToPromote.id}/role`, { role: "admin" }],
      // Every box empty: the defaults, which the organisation has already.
      settings: ["/dashboard/settings", {}],
    };
    const post = (what: keyof typeof actions, options = {}) =>
      dashboardRequest(world, session, "POST", actions[what][0], actions[what][1], options);
    const keyCount = async () =>
      (await world.db.selectFrom("api_keys").select("id").where("org_id", "=", world.org.org_id).execute()).length;
    const promotedRole = async () =>
      (await world.db.selectFrom("operator_users").select("role").where("id", "=", reviewerToPromote.id)
        .executeTakeFirstOrThrow()).role;

    await t.step("right after sign-in (a passkey assertion) the actions go through", async () => {
      const before = await keyCount();
      const created = await post("apiKey");
      await created.body?.cancel();
      assert.equal(created.status, 201);
      assert.equal(await keyCount(), before + 1);
    });

    await t.step("five minutes later each is refused: 403 step_up_required, nothing changed", async () => {
      world.clock.advance(5 * MINUTE + 1000);
      const keys = await keyCount();
      for (const what of Object.keys(actions)) {
        const response = await post(what, JSON_ACCEPT);
        assert.equal(response.status, 403, what);
        const body = await response.json();
        assert.equal(body.error, "step_up_required", what);
        assert.match(body.detail, /passkey again/, what);
        assert.match(body.detail, /\/dashboard\/auth\/step-up\/options/, what);
      }
      assert.equal(await keyCount(), keys, "no key was minted");
      const row = await world.db.selectFrom("sessions").select("retention_status")
        .where("id", "=", verification.id).executeTakeFirstOrThrow();
      assert.notEqual(row.retention_status, "redacted", "nothing was erased");
      assert.equal(await promotedRole(), "reviewer", "no role changed");
      const invites = await world.db.selectFrom("operator_invites").select("id")
        .where("email", "=", "new-admin@example.test").execute();
      assert.deepEqual(invites, [], "nobody was invited");
    });

    await t.step("a browser gets a page asking for the passkey, with the same form to send again", async () => {
      const response = await post("apiKey", HTML_ACCEPT);
      assert.equal(response.status, 403);
      const html = await response.text();
      assert.match(html, /Confirm with your passkey/);
      assert.match(html, /<form method="post" action="\/dashboard\/developers\/api-keys" data-step-up-retry/);
      assert.match(html, /<input type="hidden" name="label" value="ci"/);
      assert.match(html, /<input type="hidden" name="scopes" value="sessions:read"/);
      assert.match(html, new RegExp(`<input type="hidden" name="csrf_token" value="${session.csrfToken}"`));
      assert.match(html, /src="\/dashboard\/static\/passkeys\.js"/);
    });

    await t.step("another operator's passkey does not step this session up", async () => {
      const other = await createOperator(world, { role: "admin" });
      const otherSession = await signedInCookie(world, other);
      const otherPasskey = new SoftAuthenticator();
      await addPasskey(world, otherSession, otherPasskey);
      const attempt = await stepUp(world, session, otherPasskey);
      assert.deepEqual(attempt.options.allowCredentials.map((c: { id: string }) => c.id), [passkey.id]);
      assert.equal(attempt.status, 401);
      assert.equal(attempt.body.error, "unauthorized");
      const still = await post("settings", JSON_ACCEPT);
      assert.equal(still.status, 403);
      await still.body?.cancel();
    });

    await t.step("after the step-up the same requests go through, and the step-up is audited", async () => {
      const done = await stepUp(world, session, passkey);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      const keys = await keyCount();
      const expected = { redact: 303, apiKey: 201, invite: 201, role: 303, settings: 303 };
      for (const [what, status] of Object.entries(expected)) {
        const response = await post(what);
        await response.body?.cancel();
        assert.equal(response.status, status, what);
      }
      assert.equal(await keyCount(), keys + 1);
      assert.equal(await promotedRole(), "admin");
      const audit = await world.db.selectFrom("audit_log").select(["action", "actor_id"])
        .where("org_id", "=", world.org.org_id).where("action", "like", "dashboard.auth.step%").execute();
      assert.deepEqual(audit, [{ action: "dashboard.auth.step_up", actor_id: admin.id }]);
    });

    await t.step("the step-up lasts five minutes", async () => {
      world.clock.advance(5 * MINUTE + 1000);
      const response = await post("settings", JSON_ACCEPT);
      assert.equal(response.status, 403);
      assert.equal((await response.json()).error, "step_up_required");
    });

    await t.step("a non-admin is refused by the role check, not asked for a passkey", async () => {
      const reviewer = await createOperator(world, { role: "reviewer" });
      const reviewerSession = await signedInCookie(world, reviewer);
      world.clock.advance(6 * MINUTE);
      for (const what of ["settings", "invite"]) {
        const [path, form] = actions[what];
        const response = await dashboardRequest(world, reviewerSession, "POST", path, form, JSON_ACCEPT);
        assert.equal(response.status, 403, what);
        assert.equal((await response.json()).error, "forbidden", what);
      }
    });
  } finally {
    await world.close();
  }
});
