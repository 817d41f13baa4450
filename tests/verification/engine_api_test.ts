/**
 * Owns the live engine's API over HTTP with the real worker: a wait node paused and resumed by
 * each external decision, reprocess after the workflow changed (the new version pinned), the
 * workflow trigger, a transient engine failure retried into a pass (attempt rows), replay of a
 * run from its stored inputs, the dry run, duplicates sent to review, and every error the
 * endpoints answer with nothing changed.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";
import { type Body, call, createSession, sessionEventTypes, sessionRow } from "../helpers/sessions.ts";
import { SESSIONS } from "../helpers/capture.ts";
import { DEFAULT_GRAPH } from "../../core/workflows/templates.ts";
import { withWrappedFaceDetect } from "../helpers/engines.ts";
import { parseOfacSdn } from "../../core/watchlists/ofac_sdn.ts";
import { importWatchlist } from "../../core/watchlists/import.ts";
import {
  awaitDecision,
  captureLiveSession,
  documentsOf,
  licenceHolder,
  resultOf,
  withWorker,
  workflowRunOf,
} from "../helpers/live_sessions.ts";

const WORKFLOWS = "/api/v1/workflows";

/** start → OCR → a wait gate → approved; the gate's on_fail goes to review. */
const GATED_GRAPH = {
  entry: "start",
  nodes: {
    start: { type: "start", next: "ocr" },
    ocr: { type: "policy", policy: "document_ocr", on_pass: "gate", on_fail: "rejected", on_error: "review" },
    gate: { type: "wait", gate: "manual_kyb", on_continue: "age", on_fail: "review" },
    age: { type: "policy", policy: "age_verification", on_pass: "approved", on_fail: "rejected" },
    approved: { type: "terminal", outcome: "approved" },
    rejected: { type: "terminal", outcome: "rejected" },
    review: { type: "terminal", outcome: "needs_review" },
  },
};

/** Duplicates are reviewed by a person, not rejected. */
const DUPLICATE_GRAPH = {
  entry: "start",
  nodes: {
    start: { type: "start", next: "ocr" },
    ocr: { type: "policy", policy: "document_ocr", on_pass: "duplicates", on_fail: "rejected" },
    duplicates: {
      type: "policy",
      policy: "duplicate_detection",
      options: { match_on: ["document_number", "name_dob"] },
      on_pass: "approved",
      on_fail: "review",
    },
    approved: { type: "terminal", outcome: "approved" },
    rejected: { type: "terminal", outcome: "rejected" },
    review: { type: "terminal", outcome: "needs_review" },
  },
};

/** The applicant types their name and date of birth; the document must agree. */
const CROSSREF_GRAPH = {
  entry: "start",
  nodes: {
    start: { type: "start", next: "ocr" },
    ocr: { type: "policy", policy: "document_ocr", on_pass: "crossref", on_fail: "rejected" },
    crossref: { type: "policy", policy: "identity_crossref", on_pass: "approved", on_fail: "rejected" },
    approved: { type: "terminal", outcome: "approved" },
    rejected: { type: "terminal", outcome: "rejected" },
  },
};

/** Sanctions screening: a possible hit goes to a person, as sanctions programmes expect. */
const SCREENING_GRAPH = {
  entry: "start",
  nodes: {
    start: { type: "start", next: "ocr" },
    ocr: { type: "policy", policy: "document_ocr", on_pass: "screening", on_fail: "rejected" },
    screening: { type: "policy", policy: "watchlist_screening", on_pass: "approved", on_fail: "review" },
    approved: { type: "terminal", outcome: "approved" },
    rejected: { type: "terminal", outcome: "rejected" },
    review: { type: "terminal", outcome: "needs_review" },
  },
};

function expectStatus(res: { status: number; body: Body }, status: number): Body {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

async function createWorkflow(world: TestWorld, name: string, graph: unknown): Promise<string> {
  const res = await call(world, "POST", WORKFLOWS, { key: world.org.live_secret_key, body: { name, graph } });
  return expectStatus(res, 201).id;
}

async function attemptRows(world: TestWorld, sessionId: string) {
  return await world.db.selectFrom("check_attempts").selectAll().where("session_id", "=", sessionId)
    .orderBy("created_at").execute();
}

Deno.test("live engine API", async (t) => {
  const world = await createTestWorld();
  const key = world.org.live_secret_key;
  const get = (path: string, k = key) => call(world, "GET", path, { key: k });
  const post = (path: string, body?: unknown, k = key) => call(world, "POST", path, { key: k, body });
  const holder = licenceHolder();
  const docs = await documentsOf(holder, "drivers_license");
  // Graphs without a face check collect no selfie.
  const noSelfie = { selfie: undefined };
  try {
    await withWorker(world, async () => {
      let gatedWorkflow = "";
      await t.step("a wait node pauses the session; continue resumes the walk after the gate", async () => {
        gatedWorkflow = await createWorkflow(world, "Gated", GATED_GRAPH);
        const id = await captureLiveSession(world, { ...docs, ...noSelfie, create: { workflow_id: gatedWorkflow } });
        const paused = await awaitDecision(world, id);
        assert.equal(paused.status, "awaiting_external");
        assert.ok((await sessionEventTypes(world, id)).includes("session.awaiting_external"));
        const run = await workflowRunOf(world, id);
        assert.equal(run.status, "paused");
        assert.equal(run.paused_at_node, "gate");
        expectStatus(await get(`${SESSIONS}/${id}/result`), 404);

        const reply = expectStatus(
          await post(`${SESSIONS}/${id}/external-decision`, { decision: "continue", metadata: { kybRef: "K-1" } }),
          202,
        );
        assert.deepEqual(Object.keys(reply).sort(), ["decision", "message", "session_id", "status"]);
        assert.equal(reply.status, "processing");
        await waitFor(
          "the resumed decision",
          async () => (await sessionRow(world, id)).status === "completed" || undefined,
        );
        const result = await resultOf(world, id);
        assert.equal(result.status, "approved");
        const resumed = await workflowRunOf(world, id);
        assert.equal(resumed.id, run.id);
        assert.equal(resumed.status, "completed");
        assert.deepEqual(resumed.external_metadata, { kybRef: "K-1" });
        assert.deepEqual(
          resumed.node_results.map((n: Body) => [n.node, n.result]),
          [["start", undefined], ["ocr", "passed"], ["gate", "paused"], ["gate", "continue"], ["age", "passed"], [
            "approved",
            "approved",
          ]],
        );
        // OCR ran once, before the pause: the resumed walk read its stored context.
        assert.equal((await attemptRows(world, id)).filter((a) => a.policy === "document_ocr").length, 1);
      });

      await t.step("fail takes the gate's on_fail route, reject rejects at once", async () => {
        const failed = await captureLiveSession(world, {
          ...docs,
          ...noSelfie,
          create: { workflow_id: gatedWorkflow },
        });
        const rejected = await captureLiveSession(world, {
          ...docs,
          ...noSelfie,
          create: { workflow_id: gatedWorkflow },
        });
        await awaitDecision(world, failed);
        await awaitDecision(world, rejected);
        expectStatus(await post(`${SESSIONS}/${failed}/external-decision`, { decision: "fail" }), 202);
        expectStatus(await post(`${SESSIONS}/${rejected}/external-decision`, { decision: "reject" }), 202);
        const review = await waitFor("review", async () => {
          const s = await sessionRow(world, failed);
          return s.status === "under_review" ? s : undefined;
        });
        assert.equal(review.status, "under_review");
        assert.equal((await resultOf(world, failed)).status, "needs_review");
        assert.ok((await sessionEventTypes(world, failed)).includes("session.requires-review"));
        await waitFor("rejection", async () => (await sessionRow(world, rejected)).status === "completed" || undefined);
        const result = await resultOf(world, rejected);
        assert.equal(result.status, "rejected");
        assert.equal(result.rejection_reason_code, "external_rejection");
      });

      await t.step(
        "external decisions are refused when nothing waits, or when malformed, changing nothing",
        async () => {
          const session = await createSession(world, key);
          const conflict = expectStatus(
            await post(`${SESSIONS}/${session.id}/external-decision`, { decision: "continue" }),
            409,
          );
          assert.equal(conflict.error, "invalid_session_state");
          const bad = expectStatus(
            await post(`${SESSIONS}/${session.id}/external-decision`, { decision: "maybe" }),
            422,
          );
          assert.ok(bad.fields.decision);
          expectStatus(await post(`${SESSIONS}/ses_nope/external-decision`, { decision: "continue" }), 404);
          expectStatus(
            await post(
              `${SESSIONS}/${session.id}/external-decision`,
              { decision: "continue" },
              world.org.sandbox_secret_key,
            ),
            404,
          );
          assert.equal((await sessionRow(world, session.id)).status, "pending");
        },
      );

      let approvedId = "";
      await t.step("reprocess after the workflow changed runs the new version on the stored documents", async () => {
        approvedId = await captureLiveSession(world, docs);
        await awaitDecision(world, approvedId);
        assert.equal((await resultOf(world, approvedId)).status, "approved");
        const defaults = expectStatus(await get(`${WORKFLOWS}?limit=100`), 200).data
          .find((w: Body) => w.is_default);
        const stricter = structuredClone(DEFAULT_GRAPH) as unknown as Body;
        stricter.nodes.age_verification.options = { minimum_age: 40 };
        const patched = expectStatus(
          await call(world, "PATCH", `${WORKFLOWS}/${defaults.id}`, { key, body: { graph: stricter } }),
          200,
        );
        assert.equal(patched.version, 2);

        const reply = expectStatus(await post(`${SESSIONS}/${approvedId}/reprocess`), 202);
        assert.deepEqual(reply.session_id, approvedId);
        assert.equal(reply.status, "processing");
        // A second reprocess while the first runs is a state conflict.
        expectStatus(await post(`${SESSIONS}/${approvedId}/reprocess`), 409);
        await waitFor(
          "the reprocessed decision",
          async () => (await sessionRow(world, approvedId)).status === "completed" || undefined,
        );
        const result = await resultOf(world, approvedId);
        assert.equal(result.status, "rejected");
        assert.equal(result.rejection_reason_code, "underage");
        assert.equal((await sessionRow(world, approvedId)).workflow_version, 2);
        const run = await workflowRunOf(world, approvedId);
        assert.equal(run.trigger, "reprocess");
        assert.equal(run.workflow_version, 2);
        const types = await sessionEventTypes(world, approvedId);
        assert.deepEqual(types.slice(-2), ["session.approved", "session.declined"]);
        // Back to the default's first graph for the steps that follow.
        expectStatus(
          await call(world, "PATCH", `${WORKFLOWS}/${defaults.id}`, { key, body: { graph: DEFAULT_GRAPH } }),
          200,
        );
      });

      await t.step("reprocess refuses sessions that are not decided, sandbox sessions, and unknown ids", async () => {
        const pending = await createSession(world, key);
        expectStatus(await post(`${SESSIONS}/${pending.id}/reprocess`), 409);
        const sandbox = await createSession(world, world.org.sandbox_secret_key);
        await call(world, "POST", `${SESSIONS}/${sandbox.id}/simulate`, {
          key: world.org.sandbox_secret_key,
          body: { action: "approve" },
        });
        expectStatus(await post(`${SESSIONS}/${sandbox.id}/reprocess`, undefined, world.org.sandbox_secret_key), 409);
        expectStatus(await post(`${SESSIONS}/ses_nope/reprocess`), 404);
        assert.equal((await sessionRow(world, pending.id)).status, "pending");
      });

      await t.step("a workflow trigger runs that workflow on a decided session", async () => {
        const reply = expectStatus(
          await post(`${WORKFLOWS}/${gatedWorkflow}/trigger`, { session_id: approvedId }),
          202,
        );
        assert.equal(reply.workflow_id, gatedWorkflow);
        const paused = await awaitDecision(world, approvedId);
        assert.equal(paused.status, "awaiting_external");
        const run = await workflowRunOf(world, approvedId);
        assert.equal(run.trigger, "workflow_trigger");
        assert.equal(run.workflow_id, gatedWorkflow);
        expectStatus(await post(`${WORKFLOWS}/${gatedWorkflow}/trigger`, { session_id: approvedId }), 409);
        expectStatus(await post(`${WORKFLOWS}/wfl_nope/trigger`, { session_id: approvedId }), 404);
        expectStatus(await post(`${WORKFLOWS}/${gatedWorkflow}/trigger`, {}), 422);
      });

      await t.step("an engine that fails twice is retried: attempt rows record each try, then the pass", async () => {
        // Three failures whatever calls them: the run's early measurement and the check's first tries.
        let failures = 3;
        world.deps.engines = withWrappedFaceDetect((detect) => (bytes, options) => {
          if (failures > 0) {
            failures--;
            return Promise.reject(new Error("wasm backend lost"));
          }
          return detect(bytes, options);
        });
        try {
          const id = await captureLiveSession(world, docs);
          await awaitDecision(world, id);
          assert.equal((await resultOf(world, id)).status, "approved");
          const face = (await attemptRows(world, id)).filter((a) => a.policy === "face_match");
          assert.ok(face.length >= 2 && face.length <= 5, `${face.length} attempts`);
          assert.deepEqual(face.map((a) => a.attempt), face.map((_, i) => i + 1));
          assert.ok(
            face.slice(0, -1).every((a) => a.status === "requires_retry" && /wasm backend lost/.test(a.error ?? "")),
          );
          assert.equal(face.at(-1)!.status, "passed");
          assert.equal(failures, 0);
          const listed = expectStatus(await get(`${SESSIONS}/${id}/verifications/face_match/attempts`), 200);
          assert.equal(listed.policy, "face_match");
          assert.deepEqual(listed.attempts.map((a: Body) => a.attempt_number), face.map((a) => a.attempt));
          expectStatus(await get(`${SESSIONS}/${id}/verifications/not_a_check/attempts`), 404);
        } finally {
          world.deps.engines = undefined;
        }
      });

      await t.step("attempt rows are immutable once settled", async () => {
        const [row] = await attemptRows(world, approvedId);
        await assert.rejects(
          world.db.updateTable("check_attempts").set({ status: "passed", score: 1 }).where("id", "=", row.id).execute(),
          /immutable/,
        );
      });

      await t.step("a run's decisions replay from their stored inputs to the same result", async () => {
        const id = await captureLiveSession(world, docs);
        await awaitDecision(world, id);
        const replay = expectStatus(await post(`${SESSIONS}/${id}/workflow-run/replay`), 200);
        assert.equal(replay.all_match, true);
        assert.ok(replay.replayed.length >= 6);
        assert.ok(replay.replayed.every((r: Body) => r.matches === true), JSON.stringify(replay.replayed));
      });

      await t.step("a dry run walks another graph over a stored session and writes nothing", async () => {
        const id = await captureLiveSession(world, docs);
        await awaitDecision(world, id);
        const before = await attemptRows(world, id);
        const stricter = structuredClone(DEFAULT_GRAPH) as unknown as Body;
        stricter.nodes.age_verification.options = { minimum_age: 65 };
        const dry = expectStatus(await post(`${WORKFLOWS}/dry-run`, { session_id: id, graph: stricter }), 200);
        assert.equal(dry.dry_run, true);
        assert.equal(dry.final_status, "rejected");
        assert.equal(dry.check_results.age_verification.status, "failed");
        assert.deepEqual(await attemptRows(world, id), before);
        assert.equal((await resultOf(world, id)).status, "approved");
        const invalid = expectStatus(
          await post(`${WORKFLOWS}/dry-run`, { session_id: id, graph: { entry: "x" } }),
          422,
        );
        assert.ok(Object.keys(invalid.fields).length > 0);
        expectStatus(await post(`${WORKFLOWS}/dry-run`, { session_id: "ses_nope" }), 404);
      });

      await t.step("a second session with the same document and name is a duplicate sent to review", async () => {
        const workflow = await createWorkflow(world, "Duplicates", DUPLICATE_GRAPH);
        const first = await captureLiveSession(world, { ...docs, ...noSelfie, create: { workflow_id: workflow } });
        await awaitDecision(world, first);
        const second = await captureLiveSession(world, { ...docs, ...noSelfie, create: { workflow_id: workflow } });
        const session = await awaitDecision(world, second);
        assert.equal(session.status, "under_review");
        assert.match(session.case_id ?? "", /^case_/, "the workflow's needs_review opened a review case");
        const result = await resultOf(world, second);
        assert.equal(result.status, "needs_review");
        const matches = result.check_results.duplicate_detection.matches as Body[];
        assert.ok(matches.some((m) => m.session_id === first), JSON.stringify(matches));
        assert.deepEqual(result.check_results.duplicate_detection.matched_on.sort(), ["document_number", "name_dob"]);
        // Blind indexes only: no document number in the table.
        const stored = JSON.stringify(await world.db.selectFrom("session_identifiers").selectAll().execute());
        assert.ok(!stored.includes(holder.documentNumber));
      });

      await t.step("identity_crossref compares what the applicant typed with the document", async () => {
        const res = await call(world, "POST", WORKFLOWS, {
          key,
          body: {
            name: "Crossref",
            graph: CROSSREF_GRAPH,
            data_requirements: {
              document_types: ["drivers_license"],
              selfie: false,
              user_info_fields: ["first_name", "last_name", "date_of_birth"],
            },
          },
        });
        const workflow = expectStatus(res, 201).id;
        const typed = { first_name: "Jan", last_name: "van Dam", date_of_birth: holder.dateOfBirth };
        const same = await captureLiveSession(world, {
          ...docs,
          ...noSelfie,
          fields: typed,
          create: { workflow_id: workflow },
        });
        await awaitDecision(world, same);
        assert.equal((await resultOf(world, same)).status, "approved", "case and spacing do not matter");
        const other = await captureLiveSession(world, {
          ...docs,
          ...noSelfie,
          fields: { ...typed, last_name: "Smith" },
          create: { workflow_id: workflow },
        });
        await awaitDecision(world, other);
        const result = await resultOf(world, other);
        assert.equal(result.status, "rejected");
        assert.equal(result.rejection_reason_code, "identity_mismatch");
        assert.deepEqual(result.check_results.identity_crossref.mismatched_fields, ["last_name"]);
      });

      await t.step("a name on a loaded sanctions list sends the session to review", async () => {
        const workflow = await createWorkflow(world, "Screening", SCREENING_GRAPH);
        const clear = await captureLiveSession(world, { ...docs, ...noSelfie, create: { workflow_id: workflow } });
        assert.equal((await awaitDecision(world, clear)).status, "completed", "nothing loaded: no hit");
        const [year, month, day] = holder.dateOfBirth.split("-");
        const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        const sdn =
          `7001,"${holder.lastName}, ${holder.firstName}","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,` +
          `"DOB ${day} ${months[Number(month) - 1]} ${year}; nationality Netherlands."\r\n`;
        await importWatchlist(world.db, {
          source: "ofac_sdn",
          list: parseOfacSdn(sdn),
          fileSha256: "0".repeat(64),
          importedBy: "test",
        });
        const hit = await captureLiveSession(world, { ...docs, ...noSelfie, create: { workflow_id: workflow } });
        assert.equal((await awaitDecision(world, hit)).status, "under_review");
        const result = await resultOf(world, hit);
        assert.equal(result.status, "needs_review");
        const screening = result.check_results.watchlist_screening;
        assert.equal(screening.status, "failed");
        assert.equal(screening.hit_count, 1);
        assert.equal(screening.hits[0].source, "ofac_sdn");
        assert.equal(screening.hits[0].source_ref, "7001");
        assert.ok(screening.best_match_score >= 0.6);
        assert.ok((await sessionEventTypes(world, hit)).includes("session.requires-review"));
      });

      await t.step("another organisation sees none of it", async () => {
        const other = await world.provisionOrg("other-org");
        expectStatus(await get(`${SESSIONS}/${approvedId}/workflow-run`, other.live_secret_key), 404);
        expectStatus(await get(`${SESSIONS}/${approvedId}/verifications`, other.live_secret_key), 404);
        expectStatus(
          await post(`${SESSIONS}/${approvedId}/workflow-run/replay`, undefined, other.live_secret_key),
          404,
        );
      });
    });
  } finally {
    await world.close();
  }
});
