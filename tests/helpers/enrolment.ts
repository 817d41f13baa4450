/**
 * Owns the dashboard's signed-out pages as a browser uses them: open the page (which sets the
 * pre-sign-in nonce cookie and carries the CSRF token), then the passkey ceremony's JSON calls
 * with that token and the cookies the server set; and a whole enrolment through a one-time link,
 * ending with a software passkey.
 */
import assert from "node:assert/strict";
import type { TestWorld } from "./test_app.ts";
import { SoftAuthenticator } from "./soft_authenticator.ts";
import { createInvite } from "../../core/operators/invites.ts";

/** A first-admin enrolment link's secret for the world's org, as `deno task start` prints one. */
export async function bootstrapToken(world: TestWorld): Promise<string> {
  const invite = await createInvite(
    world.db,
    { orgId: world.org.org_id, kind: "bootstrap", role: "admin" },
    world.clock.now(),
  );
  return invite.token;
}

export interface SignedOutPage {
  /** POSTs JSON with the page's CSRF token and the cookies so far. */
  postJson(path: string, json: unknown): Promise<Response>;
}

/** Opens `/dashboard/enrol/{token}` (fails unless 200) and returns a client bound to that page. */
export function openEnrolment(world: TestWorld, token: string): Promise<SignedOutPage> {
  return openSignedOutPage(world, `/dashboard/enrol/${token}`);
}

/** Opens a page shown before sign-in (`/dashboard/sign-in`, an enrol link; fails unless 200). */
export async function openSignedOutPage(world: TestWorld, path: string): Promise<SignedOutPage> {
  const cookies = new Map<string, string>();
  const send = async (path: string, init: RequestInit & { headers: Record<string, string> }) => {
    if (cookies.size) init.headers.Cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await world.app.request(path, init);
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0];
      cookies.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
    return response;
  };
  const page = await send(path, { headers: { Accept: "text/html" } });
  assert.equal(page.status, 200);
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  return {
    postJson: (path, json) =>
      send(path, {
        method: "POST",
        headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(json),
      }),
  };
}

/** The whole enrolment: page, options, a software passkey's registration, verify (fails unless each is 200). */
export async function enrolThroughLink(
  world: TestWorld,
  token: string,
  { email = "first@example.test", name = "First Admin" } = {},
): Promise<void> {
  const page = await openEnrolment(world, token);
  const options = await page.postJson("/dashboard/auth/enrol/options", { token, email, display_name: name });
  assert.equal(options.status, 200, await options.clone().text());
  const creation = (await options.json()).options;
  const verify = await page.postJson("/dashboard/auth/enrol/verify", {
    response: new SoftAuthenticator().register(creation, new URL(world.deps.publicUrl).origin),
    passkey_name: "Laptop",
  });
  assert.equal(verify.status, 200, await verify.clone().text());
}
