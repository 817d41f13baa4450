/**
 * The dashboard and the audit log (issues #8, #9) over HTTP, signed in as real operators: every
 * dashboard action appends a row with the operator as actor and no personal data; sign-out is
 * recorded; the session page exports (a JSON download, audited) and redacts (after confirmation,
 * refused under legal hold); viewers and reviewers can do neither; the Audit log page lists the
 * org's rows of the environment plus the organisation-wide ones, filtered and paged; and the
 * chain verifier still passes after all of it.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { call, createSession } from "../helpers/sessions.ts";
import { captureImages, multipart } from "../helpers/capture.ts";
import { signIn } from "../helpers/dashboard_pages.ts";
import { createOperator, dashboardRequest, signedInCookie } from "../helpers/dashboard.ts";
import { appendAuditEvent } from "../../core/audit/log.ts";
import { verifyOrgChain } from "../../core/audit/verify.ts";

const APPLICANT_NAME = "Zelda Quartermaine";
const APPLICANT_EMAIL = "zelda.quartermaine@example.test";

function auditRows(world: TestWorld, orgId = world.org.org_id) {
  return world.db.selectFrom("audit_log").selectAll().where("org_id", "=", orgId).orderBy("sequence_num").execute();
}

async function rowsOf(world: TestWorld, action: string, targetId?: string) {
  return (await auditRows(world)).filter((r) => r.action === action && (!targetId || r.target_id === targetId));
}

/** The ids of the rows the Audit log page shows, with their actions. */
function listedActions(html: string): string[] {
  return [...html.matchAll(/<tr data-audit-id="[^"]+" data-action="([^"]+)"/g)].map((m) => m[1]);
}

Deno.test("dashboard actions in the audit log", async (t) => {
  const world = await createTestWorld();
  const sandboxKey = world.org.sandbox_secret_key;
  try {
    const admin = await signIn(world, world.org.org_id, "admin");
    const reviewer = await signIn(world, world.org.org_id, "reviewer");
    const viewer = await signIn(world, world.org.org_id, "viewer");
    const other = await world.provisionOrg("other-org");
    const outsider = await signIn(world, other.org_id, "admin");
    let createdId = "";

    await t.step("a dashboard action appends a row: the operator as actor, the target, no PII", async () => {
      const created = await admin.post("/dashboard/verifications", {
        external_ref: "audit-ref-1",
        applicant_name: APPLICANT_NAME,
        applicant_email: APPLICANT_EMAIL,
        workflow_id: "",
      });
      assert.equal(created.status, 303, created.html);
      createdId = /\/verifications\/([^/]+)\/created/.exec(created.location!)![1];
      const [row] = await rowsOf(world, "dashboard.session.create");
      assert.ok(row, "dashboard.session.create recorded");
      assert.equal(row.actor_type, "operator");
      assert.equal(row.actor_id, admin.operator.id);
      assert.equal(row.environment, "sandbox");
      assert.equal(row.target_type, "session");
      assert.equal(row.target_id, createdId);
      assert.ok(row.request_id, "request id kept");
      assert.deepEqual(row.details, { method: "POST", path: "/dashboard/verifications", status: 303 });

      const expired = await admin.post(`/dashboard/verifications/${createdId}/expire`, {});
      assert.equal(expired.status, 303);
      const [expire] = await rowsOf(world, "dashboard.session.expire", createdId);
      assert.equal(expire.target_type, "session");
      assert.equal(expire.details.path, `/dashboard/verifications/${createdId}/expire`);

      const saved = await admin.post("/dashboard/settings", {
        capture_token_ttl_minutes: "30",
        image_url_expiry_seconds: "300",
        data_retention_days: "",
        sensitive_data_retention_days: "",
        api_pii_mode: "all",
      });
      assert.equal(saved.status, 303, saved.html);
      const [settings] = await rowsOf(world, "dashboard.settings.update");
      assert.equal(settings.environment, null, "settings are organisation-wide");
      assert.equal(settings.actor_id, admin.operator.id);

      // A refused or failed action (403, 409, 422) is not recorded as done.
      const before = (await auditRows(world)).length;
      assert.equal((await viewer.post(`/dashboard/verifications/${createdId}/expire`, {})).status, 403);
      assert.equal((await admin.post(`/dashboard/verifications/${createdId}/expire`, {})).status, 409);
      assert.equal((await auditRows(world)).length, before);

      const all = JSON.stringify(await auditRows(world));
      assert.ok(!all.includes("Zelda") && !all.includes("zelda.quartermaine"), "no applicant PII in the audit log");
    });

    await t.step("sign-out is recorded, organisation-wide, with the operator as actor", async () => {
      const operator = await createOperator(world, { role: "viewer" });
      const session = await signedInCookie(world, operator);
      const out = await dashboardRequest(world, session, "POST", "/dashboard/sign-out", {});
      assert.equal(out.status, 303);
      const [row] = (await rowsOf(world, "dashboard.auth.sign_out")).filter((r) => r.actor_id === operator.id);
      assert.ok(row, "sign-out recorded");
      assert.equal(row.environment, null);
      assert.equal(row.actor_type, "operator");
    });

    let sessionId = "";
    await t.step("export from the session page: the API's JSON as a download, audited", async () => {
      const session = await createSession(world, sandboxKey, {
        applicant_name: APPLICANT_NAME,
        applicant_email: APPLICANT_EMAIL,
      });
      sessionId = session.id;
      const { front } = await captureImages();
      const upload = await call(world, "POST", `/api/v1/sessions/${sessionId}/documents`, {
        key: sandboxKey,
        body: multipart(front, { document_type: "passport", side: "front" }),
      });
      assert.equal(upload.status, 201, JSON.stringify(upload.body));

      const page = await admin.page(`/dashboard/verifications/${sessionId}`);
      assert.match(page.html, /data-action="export"/);
      assert.match(page.html, /data-action="redact"/);
      assert.match(page.html, /data-action="set-hold"/);
      assert.doesNotMatch(page.html, /data-lifecycle features/);

      const download = await admin.page(`/dashboard/verifications/${sessionId}/export`);
      assert.equal(download.status, 200, download.html);
      assert.match(download.headers.get("content-type") ?? "", /application\/json/);
      assert.match(
        download.headers.get("content-disposition") ?? "",
        /^attachment; filename="ses_[^"]+-export\.json"$/,
      );
      const body = JSON.parse(download.html);
      const api = await call(world, "GET", `/api/v1/sessions/${sessionId}/export`, { key: sandboxKey });
      assert.equal(api.status, 200);
      // The same document, but for what depends on the moment of the call.
      const timeless = (doc: Record<string, unknown>) => ({
        ...doc,
        exported_at: null,
        documents: (doc.documents as Record<string, unknown>[]).map((d) => ({
          ...d,
          download_url: null,
          expires_at: null,
        })),
      });
      assert.deepEqual(timeless(body), timeless(api.body), "the same document as the API's export");
      assert.equal(body.session.applicant_name, APPLICANT_NAME);
      assert.equal(body.documents.length, 1);

      const [row] = await rowsOf(world, "dashboard.session.export", sessionId);
      assert.ok(row, "dashboard.session.export recorded");
      assert.equal(row.actor_id, admin.operator.id);
      assert.equal(row.target_type, "session");
      assert.deepEqual(row.details, {
        method: "GET",
        path: `/dashboard/verifications/${sessionId}/export`,
        status: 200,
      });
    });

    await t.step("viewers and reviewers can neither export nor redact nor hold (403)", async () => {
      for (const who of [viewer, reviewer]) {
        const page = await who.page(`/dashboard/verifications/${sessionId}`);
        assert.doesNotMatch(page.html, /data-action="(export|redact|set-hold)"/);
        assert.equal((await who.page(`/dashboard/verifications/${sessionId}/export`)).status, 403);
        assert.equal((await who.page(`/dashboard/verifications/${sessionId}/redact`)).status, 403);
        assert.equal(
          (await who.post(`/dashboard/verifications/${sessionId}/redact`, { confirm: "redact" })).status,
          403,
        );
        assert.equal(
          (await who.post(`/dashboard/verifications/${sessionId}/legal-hold`, { legal_hold: "set" })).status,
          403,
        );
      }
      assert.equal((await outsider.page(`/dashboard/verifications/${sessionId}/export`)).status, 404);
      assert.equal(
        (await outsider.post(`/dashboard/verifications/${sessionId}/redact`, { confirm: "redact" })).status,
        404,
      );
      const row = await world.db.selectFrom("sessions").select(["retention_status", "legal_hold"])
        .where("id", "=", sessionId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { retention_status: "active", legal_hold: false });
      const exports = await rowsOf(world, "dashboard.session.export", sessionId);
      assert.equal(exports.length, 1, "refused exports are not recorded");
    });

    await t.step(
      "redact: a confirmation step, a legal hold refuses it (409, with the reason), then it erases",
      async () => {
        const confirm = await admin.page(`/dashboard/verifications/${sessionId}/redact`);
        assert.equal(confirm.status, 200);
        assert.match(confirm.html, /data-action="confirm-redact"/);
        const unconfirmed = await admin.post(`/dashboard/verifications/${sessionId}/redact`, {});
        assert.equal(unconfirmed.status, 422, "without the confirmation, the confirmation page again");
        assert.match(unconfirmed.html, /data-action="confirm-redact"/);

        const held = await admin.post(`/dashboard/verifications/${sessionId}/legal-hold`, {
          legal_hold: "set",
          reason: "Litigation 42",
        });
        assert.equal(held.status, 303, held.html);
        assert.equal(held.location, `/dashboard/verifications/${sessionId}?notice=hold_set`);
        const [holdRow] = await rowsOf(world, "dashboard.session.legal_hold.set", sessionId);
        assert.ok(holdRow, "hold recorded");
        assert.ok(!JSON.stringify(holdRow).includes("Litigation"), "the hold's free-text reason is not in the log");
        const page = await admin.page(`/dashboard/verifications/${sessionId}`);
        assert.match(page.html, /data-legal-hold="on"/);
        assert.match(page.html, /data-action="release-hold"/);

        const refused = await admin.post(`/dashboard/verifications/${sessionId}/redact`, { confirm: "redact" });
        assert.equal(refused.status, 409);
        assert.match(refused.html, /legal hold \(Litigation 42\)/);
        assert.equal(
          (await world.db.selectFrom("sessions").select("retention_status").where("id", "=", sessionId)
            .executeTakeFirstOrThrow()).retention_status,
          "active",
        );
        assert.equal((await rowsOf(world, "dashboard.session.redact", sessionId)).length, 0);

        const released = await admin.post(`/dashboard/verifications/${sessionId}/legal-hold`, {
          legal_hold: "release",
        });
        assert.equal(released.status, 303);
        assert.equal((await rowsOf(world, "dashboard.session.legal_hold.release", sessionId)).length, 1);

        const done = await admin.post(`/dashboard/verifications/${sessionId}/redact`, { confirm: "redact" });
        assert.equal(done.status, 303, done.html);
        assert.equal(done.location, `/dashboard/verifications/${sessionId}?notice=redacted`);
        const row = await world.db.selectFrom("sessions").selectAll().where("id", "=", sessionId)
          .executeTakeFirstOrThrow();
        assert.equal(row.retention_status, "redacted");
        assert.equal(row.applicant_name_enc, null);
        const documents = await world.db.selectFrom("documents").select("id").where("session_id", "=", sessionId)
          .execute();
        assert.equal(documents.length, 0);
        const after = await admin.page(`/dashboard/verifications/${done.location!.split("?")[0].split("/").pop()}`);
        assert.match(after.html, /<dt>Retention status<\/dt><dd>redacted<\/dd>/);
        assert.doesNotMatch(after.html, /data-action="redact"/);

        const [receipt] = await rowsOf(world, "session.redacted", sessionId);
        assert.deepEqual([receipt.actor_type, receipt.actor_id], ["operator", admin.operator.id]);
        assert.equal(receipt.details.reason, "dashboard");
        const [action] = await rowsOf(world, "dashboard.session.redact", sessionId);
        assert.equal(action.details.result, "deleted");

        const again = await admin.post(`/dashboard/verifications/${sessionId}/redact`, { confirm: "redact" });
        assert.equal(again.location, `/dashboard/verifications/${sessionId}?notice=already_redacted`);
        const shown = await admin.page(again.location!);
        assert.match(shown.html, /already redacted/);
      },
    );

    await t.step(
      "the Audit log page lists the org's rows of the environment and org-wide, filtered and paged",
      async () => {
        const page = await viewer.page("/dashboard/audit");
        assert.equal(page.status, 200);
        assert.match(page.html, /<h1>Audit log<\/h1>/);
        const actions = listedActions(page.html);
        assert.ok(actions.includes("dashboard.session.create"));
        assert.ok(actions.includes("dashboard.settings.update"), "organisation-wide rows are shown");
        assert.ok(actions.includes("session.redacted"));
        assert.match(page.html, /data-sequence="(\d+)">\1<\/td>/);
        const head = (await auditRows(world)).at(-1)!;
        assert.ok(page.html.includes(`data-hash="${head.hash}">${head.hash!.slice(0, 12)}…</code>`));
        assert.ok(page.html.includes(`title="${admin.operator.id}">Test admin</span>`), "operators by name");

        const sessions = await viewer.page("/dashboard/audit?action=dashboard.session.*");
        const onlySessions = listedActions(sessions.html);
        assert.ok(onlySessions.length >= 5);
        assert.ok(onlySessions.every((a) => a.startsWith("dashboard.session.")), onlySessions.join());
        const exact = listedActions((await viewer.page("/dashboard/audit?action=dashboard.session.export")).html);
        assert.deepEqual(exact, ["dashboard.session.export"]);
        const byActor = listedActions(
          (await viewer.page(`/dashboard/audit?actor=operator:${encodeURIComponent(admin.operator.id)}`)).html,
        );
        assert.ok(byActor.length > 0 && byActor.every((a) => a.startsWith("dashboard.") || a === "session.redacted"));
        const byTarget = listedActions((await viewer.page(`/dashboard/audit?target=${createdId}`)).html);
        assert.deepEqual(byTarget.sort(), ["dashboard.session.create", "dashboard.session.expire"]);
        const today = world.clock.now().toISOString().slice(0, 10);
        const inRange = listedActions((await viewer.page(`/dashboard/audit?from=${today}&to=${today}`)).html);
        assert.equal(inRange.length, actions.length);
        const future = listedActions((await viewer.page("/dashboard/audit?from=2999-01-01")).html);
        assert.deepEqual(future, []);
        const bad = await viewer.page("/dashboard/audit?action=DROP%20TABLE&from=yesterday");
        assert.equal(bad.status, 200);
        assert.match(bad.html, /is not a dotted name/);

        // Another org: its own rows only; the live environment's rows are not the sandbox's.
        const scope = { orgId: other.org_id, environment: "sandbox" as const };
        const now = world.clock.now();
        const entry = (action: string, environment: "sandbox" | "live" | null) => ({
          orgId: scope.orgId,
          environment,
          actor: { type: "system" as const, id: "retention" },
          action,
          targetType: null,
          targetId: null,
          details: {},
        });
        for (let i = 0; i < 55; i++) await appendAuditEvent(world.db, entry("test.sandbox", "sandbox"), now);
        await appendAuditEvent(world.db, entry("test.live", "live"), now);
        await appendAuditEvent(world.db, entry("test.org", null), now);
        const theirs = await outsider.page("/dashboard/audit");
        const listed = listedActions(theirs.html);
        assert.equal(listed.length, 50);
        assert.equal(listed[0], "test.org");
        assert.match(theirs.html, /rel="next"/);
        const second = listedActions((await outsider.page("/dashboard/audit?page=2")).html);
        assert.equal(second.length, 6);
        assert.ok(![...listed, ...second].includes("test.live"));
        assert.ok(![...listed, ...second].some((a) => a.startsWith("dashboard.session")), "not this org's rows");
        const mine = listedActions((await viewer.page("/dashboard/audit?action=test.*")).html);
        assert.deepEqual(mine, []);
      },
    );

    await t.step("the audit chain still verifies after all the dashboard actions", async () => {
      for (const orgId of [world.org.org_id, other.org_id]) {
        const report = await verifyOrgChain(world.db, orgId);
        assert.equal(report.broken, null, JSON.stringify(report.broken));
        assert.ok(report.rows > 0);
      }
    });
  } finally {
    await world.close();
  }
});
