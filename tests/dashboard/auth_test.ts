/**
 * The dashboard's sign-in over HTTP, with a software passkey (tests/helpers/soft_authenticator.ts)
 * doing real WebAuthn ceremonies against the real app: enrol links (single use, expiry), invites
 * with roles, role checks, CSRF, sign-out, cookie attributes, passkey management, wrong-origin
 * assertions, and another organisation's objects answering 404.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { SoftAuthenticator } from "../helpers/soft_authenticator.ts";
import { createOperator, dashboardRequest, signedInCookie } from "../helpers/dashboard.ts";
import { createInvite } from "../../core/operators/invites.ts";

/** A cookie jar in front of the app, as a browser would be. */
class Client {
  cookies = new Map<string, string>();
  csrf = "";
  lastSetCookies: string[] = [];
  constructor(readonly world: TestWorld) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async send(
    method: string,
    path: string,
    { json, form, headers = {} }: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } =
      {},
  ): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h.Cookie = this.cookieHeader;
    let body: string | undefined;
    if (json !== undefined) {
      body = JSON.stringify(json);
      h["Content-Type"] = "application/json";
    } else if (form) {
      body = new URLSearchParams(form).toString();
      h["Content-Type"] = "application/x-www-form-urlencoded";
    }
    const response = await this.world.app.request(path, { method, headers: h, body });
    this.lastSetCookies = response.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair, ...attrs] = line.split(";");
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      if (!value || attrs.some((a) => /^\s*max-age=0$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Opens a page and keeps the CSRF token its meta tag carries. */
  async page(path: string): Promise<Response> {
    const response = await this.send("GET", path, { headers: { Accept: "text/html" } });
    const html = await response.clone().text();
    const match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
    if (match) this.csrf = match[1];
    return response;
  }

  postJson(path: string, json: unknown = {}) {
    return this.send("POST", path, { json, headers: { "X-CSRF-Token": this.csrf, Accept: "application/json" } });
  }
}

const ORIGIN = "http://verifa.test";

async function enrol(
  world: TestWorld,
  token: string,
  { email = "first@example.test", name = "First Admin", origin = ORIGIN } = {},
) {
  const client = new Client(world);
  const authenticator = new SoftAuthenticator();
  const page = await client.page(`/dashboard/enrol/${token}`);
  assert.equal(page.status, 200);
  const options = await client.postJson("/dashboard/auth/enrol/options", { token, email, display_name: name });
  assert.equal(options.status, 200, await options.clone().text());
  const { options: creation } = await options.json();
  const verify = await client.postJson("/dashboard/auth/enrol/verify", {
    response: authenticator.register(creation, origin),
    passkey_name: "Laptop",
  });
  return { client, authenticator, verify };
}

async function signIn(client: Client, authenticator: SoftAuthenticator, origin = ORIGIN) {
  await client.page("/dashboard/sign-in");
  const options = await client.postJson("/dashboard/auth/sign-in/options");
  assert.equal(options.status, 200);
  const { options: request } = await options.json();
  return await client.postJson("/dashboard/auth/sign-in/verify", { response: authenticator.assert(request, origin) });
}

Deno.test("dashboard sign-in with passkeys", async (t) => {
  const world = await createTestWorld();
  try {
    const bootstrap = await createInvite(
      world.db,
      { orgId: world.org.org_id, kind: "bootstrap", role: "admin" },
      world.clock.now(),
    );
    let admin!: Awaited<ReturnType<typeof enrol>>;

    await t.step(
      "signed out: pages redirect to sign-in, scripts get 401, GET /dashboard goes to verifications",
      async () => {
        const page = await world.app.request("/dashboard/account", { headers: { Accept: "text/html" } });
        assert.equal(page.status, 303);
        assert.equal(page.headers.get("location"), "/dashboard/sign-in?next=%2Fdashboard%2Faccount");
        const post = await world.app.request("/dashboard/environment", { method: "POST" });
        assert.equal(post.status, 401);
        const root = await world.app.request("/dashboard");
        assert.equal(root.headers.get("location"), "/dashboard/verifications");
        // The API-key middleware does not apply to the dashboard.
        const signInPage = await world.app.request("/dashboard/sign-in");
        assert.equal(signInPage.status, 200);
        const csp = signInPage.headers.get("content-security-policy") ?? "";
        assert.match(csp, /script-src 'self'/);
        assert.match(csp, /frame-ancestors 'none'/);
        const lib = await world.app.request("/dashboard/static/simplewebauthn-browser.js");
        assert.equal(lib.status, 200);
        assert.match(await lib.text(), /SimpleWebAuthnBrowser/);
      },
    );

    await t.step("the first admin enrols through the bootstrap link; the cookie is HttpOnly, Strict, 8 h", async () => {
      admin = await enrol(world, bootstrap.token);
      assert.equal(admin.verify.status, 200, await admin.verify.clone().text());
      const cookie = admin.client.lastSetCookies.find((c) => c.startsWith("verifa_dashboard="))!;
      assert.ok(cookie, "session cookie set");
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      assert.match(cookie, /Path=\/dashboard/);
      assert.match(cookie, /Max-Age=28800/);
      assert.doesNotMatch(cookie, /Secure/, "http public URL: no Secure flag");
      const account = await admin.client.page("/dashboard/account");
      assert.equal(account.status, 200);
      const html = await account.text();
      assert.match(html, /Laptop/);
      const user = await world.db.selectFrom("operator_users").selectAll().executeTakeFirstOrThrow();
      assert.equal(user.role, "admin");
      assert.match(user.id, /^usr_/);
      const invite = await world.db.selectFrom("operator_invites").selectAll().executeTakeFirstOrThrow();
      assert.notEqual(invite.token_hash, bootstrap.token, "only the hash is stored");
    });

    await t.step("the enrol link works once", async () => {
      const again = await world.app.request(`/dashboard/enrol/${bootstrap.token}`);
      assert.equal(again.status, 404);
      const client = new Client(world);
      await client.page("/dashboard/sign-in");
      const options = await client.postJson("/dashboard/auth/enrol/options", {
        token: bootstrap.token,
        email: "second@example.test",
        display_name: "Second",
      });
      assert.equal(options.status, 404);
    });

    await t.step("an expired link is refused", async () => {
      const link = await createInvite(
        world.db,
        { orgId: world.org.org_id, kind: "bootstrap", role: "admin" },
        world.clock.now(),
      );
      world.clock.advance(24 * 60 * 60 * 1000 + 1000);
      const response = await world.app.request(`/dashboard/enrol/${link.token}`);
      assert.equal(response.status, 404);
      world.clock.advance(-(24 * 60 * 60 * 1000 + 1000));
    });

    await t.step("a link whose options were fetched cannot be redeemed twice", async () => {
      const link = await createInvite(world.db, {
        orgId: world.org.org_id,
        kind: "invite",
        role: "viewer",
        email: "race@example.test",
      }, world.clock.now());
      const first = await enrol(world, link.token, { email: "race@example.test" });
      assert.equal(first.verify.status, 200);
      // Replaying the same ceremony (same challenge cookie) fails: the challenge is single use.
      const replay = await first.client.postJson("/dashboard/auth/enrol/verify", {
        response: new SoftAuthenticator().register(
          { challenge: "x", rp: { id: "verifa.test" }, user: { id: "eA" } },
          ORIGIN,
        ),
      });
      assert.equal(replay.status, 400);
    });

    await t.step("signing in again with the passkey; a wrong-origin or wrong-RP assertion is refused", async () => {
      const fresh = new Client(world);
      const ok = await signIn(fresh, admin.authenticator);
      assert.equal(ok.status, 200, await ok.clone().text());
      assert.equal((await ok.json()).redirect, "/dashboard/verifications");
      assert.equal((await fresh.page("/dashboard/account")).status, 200);

      const evil = new Client(world);
      const wrongOrigin = await signIn(evil, admin.authenticator, "https://evil.example");
      assert.equal(wrongOrigin.status, 401);
      assert.equal(evil.cookies.has("verifa_dashboard"), false);

      await evil.page("/dashboard/sign-in");
      const options = await evil.postJson("/dashboard/auth/sign-in/options");
      const { options: request } = await options.json();
      const wrongRp = await evil.postJson("/dashboard/auth/sign-in/verify", {
        response: admin.authenticator.assert(request, ORIGIN, "evil.example"),
      });
      assert.equal(wrongRp.status, 401);
    });

    await t.step("CSRF: POSTs without the token are refused, before and after sign-in", async () => {
      const noHeader = await admin.client.send("POST", "/dashboard/auth/sign-in/options", { json: {} });
      assert.equal(noHeader.status, 403);
      const noField = await admin.client.send("POST", "/dashboard/environment", { form: { environment: "live" } });
      assert.equal(noField.status, 403);
      const wrong = await admin.client.send("POST", "/dashboard/environment", {
        form: { environment: "live", csrf_token: "forged" },
      });
      assert.equal(wrong.status, 403);
      const ok = await admin.client.send("POST", "/dashboard/environment", {
        form: { environment: "live", csrf_token: admin.client.csrf },
      });
      assert.equal(ok.status, 303);
      const page = await admin.client.page("/dashboard/account");
      assert.match(await page.text(), /data-environment="live"/);
      await admin.client.send("POST", "/dashboard/environment", {
        form: { environment: "sandbox", csrf_token: admin.client.csrf },
      });
    });

    await t.step("invites: an admin invites a reviewer, who enrols with the invite's email and role", async () => {
      await admin.client.page("/dashboard/users");
      const response = await admin.client.send("POST", "/dashboard/users/invite", {
        form: { email: "rita@example.test", role: "reviewer", csrf_token: admin.client.csrf },
        headers: { Accept: "text/html" },
      });
      assert.equal(response.status, 201);
      const link = /data-invite-link[^>]*>([^<]+)</.exec(await response.text())![1];
      assert.match(link, /^http:\/\/verifa\.test\/dashboard\/enrol\/enr_/);
      const token = link.split("/").pop()!;
      const rita = await enrol(world, token, { email: "ignored@example.test", name: "Rita" });
      assert.equal(rita.verify.status, 200);
      const user = await world.db.selectFrom("operator_users").selectAll().where("display_name", "=", "Rita")
        .executeTakeFirstOrThrow();
      assert.equal(user.email, "rita@example.test");
      assert.equal(user.role, "reviewer");
      // A reviewer is not an admin.
      assert.equal((await rita.client.page("/dashboard/users")).status, 403);
    });

    await t.step("role checks: a viewer cannot reach admin pages (403)", async () => {
      const viewer = await createOperator(world, { role: "viewer" });
      const session = await signedInCookie(world, viewer);
      assert.equal((await dashboardRequest(world, session, "GET", "/dashboard/users")).status, 403);
      const invite = await dashboardRequest(world, session, "POST", "/dashboard/users/invite", {
        email: "x@example.test",
        role: "admin",
      });
      assert.equal(invite.status, 403);
      assert.equal((await dashboardRequest(world, session, "GET", "/dashboard/account")).status, 200);
    });

    await t.step("several passkeys: add one, remove one, never the last", async () => {
      await admin.client.page("/dashboard/account");
      const second = new SoftAuthenticator();
      const options = await admin.client.postJson("/dashboard/account/passkeys/options");
      assert.equal(options.status, 200);
      const { options: creation } = await options.json();
      assert.equal(creation.excludeCredentials.length, 1);
      const added = await admin.client.postJson("/dashboard/account/passkeys/verify", {
        response: second.register(creation, ORIGIN),
        passkey_name: "Phone",
      });
      assert.equal(added.status, 200, await added.clone().text());
      // The new passkey signs in too.
      assert.equal((await signIn(new Client(world), second)).status, 200);
      const remove = (id: string) =>
        admin.client.send("POST", `/dashboard/account/passkeys/${id}/remove`, {
          form: { csrf_token: admin.client.csrf },
        });
      assert.equal((await remove(admin.authenticator.id)).status, 303);
      assert.equal((await remove(second.id)).status, 409, "the last passkey stays");
      assert.equal(
        (await signIn(new Client(world), admin.authenticator)).status,
        401,
        "removed passkey no longer works",
      );
    });

    await t.step("another organisation's users and passkeys are 404", async () => {
      const other = await world.provisionOrg("other-org");
      const outsider = await createOperator(world, { role: "admin", orgId: other.org_id });
      const session = await signedInCookie(world, outsider);
      const target = await world.db.selectFrom("operator_users").select("id").where("org_id", "=", world.org.org_id)
        .where("role", "=", "reviewer").executeTakeFirstOrThrow();
      const role = await dashboardRequest(world, session, "POST", `/dashboard/users/${target.id}/role`, {
        role: "viewer",
      });
      assert.equal(role.status, 404);
      const disable = await dashboardRequest(world, session, "POST", `/dashboard/users/${target.id}/disable`, {});
      assert.equal(disable.status, 404);
      const passkey = await dashboardRequest(
        world,
        session,
        "POST",
        `/dashboard/account/passkeys/${admin.authenticator.id}/remove`,
        {},
      );
      assert.equal(passkey.status, 404);
      const list = await dashboardRequest(world, session, "GET", "/dashboard/users");
      assert.doesNotMatch(await list.text(), /rita@example\.test/);
    });

    await t.step("the last admin cannot be demoted; disabling a user ends their sessions", async () => {
      const adminRow = await world.db.selectFrom("operator_users").select("id").where(
        "email",
        "=",
        "first@example.test",
      )
        .executeTakeFirstOrThrow();
      const demote = await admin.client.send("POST", `/dashboard/users/${adminRow.id}/role`, {
        form: { role: "viewer", csrf_token: admin.client.csrf },
      });
      assert.equal(demote.status, 409);
      const victim = await createOperator(world, { role: "reviewer" });
      const session = await signedInCookie(world, victim);
      assert.equal((await dashboardRequest(world, session, "GET", "/dashboard/account")).status, 200);
      const disabled = await admin.client.send("POST", `/dashboard/users/${victim.id}/disable`, {
        form: { csrf_token: admin.client.csrf },
      });
      assert.equal(disabled.status, 303);
      assert.equal((await dashboardRequest(world, session, "GET", "/dashboard/account")).status, 303);
    });

    await t.step("sessions expire after 8 hours, however busy", async () => {
      const viewer = await createOperator(world, { role: "viewer" });
      const session = await signedInCookie(world, viewer);
      const account = () =>
        dashboardRequest(world, session, "GET", "/dashboard/account", undefined, {
          headers: { Accept: "application/json" },
        });
      // A request every 25 minutes keeps the idle timeout (30 minutes) away for 7 h 55 min...
      const step = 25 * 60 * 1000;
      for (let i = 0; i < 19; i++) {
        world.clock.advance(step);
        const alive = await account();
        await alive.body?.cancel();
        assert.equal(alive.status, 200, `after ${((i + 1) * 25)} minutes`);
      }
      // ...but not past the 8 hours.
      world.clock.advance(6 * 60 * 1000);
      const response = await account();
      await response.body?.cancel();
      world.clock.advance(-(19 * step + 6 * 60 * 1000));
      assert.equal(response.status, 401);
    });

    await t.step("the audit log records enrolment, sign-in, invites, passkeys, roles and disabling", async () => {
      const first = await world.db.selectFrom("operator_users").select("id").where("email", "=", "first@example.test")
        .executeTakeFirstOrThrow();
      const promoted = await createOperator(world, { role: "viewer" });
      const changed = await admin.client.send("POST", `/dashboard/users/${promoted.id}/role`, {
        form: { role: "reviewer", csrf_token: admin.client.csrf },
      });
      assert.equal(changed.status, 303);
      const rows = await world.db.selectFrom("audit_log").selectAll().where("org_id", "=", world.org.org_id)
        .where("actor_type", "=", "operator").where("actor_id", "=", first.id).orderBy("sequence_num").execute();
      const actions = rows.map((r) => r.action);
      for (
        const action of [
          "dashboard.auth.enrol",
          "dashboard.auth.sign_in",
          "dashboard.user.invite",
          "dashboard.account.passkey.add",
          "dashboard.account.passkey.remove",
          "dashboard.user.disable",
          "dashboard.user.role.update",
        ]
      ) {
        assert.ok(actions.includes(action), `${action} in ${actions.join(", ")}`);
      }
      const byAction = (action: string) => rows.find((r) => r.action === action)!;
      assert.deepEqual(
        [byAction("dashboard.auth.sign_in").target_id, byAction("dashboard.auth.sign_in").environment],
        [first.id, null],
      );
      assert.equal(byAction("dashboard.auth.enrol").details.role, "admin");
      assert.equal(byAction("dashboard.user.invite").target_type, "invite");
      const role = rows.findLast((r) => r.action === "dashboard.user.role.update")!;
      assert.deepEqual([role.target_id, role.details.role, role.details.status], [promoted.id, "reviewer", 303]);
      assert.ok(!actions.includes("dashboard.account.passkey.options"), "ceremony steps are not actions");
      // Refused attempts (the 409 demotion, the last passkey) left no row: one role row, one removal.
      assert.equal(actions.filter((a) => a === "dashboard.user.role.update").length, 1);
      assert.equal(actions.filter((a) => a === "dashboard.account.passkey.remove").length, 1);
      assert.ok(!JSON.stringify(rows).includes("@example.test"), "no email addresses in the log");
    });

    await t.step("sign-out ends the session: the old cookie no longer works", async () => {
      const oldCookie = admin.client.cookieHeader;
      const out = await admin.client.send("POST", "/dashboard/sign-out", { form: { csrf_token: admin.client.csrf } });
      assert.equal(out.status, 303);
      assert.equal(out.headers.get("location"), "/dashboard/sign-in");
      assert.equal(admin.client.cookies.has("verifa_dashboard"), false, "cookie cleared");
      const signOut = await world.db.selectFrom("audit_log").selectAll().where("org_id", "=", world.org.org_id)
        .where("action", "=", "dashboard.auth.sign_out").executeTakeFirst();
      assert.equal(signOut?.actor_type, "operator", "sign-out recorded");
      const replay = await world.app.request("/dashboard/account", { headers: { Cookie: oldCookie } });
      assert.equal(replay.status, 303);
      assert.match(replay.headers.get("location")!, /^\/dashboard\/sign-in/);
    });

    await t.step("over https the cookie is Secure", async () => {
      world.setPublicUrl("https://verifa.test");
      const link = await createInvite(world.db, {
        orgId: world.org.org_id,
        kind: "invite",
        role: "viewer",
        email: "sec@example.test",
      }, world.clock.now());
      const { client, verify } = await enrol(world, link.token, {
        email: "sec@example.test",
        origin: "https://verifa.test",
      });
      assert.equal(verify.status, 200);
      const cookie = client.lastSetCookies.find((c) => c.startsWith("verifa_dashboard="))!;
      assert.match(cookie, /Secure/);
      world.setPublicUrl("http://verifa.test");
    });
  } finally {
    await world.close();
  }
});
