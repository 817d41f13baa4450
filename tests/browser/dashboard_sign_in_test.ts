/**
 * Signing in to the dashboard in real Chromium with its virtual authenticator (CDP WebAuthn): the
 * first admin enrols through the link `deno task admin-link` prints, signs out, signs in again
 * with the passkey; an assertion whose clientDataJSON names another origin is refused; a destructive
 * action (an API key) five minutes later asks for the passkey again and then goes through. The app is
 * served as http://localhost:<port>: WebAuthn refuses IP addresses as RP IDs, and localhost is a
 * secure context.
 */
import assert from "node:assert/strict";
import { launchBrowser, newPage, screenshot, startAppServer } from "../helpers/browser.ts";
import { createTestWorld } from "../helpers/test_app.ts";

/** Runs the real admin script against the world's database; returns the link it printed. */
async function printedAdminLink(databaseUrl: string, publicUrl: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/create_admin_link.ts", "--org", "test-org"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { DATABASE_URL: databaseUrl, VERIFA_PUBLIC_URL: publicUrl },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const link = /(http:\/\/\S+\/dashboard\/enrol\/\S+)/.exec(text)?.[1];
  assert.ok(link, `no link in: ${text}`);
  return link;
}

Deno.test("dashboard: enrol, sign out, sign in with a passkey in Chromium", async (t) => {
  const world = await createTestWorld();
  try {
    await using server = await startAppServer(world);
    const origin = server.url.replace("127.0.0.1", "localhost");
    world.setPublicUrl(origin);
    await using browser = await launchBrowser();
    const page = await newPage(browser, "desktop");
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${message.text()} ${message.location().url}`);
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await t.step("the first admin enrols through the printed link", async () => {
      const link = await printedAdminLink(world.databaseUrl, origin);
      assert.ok(link.startsWith(`${origin}/dashboard/enrol/`));
      await page.goto(link);
      await page.getByLabel("Email").fill("admin@example.test");
      await page.getByLabel("Your name").fill("Ada Admin");
      await page.getByLabel("Passkey name").fill("Virtual authenticator");
      await screenshot(page, "dashboard/sign_in/enrol");
      await page.getByRole("button", { name: "Create passkey" }).click();
      await page.waitForURL(`${origin}/dashboard/verifications`);
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
      assert.equal(credentials.length, 1);
      assert.equal(credentials[0].isResidentCredential, true);
      await page.goto(`${origin}/dashboard/account`);
      await page.getByText("Virtual authenticator").waitFor();
      await screenshot(page, "dashboard/sign_in/account");
      await page.goto(`${origin}/dashboard/users`);
      await page.getByText("admin@example.test").waitFor();
      await screenshot(page, "dashboard/sign_in/users");
    });

    await t.step("sign out, then the dashboard sends us to sign-in", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${origin}/dashboard/sign-in`);
      await page.goto(`${origin}/dashboard/account`);
      await page.waitForURL(/\/dashboard\/sign-in\?next=/);
      await screenshot(page, "dashboard/sign_in/sign_in");
    });

    await t.step("an assertion with a tampered clientDataJSON origin is refused", async () => {
      const status = await page.evaluate(async () => {
        // deno-lint-ignore no-explicit-any
        const g = globalThis as any;
        const csrf = g.document.querySelector('meta[name="csrf-token"]').content;
        const post = (path: string, body: unknown) =>
          fetch(path, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
            body: JSON.stringify(body),
          });
        const { options } = await (await post("/dashboard/auth/sign-in/options", {})).json();
        const response = await g.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: options });
        const decode = (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));
        const encode = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
        const clientData = JSON.parse(decode(response.response.clientDataJSON));
        clientData.origin = "https://evil.example";
        response.response.clientDataJSON = encode(JSON.stringify(clientData));
        return (await post("/dashboard/auth/sign-in/verify", { response })).status;
      });
      assert.equal(status, 401);
      const cookies = await page.context().cookies();
      assert.equal(cookies.some((c) => c.name === "verifa_dashboard"), false, "no session from a refused assertion");
    });

    await t.step("sign in again with the passkey", async () => {
      await page.goto(`${origin}/dashboard/sign-in?next=%2Fdashboard%2Faccount`);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.waitForURL(`${origin}/dashboard/account`);
      await page.getByText("Ada Admin").first().waitFor();
      const cookie = (await page.context().cookies()).find((c) => c.name === "verifa_dashboard");
      assert.ok(cookie);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, "Strict");
      assert.equal(cookie.path, "/dashboard");
      const row = await world.db.selectFrom("operator_passkeys").selectAll().executeTakeFirstOrThrow();
      assert.ok(row.last_used_at, "the passkey's use is recorded");
      await screenshot(page, "dashboard/sign_in/signed_in_again");
    });

    await t.step("a destructive action after five minutes asks for the passkey, then goes through", async () => {
      // The sign-in's assertion is too old now for minting a key (the session itself is still live).
      world.clock.advance(6 * 60 * 1000);
      await page.goto(`${origin}/dashboard/developers/api-keys`);
      await page.getByLabel("Label").fill("step-up key");
      await page.getByRole("button", { name: "Create key" }).click();
      const confirm = page.getByRole("button", { name: "Confirm with your passkey" });
      await confirm.waitFor();
      assert.equal(await page.title(), "Confirm with your passkey · Verifa");
      assert.equal(
        await world.db.selectFrom("api_keys").select("id").where("label", "=", "step-up key").executeTakeFirst(),
        undefined,
      );
      await screenshot(page, "dashboard/sign_in/step_up");
      await confirm.click();
      await page.getByRole("heading", { name: "API key created" }).waitFor();
      const key = await world.db.selectFrom("api_keys").select("id").where("label", "=", "step-up key")
        .executeTakeFirst();
      assert.ok(key, "the form was sent again after the passkey, and the key exists");
      const stepUps = await world.db.selectFrom("audit_log").select("action").where(
        "action",
        "=",
        "dashboard.auth.step_up",
      )
        .execute();
      assert.equal(stepUps.length, 1);
    });

    // The refused assertion above logs the 401 fetch, and the step-up prompt arrives as a 403 page;
    // anything else (a CSP violation, a script error) is a bug.
    const unexpected = errors.filter((e) => !/\b(401|403)\b/.test(e));
    assert.deepEqual(unexpected, []);
    await page.close();
  } finally {
    await world.close();
  }
});
