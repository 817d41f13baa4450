/**
 * The dashboard's Verifications pages over HTTP, signed in as real operators: the list (filters,
 * search, paging, the sandbox/live switch), "+ New Verification" with and without SMTP (the invite
 * captured by a local SMTP sink), the session page of a simulated sandbox session, the actions,
 * and the refusals (viewer 403, missing CSRF 403, another org's session 404).
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { call, createSession } from "../helpers/sessions.ts";
import { captureImages, multipart } from "../helpers/capture.ts";
import { decodeQuotedPrintable, startSmtpSink } from "../helpers/smtp_sink.ts";
import { createSmtpMailer } from "../../core/mail/mailer.ts";
import { insertFailedDelivery } from "../helpers/deliveries.ts";
import { Hono } from "hono";
import { createApp } from "../../api/app.ts";
import type { AppEnv } from "../../api/http.ts";
import type { DashboardEnv } from "../../api/dashboard/env.ts";
import { requireOperator } from "../../api/dashboard/auth/require_operator.ts";
import { verificationsPages } from "../../api/dashboard/pages/verifications.tsx";
import { createOperator, dashboardRequest, signedInCookie } from "../helpers/dashboard.ts";
import type { OperatorRoleName } from "../../core/operators/users.ts";
import type { Environment } from "../../core/db/database.ts";

interface PageResponse {
  status: number;
  html: string;
  location: string | null;
}

/** An operator of `orgId` with `role`, signed in through the real session code, who reads pages and posts forms. */
async function signIn(world: TestWorld, orgId: string, role: OperatorRoleName, environment: Environment = "sandbox") {
  const session = await signedInCookie(world, await createOperator(world, { role, orgId }), { environment });
  const read = async (response: Response): Promise<PageResponse> => ({
    status: response.status,
    html: await response.text(),
    location: response.headers.get("location"),
  });
  return {
    page: async (path: string) => await read(await dashboardRequest(world, session, "GET", path)),
    post: async (path: string, form: Record<string, string>) =>
      await read(await dashboardRequest(world, session, "POST", path, form)),
  };
}

/** The ids of the sessions the list page shows, in order. */
function listedIds(page: string): string[] {
  return [...page.matchAll(/<tr data-session-id="([^"]+)"/g)].map((m) => m[1]);
}

async function simulate(world: TestWorld, key: string, id: string, action: string) {
  const res = await call(world, "POST", `/api/v1/sessions/${id}/simulate`, { key, body: { action } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/**
 * Until api/dashboard/routes.ts mounts the pages in createApp, the test mounts this module behind
 * the real `requireOperator` (cookie, CSRF, switch), exactly as routes.ts will; once it does, the
 * app's own mounting is used.
 */
async function mountIfMissing(world: TestWorld): Promise<void> {
  const probe = await world.app.request("/dashboard/verifications");
  await probe.body?.cancel();
  if (probe.status !== 404) return;
  const app = createApp(world.deps);
  const dashboard = new Hono<DashboardEnv>();
  dashboard.use("*", requireOperator(world.deps));
  dashboard.route("/", verificationsPages(world.deps));
  app.route("/dashboard", dashboard as unknown as Hono<AppEnv>);
  world.app = app;
}

Deno.test("dashboard verifications", async (t) => {
  const world = await createTestWorld();
  await mountIfMissing(world);
  const sandboxKey = world.org.sandbox_secret_key;
  const admin = await signIn(world, world.org.org_id, "admin");
  const reviewer = await signIn(world, world.org.org_id, "reviewer");
  const viewer = await signIn(world, world.org.org_id, "viewer");
  const sink = startSmtpSink();

  try {
    await t.step("the list shows status, result, risk, external ref; filters, search and paging", async () => {
      const approved = await createSession(world, sandboxKey, { external_ref: "cust-approved" });
      await simulate(world, sandboxKey, approved.id, "approve");
      const declined = await createSession(world, sandboxKey, { external_ref: "cust-declined" });
      await simulate(world, sandboxKey, declined.id, "decline");
      const pending = await createSession(world, sandboxKey, { external_ref: "cust-pending" });

      const all = await admin.page("/dashboard/verifications");
      assert.equal(all.status, 200);
      assert.deepEqual(listedIds(all.html).slice(0, 3), [pending.id, declined.id, approved.id]);
      const row = all.html.slice(all.html.indexOf(`data-session-id="${approved.id}"`));
      assert.match(row, /cust-approved/);
      assert.match(row, /data-status="completed"/);
      assert.match(row, /result-approved/);
      assert.match(row, /risk-low/);
      assert.match(all.html, /\+ New Verification/);

      const completed = await admin.page("/dashboard/verifications?status=completed");
      assert.deepEqual(listedIds(completed.html).sort(), [approved.id, declined.id].sort());
      const rejected = await admin.page("/dashboard/verifications?result=rejected");
      assert.deepEqual(listedIds(rejected.html), [declined.id]);
      const search = await admin.page("/dashboard/verifications?q=cust-pend");
      assert.deepEqual(listedIds(search.html), [pending.id]);
      const byId = await admin.page(`/dashboard/verifications?q=${approved.id}`);
      assert.deepEqual(listedIds(byId.html), [approved.id]);

      for (let i = 0; i < 25; i++) await createSession(world, sandboxKey, { external_ref: `bulk-${i}` });
      const first = await admin.page("/dashboard/verifications");
      assert.equal(listedIds(first.html).length, 25);
      assert.match(first.html, /rel="next"/);
      const second = await admin.page("/dashboard/verifications?page=2");
      assert.deepEqual(listedIds(second.html), [pending.id, declined.id, approved.id]);
      assert.doesNotMatch(second.html, /rel="next"/);
    });

    await t.step("the list follows the sandbox/live switch", async () => {
      const live = await createSession(world, world.org.live_secret_key, { external_ref: "live-one" });
      const sandboxList = await admin.page("/dashboard/verifications?q=live-one");
      assert.deepEqual(listedIds(sandboxList.html), []);
      const liveAdmin = await signIn(world, world.org.org_id, "admin", "live");
      const liveList = await liveAdmin.page("/dashboard/verifications");
      assert.deepEqual(listedIds(liveList.html), [live.id]);
      assert.equal((await liveAdmin.page(`/dashboard/verifications/${live.id}`)).status, 200);
      assert.equal((await admin.page(`/dashboard/verifications/${live.id}`)).status, 404);
    });

    await t.step("without SMTP the modal says invites are off", async () => {
      delete world.deps.mailer;
      const page = await admin.page("/dashboard/verifications");
      assert.match(page.html, /<dialog id="new-verification-dialog"/);
      for (const label of ["External Reference", "Generate", "Applicant Name", "Applicant Email", "Workflow"]) {
        assert.ok(page.html.includes(label), label);
      }
      assert.match(page.html, /Email invite to applicant/);
      assert.match(page.html, /<input type="checkbox" name="send_email" value="1" disabled=""/);
      assert.match(page.html, /Email invites are off/);
      const refused = await admin.post("/dashboard/verifications", { external_ref: "x", send_email: "1" });
      assert.equal(refused.status, 422);
      assert.match(refused.html, /email invites are off/);
    });

    await t.step("+ New Verification creates a session and shows Verification Created", async () => {
      const form = await reviewer.page("/dashboard/verifications/new");
      assert.equal(form.status, 200);
      assert.match(form.html, /\(default\)<\/option>/);
      const generated = await reviewer.post("/dashboard/verifications", { generate: "1" });
      assert.match(generated.html, /name="external_ref" type="text" maxlength="255" value="ref_[a-z0-9]{16}"/);

      const res = await reviewer.post("/dashboard/verifications", {
        external_ref: "dash-ref-1",
        applicant_name: "Jane",
      });
      assert.equal(res.status, 303);
      const location = res.location!;
      const id = /\/dashboard\/verifications\/(ses_[a-z0-9]+)\/created$/.exec(location)?.[1];
      assert.ok(id, location);
      const row = await world.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.equal(row.external_ref, "dash-ref-1");
      assert.equal(row.environment, "sandbox");
      const creator = await world.db.selectFrom("operator_users").select(["org_id", "role"])
        .where("id", "=", row.api_key_id!).executeTakeFirstOrThrow();
      assert.deepEqual(creator, { org_id: world.org.org_id, role: "reviewer" }, "the operator who created it");
      assert.ok(row.workflow_id, "the org's default workflow");

      const created = await reviewer.page(location);
      assert.match(created.html, /Verification Created/);
      assert.match(created.html, /value="http:\/\/verifa\.test\/verify\/tok_[a-z0-9]+" data-capture-url/);
      assert.match(created.html, /data-action="copy"/);
      assert.match(created.html, /<img class="qr-code" src="data:image\/png;base64,/);
      assert.match(
        created.html,
        new RegExp(`href="/dashboard/verifications/${id}" data-action="view-session">View Session`),
      );
      assert.match(created.html, /Create Another/);
    });

    await t.step("with SMTP the invite reaches the applicant", async () => {
      world.deps.mailer = createSmtpMailer({ url: sink.url, from: "Verifa <no-reply@verifa.test>" });
      const page = await admin.page("/dashboard/verifications/new");
      assert.doesNotMatch(page.html, /Email invites are off/);
      const missingEmail = await admin.post("/dashboard/verifications", { send_email: "1" });
      assert.equal(missingEmail.status, 422);

      const next = sink.nextMessage();
      const res = await admin.post("/dashboard/verifications", {
        external_ref: "invited-1",
        applicant_name: "Jane Doe",
        applicant_email: "jane@example.com",
        send_email: "1",
      });
      assert.equal(res.status, 303);
      assert.match(res.location!, /\/created\?invite=sent$/);
      const mail = await next;
      assert.deepEqual(mail.to, ["jane@example.com"]);
      assert.equal(mail.from, "no-reply@verifa.test");
      const body = decodeQuotedPrintable(mail.data);
      assert.match(body, /Subject: Verify your identity/);
      assert.match(body, /Hello Jane Doe,/);
      const id = /verifications\/(ses_[a-z0-9]+)\//.exec(res.location!)![1];
      const token = /http:\/\/verifa\.test\/verify\/(tok_[a-z0-9]+)/.exec(body)?.[1];
      assert.ok(token, "the capture link is in the mail");
      const state = await call(world, "GET", `/verify/${token}/state`);
      assert.equal(state.status, 200, "the mailed link is the session's live capture link");
      const created = await admin.page(res.location!);
      assert.match(created.html, /The invite was emailed to the applicant/);
      assert.ok(created.html.includes(`data-session-id="${id}"`));
      world.deps.mailer.close();
      delete world.deps.mailer;
    });

    await t.step("the session page of a simulated sandbox session", async () => {
      const session = await createSession(world, sandboxKey, { external_ref: "detail-1", country: "US" });
      await simulate(world, sandboxKey, session.id, "approve");
      const endpoint = await call(world, "POST", "/api/v1/webhooks/endpoints", {
        key: sandboxKey,
        body: { url: "http://127.0.0.1:9/hook", enabled_events: ["session.approved"] },
      });
      assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
      const deliveryId = await insertFailedDelivery(world, {
        endpointId: endpoint.body.id,
        url: "http://127.0.0.1:9/hook",
        sessionId: session.id,
      });

      const page = await viewer.page(`/dashboard/verifications/${session.id}`);
      assert.equal(page.status, 200);
      for (
        const heading of ["Session Details", "Result", "Checks", "Documents", "Risk", "Workflow", "Webhooks"]
      ) {
        assert.match(page.html, new RegExp(`<h2 id="[a-z]+-title">${heading}</h2>`), heading);
      }
      assert.ok(page.html.includes(`<code>${session.id}</code>`));
      assert.match(page.html, /<dt>Environment<\/dt><dd>sandbox<\/dd>/);
      assert.match(page.html, /<dt>Country<\/dt><dd>US<\/dd>/);
      assert.match(page.html, /<dt>Retention status<\/dt><dd>active<\/dd>/);
      assert.match(page.html, /data-result="approved"/);
      assert.match(page.html, /<dt>Face match score<\/dt><dd>0\.95 \(passed\)<\/dd>/);
      assert.match(page.html, /data-category="document"><h3>Document Scan<\/h3>/);
      assert.match(page.html, /data-category="biometric"><h3>Facial Recognition<\/h3>/);
      assert.match(page.html, /data-check="face_match" data-check-status="passed"/);
      assert.match(page.html, /data-risk-level="low"/);
      assert.match(page.html, /decided by presets/);
      assert.ok(page.html.includes(`data-delivery-id="${deliveryId}"`));
      assert.doesNotMatch(page.html, /data-action="retry-delivery"|data-action="expire"|data-action="resume"/);
      assert.doesNotMatch(page.html, /Jane|D1234567/, "no extracted personal data on the page");

      const forbidden = await viewer.post(`/dashboard/verifications/${session.id}/webhooks/${deliveryId}/retry`, {});
      assert.equal(forbidden.status, 403);

      const asReviewer = await reviewer.page(`/dashboard/verifications/${session.id}`);
      assert.match(asReviewer.html, /data-action="retry-delivery"/);
      // Export, redact and the legal hold are for admins (tests/dashboard/audit_test.ts).
      assert.doesNotMatch(asReviewer.html, /data-action="(redact|export|set-hold)"/);
      const retried = await reviewer.post(`/dashboard/verifications/${session.id}/webhooks/${deliveryId}/retry`, {});
      assert.equal(retried.status, 303, retried.html);
      assert.equal(retried.location, `/dashboard/verifications/${session.id}?notice=retried`);
      const delivery = await world.db.selectFrom("webhook_deliveries").selectAll().where("id", "=", deliveryId)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.status, "retrying");
      const again = await reviewer.post(`/dashboard/verifications/${session.id}/webhooks/${deliveryId}/retry`, {});
      assert.equal(again.status, 409, "only a failed delivery can be retried");
      assert.match(again.html, /Only failed deliveries can be retried/);
    });

    await t.step("a session with documents links them through signed URLs", async () => {
      const session = await createSession(world, sandboxKey, {});
      const { front } = await captureImages();
      const upload = await call(world, "POST", `/api/v1/sessions/${session.id}/documents`, {
        key: sandboxKey,
        body: multipart(front, { document_type: "passport", side: "front" }),
      });
      assert.equal(upload.status, 201, JSON.stringify(upload.body));
      const page = await admin.page(`/dashboard/verifications/${session.id}`);
      const src = /<img src="([^"]+)" alt="id front"/.exec(page.html)?.[1]?.replaceAll("&amp;", "&");
      assert.ok(src, "a thumbnail image");
      assert.ok(src.startsWith(`http://verifa.test/api/v1/sessions/${session.id}/documents/id_front?`));
      assert.doesNotMatch(page.html, /src="data:image\/jpeg/);
      const image = await world.request("GET", src.slice("http://verifa.test".length));
      assert.equal(image.status, 200);
      assert.equal(image.headers.get("content-type"), "image/jpeg");
      await image.body?.cancel();
    });

    await t.step("actions: expire and resume respect roles and the state machine", async () => {
      const session = await createSession(world, sandboxKey, {});
      const page = await reviewer.page(`/dashboard/verifications/${session.id}`);
      assert.match(page.html, /data-action="expire"/);
      assert.doesNotMatch(page.html, /data-action="reprocess"/, "sandbox sessions are not reprocessed");

      assert.equal((await viewer.post(`/dashboard/verifications/${session.id}/expire`, {})).status, 403);
      const expired = await reviewer.post(`/dashboard/verifications/${session.id}/expire`, {});
      assert.equal(expired.status, 303);
      assert.equal(
        (await call(world, "GET", `/api/v1/sessions/${session.id}`, { key: sandboxKey })).body.status,
        "expired",
      );
      const after = await reviewer.page(expired.location!);
      assert.match(after.html, /The session was expired/);
      assert.doesNotMatch(after.html, /data-action="expire"/);
      assert.match(after.html, /data-action="resume"/);

      const twice = await reviewer.post(`/dashboard/verifications/${session.id}/expire`, {});
      assert.equal(twice.status, 409);
      assert.match(twice.html, /Cannot expire a session in status &quot;expired&quot;|Cannot expire/);

      const resumed = await admin.post(`/dashboard/verifications/${session.id}/resume`, {});
      assert.equal(resumed.status, 303);
      const resumedPage = await admin.page(resumed.location!);
      assert.match(resumedPage.html, /resumed with a new capture link/);
      assert.match(resumedPage.html, /value="http:\/\/verifa\.test\/verify\/tok_[a-z0-9]+" data-capture-url/);
    });

    await t.step("reprocess runs the workflow again on a decided live session", async () => {
      const live = await createSession(world, world.org.live_secret_key, {});
      await world.db.updateTable("sessions").set({ status: "completed", completed_at: new Date() })
        .where("id", "=", live.id).execute();
      const liveReviewer = await signIn(world, world.org.org_id, "reviewer", "live");
      const page = await liveReviewer.page(`/dashboard/verifications/${live.id}`);
      assert.match(page.html, /data-action="reprocess"/);
      const res = await liveReviewer.post(`/dashboard/verifications/${live.id}/reprocess`, {});
      assert.equal(res.status, 303);
      const row = await world.db.selectFrom("sessions").select(["status", "processing_attempts"])
        .where("id", "=", live.id).executeTakeFirstOrThrow();
      assert.equal(row.status, "processing");
    });

    await t.step("refusals: viewers cannot create, CSRF is required, other orgs' sessions are 404", async () => {
      assert.equal((await viewer.page("/dashboard/verifications/new")).status, 403);
      assert.equal((await viewer.post("/dashboard/verifications", { external_ref: "nope" })).status, 403);
      const viewerList = await viewer.page("/dashboard/verifications");
      assert.doesNotMatch(viewerList.html, /\+ New Verification|new-verification-dialog/);

      const session = await signedInCookie(world, await createOperator(world, { role: "admin" }));
      const post = (form: Record<string, string>, csrf: boolean) =>
        dashboardRequest(world, session, "POST", "/dashboard/verifications", form, { csrf });
      const noCsrf = await post({ external_ref: "no-csrf" }, false);
      assert.equal(noCsrf.status, 403);
      await noCsrf.body?.cancel();
      const badCsrf = await post({ external_ref: "no-csrf", csrf_token: "wrong" }, true);
      assert.equal(badCsrf.status, 403);
      await badCsrf.body?.cancel();
      const count = await world.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n"))
        .where("external_ref", "=", "no-csrf").executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);

      const other = await world.provisionOrg("other-org");
      const theirs = await createSession(world, other.sandbox_secret_key, { external_ref: "theirs" });
      assert.equal((await admin.page(`/dashboard/verifications/${theirs.id}`)).status, 404);
      assert.equal((await admin.page(`/dashboard/verifications/${theirs.id}/created`)).status, 404);
      assert.equal((await admin.post(`/dashboard/verifications/${theirs.id}/expire`, {})).status, 404);
      const list = await admin.page("/dashboard/verifications?q=theirs");
      assert.deepEqual(listedIds(list.html), []);
    });
    await t.step("a result filter pages by the org's own results (its total is counted from them)", async () => {
      // A fresh org with exactly a page (25) of approved sandbox sessions; the world's org's
      // approvals, and this org's live ones, must not make a next page appear.
      const org = await world.provisionOrg("verifications-paging");
      const pagingAdmin = await signIn(world, org.org_id, "admin");
      const key = org.sandbox_secret_key;
      const other = await createSession(world, sandboxKey, { external_ref: "other-org" });
      await simulate(world, sandboxKey, other.id, "approve");
      const live = await createSession(world, org.live_secret_key, { external_ref: "live-approved" });
      await world.db.insertInto("session_results").values({
        session_id: live.id,
        org_id: org.org_id,
        environment: "live",
        status: "approved",
        processing_mode: "workflow",
        check_results: JSON.stringify({}),
        risk_signals: JSON.stringify([]),
      }).execute();
      const approvedIds = [];
      for (let i = 0; i < 25; i++) {
        const session = await createSession(world, key, { external_ref: `approved-${i}` });
        await simulate(world, key, session.id, "approve");
        approvedIds.push(session.id);
      }
      const declined = await createSession(world, key, { external_ref: "declined" });
      await simulate(world, key, declined.id, "decline");
      const page = await pagingAdmin.page("/dashboard/verifications?result=approved");
      assert.deepEqual(listedIds(page.html), approvedIds.toReversed());
      assert.doesNotMatch(page.html, /rel="next"/);

      const oneMore = await createSession(world, key, { external_ref: "approved-last" });
      await simulate(world, key, oneMore.id, "approve");
      const first = await pagingAdmin.page("/dashboard/verifications?result=approved");
      assert.match(first.html, /rel="next"/);
      const second = await pagingAdmin.page("/dashboard/verifications?result=approved&page=2");
      assert.deepEqual(listedIds(second.html), [approvedIds[0]]);
      assert.doesNotMatch(second.html, /rel="next"/);
    });
  } finally {
    await sink.close();
    await world.close();
  }
});
