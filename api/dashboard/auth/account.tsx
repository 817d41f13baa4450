/**
 * Owns the team pages: /dashboard/account (every operator: their passkeys, add another, remove
 * one but never the last) and /dashboard/users (admins: invite with a role and show the link once,
 * list users and pending invites, change a role, disable a user, revoke an invite). Each change is
 * recorded in the audit log by api/dashboard/audit.ts, right after its transaction, with the
 * operator as actor; handlers add the invite's id and the roles given (never the email).
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import { AppError, validationError } from "../../../core/errors.ts";
import { createInvite, enrolUrl, listPendingInvites, revokeInvite } from "../../../core/operators/invites.ts";
import {
  beginAddPasskey,
  finishAddPasskey,
  listPasskeys,
  relyingPartyFor,
  removePasskey,
} from "../../../core/operators/passkeys.ts";
import {
  changeOperatorRole,
  disableOperator,
  findOperatorByEmail,
  getOperatorUser,
  isOperatorRole,
  listOperatorUsers,
  normaliseOperatorDetails,
} from "../../../core/operators/users.ts";
import type { DashboardContext, DashboardEnv } from "../env.ts";
import { csrfField, DashboardPage } from "../layout.tsx";
import { setCeremonyCookie, takeCeremonyCookie } from "./cookies.ts";
import { requireRole } from "./require_operator.ts";

function when(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—";
}

async function formValue(c: DashboardContext, name: string): Promise<string> {
  const value = (await c.req.parseBody())[name];
  return typeof value === "string" ? value.trim() : "";
}

export async function jsonBody(c: DashboardContext): Promise<Record<string, unknown>> {
  const body = await c.req.json().catch(() => null);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("invalid_json", "The request body is not a JSON object.");
  }
  return body as Record<string, unknown>;
}

export function accountPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();
  const ceremony = () => ({ db: deps.db, rp: relyingPartyFor(deps.publicUrl), now: deps.clock() });
  const me = (c: DashboardContext) => getOperatorUser(deps.db, c.get("operator").orgId, c.get("operator").userId);

  app.get("/account", async (c) => {
    const passkeys = await listPasskeys(deps.db, c.get("operator").userId);
    return c.html(
      <DashboardPage c={c} title="Your passkeys" active="account">
        {c.req.query("added") ? <p class="notice">Passkey added.</p> : null}
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Added</th>
              <th>Last used</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr key={p.id} data-passkey-id={p.id}>
                <td>{p.name}</td>
                <td>{when(p.created_at)}</td>
                <td>{when(p.last_used_at)}</td>
                <td>
                  {passkeys.length > 1
                    ? (
                      <form method="post" action={`/dashboard/account/passkeys/${encodeURIComponent(p.id)}/remove`}>
                        {csrfField(c)}
                        <button type="submit" class="danger">Remove</button>
                      </form>
                    )
                    : <span class="muted">Your only passkey</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <section>
          <h2>Add another passkey</h2>
          <p role="alert" data-passkey-error hidden></p>
          <form data-passkey-add>
            <label>
              Name <input type="text" name="passkey_name" maxlength={100} placeholder="e.g. Phone" />
            </label>
            <button type="submit">Add a passkey</button>
          </form>
        </section>
        <script src="/dashboard/static/simplewebauthn-browser.js" defer></script>
        <script src="/dashboard/static/passkeys.js" defer></script>
      </DashboardPage>,
    );
  });

  app.post("/account/passkeys/options", async (c) => {
    const { challengeId, options } = await beginAddPasskey(ceremony(), await me(c));
    setCeremonyCookie(c, deps.publicUrl, challengeId);
    return c.json({ options });
  });

  app.post("/account/passkeys/verify", async (c) => {
    const body = await jsonBody(c);
    await finishAddPasskey(ceremony(), await me(c), {
      challengeId: takeCeremonyCookie(c, deps.publicUrl),
      response: body.response as never,
      passkeyName: body.passkey_name,
    });
    return c.json({ ok: true });
  });

  app.post("/account/passkeys/:id/remove", async (c) => {
    await removePasskey(deps.db, c.get("operator").userId, c.req.param("id"));
    return c.redirect("/dashboard/account", 303);
  });

  // Everything under /users is for admins only.
  app.use("/users", requireRole("admin"));
  app.use("/users/*", requireRole("admin"));

  app.get("/users", async (c) => {
    const { orgId, userId } = c.get("operator");
    const [users, invites] = await Promise.all([
      listOperatorUsers(deps.db, orgId),
      listPendingInvites(deps.db, orgId, deps.clock()),
    ]);
    return c.html(
      <DashboardPage c={c} title="Users" active="users">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user-id={u.id}>
                <td>{u.display_name}</td>
                <td>{u.email}</td>
                <td>
                  {u.disabled_at ? u.role : (
                    <form method="post" action={`/dashboard/users/${u.id}/role`} class="inline">
                      {csrfField(c)}
                      <select name="role" aria-label={`Role of ${u.email}`}>
                        {(["admin", "reviewer", "viewer"] as const).map((r) => (
                          <option key={r} value={r} selected={u.role === r}>{r}</option>
                        ))}
                      </select>{" "}
                      <button type="submit" class="secondary">Change</button>
                    </form>
                  )}
                </td>
                <td>{u.disabled_at ? `Disabled ${when(u.disabled_at)}` : "Active"}</td>
                <td>
                  {u.disabled_at || u.id === userId
                    ? null
                    : (
                      <form method="post" action={`/dashboard/users/${u.id}/disable`} class="inline">
                        {csrfField(c)}
                        <button type="submit" class="danger">Disable</button>
                      </form>
                    )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <section>
          <h2>Invite someone</h2>
          <p class="muted">The invite link works once, for 72 hours. Send it to the person yourself.</p>
          <form method="post" action="/dashboard/users/invite">
            {csrfField(c)}
            <label>
              Email <input type="email" name="email" required />
            </label>
            <label>
              Role{" "}
              <select name="role">
                <option value="viewer">viewer — sees everything, changes nothing</option>
                <option value="reviewer">reviewer — also decides review cases</option>
                <option value="admin">admin — also manages keys, webhooks, settings and users</option>
              </select>
            </label>
            <button type="submit">Create invite link</button>
          </form>
        </section>
        {invites.length
          ? (
            <section>
              <h2>Pending invites</h2>
              <table>
                <tbody>
                  {invites.map((i) => (
                    <tr key={i.id}>
                      <td>{i.email ?? "(first admin link)"}</td>
                      <td>{i.role}</td>
                      <td>expires {when(i.expires_at)}</td>
                      <td>
                        <form method="post" action={`/dashboard/users/invites/${i.id}/revoke`} class="inline">
                          {csrfField(c)}
                          <button type="submit" class="secondary">Revoke</button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )
          : null}
      </DashboardPage>,
    );
  });

  app.post("/users/invite", async (c) => {
    const operator = c.get("operator");
    const role = await formValue(c, "role");
    if (!isOperatorRole(role)) throw validationError({ role: "must be admin, reviewer or viewer" });
    const { email } = normaliseOperatorDetails({ email: await formValue(c, "email"), displayName: "-" });
    if (await findOperatorByEmail(deps.db, operator.orgId, email)) {
      throw new AppError("conflict", "An operator with this email already exists in the organisation.");
    }
    const { token, invite } = await createInvite(deps.db, {
      orgId: operator.orgId,
      kind: "invite",
      role,
      email,
      createdBy: operator.userId,
    }, deps.clock());
    const link = enrolUrl(deps.publicUrl, token);
    c.set("auditNote", { targetType: "invite", targetId: invite.id, details: { role } });
    return c.html(
      <DashboardPage c={c} title="Invite created" active="users">
        <p>
          Send this link to <strong>{email}</strong>. It makes them a <strong>{role}</strong>, works once and expires
          {" "}
          {when(invite.expires_at)}. It is shown only now.
        </p>
        <code class="secret" data-invite-link>{link}</code>
        <p>
          <a href="/dashboard/users">Back to users</a>
        </p>
      </DashboardPage>,
      201,
    );
  });

  app.post("/users/invites/:id/revoke", async (c) => {
    await revokeInvite(deps.db, c.get("operator").orgId, c.req.param("id"), deps.clock());
    return c.redirect("/dashboard/users", 303);
  });

  app.post("/users/:id/role", async (c) => {
    const role = await formValue(c, "role");
    if (!isOperatorRole(role)) throw validationError({ role: "must be admin, reviewer or viewer" });
    await changeOperatorRole(deps.db, c.get("operator").orgId, c.req.param("id"), role);
    c.set("auditNote", { details: { role } });
    return c.redirect("/dashboard/users", 303);
  });

  app.post("/users/:id/disable", async (c) => {
    const { orgId, userId } = c.get("operator");
    if (c.req.param("id") === userId) throw new AppError("conflict", "You cannot disable yourself.");
    await disableOperator(deps.db, orgId, c.req.param("id"), deps.clock());
    return c.redirect("/dashboard/users", 303);
  });

  return app;
}
