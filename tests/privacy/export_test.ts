/**
 * Owns the session data-subject export through HTTP (issue #9): decrypted personal data under the
 * `api_pii_fields` allowlist, documents with 24-hour download links that work, case notes oldest first,
 * deliveries, the sensitive-data window, scopes and tenants.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, setOrgSettings } from "../helpers/sessions.ts";
import { assertError, captureDocuments, consentFrom, tokenOf } from "../helpers/capture.ts";
import { mintKey } from "../helpers/cases.ts";

const SESSIONS = "/api/v1/sessions";

Deno.test("the session export hands over the person's data whole", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    const created = await call(world, "POST", SESSIONS, {
      key,
      body: { fields: { first_name: "Ottilie", document_number: "OX551203" }, applicant_email: "ottilie@example.org" },
    });
    const id = created.body.id as string;
    const token = tokenOf(created.body);
    await consentFrom(world, token, "198.51.100.23", "ExportProbe/1.0");
    await captureDocuments(world, token);
    await call(world, "POST", `${SESSIONS}/${id}/simulate`, { key, body: { action: "require-review" } });
    const caseId = (await call(world, "GET", `${SESSIONS}/${id}`, { key })).body.case_id;
    const reviewer = await mintKey(world, ["cases:read", "cases:write", "cases:decide"]);
    for (const text of ["first note", "second note"]) {
      await call(world, "POST", `/api/v1/cases/${caseId}/notes`, { key: reviewer, body: { text } });
    }
    await setOrgSettings(world, world.org.org_id, { api_pii_fields: ["first_name"] });
    const reader = await mintKey(world, ["sessions:read"]);

    await t.step("everything the notes list, decrypted, with the api_pii_fields allowlist applied", async () => {
      const res = await call(world, "GET", `${SESSIONS}/${id}/export`, { key: reader });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body;
      for (
        const part of [
          "session",
          "result",
          "documents",
          "screening",
          "review_case",
          "case_notes",
          "fraud_signals",
          "webhook_deliveries",
          "workflow_run",
        ]
      ) assert.ok(part in body, part);
      assert.equal(body.sensitive_data_expired, false);
      assert.deepEqual(body.session.fields, { first_name: "Ottilie", document_number: "OX551203" });
      assert.equal(body.session.applicant_email, "ottilie@example.org");
      assert.equal(body.session.consent_ip, "198.51.100.23");
      assert.equal(body.session.consent_user_agent, "ExportProbe/1.0");
      assert.equal(body.session.capture_url, undefined, "no live capture link in an export");
      // Like the result endpoint, the export follows the allowlist…
      assert.deepEqual(Object.keys(body.result.extracted_data), ["first_name"]);
      const filtered = await call(world, "GET", `${SESSIONS}/${id}/result`, { key });
      assert.deepEqual(Object.keys(filtered.body.extracted_data), ["first_name"]);
      // …and without one, everything is exported.
      await setOrgSettings(world, world.org.org_id, { api_pii_fields: null });
      const whole = await call(world, "GET", `${SESSIONS}/${id}/export`, { key: reader });
      assert.ok(Object.keys(whole.body.result.extracted_data).length > 1);
      await setOrgSettings(world, world.org.org_id, { api_pii_fields: ["first_name"] });
      assert.deepEqual(body.case_notes.map((n: { text: string }) => n.text), ["first note", "second note"]);
      assert.equal(body.review_case.id, caseId);
      assert.ok(Array.isArray(body.screening.watchlist_hits));
      assert.ok(typeof body.fraud_signals.risk_level === "string");
    });

    await t.step("documents carry download links valid for 24 hours", async () => {
      const body = (await call(world, "GET", `${SESSIONS}/${id}/export`, { key: reader })).body;
      assert.equal(body.documents.length, 3);
      const now = Math.floor(world.clock.now().getTime() / 1000);
      for (const doc of body.documents) {
        const url = new URL(doc.download_url);
        const expires = Number(url.searchParams.get("expires"));
        assert.ok(Math.abs(expires - (now + 86_400)) <= 5, `expires ${expires} vs ${now + 86_400}`);
        assert.equal(doc.expires_in, 86_400);
      }
      const path = new URL(body.documents[0].download_url);
      world.clock.advance(23 * 3600_000);
      const fetched = await world.request("GET", path.pathname + path.search);
      assert.equal(fetched.status, 200);
      assert.ok((await fetched.arrayBuffer()).byteLength > 0);
      world.clock.advance(2 * 3600_000);
      const late = await world.request("GET", path.pathname + path.search);
      assert.equal(late.status, 403);
      await late.body?.cancel();
    });

    await t.step("an export is recorded in the audit log", async () => {
      const rows = await world.db.selectFrom("audit_log").selectAll()
        .where("action", "=", "api.session.export").execute();
      // Three exports so far (with and without the allowlist, then the documents step): one row each.
      assert.equal(rows.length, 3, "one row per export, none recorded twice");
    });

    await t.step("scope and tenant: sessions:read needed, another org's session is a 404", async () => {
      const noRead = await mintKey(world, ["verifications:read"]);
      assertError(await call(world, "GET", `${SESSIONS}/${id}/export`, { key: noRead }), 403, "insufficient_scope");
      const other = await world.provisionOrg("export-other");
      assertError(
        await call(world, "GET", `${SESSIONS}/${id}/export`, { key: other.sandbox_secret_key }),
        404,
        "not_found",
      );
      assertError(
        await call(world, "GET", `${SESSIONS}/${id}/export`, { key: world.org.live_secret_key }),
        404,
        "not_found",
      );
    });

    await t.step("past the sensitive-data window the export holds no personal data or documents", async () => {
      await setOrgSettings(world, world.org.org_id, { api_pii_fields: null, sensitive_data_retention_days: 1 });
      // The window runs from the outcome; the case is still open, so the session is given one.
      await world.db.updateTable("sessions").set({ completed_at: world.clock.now() }).where("id", "=", id).execute();
      world.clock.advance(2 * 86_400_000);
      const body = (await call(world, "GET", `${SESSIONS}/${id}/export`, { key: reader })).body;
      assert.equal(body.sensitive_data_expired, true);
      assert.deepEqual(body.documents, []);
      assert.equal(body.session.fields, null);
      assert.equal(body.session.consent_ip, null);
      assert.deepEqual(body.result.extracted_data, {});
      assert.equal(body.result.sensitive_data_expired, true);
      assert.equal((await call(world, "GET", `${SESSIONS}/${id}/documents`, { key })).status, 410);
    });
  } finally {
    await world.close();
  }
});
