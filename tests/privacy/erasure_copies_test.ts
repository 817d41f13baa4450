/**
 * Owns proving, through HTTP, that an erasure leaves no copy its receipt does not list (issue #15
 * item 7): the block-list items a reviewer's rejection built from the session (the face item is
 * erased, the document number is kept and listed), the tags identity events carried, and audit
 * rows whose target was an e-mail-shaped external_ref (written as a pseudonym, found by the
 * external_ref, and counted in the receipt because a hash-chained row is never rewritten), and a
 * dry run's stored outcome about the session.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { SESSIONS } from "../helpers/capture.ts";
import { casePath } from "../helpers/cases.ts";
import { IDENTITIES, keyWithScopes } from "../helpers/identities.ts";
import { sealEmbedding } from "../../core/verification/identifiers.ts";
import { FACE_DESCRIPTOR_MODEL } from "../../core/engines/face_similarity.ts";
import { newId } from "../../core/ids.ts";

const EMAIL_REF = "dana.erasure-probe@example.org";
const TAG = "vip-dana-erasure-probe";

Deno.test("an erasure erases or lists every copy it leaves", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const reviewer = await keyWithScopes(world, ["cases:read", "cases:write", "cases:decide"]);
  const reader = await keyWithScopes(world, ["events:read", "lists:read", "identities:read", "sessions:read"]);
  const writer = await keyWithScopes(world, ["identities:write", "identities:read"]);
  const eraser = await keyWithScopes(world, ["redact:write"]);
  const dryRunReader = await keyWithScopes(world, ["workflows:read", "verifications:read"]);
  try {
    const session = await createSession(world, key, { external_ref: EMAIL_REF });
    const simulated = await call(world, "POST", `${SESSIONS}/${session.id}/simulate`, {
      key,
      body: { action: "require-review" },
    });
    assert.equal(simulated.status, 200, JSON.stringify(simulated.body));
    // The face template a live decision would have recorded (sandbox presets measure no face).
    await world.db.insertInto("face_templates").values({
      session_id: session.id,
      org_id: world.org.org_id,
      environment: "sandbox",
      embedding_enc: sealEmbedding(world.deps, session.id, Array.from({ length: 128 }, (_, i) => (i % 7) / 10)),
      model: FACE_DESCRIPTOR_MODEL,
      created_at: world.clock.now(),
    }).execute();
    // An API call naming the person by their e-mail external_ref: audited, and its tags in events.
    const tagged = await call(world, "POST", `${IDENTITIES}/${EMAIL_REF}/tags/add`, {
      key: writer,
      body: { tags: [TAG] },
    });
    assert.equal(tagged.status, 200, JSON.stringify(tagged.body));
    const identityId = tagged.body.id as string;

    const caseId = (await call(world, "GET", `${SESSIONS}/${session.id}`, { key })).body.case_id as string;
    assert.equal((await call(world, "POST", casePath(caseId, "claim"), { key: reviewer, body: {} })).status, 200);
    const rejected = await call(world, "POST", casePath(caseId, "reject"), {
      key: reviewer,
      body: { reason_code: "document_fraudulent", add_to_blocklist: true },
    });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    const blocked = rejected.body.blocked as Body[];
    const face = blocked.find((b) => b.list_type === "face")!;
    const documentNumber = blocked.find((b) => b.list_type === "government_id")!;
    assert.ok(face && documentNumber, JSON.stringify(blocked));

    await t.step("an e-mail external_ref is never an audit row's target, yet finds its rows", async () => {
      const all = await call(world, "GET", "/api/v1/events?limit=100", { key: reader });
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.ok(!JSON.stringify(all.body).includes(EMAIL_REF), "the audit log names the e-mail");
      const byRef = await call(world, "GET", `/api/v1/events?resource_id=${encodeURIComponent(EMAIL_REF)}`, {
        key: reader,
      });
      assert.equal(byRef.status, 200);
      assert.ok(
        byRef.body.data.some((row: Body) => row.type === "api.identity.tag.add"),
        JSON.stringify(byRef.body.data),
      );
    });

    // A dry run's outcome waiting to be read, as the worker stores it (tests/workflows covers the walk).
    const dryRunId = newId("dry");
    await world.db.insertInto("workflow_dry_runs").values({
      id: dryRunId,
      org_id: world.org.org_id,
      environment: "sandbox",
      session_id: session.id,
      graph: JSON.stringify({}),
      status: "completed",
      result_enc: world.deps.keyRing.encryptJson(
        { session_id: session.id, note: TAG },
        { table: "workflow_dry_runs", column: "result_enc", rowId: dryRunId },
      ),
      error_code: null,
      error_detail: null,
      error_status: null,
      created_at: world.clock.now(),
      finished_at: world.clock.now(),
    }).execute();

    const erased = await call(world, "DELETE", `${SESSIONS}/${session.id}/data`, { key: eraser });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));

    await t.step("the face item built from the session is erased with it", async () => {
      const items = await call(world, "GET", `/api/v1/lists/${face.list_id}/items`, { key: reader });
      assert.equal(items.status, 200, JSON.stringify(items.body));
      assert.ok(!items.body.data.some((item: Body) => item.id === face.item_id), "the face item outlived the erasure");
      const list = await call(world, "GET", `/api/v1/lists/${face.list_id}`, { key: reader });
      assert.equal(list.body.item_count, 0);
    });

    await t.step("the document-number item is kept, and the receipt lists it and the audit rows", async () => {
      const items = await call(world, "GET", `/api/v1/lists/${documentNumber.list_id}/items`, { key: reader });
      assert.ok(items.body.data.some((item: Body) => item.id === documentNumber.item_id));
      const expected = [{
        list_id: documentNumber.list_id,
        item_id: documentNumber.item_id,
        list_type: "government_id",
      }];
      assert.deepEqual(erased.body.retained.list_items, expected);
      assert.ok(erased.body.retained.audit_log_rows >= 1, JSON.stringify(erased.body.retained));
      const receipts = await call(world, "GET", `/api/v1/events?action=session.redacted&resource_id=${session.id}`, {
        key: reader,
      });
      assert.equal(receipts.body.data.length, 1);
      assert.deepEqual(receipts.body.data[0].metadata.retained, erased.body.retained);
      assert.equal(receipts.body.data[0].metadata.removed.database["custom_list_items.face"], 1);
    });

    await t.step("a dry run's stored outcome about the session is gone", async () => {
      const read = await call(world, "GET", `/api/v1/workflows/dry-runs/${dryRunId}`, { key: dryRunReader });
      assert.equal(read.status, 404, JSON.stringify(read.body));
      assert.equal(erased.body.retained.list_items.length, 1);
    });

    await t.step("erasing the identity takes the tags out of its events", async () => {
      const before = await call(world, "GET", `${IDENTITIES}/${identityId}/audit-log`, { key: reader });
      assert.ok(JSON.stringify(before.body).includes(TAG), "the seed's tag event carries the tag");
      const redacted = await call(world, "DELETE", `${IDENTITIES}/${identityId}`, { key: eraser });
      assert.equal(redacted.status, 200, JSON.stringify(redacted.body));
      // The person's receipt: their session was erased already; the audit rows naming them remain.
      assert.deepEqual(redacted.body.retained.list_items, []);
      assert.ok(redacted.body.retained.audit_log_rows >= 1, JSON.stringify(redacted.body.retained));
      const after = await call(world, "GET", `${IDENTITIES}/${identityId}/audit-log`, { key: reader });
      assert.equal(after.status, 200, JSON.stringify(after.body));
      assert.ok(after.body.data.some((e: Body) => e.type === "identity.tag-added"), "the event itself stays");
      assert.ok(!JSON.stringify(after.body).includes(TAG), "an identity event still names the tag");
    });
  } finally {
    await world.close();
  }
});
