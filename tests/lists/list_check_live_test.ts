/**
 * Owns the test for lists, end to end with the real engine and worker: a document number
 * put on a block list fails the next session that presents it (the match recorded on the session,
 * no PII in the check's outputs); a reviewer's block adds the session's identifiers to the
 * default block lists; a flag-list match passes and is recorded, and can be marked a false positive.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call } from "../helpers/sessions.ts";
import {
  awaitDecision,
  captureLiveSession,
  documentsOf,
  licenceHolder,
  resultOf,
  withWorker,
} from "../helpers/live_sessions.ts";
import { blockSessionIdentifiers, REVIEWER_BLOCK_LIST_NAME } from "../../core/lists/block_from_session.ts";
import { recordIdentifiers } from "../../core/verification/identifiers.ts";
import { FACE_DESCRIPTOR_MODEL } from "../../core/engines/face_similarity.ts";

function expectStatus(res: { status: number; body: Body }, status: number): Body {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** Reads the licence, then checks the lists; a block match rejects. */
function listGraph(options?: Record<string, unknown>) {
  return {
    entry: "start",
    nodes: {
      start: { type: "start", next: "ocr" },
      ocr: { type: "policy", policy: "document_ocr", on_pass: "lists", on_fail: "rejected" },
      lists: {
        type: "policy",
        policy: "check_against_list",
        ...(options ? { options } : {}),
        on_pass: "approved",
        on_fail: "rejected",
      },
      approved: { type: "terminal", outcome: "approved" },
      rejected: { type: "terminal", outcome: "rejected" },
    },
  };
}

async function listMatches(world: TestWorld, sessionId: string): Promise<Body[]> {
  const res = await call(world, "GET", `/api/v1/sessions/${sessionId}/list-matches`, {
    key: world.org.live_secret_key,
  });
  return expectStatus(res, 200).data;
}

Deno.test("custom lists in the live engine", async (t) => {
  const world = await createTestWorld();
  const key = world.org.live_secret_key;
  const api = (method: string, path: string, body?: unknown) => call(world, method, path, { key, body });
  const holder = licenceHolder();
  // No face check in these graphs, so no selfie is collected.
  const docs = { ...(await documentsOf(holder, "drivers_license")), selfie: undefined };
  try {
    await withWorker(world, async () => {
      const blockList = expectStatus(
        await api("POST", "/api/v1/lists", {
          name: "Stolen documents",
          list_type: "government_id",
          match_mode: "block",
        }),
        201,
      ).id;
      const workflow = expectStatus(
        await api("POST", "/api/v1/workflows", { name: "Screened", graph: listGraph({ list_ids: [blockList] }) }),
        201,
      ).id;
      let blocked = "";

      await t.step("a blocked document number fails the next session that presents it", async () => {
        const before = await captureLiveSession(world, { ...docs, create: { workflow_id: workflow } });
        await awaitDecision(world, before);
        const passed = await resultOf(world, before);
        assert.equal(passed.status, "approved", JSON.stringify(passed));
        assert.equal(passed.check_results.check_against_list.lists_checked, 1);
        assert.equal(passed.check_results.check_against_list.match_count, 0);

        expectStatus(
          await api("POST", `/api/v1/lists/${blockList}/items`, {
            value: { id_number: holder.documentNumber.toLowerCase(), id_class: "drivers_license" },
            notes: "reported stolen",
          }),
          201,
        );
        blocked = await captureLiveSession(world, { ...docs, create: { workflow_id: workflow } });
        const session = await awaitDecision(world, blocked);
        assert.equal(session.status, "completed");
        const result = await resultOf(world, blocked);
        assert.equal(result.status, "rejected");
        assert.equal(result.rejection_reason_code, "list_block_match");
        const check = result.check_results.check_against_list;
        assert.equal(check.status, "failed");
        assert.equal(check.block_count, 1);
        assert.equal(check.allowed, false);
        const outputs = JSON.stringify(check) + JSON.stringify(result.rejection_reason);
        for (const pii of [holder.documentNumber, holder.lastName, holder.firstName, holder.dateOfBirth]) {
          assert.ok(!outputs.includes(pii), `the check's outputs carry "${pii}"`);
        }

        const [match, ...more] = await listMatches(world, blocked);
        assert.equal(more.length, 0);
        assert.equal(match.list_id, blockList);
        assert.equal(match.list_type, "government_id");
        assert.equal(match.match_mode, "block");
        assert.equal(match.matched_on, "government_id");
        assert.equal(match.false_positive, false);
        assert.equal(check.matches[0].item_id, match.item_id);
        assert.deepEqual(await listMatches(world, before), [], "the earlier session keeps its clean record");
        const list = expectStatus(await api("GET", `/api/v1/lists/${blockList}`), 200);
        assert.deepEqual(list.workflows.map((w: Body) => w.id), [workflow]);
        expectStatus(await api("POST", `/api/v1/lists/${blockList}/archive`), 409);
      });

      await t.step("a reviewer's block adds the session's identifiers to the default block lists", async () => {
        const scope = { orgId: world.org.org_id, environment: "live" as const };
        // These graphs measure no face: give the session a device fingerprint and a face template by hand.
        await world.db.updateTable("sessions")
          .set({ client_signals: JSON.stringify({ device: { fingerprint_hash: "fp-device-77" } }) })
          .where("id", "=", blocked).execute();
        // A template of the current descriptor: an older model's is never blocked (it could match nothing).
        const face = Array.from({ length: 128 }, (_, i) => Math.round(Math.sin(i) * 1e4) / 1e4);
        await world.db.transaction().execute((tx) =>
          recordIdentifiers(
            tx,
            world.deps,
            scope,
            blocked,
            {},
            { embedding: face, model: FACE_DESCRIPTOR_MODEL },
            new Date(),
          )
        );
        const added = await world.db.transaction().execute((tx) =>
          blockSessionIdentifiers(world.deps, tx, scope, blocked, "reviewer_1")
        );
        assert.deepEqual(added.map((a) => a.list_type), ["government_id", "device_fingerprint", "face"]);
        assert.equal(added[0].list_id, blockList, "the document number was already on the oldest block list");
        for (const { list_id, item_id } of added.slice(1)) {
          const list = expectStatus(await api("GET", `/api/v1/lists/${list_id}`), 200);
          assert.equal(list.name, REVIEWER_BLOCK_LIST_NAME);
          assert.equal(list.match_mode, "block");
          assert.equal(list.item_count, 1);
          const item = expectStatus(await api("GET", `/api/v1/lists/${list_id}/items/${item_id}`), 200);
          assert.equal(item.created_by, "reviewer_1");
          if (list.list_type === "device_fingerprint") {
            assert.deepEqual(item.value, { fingerprint_hash: "fp-device-77" });
          } else {
            assert.equal(item.value.embedding.length, face.length);
            assert.ok(item.value.embedding.every((v: number, k: number) => Math.abs(v - face[k]) < 1e-3));
          }
        }
        const again = await world.db.transaction().execute((tx) =>
          blockSessionIdentifiers(world.deps, tx, scope, blocked, "reviewer_2")
        );
        assert.deepEqual(again, added, "blocking twice adds nothing");
      });

      await t.step("a flag-list match passes, is recorded, and can be marked a false positive", async () => {
        // Every active list is checked when the node names none: the block lists step aside.
        expectStatus(await api("PATCH", `/api/v1/lists/${blockList}`, { is_active: false }), 200);
        const flagList = expectStatus(
          await api("POST", "/api/v1/lists", { name: "Watch these people", list_type: "name" }),
          201,
        ).id;
        expectStatus(
          await api("POST", `/api/v1/lists/${flagList}/items`, {
            value: {
              first_name: holder.firstName.toLowerCase(),
              last_name: "Van Damm",
              date_of_birth: holder.dateOfBirth,
            },
          }),
          201,
        );
        const everyList = expectStatus(
          await api("POST", "/api/v1/workflows", { name: "Every list", graph: listGraph() }),
          201,
        ).id;
        const flagged = await captureLiveSession(world, { ...docs, create: { workflow_id: everyList } });
        await awaitDecision(world, flagged);
        const result = await resultOf(world, flagged);
        assert.equal(result.status, "approved");
        const check = result.check_results.check_against_list;
        assert.equal(check.status, "passed");
        assert.equal(check.flag_count, 1);
        assert.equal(check.block_count, 0);

        const [match] = await listMatches(world, flagged);
        assert.equal(match.list_id, flagList);
        assert.equal(match.match_mode, "flag");
        assert.equal(match.matched_on, "name_dob");
        assert.ok(match.score >= 0.85 && match.score < 1);

        const path = `/api/v1/sessions/${flagged}/list-matches/${match.id}/false-positive`;
        const marked = expectStatus(await api("POST", path, { reason: "Different person, checked by phone." }), 200);
        assert.equal(marked.false_positive, true);
        assert.equal(marked.false_positive_reason, "Different person, checked by phone.");
        assert.match(marked.false_positive_by, /^key_/);
        assert.ok(marked.false_positive_at);
        expectStatus(await api("POST", path, { reason: "again" }), 409);
        expectStatus(
          await api("POST", `/api/v1/sessions/${blocked}/list-matches/${match.id}/false-positive`, { reason: "x" }),
          404,
        );
        assert.equal((await listMatches(world, flagged))[0].false_positive, true);
      });
    });
  } finally {
    await world.close();
  }
});
