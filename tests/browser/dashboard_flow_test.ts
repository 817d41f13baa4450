/**
 * The operator dashboard in real Chromium, past sign-in (tests/browser/dashboard_sign_in_test.ts
 * covers the passkey ceremony; here operators get a real session cookie from
 * tests/helpers/dashboard.ts): a verification created through the "+ New Verification" modal and
 * completed in a second page with the capture flow, its result on the list and the session page,
 * a document opened through its signed URL; a reviewer deciding a case and a viewer without the
 * controls; another organisation's admin getting the 404 page for every object; and a screenshot
 * of every page, under .test-data/screenshots/dashboard/pages/, each failing the test if blank.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import type { Page } from "playwright-core";
import { launchBrowser, newPage, screenshot, startAppServer } from "../helpers/browser.ts";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { createOperator, signedInCookie } from "../helpers/dashboard.ts";
import { openCase } from "../helpers/cases.ts";
import {
  apiGet,
  fakeCamera,
  photos,
  press,
  uploadAndSubmit,
  walkToFrontTips,
  watchPageErrors,
  withPage,
} from "../helpers/capture_browser.ts";
import { SESSION_COOKIE } from "../../core/operators/sessions.ts";
import type { OperatorRoleName } from "../../core/operators/users.ts";

/** Every page the issue asks a screenshot of; the test fails unless each was taken (and not blank). */
const REQUIRED_SCREENSHOTS = [
  "sign-in",
  "enrol",
  "verifications",
  "new-verification-modal",
  "verification-created",
  "session-detail",
  "review-queue",
  "case",
  "identities",
  "identity",
  "workflows",
  "workflow",
  "lists",
  "list",
  "api-keys",
  "api-key-created",
  "webhooks",
  "webhook-endpoint-added",
  "webhook-endpoint",
  "settings",
  "audit",
  "account",
  "users",
] as const;

/** Screenshots of this file, `dashboard/pages/<name>`; `assertAllTaken` checks the list above. */
class PageShots {
  readonly taken = new Set<string>();
  async take(page: Page, name: string): Promise<void> {
    await screenshot(page, `dashboard/pages/${name}`);
    this.taken.add(name);
  }
  assertAllTaken(): void {
    assert.deepEqual(REQUIRED_SCREENSHOTS.filter((name) => !this.taken.has(name)), [], "pages never screenshotted");
  }
}

/**
 * Signs `page` in as a new operator of `orgId` with `role`: the session cookie the passkey
 * ceremony would set, put on the page's own browser context.
 */
async function signInAs(
  page: Page,
  world: TestWorld,
  origin: string,
  role: OperatorRoleName,
  orgId = world.org.org_id,
): Promise<void> {
  const operator = await createOperator(world, { role, orgId });
  const { cookie } = await signedInCookie(world, operator);
  await page.context().addCookies([{
    name: SESSION_COOKIE,
    value: cookie.slice(`${SESSION_COOKIE}=`.length),
    domain: new URL(origin).hostname,
    path: "/dashboard",
    httpOnly: true,
    sameSite: "Strict",
  }]);
}

/** Opens a dashboard path and fails unless it answers 200 with the page titled `heading`. */
async function visit(page: Page, origin: string, path: string, heading: string | RegExp): Promise<void> {
  const response = await page.goto(`${origin}${path}`);
  assert.equal(response?.status(), 200, `GET ${path}`);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/** Reloads `path` until `ready` finds what it waits for, at most `tries` times (a second apart). */
async function reloadUntil(page: Page, url: string, ready: () => Promise<boolean>, what: string, tries = 15) {
  for (let i = 0; i < tries; i++) {
    await page.goto(url);
    if (await ready()) return;
    await page.waitForTimeout(1_000);
  }
  throw new Error(`${what}: not shown after ${tries} reloads of ${url}`);
}

Deno.test("dashboard in Chromium: create and complete a verification, review, isolation, every page", async (t) => {
  const world = await createTestWorld();
  const dir = await Deno.makeTempDir({ prefix: "verifa-dashboard-flow-" });
  try {
    await using server = await startAppServer(world);
    const origin = server.url;
    // A camera exists (its fake plays a card), as on the capture tests' upload runs: without
    // one, the selfie screen can land on error-camera before the upload is picked.
    const camera = await fakeCamera(dir);
    await using browser = await launchBrowser({ fakeCamera: camera.path });
    const shots = new PageShots();
    const key = world.org.sandbox_secret_key;
    const files = await photos();

    // The admin's page lives through the steps; the other users' pages are opened by withPage,
    // which closes them and fails the test on their uncaught errors.
    const admin = await newPage(browser, "desktop");
    const adminErrors = watchPageErrors(admin);
    await signInAs(admin, world, origin, "admin");
    let sessionId = "";
    let externalRef = "";

    await t.step("create a verification in the modal, complete it in a second page, see the result", async () => {
      await visit(admin, origin, "/dashboard/verifications", "Verifications");
      await shots.take(admin, "verifications");

      await admin.getByRole("link", { name: "+ New Verification" }).click();
      const dialog = admin.getByRole("dialog", { name: "New Verification" });
      await dialog.waitFor();
      assert.equal(admin.url(), `${origin}/dashboard/verifications`, "the modal opened in place of the /new page");
      await dialog.getByRole("button", { name: "Generate" }).click();
      externalRef = await dialog.getByLabel("External Reference").inputValue();
      assert.match(externalRef, /^ref_[a-z0-9]{16}$/);
      await dialog.getByLabel("Applicant Name").fill("Grace Hopper");
      // No SMTP in the test world: the invite box is off, and the dialog says why.
      assert.equal(await dialog.getByLabel("Email invite to applicant").isDisabled(), true);
      await dialog.locator("[data-invites-off]").waitFor();
      await shots.take(admin, "new-verification-modal");
      await dialog.getByRole("button", { name: "Create Verification" }).click();

      await admin.waitForURL(/\/dashboard\/verifications\/[^/]+\/created$/);
      const created = admin.getByRole("dialog", { name: "Verification Created" });
      await created.waitFor();
      sessionId = (await created.getAttribute("data-session-id"))!;
      const captureUrl = await created.getByLabel("Capture URL").inputValue();
      assert.ok(captureUrl.startsWith(`${origin}/`), captureUrl);
      const qr = created.getByRole("img", { name: "QR code of the capture URL" });
      assert.equal(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), true);
      await shots.take(admin, "verification-created");
      const session = await apiGet(world, key, `/api/v1/sessions/${sessionId}`);
      assert.equal(session.external_ref, externalRef);
      assert.equal(session.capture_url, captureUrl);

      // The applicant opens the copied URL in another page (its own context, no dashboard cookie).
      await withPage(browser, "desktop", async (applicant) => {
        await applicant.goto(captureUrl);
        await walkToFrontTips(applicant);
        await uploadAndSubmit(applicant, "Upload a photo instead", files.front, "back-tips");
        await uploadAndSubmit(applicant, "Upload a photo instead", files.back, "selfie");
        await uploadAndSubmit(applicant, "Upload a photo instead", files.selfie, "outcome");
        await press(applicant, "Approved", "confirmation");
      });

      // The list shows the result (reloaded until it does, as an operator watching would).
      const row = admin.locator(`tr[data-session-id="${sessionId}"]`);
      await reloadUntil(
        admin,
        `${origin}/dashboard/verifications`,
        async () => (await row.locator("[data-col=result]").textContent())?.trim() === "approved",
        "the list's result",
      );
      assert.equal((await row.locator("[data-col=status]").textContent())?.trim(), "completed");
      assert.equal((await row.locator("[data-col=external_ref]").textContent())?.trim(), externalRef);
      await shots.take(admin, "verifications-decided");

      await row.getByRole("link", { name: sessionId }).click();
      await admin.waitForURL(`${origin}/dashboard/verifications/${sessionId}`);
      await admin.locator('[data-section=result] [data-result="approved"]').waitFor();
      await shots.take(admin, "session-detail");

      // The documents: thumbnails drawn, and a link opens an image through its signed URL.
      const documents = admin.locator("[data-section=documents] li[data-document]");
      assert.deepEqual(
        (await documents.evaluateAll((items) => items.map((i) => i.getAttribute("data-document")))).sort(),
        [
          "id_back",
          "id_front",
          "selfie",
        ],
      );
      for (const img of await admin.locator("[data-section=documents] img").all()) {
        await img.scrollIntoViewIfNeeded();
        // decode() waits for the lazy image and rejects if it is broken.
        await img.evaluate((el) => (el as unknown as { decode(): Promise<void> }).decode());
        assert.ok(
          await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth > 0),
          "thumbnail",
        );
      }
      const link = documents.filter({ has: admin.locator("a") }).first().locator("a");
      const href = (await link.getAttribute("href"))!;
      assert.ok(href.startsWith(`${origin}/`) && new URL(href).search.length > 1, `a signed URL: ${href}`);
      const [popup] = await Promise.all([admin.waitForEvent("popup"), link.click()]);
      try {
        await popup.waitForLoadState();
        assert.equal(popup.url(), href);
        const image = await admin.request.get(href);
        assert.equal(image.status(), 200);
        assert.match(image.headers()["content-type"], /^image\//);
        const { width, height } = await sharp(await image.body()).metadata();
        assert.ok(width! > 0 && height! > 0, "the signed URL returns an image");
        const shown = await popup.locator("img").evaluate((el) =>
          (el as unknown as { naturalWidth: number }).naturalWidth
        );
        assert.equal(shown, width, "the browser shows the image the URL names");
      } finally {
        await popup.close();
      }
    });

    let decidedCase = "";
    let viewedCase = "";

    await t.step("a reviewer claims the next case and approves it; a viewer has no decision controls", async () => {
      decidedCase = (await openCase(world, key)).caseId;
      await withPage(browser, "desktop", async (reviewer) => {
        await signInAs(reviewer, world, origin, "reviewer");
        await visit(reviewer, origin, "/dashboard/review", "Review queue");
        await reviewer.locator(`tr[data-case-id="${decidedCase}"]`).waitFor();
        await shots.take(reviewer, "review-queue");
        await reviewer.getByRole("button", { name: "Claim next" }).click();
        await reviewer.waitForURL(`${origin}/dashboard/review/${decidedCase}?notice=claimed`);
        await reviewer.locator("[data-section=decision]").waitFor();
        await shots.take(reviewer, "case");
        await reviewer.locator("[data-form=decision]").getByRole("button", { name: "Approve" }).click();
        await reviewer.waitForURL(`${origin}/dashboard/review/${decidedCase}?notice=approved`);
        await reviewer.getByText("The case was approved; its session is completed.").waitFor();
        assert.equal(await reviewer.locator("[data-section=decision]").count(), 0, "a decided case has no form");
        await shots.take(reviewer, "case-approved");
      });
      const decided = await apiGet(world, key, `/api/v1/cases/${decidedCase}`);
      assert.equal(decided.status, "approved");

      viewedCase = (await openCase(world, key)).caseId;
      await withPage(browser, "desktop", async (viewer) => {
        await signInAs(viewer, world, origin, "viewer");
        await visit(viewer, origin, "/dashboard/review", "Review queue");
        await viewer.locator(`tr[data-case-id="${viewedCase}"]`).waitFor();
        assert.equal(await viewer.locator("[data-action=claim-next]").count(), 0, "no Claim next for a viewer");
        await shots.take(viewer, "review-queue-viewer");
        await viewer.locator(`tr[data-case-id="${viewedCase}"] a`).first().click();
        await viewer.waitForURL(`${origin}/dashboard/review/${viewedCase}`);
        await viewer.locator("[data-section=documents]").first().waitFor();
        for (const control of ["claim", "release", "approve", "reject", "add-note"]) {
          assert.equal(await viewer.locator(`[data-action="${control}"]`).count(), 0, `a viewer sees no ${control}`);
        }
        assert.equal(await viewer.locator("form[data-form=decision], form[data-form=note]").count(), 0);
        await shots.take(viewer, "case-viewer");
      });
    });

    let identityId = "";
    let workflowId = "";
    let listId = "";
    let endpointId = "";

    await t.step("a screenshot of every page", async () => {
      // Signed out: the sign-in page, and the enrol page of an invite an admin creates on Users.
      await withPage(browser, "desktop", async (signedOut) => {
        await visit(signedOut, origin, "/dashboard/sign-in", /sign in/i);
        await shots.take(signedOut, "sign-in");

        await visit(admin, origin, "/dashboard/users", "Users");
        await shots.take(admin, "users");
        const invite = admin.locator('form[action="/dashboard/users/invite"]');
        await invite.getByLabel("Email").fill("new.reviewer@example.test");
        await invite.locator("select[name=role]").selectOption("reviewer");
        await invite.getByRole("button", { name: "Create invite link" }).click();
        const link = (await admin.locator("[data-invite-link]").textContent())!.trim();
        assert.ok(link.startsWith(`${origin}/dashboard/enrol/`), link);
        await shots.take(admin, "user-invite-created");
        const enrol = await signedOut.goto(link);
        assert.equal(enrol?.status(), 200);
        await signedOut.getByRole("button", { name: "Create passkey" }).waitFor();
        await shots.take(signedOut, "enrol");
      });

      await visit(admin, origin, "/dashboard/account", "Your passkeys");
      await shots.take(admin, "account");

      // The approved session with an external ref makes an identity (after its completion).
      const identityRow = admin.locator("tr[data-identity-id]").filter({ hasText: externalRef });
      await reloadUntil(
        admin,
        `${origin}/dashboard/identities`,
        async () => await identityRow.count() === 1,
        "the session's identity",
      );
      await admin.getByRole("heading", { level: 1, name: "Identities" }).waitFor();
      identityId = (await identityRow.getAttribute("data-identity-id"))!;
      await shots.take(admin, "identities");
      await identityRow.getByRole("link", { name: identityId }).click();
      await admin.waitForURL(`${origin}/dashboard/identities/${identityId}`);
      await admin.getByRole("heading", { level: 1, name: `Identity ${externalRef}` }).waitFor();
      await shots.take(admin, "identity");

      await visit(admin, origin, "/dashboard/workflows", "Workflows");
      workflowId = (await admin.locator("[data-workflow-id]").first().getAttribute("data-workflow-id"))!;
      await shots.take(admin, "workflows");
      await visit(admin, origin, `/dashboard/workflows/${workflowId}`, /^Workflow: /);
      const diagram = admin.locator("svg.workflow-diagram");
      await diagram.waitFor();
      assert.ok((await diagram.locator(".diagram-node").count()) > 1, "the diagram draws the graph's nodes");
      await shots.take(admin, "workflow");

      await visit(admin, origin, "/dashboard/lists", "Lists");
      const newList = admin.locator("form[data-form=new-list]");
      await newList.getByRole("textbox", { name: "Name" }).fill("Blocked emails");
      await newList.locator("select[name=list_type]").selectOption("email");
      await shots.take(admin, "lists");
      await newList.getByRole("button", { name: "Create list" }).click();
      await admin.waitForURL(/\/dashboard\/lists\/[^/?]+/);
      listId = new URL(admin.url()).pathname.split("/").pop()!;
      await admin.getByRole("heading", { level: 1, name: "List Blocked emails" }).waitFor();
      await shots.take(admin, "list");

      await visit(admin, origin, "/dashboard/developers/api-keys", /API keys/i);
      await shots.take(admin, "api-keys");
      await admin.getByLabel("Label").fill("Back office");
      await admin.getByRole("checkbox", { name: "sessions:read" }).check();
      await admin.getByRole("button", { name: "Create key" }).click();
      const secret = (await admin.locator("[data-secret]").textContent())!.trim();
      assert.match(secret, /^vk_sandbox_/);
      await shots.take(admin, "api-key-created");

      await visit(admin, origin, "/dashboard/developers/webhooks", /webhooks/i);
      await shots.take(admin, "webhooks");
      await admin.getByLabel("URL").fill("http://127.0.0.1:9/verifa-hook");
      await admin.getByLabel("Label").fill("Back office hook");
      await admin.getByRole("button", { name: "Add endpoint" }).click();
      assert.match((await admin.locator("[data-secret]").textContent())!.trim(), /^whsec_/);
      await shots.take(admin, "webhook-endpoint-added");
      await admin.getByRole("link", { name: "Go to the endpoint" }).click();
      await admin.waitForURL(/\/dashboard\/developers\/webhooks\/[^/?]+$/);
      endpointId = new URL(admin.url()).pathname.split("/").pop()!;
      await admin.locator(`[data-endpoint-id="${endpointId}"]`).waitFor();
      await shots.take(admin, "webhook-endpoint");

      await visit(admin, origin, "/dashboard/settings", "Settings");
      await shots.take(admin, "settings");
      // The page is being reworked into the audit log (was "Events"): either title will do.
      await visit(admin, origin, "/dashboard/audit", /^(Audit log|Events)$/);
      await shots.take(admin, "audit");
      adminErrors.assertNone();
    });

    await t.step("another organisation's admin gets the 404 page for every object of this one", async () => {
      assert.ok(sessionId && decidedCase && identityId && workflowId && listId && endpointId, "the objects exist");
      const other = await world.provisionOrg("other-org");
      await withPage(browser, "desktop", async (outsider) => {
        await signInAs(outsider, world, origin, "admin", other.org_id);
        const paths = [
          `/dashboard/verifications/${sessionId}`,
          `/dashboard/verifications/${sessionId}/created`,
          `/dashboard/review/${decidedCase}`,
          `/dashboard/review/${viewedCase}`,
          `/dashboard/identities/${identityId}`,
          `/dashboard/workflows/${workflowId}`,
          `/dashboard/lists/${listId}`,
          `/dashboard/developers/webhooks/${endpointId}`,
        ];
        for (const path of paths) {
          const response = await outsider.goto(`${origin}${path}`);
          assert.equal(response?.status(), 404, path);
          assert.match(response!.headers()["content-type"], /^text\/html/, path);
          await outsider.getByRole("heading", { level: 1, name: "not found" }).waitFor();
          assert.equal(await outsider.getByText(externalRef).count(), 0, `${path} shows nothing of the object`);
        }
        await shots.take(outsider, "not-found");
        // Their own lists are empty of this org's objects.
        await visit(outsider, origin, "/dashboard/verifications", "Verifications");
        assert.equal(await outsider.locator(`tr[data-session-id="${sessionId}"]`).count(), 0);
        await visit(outsider, origin, "/dashboard/review?tab=all", "Review queue");
        assert.equal(await outsider.locator("tr[data-case-id]").count(), 0);
      });
    });

    shots.assertAllTaken();
    await admin.close();
  } finally {
    await world.close();
    await Deno.remove(dir, { recursive: true });
  }
});
