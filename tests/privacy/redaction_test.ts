/**
 * Owns session erasure through HTTP (issue #9): a session seeded with known personal data —
 * pre-filled fields, user fields, applicant name and email, consent IP and user agent, documents
 * uploaded through the capture API, a decided result, a review case with a note, a webhook
 * delivery and a stored Idempotency-Key reply — redacted, then every column of every table and
 * every stored object searched for it; the repeat, bulk, legal hold on each path, scopes, tenants;
 * and a batch (the retention sweep's) writing for each session what erasing it alone wrote.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, createSession, sessionRow } from "../helpers/sessions.ts";
import { assertError, captureDocuments, consentFrom, documentRows, tokenOf } from "../helpers/capture.ts";
import { mintKey } from "../helpers/cases.ts";
import { IDENTITIES } from "../helpers/identities.ts";
import { newId } from "../../core/ids.ts";
import { sessionFieldContext } from "../../core/sessions/service.ts";
import { sessionBlobPrefix } from "../../core/documents/service.ts";
import { redactSession, redactSessionBatch } from "../../core/privacy/redaction.ts";
import { assertErased, findInDatabase } from "./scan.ts";

const SESSIONS = "/api/v1/sessions";

/** Values no fixture, preset or other test data contains. */
const PII = {
  first_name: "Zebulon",
  last_name: "Quartermaine",
  email: "zebulon.quartermaine@example.org",
  phone: "+1 555 0147 3321",
  document_number: "ZQ4471902",
  applicant_name: "Zebulon Q. Quartermaine",
  ip: "203.0.113.77",
  user_agent: "PrivacyProbe/9.17 (erasure test)",
  user_field: "Flat 9, Wexcombe Lane",
  note: "Called Zebulon about the Wexcombe address",
  webhook: "wh-copy-ZQ4471902-Quartermaine",
};
const VALUES = Object.values(PII);
/** The sandbox approval preset's extracted data (Jane Doe's licence), stored encrypted. */
const PRESET_VALUES = ["D1234567"];

Deno.test("session redaction erases every copy of the person's data", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    const eraser = await mintKey(world, ["redact:write", "sessions:read", "sessions:write"]);
    const reviewer = await mintKey(world, ["cases:read", "cases:write", "cases:decide"]);

    /** A session with every kind of personal data the product stores, reviewed and delivered. */
    const seed = async (pii = PII) => {
      const created = await call(world, "POST", SESSIONS, {
        key,
        headers: { "Idempotency-Key": newId("idk") },
        body: {
          fields: {
            first_name: pii.first_name,
            last_name: pii.last_name,
            email: pii.email,
            phone: pii.phone,
            document_number: pii.document_number,
          },
          applicant_email: pii.email,
          applicant_name: pii.applicant_name,
          metadata: { contact: pii.email },
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      const token = tokenOf(created.body);
      assert.equal((await consentFrom(world, token, pii.ip, pii.user_agent)).status, 200);
      await captureDocuments(world, token);
      await world.db.updateTable("sessions").set({
        user_fields_enc: world.deps.keyRing.encryptJson(
          { address_line1: pii.user_field },
          sessionFieldContext(id, "user_fields_enc"),
        ),
      }).where("id", "=", id).execute();
      // A PATCH reply (stored for Idempotency-Key replays) carries the decrypted consent IP.
      const patched = await call(world, "PATCH", `${SESSIONS}/${id}`, {
        key,
        headers: { "Idempotency-Key": newId("idk") },
        body: { metadata: { step: "patched" } },
      });
      assert.equal(patched.body.consent_ip, pii.ip);
      const simulated = await call(world, "POST", `${SESSIONS}/${id}/simulate`, {
        key,
        body: { action: "require-review" },
      });
      assert.equal(simulated.status, 200, JSON.stringify(simulated.body));
      const caseId = (await call(world, "GET", `${SESSIONS}/${id}`, { key })).body.case_id;
      const note = await call(world, "POST", `/api/v1/cases/${caseId}/notes`, {
        key: reviewer,
        body: { text: pii.note },
      });
      assert.equal(note.status, 201, JSON.stringify(note.body));
      // A delivered webhook's kept body and the receiver's reply, as the relay stores them.
      const endpoint = await call(world, "POST", "/api/v1/webhooks/endpoints", {
        key: await mintKey(world, ["webhooks:write"]),
        body: { url: "http://127.0.0.1:9/verifa", enabled_events: ["session.approved"] },
      });
      assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
      const deliveryId = newId("whd");
      await world.db.insertInto("webhook_deliveries").values({
        id: deliveryId,
        org_id: world.org.org_id,
        environment: "sandbox",
        endpoint_id: endpoint.body.id,
        event_id: null,
        event_type: "session.requires-review",
        session_id: id,
        idempotency_key: newId("idk"),
        url: "http://127.0.0.1:9/verifa",
        payload_enc: world.deps.keyRing.encrypt(
          new TextEncoder().encode(JSON.stringify({ name: pii.webhook })),
          { table: "webhook_deliveries", column: "payload_enc", rowId: deliveryId },
        ),
        status: "retrying",
        last_status_code: 500,
        last_error: null,
        created_at: world.clock.now(),
        updated_at: world.clock.now(),
      }).execute();
      await world.db.insertInto("webhook_attempts").values({
        delivery_id: deliveryId,
        attempt_number: 1,
        started_at: world.clock.now(),
        duration_ms: 12,
        status_code: 500,
        response_excerpt: `echo ${pii.webhook}`,
        error: null,
      }).execute();
      return { id, caseId, deliveryId };
    };

    const a = await seed();
    const prefix = sessionBlobPrefix({ orgId: world.org.org_id, environment: "sandbox" }, a.id);

    await t.step("the seed is really stored (the scan can see it)", async () => {
      const hits = await findInDatabase(world, [PII.note.slice(0, 6), a.id]);
      assert.ok(hits.some((h) => h.includes("sessions.id")), "the scan reads the sessions table");
      assert.equal((await documentRows(world, a.id)).length, 3);
      const row = await sessionRow(world, a.id);
      for (const column of ["fields_enc", "user_fields_enc", "consent_ip_enc", "consent_user_agent_enc"] as const) {
        assert.ok(row[column], column);
      }
    });

    await t.step("DELETE …/data needs redact:write, and another tenant's session is a 404", async () => {
      const writer = await mintKey(world, ["sessions:read", "sessions:write"]);
      assertError(await call(world, "DELETE", `${SESSIONS}/${a.id}/data`, { key: writer }), 403, "insufficient_scope");
      const other = await world.provisionOrg("other-org");
      const otherEraser = await mintKey(world, ["redact:write"], other.sandbox_secret_key);
      assertError(await call(world, "DELETE", `${SESSIONS}/${a.id}/data`, { key: otherEraser }), 404, "not_found");
      const liveEraser = await mintKey(world, ["redact:write"], world.org.live_secret_key);
      assertError(await call(world, "DELETE", `${SESSIONS}/${a.id}/data`, { key: liveEraser }), 404, "not_found");
      assertError(
        await call(world, "GET", `${SESSIONS}/${a.id}/export`, { key: other.sandbox_secret_key }),
        404,
        "not_found",
      );
    });

    await t.step("a legal hold blocks the API, bulk and retention paths until released", async () => {
      const held = await call(world, "POST", `${SESSIONS}/${a.id}/legal-hold`, {
        key,
        body: { reason: "Litigation 2026-114" },
      });
      assert.equal(held.status, 200, JSON.stringify(held.body));
      assert.equal(held.body.legal_hold, true);
      assert.equal(held.body.legal_hold_reason, "Litigation 2026-114");
      assert.ok(held.body.legal_hold_set_at);
      assertError(await call(world, "DELETE", `${SESSIONS}/${a.id}/data`, { key: eraser }), 409, "legal_hold");
      const bulk = await call(world, "POST", `${SESSIONS}/bulk-redact`, {
        key: eraser,
        body: { session_ids: [a.id] },
      });
      assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
      assert.deepEqual(bulk.body, {
        total: 1,
        results: [{ session_id: a.id, status: "legal_hold", documents_removed: 0 }],
      });
      const swept = await redactSession(world.deps, { orgId: world.org.org_id, environment: "sandbox" }, a.id, {
        type: "system",
        id: "retention",
      }, "retention");
      assert.equal(swept.status, "legal_hold");
      assert.equal((await sessionRow(world, a.id)).retention_status, "active");
      assert.equal((await documentRows(world, a.id)).length, 3);
      const released = await call(world, "POST", `${SESSIONS}/${a.id}/legal-hold/release`, {
        key,
        body: { reason: "Litigation 2026-114 closed" },
      });
      assert.equal(released.body.legal_hold, false);
      assert.equal(released.body.legal_hold_reason, null);
    });

    await t.step("DELETE …/data erases everything; the scan finds none of it", async () => {
      const res = await call(world, "DELETE", `${SESSIONS}/${a.id}/data`, { key: eraser });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        status: "deleted",
        session_id: a.id,
        documents_removed: 3,
        // Nothing kept on purpose: no reviewer blocked its values, and it names no external_ref.
        retained: { list_items: [], audit_log_rows: 0 },
        message: "Session data permanently redacted.",
      });
      await assertErased(world, a.id, [...VALUES, ...PRESET_VALUES], prefix);
      const row = await sessionRow(world, a.id);
      assert.equal(row.retention_status, "redacted");
      assert.ok(row.created_at && row.status, "the record itself stays for audit");
      const delivery = await world.db.selectFrom("webhook_deliveries").selectAll().where("id", "=", a.deliveryId)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.status, "failed", "a waiting delivery whose body is gone is ended");
      const events = await world.db.selectFrom("events").select("type").where("session_id", "=", a.id).execute();
      assert.ok(events.some((e) => e.type === "session.redacted"));
      const shown = await call(world, "GET", `${SESSIONS}/${a.id}`, { key });
      assert.equal(shown.body.retention_status, "redacted");
      assert.equal(shown.body.consent_ip, null);
      const result = await call(world, "GET", `${SESSIONS}/${a.id}/result`, { key });
      assert.deepEqual(result.body.extracted_data, {});
      assert.deepEqual((await call(world, "GET", `${SESSIONS}/${a.id}/documents`, { key })).body.data, []);
    });

    await t.step("the erasure receipt lists counts, never values", async () => {
      const audit = await world.db.introspection.getTables();
      if (!audit.some((table) => table.name === "audit_log")) return;
      const text = JSON.stringify(
        // deno-lint-ignore no-explicit-any
        await (world.db as any).selectFrom("audit_log").selectAll().where("action", "=", "session.redacted").execute(),
      );
      assert.ok(text.includes(a.id));
      assert.ok(text.includes("documents"));
      for (const value of VALUES) assert.ok(!text.includes(value), value);
    });

    await t.step("repeating answers already_redacted without error", async () => {
      const again = await call(world, "DELETE", `${SESSIONS}/${a.id}/data`, { key: eraser });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.status, "already_redacted");
      assert.equal(again.body.documents_removed, 0);
      const events = await world.db.selectFrom("events").select("type").where("session_id", "=", a.id)
        .where("type", "=", "session.redacted").execute();
      assert.equal(events.length, 1, "no second session.redacted");
      assertError(
        await call(world, "POST", `${SESSIONS}/${a.id}/legal-hold`, { key, body: {} }),
        400,
        "invalid_session_state",
      );
    });

    await t.step("bulk: at most 100, per-session statuses, unknown ids reported", async () => {
      const tooMany = Array.from({ length: 101 }, (_, i) => `ses_${i}`);
      assertError(
        await call(world, "POST", `${SESSIONS}/bulk-redact`, { key: eraser, body: { session_ids: tooMany } }),
        422,
        "validation_error",
      );
      assertError(
        await call(world, "POST", `${SESSIONS}/bulk-redact`, { key: eraser, body: { session_ids: [] } }),
        422,
        "validation_error",
      );
      const b = await createSession(world, key, { fields: { first_name: "Bertrand" } });
      const c = await createSession(world, key, {});
      await call(world, "POST", `${SESSIONS}/${c.id}/legal-hold`, { key, body: {} });
      const res = await call(world, "POST", `${SESSIONS}/bulk-redact`, {
        key: eraser,
        body: { session_ids: [a.id, b.id, c.id, "ses_nope"] },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        total: 4,
        results: [
          { session_id: a.id, status: "already_redacted", documents_removed: 0 },
          { session_id: b.id, status: "deleted", documents_removed: 0 },
          { session_id: c.id, status: "legal_hold", documents_removed: 0 },
          { session_id: "ses_nope", status: "not_found", documents_removed: 0 },
        ],
      });
      assert.equal((await sessionRow(world, b.id)).fields_enc, null);
      assert.equal((await sessionRow(world, c.id)).retention_status, "active");
    });

    await t.step("identity erasure redacts its sessions; a hold on either blocks it", async () => {
      const ref = `person_${crypto.randomUUID()}`;
      const s = await createSession(world, key, { external_ref: ref, fields: { last_name: "Oyelaran-Fitch" } });
      await call(world, "POST", `${SESSIONS}/${s.id}/simulate`, { key, body: { action: "approve" } });
      const identityId = (await sessionRow(world, s.id)).identity_id!;
      assert.ok(identityId);
      await call(world, "POST", `${SESSIONS}/${s.id}/legal-hold`, { key, body: {} });
      assertError(await call(world, "DELETE", `${IDENTITIES}/${identityId}`, { key: eraser }), 409, "legal_hold");
      assert.equal((await sessionRow(world, s.id)).retention_status, "active");
      await call(world, "POST", `${SESSIONS}/${s.id}/legal-hold/release`, { key, body: { reason: "released" } });
      await call(world, "POST", `${IDENTITIES}/${identityId}/legal-hold`, {
        key: await mintKey(world, ["legal_hold:write"]),
        body: {},
      });
      assertError(await call(world, "DELETE", `${SESSIONS}/${s.id}/data`, { key: eraser }), 409, "legal_hold");
      await call(world, "POST", `${IDENTITIES}/${identityId}/legal-hold/release`, {
        key: await mintKey(world, ["legal_hold:write"]),
        body: { reason: "released" },
      });
      const erased = await call(world, "DELETE", `${IDENTITIES}/${identityId}`, { key: eraser });
      assert.equal(erased.status, 200, JSON.stringify(erased.body));
      assert.equal(erased.body.sessions_redacted, 1);
      assert.equal((await sessionRow(world, s.id)).retention_status, "redacted");
      assert.deepEqual(await findInDatabase(world, ["Oyelaran-Fitch"]), []);
    });

    await t.step("a batch erases each session exactly as erasing it alone does", async () => {
      /** Another person with the same kinds of data (every value distinct from the others'). */
      const twin = (n: number): typeof PII => ({
        ...Object.fromEntries(Object.entries(PII).map(([name, value]) => [name, `${value} Twin${n}`])) as typeof PII,
        email: `twin${n}.${PII.email}`,
        phone: `+1 555 0147 33${40 + n}`,
        document_number: `ZQ${n}${PII.document_number.slice(3)}`,
        ip: `203.0.113.${80 + n}`,
      });
      const seeded = [];
      for (const n of [1, 2, 3]) seeded.push({ ...await seed(twin(n)), pii: twin(n) });
      const [alone, ...together] = seeded;
      const res = await call(world, "DELETE", `${SESSIONS}/${alone.id}/data`, { key: eraser });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const held = await createSession(world, key, { fields: { first_name: "Heldwin" } });
      await call(world, "POST", `${SESSIONS}/${held.id}/legal-hold`, { key, body: {} });
      const scope = { orgId: world.org.org_id, environment: "sandbox" as const };
      const actor = { type: "system" as const, id: "retention.sweep" };
      const receipts = await redactSessionBatch(
        world.deps,
        scope,
        [
          ...together.map((s) => ({
            sessionId: s.id,
            alsoRecord: [{ type: "session.retention-expired" as const, payload: { probe: s.id } }],
          })),
          { sessionId: held.id },
        ],
        actor,
        "retention",
        { skipLocked: true },
      );
      // What erasing such a session alone wrote before erasures were batched (issue #17).
      const removed = {
        objects: 6,
        database: {
          documents: 3,
          case_notes: 1,
          review_cases: 1,
          idempotency_keys: 1,
          "sessions.fields_enc": 1,
          "sessions.consent_ip_enc": 1,
          "sessions.consent_ip_bidx": 1,
          "sessions.user_fields_enc": 1,
          "sessions.capture_token_enc": 1,
          "sessions.applicant_name_enc": 1,
          "sessions.capture_token_hash": 1,
          "sessions.applicant_email_enc": 1,
          "webhook_deliveries.payload_enc": 1,
          "sessions.consent_user_agent_enc": 1,
          "session_results.extracted_data_enc": 1,
        },
      };
      const retained = { list_items: [], audit_log_rows: 0 };
      assert.deepEqual(receipts, [
        ...together.map((s) => ({ session_id: s.id, status: "deleted", documents_removed: 3, removed, retained })),
        { ...receipts[2], session_id: held.id, status: "legal_hold" },
      ]);
      const heldRow = await sessionRow(world, held.id);
      assert.equal(heldRow.retention_status, "active");
      assert.ok(heldRow.fields_enc, "a held session in the batch keeps its data");
      for (const s of seeded) {
        const rows = await world.db.selectFrom("audit_log").select("details")
          .where("target_id", "=", s.id).where("action", "=", "session.redacted").execute();
        const events = await world.db.selectFrom("events").select(["type", "payload"]).where("session_id", "=", s.id)
          .where("type", "in", ["session.redacted", "session.retention-expired"]).orderBy("type").execute();
        assert.equal(rows.length, 1);
        const d = rows[0].details as Record<string, unknown>;
        assert.deepEqual(d.removed, removed);
        assert.deepEqual(d.retained, retained);
        assert.deepEqual(events, [
          {
            type: "session.redacted",
            payload: { status: "under_review", retention_status: "redacted", documents_removed: 3 },
          },
          ...s === alone ? [] : [{ type: "session.retention-expired", payload: { probe: s.id } }],
        ]);
        await assertErased(
          world,
          s.id,
          Object.values(s.pii),
          sessionBlobPrefix({ orgId: world.org.org_id, environment: "sandbox" }, s.id),
        );
      }
    });
  } finally {
    await world.close();
  }
});
