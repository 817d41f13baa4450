/**
 * Owns the capture steps a session's workflow and client shape, over HTTP: user-info fields
 * (prefill, validation, encryption), workflows without a selfie or limited to some document
 * types, client fraud signals scored by the risk endpoint, and the capture API's CORS and
 * caching headers.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession, insertWorkflow, sessionRow } from "../helpers/sessions.ts";
import {
  assertError,
  capture,
  captureDocuments,
  captureImages,
  expectOk,
  multipart,
  SESSIONS,
  snapshot,
  tokenOf,
  uploadSelfie,
} from "../helpers/capture.ts";
import { sessionFieldContext } from "../../core/sessions/service.ts";

Deno.test("workflow requirements: user-info fields and an optional selfie", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const orgId = world.org.org_id;
  const files = await captureImages();
  try {
    await t.step(
      "user_info_fields: prefill, capture_incomplete, 422 on a missing or extra key, then complete",
      async () => {
        await insertWorkflow(world, orgId, "sandbox", "wfl_userinfo", {
          document_types: ["passport", "drivers_license", "national_id", "residence_permit"],
          selfie: true,
          user_info_fields: ["first_name", "last_name", "date_of_birth"],
          proof_of_address: false,
        });
        const created = await createSession(world, key, {
          workflow_id: "wfl_userinfo",
          fields: { first_name: "Zebulon", last_name: "Quixotic", email: "zq@example.org" },
        });
        const token = tokenOf(created);
        const state = expectOk(await capture(world, token, "GET", "state"), "state");
        assert.deepEqual(state.user_info_fields, ["first_name", "last_name", "date_of_birth"]);
        // Only the workflow's fields are offered back, and only those the customer pre-filled.
        assert.deepEqual(state.prefill, { first_name: "Zebulon", last_name: "Quixotic" });
        assert.ok(state.steps_required.includes("user_info"));

        await captureDocuments(world, token, { documentType: "passport" });
        const before = await snapshot(world, created.id);
        const incomplete = assertError(await capture(world, token, "POST", "complete"), 400, "capture_incomplete");
        assert.match(incomplete.detail, /user_info/);
        assert.deepEqual(incomplete.fields, { user_info: "is required" });

        const missing = assertError(
          await capture(world, token, "POST", "fields", { first_name: "Zebulon", last_name: "Quixotic" }),
          422,
          "validation_error",
        );
        assert.deepEqual(Object.keys(missing.fields), ["date_of_birth"]);
        const extra = assertError(
          await capture(world, token, "POST", "fields", {
            first_name: "Zebulon",
            last_name: "Quixotic",
            date_of_birth: "1990-02-03",
            email: "zq@example.org",
          }),
          422,
          "validation_error",
        );
        assert.deepEqual(Object.keys(extra.fields), ["email"]);
        const invalid = assertError(
          await capture(world, token, "POST", "fields", {
            first_name: "Zebulon",
            last_name: "Quixotic",
            date_of_birth: "1990-02-30",
          }),
          422,
          "validation_error",
        );
        assert.deepEqual(Object.keys(invalid.fields), ["date_of_birth"]);
        assert.deepEqual(await snapshot(world, created.id), before);

        // camelCase keys are accepted, as on every JSON endpoint.
        const saved = expectOk(
          await capture(world, token, "POST", "fields", {
            firstName: "Zebulon",
            lastName: "Quixotic",
            dateOfBirth: "1990-02-03",
          }),
          "fields",
        );
        assert.ok(saved.steps_completed.includes("user_info"));
        const row = await sessionRow(world, created.id);
        assert.ok(row.user_fields_enc && !row.user_fields_enc.includes("Zebulon"));
        assert.deepEqual(
          world.deps.keyRing.decryptJson(row.user_fields_enc, sessionFieldContext(created.id, "user_fields_enc")),
          { first_name: "Zebulon", last_name: "Quixotic", date_of_birth: "1990-02-03" },
        );
        assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
      },
    );

    await t.step("fields on a workflow without user info is step_out_of_order", async () => {
      const token = tokenOf(await createSession(world, key));
      expectOk(await capture(world, token, "POST", "consent", { consent_version: "v1", accepted: true }), "consent");
      assertError(await capture(world, token, "POST", "fields", { first_name: "Ann" }), 400, "step_out_of_order");
    });

    await t.step("selfie: false — a selfie upload is step_out_of_order and complete works without it", async () => {
      await insertWorkflow(world, orgId, "sandbox", "wfl_noselfie", {
        document_types: ["passport", "drivers_license", "national_id", "residence_permit"],
        selfie: false,
        user_info_fields: [],
        proof_of_address: false,
      });
      const created = await createSession(world, key, { workflow_id: "wfl_noselfie" });
      const token = tokenOf(created);
      const state = await captureDocuments(world, token, { selfie: false });
      assert.equal(state.selfie_required, false);
      assert.deepEqual(state.steps_required, ["consent", "document_type", "document_front", "document_back"]);
      assert.deepEqual(state.missing_steps, []);
      const before = await snapshot(world, created.id);
      assertError(await uploadSelfie(world, token, files.selfie), 400, "step_out_of_order", /selfie/);
      assert.deepEqual(await snapshot(world, created.id), before);
      assert.equal(expectOk(await capture(world, token, "POST", "complete"), "complete").status, "sandbox_pending");
    });

    await t.step("a workflow limited to passports refuses other document types", async () => {
      await insertWorkflow(world, orgId, "sandbox", "wfl_passport", {
        document_types: ["passport"],
        selfie: true,
        user_info_fields: [],
        proof_of_address: false,
      });
      const token = tokenOf(await createSession(world, key, { workflow_id: "wfl_passport" }));
      expectOk(await capture(world, token, "POST", "consent", { consent_version: "v1", accepted: true }), "consent");
      assert.deepEqual(
        expectOk(await capture(world, token, "GET", "state"), "state").allowed_document_types,
        ["passport"],
      );
      const res = assertError(
        await capture(world, token, "POST", "document-type", { document_type: "national_id", country: "FR" }),
        422,
        "validation_error",
      );
      assert.deepEqual(Object.keys(res.fields), ["document_type"]);
    });
  } finally {
    await world.close();
  }
});

Deno.test("client signals and GET /api/v1/sessions/{id}/risk", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const riskAfter = async (signals: Body) => {
    const created = await createSession(world, key);
    const token = tokenOf(created);
    expectOk(await capture(world, token, "POST", "consent", { consent_version: "v1", accepted: true }), "consent");
    const res = expectOk(await capture(world, token, "POST", "signals", signals), "signals");
    assert.deepEqual(res.accepted.sort(), Object.keys(signals).sort());
    const risk = await call(world, "GET", `${SESSIONS}/${created.id}/risk`, { key });
    assert.equal(risk.status, 200, JSON.stringify(risk.body));
    assert.equal(risk.body.session_id, created.id);
    return risk.body;
  };
  const names = (risk: Body) => risk.signals.map((s: Body) => s.signal).sort();
  try {
    await t.step("fast completion under WebDriver: both signals, score 60, high", async () => {
      const risk = await riskAfter({ behavioral: { completion_seconds: 5 }, device: { webdriver: true } });
      assert.deepEqual(names(risk), ["completion_too_fast", "webdriver_evasion_detected"]);
      const byName = Object.fromEntries(risk.signals.map((s: Body) => [s.signal, s]));
      assert.equal(byName.completion_too_fast.weight, 20);
      assert.equal(byName.completion_too_fast.category, "behavioral");
      assert.equal(byName.webdriver_evasion_detected.weight, 40);
      assert.equal(byName.webdriver_evasion_detected.category, "device");
      assert.equal(risk.risk_score, 60);
      assert.equal(risk.risk_level, "high");
      assert.deepEqual(risk.client_signals.behavioral, { completion_seconds: 5 });
      assert.deepEqual(risk.client_signals.device, { webdriver: true });
    });

    await t.step("the bands: 0 and 20 low, 50 medium, 100 critical", async () => {
      const none = await riskAfter({ behavioral: { completion_seconds: 120 } });
      assert.deepEqual([none.risk_score, none.risk_level, none.signals], [0, "low", []]);
      const twenty = await riskAfter({ behavioral: { completion_seconds: 14 } });
      assert.deepEqual([twenty.risk_score, twenty.risk_level], [20, "low"]);
      const fifty = await riskAfter({ behavioral: { completion_seconds: 3 }, device: { devtools_open: true } });
      assert.deepEqual([fifty.risk_score, fifty.risk_level], [50, "medium"]);
      const hundred = await riskAfter({
        device: { webdriver: true, devtools_open: true },
        network: { tor: true },
      });
      assert.deepEqual([hundred.risk_score, hundred.risk_level], [100, "critical"]);
    });

    await t.step("bot_detected and virtual_camera are hard blocks: critical whatever the score", async () => {
      for (const flag of ["bot_detected", "virtual_camera"]) {
        const risk = await riskAfter({ device: { [flag]: true } });
        assert.equal(risk.risk_score, 50, flag);
        assert.equal(risk.risk_level, "critical", flag);
      }
    });

    await t.step("a later submission replaces its category only", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      expectOk(await capture(world, token, "POST", "consent", { consent_version: "v1", accepted: true }), "consent");
      await capture(world, token, "POST", "signals", {
        behavioral: { completion_seconds: 5 },
        device: { webdriver: true },
      });
      await capture(world, token, "POST", "signals", { device: { webdriver: false } });
      const risk = (await call(world, "GET", `${SESSIONS}/${created.id}/risk`, { key })).body;
      assert.deepEqual(names(risk), ["completion_too_fast"]);
      assert.deepEqual([risk.risk_score, risk.risk_level], [20, "low"]);
    });

    await t.step("unknown signal categories are 422 and signals need consent", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      assertError(
        await capture(world, token, "POST", "signals", { device: { webdriver: true } }),
        400,
        "consent_required",
      );
      expectOk(await capture(world, token, "POST", "consent", { consent_version: "v1", accepted: true }), "consent");
      const before = await snapshot(world, created.id);
      assertError(await capture(world, token, "POST", "signals", { telepathy: { level: 9 } }), 422, "validation_error");
      assert.deepEqual(await snapshot(world, created.id), before);
    });
  } finally {
    await world.close();
  }
});

Deno.test("capture API headers: CORS for any origin, never cached", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const files = await captureImages();
  try {
    const token = tokenOf(await createSession(world, key));
    await t.step("OPTIONS preflight on …/consent allows the calling origin", async () => {
      const res = await world.request("OPTIONS", `/verify/${token}/consent`, {
        headers: {
          Origin: "https://customer.example",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type",
        },
      });
      await res.body?.cancel();
      assert.ok(res.status === 204 || res.status === 200, `preflight status ${res.status}`);
      assert.equal(res.headers.get("access-control-allow-origin"), "https://customer.example");
      assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/);
      assert.match(res.headers.get("access-control-allow-headers") ?? "", /content-type/i);
    });

    await t.step("every capture response carries the CORS origin and Cache-Control: no-store", async () => {
      const origin = { Origin: "https://customer.example" };
      const consentBody = { consent_version: "v1", accepted: true };
      const typeBody = { document_type: "passport", country: "US" };
      const replies = [
        await capture(world, token, "GET", "state", undefined, origin),
        await capture(world, token, "POST", "consent", consentBody, origin),
        await capture(world, token, "POST", "document-type", typeBody, origin),
        await call(world, "POST", `/verify/${token}/documents`, {
          body: multipart(files.front, { side: "front" }),
          headers: origin,
        }),
        await capture(world, token, "POST", "signals", { device: { incognito: true } }, origin),
      ];
      replies.push(await capture(world, token, "POST", "complete", undefined, origin));
      for (const [i, res] of replies.entries()) {
        assert.equal(res.status, i === 5 ? 400 : 200, JSON.stringify(res.body));
        assert.equal(res.headers.get("access-control-allow-origin"), "https://customer.example", `reply ${i}`);
        if (res.status === 200) assert.equal(res.headers.get("cache-control"), "no-store", `reply ${i}`);
        assert.ok(res.headers.get("x-request-id"));
      }
      expectOk(await uploadSelfie(world, token, files.selfie), "selfie");
      const done = await capture(world, token, "POST", "complete");
      assert.equal(done.headers.get("cache-control"), "no-store");
      const outcome = await capture(world, token, "POST", "sandbox-outcome", { outcome: "approve" });
      assert.equal(outcome.status, 200);
      assert.equal(outcome.headers.get("cache-control"), "no-store");
    });
  } finally {
    await world.close();
  }
});
