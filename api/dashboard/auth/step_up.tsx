/**
 * Owns the step-up before destructive dashboard actions (erasing a session's data, minting an API
 * key, inviting an operator or changing a role, changing the organisation's settings): such a POST goes through only if the operator made a
 * passkey assertion in this session within STEP_UP_MAX_AGE_MS (signing in counts). Otherwise a
 * browser gets a page that asks for the passkey and then sends the same form again; a script gets
 * 403 `step_up_required`. The two ceremony endpoints live here too, behind the signed-in session's
 * CSRF check like every dashboard POST.
 */
import { Hono } from "hono";
import type { MiddlewareHandler } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import { AppError } from "../../../core/errors.ts";
import { beginStepUp, finishStepUp, relyingPartyFor } from "../../../core/operators/passkeys.ts";
import { markReauthenticated, recentlyReauthenticated } from "../../../core/operators/sessions.ts";
import { getOperatorUser } from "../../../core/operators/users.ts";
import { type DashboardContext, type DashboardEnv, roleAllows } from "../env.ts";
import { csrfField, DashboardPage, type NavItem } from "../layout.tsx";
import { setCeremonyCookie, takeCeremonyCookie } from "./cookies.ts";
import { jsonBody } from "./account.tsx";

export const STEP_UP_OPTIONS_PATH = "/dashboard/auth/step-up/options";
export const STEP_UP_VERIFY_PATH = "/dashboard/auth/step-up/verify";

/**
 * The POST routes (under /dashboard) that need a recent passkey assertion: each erases data, grants
 * access (an API key, an operator invite or role: what a stolen session would use to stay in), or
 * changes the settings that govern every session's data.
 */
export const STEP_UP_ACTIONS = [
  "/verifications/:id/redact",
  "/developers/api-keys",
  "/users/invite",
  "/users/:id/role",
  "/settings",
] as const;

const STEP_UP_DETAIL = "This action needs your passkey again: confirm with it (POST " + STEP_UP_OPTIONS_PATH +
  ", then " + STEP_UP_VERIFY_PATH + ") and send the request again.";

/** The page a refused form answers with belongs to the section the form came from. */
function sectionOf(path: string): NavItem {
  if (path.startsWith("/dashboard/developers/")) return "api-keys";
  if (path.startsWith("/dashboard/settings")) return "settings";
  if (path.startsWith("/dashboard/users")) return "users";
  return "verifications";
}

/** The fields the form posted, as hidden inputs of the same form, for the retry after the passkey. */
async function postedFields(c: DashboardContext): Promise<[string, string][]> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return [];
  const fields: [string, string][] = [];
  for (const [name, value] of Object.entries(await c.req.parseBody({ all: true }))) {
    if (name === "csrf_token") continue; // the page adds the session's own
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === "string") fields.push([name, v]);
  }
  return fields;
}

function StepUpPrompt({ c, fields }: { c: DashboardContext; fields: [string, string][] }) {
  return (
    <section class="step-up" data-step-up>
      <p>
        Erasing data, granting access (API keys, invites, roles) and changing settings need your passkey again when you
        have not used it in the last few minutes. Confirm with it and your request is sent again.
      </p>
      <p role="alert" data-passkey-error hidden></p>
      <form method="post" action={c.req.path} data-step-up-retry>
        {csrfField(c)}
        {fields.map(([name, value], i) => <input key={i} type="hidden" name={name} value={value} />)}
        <button type="button" class="primary" data-passkey-step-up>Confirm with your passkey</button>{" "}
        <a class="button secondary" href="/dashboard">Cancel</a>
      </form>
      <script src="/dashboard/static/simplewebauthn-browser.js" defer></script>
      <script src="/dashboard/static/passkeys.js" defer></script>
    </section>
  );
}

/**
 * In front of each STEP_UP_ACTIONS route. Only admins can do these at all: anyone else goes on to
 * the handler's own 403 instead of being asked for a passkey first.
 */
export function requireStepUp(deps: CoreDeps): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const operator = c.get("operator");
    const fresh = recentlyReauthenticated({ reauthenticatedAt: c.get("reauthenticatedAt") }, deps.clock());
    if (fresh || !roleAllows(operator.role, "manage")) return await next();
    if (!(c.req.header("accept") ?? "").includes("text/html")) throw new AppError("step_up_required", STEP_UP_DETAIL);
    const fields = await postedFields(c);
    return c.html(
      <DashboardPage c={c} title="Confirm with your passkey" active={sectionOf(c.req.path)}>
        <StepUpPrompt c={c} fields={fields} />
      </DashboardPage>,
      403,
    );
  };
}

/** The step-up ceremony: the signed-in operator's own passkeys only; success refreshes the session. */
export function stepUpRoutes(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();
  const ceremony = () => ({ db: deps.db, rp: relyingPartyFor(deps.publicUrl), now: deps.clock() });
  const me = (c: DashboardContext) => getOperatorUser(deps.db, c.get("operator").orgId, c.get("operator").userId);

  app.post("/auth/step-up/options", async (c) => {
    const { challengeId, options } = await beginStepUp(ceremony(), await me(c));
    setCeremonyCookie(c, deps.publicUrl, challengeId);
    return c.json({ options });
  });

  app.post("/auth/step-up/verify", async (c) => {
    const body = await jsonBody(c);
    await finishStepUp(ceremony(), await me(c), {
      challengeId: takeCeremonyCookie(c, deps.publicUrl),
      response: body.response as never,
    });
    await markReauthenticated(deps.db, c.get("operatorSessionId"), deps.clock());
    return c.json({ ok: true });
  });

  return app;
}
