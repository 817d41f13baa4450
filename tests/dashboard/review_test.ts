/**
 * The dashboard's Review queue over HTTP, signed in as real operators: tabs with counts and SLA
 * colours, claim-next (FIFO, then the friendly empty queue), the case page (documents side by side
 * through signed URLs, checks, decision form), deciding a case (the session completes), notes,
 * and the refusals: a viewer's posts (403), someone else's claim (409), another org's case (404).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, sessionRow } from "../helpers/sessions.ts";
import { casePath, expectStatus, openCase } from "../helpers/cases.ts";
import { captureImages, multipart } from "../helpers/capture.ts";
import { signIn } from "../helpers/dashboard_pages.ts";

Deno.test("dashboard review queue", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const reviewer = await signIn(world, world.org.org_id, "reviewer");
  const second = await signIn(world, world.org.org_id, "reviewer");
  const viewer = await signIn(world, world.org.org_id, "viewer");
  const other = await world.provisionOrg("other-org");
  const outsider = await signIn(world, other.org_id, "admin");

  const caseRow = (id: string) =>
    world.db.selectFrom("review_cases").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const listed = (page: string) => [...page.matchAll(/<tr data-case-id="([^"]+)" data-sla="([a-z]+)"/g)];

  try {
    let first = "";
    let firstSession = "";
    let waiting = "";

    await t.step("the queue shows tabs with counts and SLA colours", async () => {
      ({ caseId: first, sessionId: firstSession } = await openCase(world, key));
      ({ caseId: waiting } = await openCase(world, key));
      // The second case has waited a day: overdue (red); the first is fresh (green).
      await world.db.updateTable("review_cases").set({ entered_review_at: new Date(Date.now() - 25 * 3_600_000) })
        .where("id", "=", waiting).execute();
      const page = await reviewer.page("/dashboard/review");
      assert.equal(page.status, 200);
      assert.match(page.html, /data-count="unassigned">2</);
      assert.match(page.html, /data-count="mine">0</);
      assert.match(page.html, /data-count="all">2</);
      for (const tab of ["Unassigned", "Mine", "Pending second review", "Escalated", "All"]) {
        assert.ok(page.html.includes(tab), tab);
      }
      assert.deepEqual(listed(page.html).map((m) => [m[1], m[2]]), [[waiting, "red"], [first, "green"]]);
      assert.match(page.html, /data-action="claim-next"/);
    });

    await t.step("claim next takes the case that waited longest, for the operator", async () => {
      const claimed = await reviewer.post("/dashboard/review/next", {});
      assert.equal(claimed.status, 303);
      assert.equal(claimed.location, `/dashboard/review/${waiting}?notice=claimed`);
      const row = await caseRow(waiting);
      assert.equal(row.status, "in_review");
      assert.equal(row.assigned_to, reviewer.operator.id, "the reviewer id is the operator's user id");
      const mine = await reviewer.page("/dashboard/review?tab=mine");
      assert.match(mine.html, /data-count="mine">1</);
      assert.deepEqual(listed(mine.html).map((m) => m[1]), [waiting]);
      const page = await reviewer.page(`/dashboard/review/${waiting}?notice=claimed`);
      assert.match(page.html, /The case is yours/);
      assert.match(page.html, /data-sla="red"/);
      assert.match(page.html, /data-action="release"/);
    });

    await t.step("the case page shows front, back and selfie side by side through signed URLs", async () => {
      const { front, selfie } = await captureImages();
      const session = await call(world, "POST", "/api/v1/sessions", { key, body: { external_ref: "with-docs" } });
      for (
        const [file, fields] of [[front, { document_type: "passport", side: "front" }], [selfie, {
          document_type: "selfie",
        }]] as const
      ) {
        const upload = await call(world, "POST", `/api/v1/sessions/${session.body.id}/documents`, {
          key,
          body: multipart(file, fields),
        });
        assert.equal(upload.status, 201, JSON.stringify(upload.body));
      }
      const simulated = await call(world, "POST", `/api/v1/sessions/${session.body.id}/simulate`, {
        key,
        body: { action: "require-review" },
      });
      assert.equal(simulated.status, 200, JSON.stringify(simulated.body));
      const caseId = (await call(world, "GET", `/api/v1/sessions/${session.body.id}`, { key })).body.case_id;
      const page = await reviewer.page(`/dashboard/review/${caseId}`);
      assert.equal(page.status, 200);
      const figures = [...page.html.matchAll(/<figure data-document="([a-z_]+)"/g)].map((m) => m[1]);
      assert.deepEqual(figures, ["id_front", "id_back", "selfie"]);
      const src = /<img src="([^"]+)" alt="Front"/.exec(page.html)?.[1]?.replaceAll("&amp;", "&");
      assert.ok(
        src?.startsWith(`${world.deps.publicUrl}/api/v1/sessions/${session.body.id}/documents/id_front?`),
        String(src),
      );
      assert.match(page.html, /<img src="[^"]+selfie[^"]*" alt="Selfie"/);
      assert.doesNotMatch(page.html, /src="data:/, "never inline data");
      assert.match(page.html, /data-document="id_back"><p class="missing">Not uploaded/);
      const image = await world.request("GET", src!.slice(world.deps.publicUrl.length));
      assert.equal(image.status, 200);
      await image.body?.cancel();
      assert.match(page.html, /data-section="checks"/);
      assert.match(page.html, /data-check="/);
      // An open case is claimed before it is decided.
      assert.match(page.html, /data-action="claim"/);
      assert.match(page.html, /Claim the case before you decide it/);
      assert.match(page.html, /<option value="document_fraudulent"/);
      assert.match(page.html, /name="add_to_blocklist"/);
    });

    await t.step("a viewer sees the queue read-only and gets 403 on every change", async () => {
      const page = await viewer.page("/dashboard/review");
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.html, /data-action="claim-next"/);
      const casePage = await viewer.page(`/dashboard/review/${waiting}`);
      assert.equal(casePage.status, 200);
      assert.doesNotMatch(casePage.html, /data-form="decision"/);
      assert.doesNotMatch(casePage.html, /data-form="note"/);
      for (const path of ["/dashboard/review/next", `/dashboard/review/${first}/claim`]) {
        assert.equal((await viewer.post(path, {})).status, 403, path);
      }
      assert.equal(
        (await viewer.post(`/dashboard/review/${waiting}/decision`, { decision: "approve" })).status,
        403,
      );
      assert.equal((await viewer.post(`/dashboard/review/${waiting}/notes`, { text: "hi" })).status, 403);
      assert.equal((await caseRow(waiting)).status, "in_review");
      assert.equal((await caseRow(first)).status, "open");
    });

    await t.step("another organisation's case is a 404", async () => {
      assert.equal((await outsider.page(`/dashboard/review/${waiting}`)).status, 404);
      assert.equal(
        (await outsider.post(`/dashboard/review/${waiting}/decision`, { decision: "approve" })).status,
        404,
      );
      assert.equal((await outsider.post(`/dashboard/review/${waiting}/notes`, { text: "x" })).status, 404);
      assert.equal((await outsider.post(`/dashboard/review/${first}/claim`, {})).status, 404);
      const theirs = await outsider.page("/dashboard/review?tab=all");
      assert.deepEqual(listed(theirs.html), []);
      assert.match(theirs.html, /data-count="all">0</);
    });

    await t.step("someone else's claim is refused on the page (409)", async () => {
      const refused = await second.post(`/dashboard/review/${waiting}/decision`, { decision: "approve" });
      assert.equal(refused.status, 409);
      assert.match(refused.html, /assigned to/);
      assert.equal((await caseRow(waiting)).status, "in_review");
    });

    await t.step("notes: listed, added, an empty one refused", async () => {
      const empty = await reviewer.post(`/dashboard/review/${waiting}/notes`, { text: "  " });
      assert.equal(empty.status, 422);
      assert.match(empty.html, /must not be empty/);
      const added = await reviewer.post(`/dashboard/review/${waiting}/notes`, {
        text: "Called the applicant <b>",
      });
      assert.equal(added.status, 303);
      const page = await reviewer.page(`/dashboard/review/${waiting}`);
      assert.match(page.html, /Called the applicant &lt;b&gt;/);
      assert.match(page.html, /<p class="note-meta">you · /);
      const other = await second.page(`/dashboard/review/${waiting}`);
      assert.match(other.html, /<p class="note-meta">Test reviewer · /, "others see the author's name");
    });

    await t.step("a reviewer decides the case: the session becomes completed", async () => {
      const missing = await reviewer.post(`/dashboard/review/${waiting}/decision`, { decision: "reject" });
      assert.equal(missing.status, 422);
      assert.match(missing.html, /data-field-errors="reason_code"/);
      const approved = await reviewer.post(`/dashboard/review/${waiting}/decision`, {
        decision: "approve",
        reason: "Document checked by hand",
      });
      assert.equal(approved.status, 303);
      assert.equal(approved.location, `/dashboard/review/${waiting}?notice=approved`);
      const row = await caseRow(waiting);
      assert.equal(row.status, "approved");
      assert.equal(row.decided_by, reviewer.operator.id);
      assert.equal((await sessionRow(world, row.session_id)).status, "completed");
      const page = await reviewer.page(`/dashboard/review/${waiting}?notice=approved`);
      assert.match(page.html, /data-decision="approved"/);
      assert.doesNotMatch(page.html, /data-form="decision"/, "a decided case has no decision form");
    });

    await t.step("a rejection takes a reason code and may block the session's identifiers", async () => {
      const claimed = await second.post(`/dashboard/review/${first}/claim`, {});
      assert.equal(claimed.status, 303);
      const rejected = await second.post(`/dashboard/review/${first}/decision`, {
        decision: "reject",
        reason_code: "document_fraudulent",
        reason: "Font mismatch on the date of birth",
        add_to_blocklist: "1",
      });
      assert.equal(rejected.status, 303, rejected.html);
      const row = await caseRow(first);
      assert.equal(row.status, "rejected");
      assert.equal(row.reason_code, "document_fraudulent");
      assert.equal((await sessionRow(world, firstSession)).status, "completed");
      const result = await expectStatus(world, 200, "GET", `/api/v1/sessions/${firstSession}/result`, key);
      assert.equal(result.rejection_reason_code, "document_fraudulent");
      const actions = await world.db.selectFrom("case_actions").select("details").where("case_id", "=", first)
        .where("action", "=", "rejected").executeTakeFirstOrThrow();
      assert.ok(Array.isArray((actions.details as { blocked_items?: unknown }).blocked_items));
    });

    await t.step("claim next on an empty queue says so", async () => {
      // One case (the one with documents) is still open: take it, then the queue is empty.
      assert.equal((await reviewer.post("/dashboard/review/next", {})).status, 303);
      const empty = await reviewer.post("/dashboard/review/next", {});
      assert.equal(empty.status, 303);
      assert.equal(empty.location, "/dashboard/review?notice=queue_empty");
      const page = await reviewer.page("/dashboard/review?notice=queue_empty");
      assert.match(page.html, /The queue is empty/);
      assert.match(page.html, /data-count="unassigned">0</);
    });

    await t.step("the API sees the dashboard's decisions", async () => {
      const got = await expectStatus(world, 200, "GET", casePath(waiting), key);
      assert.equal(got.decided_by, reviewer.operator.id);
    });
  } finally {
    await world.close();
  }
});
