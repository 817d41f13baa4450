/**
 * Owns sandbox simulation and verification results through HTTP: every simulate action and
 * contract preset with its session status, result and outbox event; the result object, the
 * api_pii_fields filter and Key-Inflection; and the /api/v1/results list and single result.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import {
  type Body,
  call,
  createSession,
  sessionEvents,
  sessionEventTypes,
  setOrgSettings,
} from "../helpers/sessions.ts";

const SESSIONS = "/api/v1/sessions";

const EXTRACTED_DATA_KEYS = [
  "address",
  "date_of_birth",
  "document_expiration_date",
  "document_issuing_state",
  "document_number",
  "document_type",
  "first_name",
  "gender",
  "last_name",
  "nationality",
];

/** Whole years between a YYYY-MM-DD birth date and `now`. */
function ageOn(birthDate: string, now: Date): number {
  const [y, m, d] = birthDate.split("-").map(Number);
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age--;
  return age;
}

interface Expected {
  status: string;
  event: string | null;
  result: null | {
    status: string;
    face_match_score?: number | null;
    face_match_passed?: boolean | null;
    extracted_age?: number | null;
    age_check_passed?: boolean | null;
    rejection_reason?: RegExp;
    rejection_reason_code?: string;
  };
}

const FACE_MISMATCH = {
  status: "rejected",
  face_match_score: 0.21,
  face_match_passed: false,
  rejection_reason: /face/i,
  rejection_reason_code: "face_mismatch",
};

/** The contract's preset table and Verifa's simulate actions. */
const CASES: Record<string, Expected> = {
  approve: {
    status: "completed",
    event: "session.approved",
    result: {
      status: "approved",
      face_match_score: 0.95,
      face_match_passed: true,
      extracted_age: 28,
      age_check_passed: true,
    },
  },
  decline: { status: "completed", event: "session.declined", result: FACE_MISMATCH },
  "require-review": { status: "under_review", event: "session.requires-review", result: { status: "needs_review" } },
  expire: { status: "expired", event: "session.expired", result: null },
  reject: { status: "completed", event: "session.declined", result: FACE_MISMATCH },
  reject_face_mismatch: { status: "completed", event: "session.declined", result: FACE_MISMATCH },
  reject_document_expired: {
    status: "completed",
    event: "session.declined",
    result: { status: "rejected", rejection_reason: /expired/i, rejection_reason_code: "document_expired" },
  },
  reject_underage: {
    status: "completed",
    event: "session.declined",
    result: {
      status: "rejected",
      extracted_age: 16,
      age_check_passed: false,
      rejection_reason: /age/i,
      rejection_reason_code: "underage",
    },
  },
  needs_review: { status: "under_review", event: "session.requires-review", result: { status: "needs_review" } },
  needs_review_watchlist: {
    status: "under_review",
    event: "session.requires-review",
    result: { status: "needs_review" },
  },
  resubmission_required: {
    status: "completed",
    event: "session.resubmission-required",
    result: { status: "rejected", rejection_reason: /.+/, rejection_reason_code: "document_unreadable" },
  },
  processing_error: { status: "failed", event: null, result: null },
};

async function simulate(world: TestWorld, key: string, id: string, action: string) {
  return await call(world, "POST", `${SESSIONS}/${id}/simulate`, { key, body: { action } });
}

Deno.test("POST /api/v1/sessions/{id}/simulate", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    for (const [action, expected] of Object.entries(CASES)) {
      await t.step(`${action} → ${expected.status}, ${expected.result?.status ?? "no result"}`, async () => {
        const s = await createSession(world, key, { external_ref: `sim_${action}`, country: "CA" });
        const res = await simulate(world, key, s.id, action);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body, { id: s.id, action, status: expected.status, simulated: true });

        const got = await call(world, "GET", `${SESSIONS}/${s.id}`, { key });
        assert.equal(got.body.status, expected.status);
        assert.equal(got.body.capture_url, null, "a decided session still offers its capture URL");

        const types = await sessionEventTypes(world, s.id);
        // A review outcome also opens a case in its transaction (same timestamp, so compared unordered).
        const opensCase = expected.event === "session.requires-review" ? ["case.created"] : [];
        assert.deepEqual(
          types.sort(),
          [...(expected.event ? ["session.created", expected.event] : ["session.created"]), ...opensCase].sort(),
        );
        const events = await sessionEvents(world, s.id);
        assert.ok(!JSON.stringify(events).includes("Jane"), "an event payload carries PII");

        const result = await call(world, "GET", `${SESSIONS}/${s.id}/result`, { key });
        if (!expected.result) {
          assert.equal(result.status, 404);
          assert.equal(result.body.error, "not_found");
          return;
        }
        assert.equal(result.status, 200, JSON.stringify(result.body));
        const r = result.body;
        assert.equal(r.session_id, s.id);
        assert.equal(r.status, expected.result.status);
        for (const field of ["face_match_score", "face_match_passed", "extracted_age", "age_check_passed"] as const) {
          if (expected.result[field] !== undefined) assert.equal(r[field], expected.result[field], field);
        }
        if (expected.result.rejection_reason) {
          assert.match(r.rejection_reason, expected.result.rejection_reason);
          assert.equal(r.rejection_reason_code, expected.result.rejection_reason_code);
        } else {
          assert.equal(r.rejection_reason, null);
        }
        if (typeof r.extracted_age === "number" && r.extracted_data.date_of_birth) {
          assert.equal(ageOn(r.extracted_data.date_of_birth, world.clock.now()), r.extracted_age);
        }
      });
    }

    await t.step("approve and reject presets carry Jane Doe's California driver's licence", async () => {
      for (const action of ["approve", "reject_underage", "reject_document_expired"]) {
        const s = await createSession(world, key);
        await simulate(world, key, s.id, action);
        const { body: r } = await call(world, "GET", `${SESSIONS}/${s.id}/result`, { key });
        assert.equal(r.extracted_data.first_name, "Jane", action);
        assert.equal(r.extracted_data.last_name, "Doe");
        assert.equal(r.extracted_data.document_type, "drivers_license");
        assert.equal(r.extracted_data.document_issuing_state, "CA");
        const expires = r.extracted_data.document_expiration_date;
        const today = world.clock.now().toISOString().slice(0, 10);
        if (action === "reject_document_expired") assert.ok(expires < today, `${expires} is not in the past`);
        else assert.ok(expires > today, `${expires} is not in the future`);
      }
    });

    await t.step("needs_review_watchlist records a watchlist hit", async () => {
      const s = await createSession(world, key);
      await simulate(world, key, s.id, "needs_review_watchlist");
      const { body: r } = await call(world, "GET", `${SESSIONS}/${s.id}/result`, { key });
      assert.equal(r.check_results.watchlist_screening.status, "failed");
      const row = await world.db.selectFrom("session_results").select("risk_signals").where("session_id", "=", s.id)
        .executeTakeFirstOrThrow();
      assert.ok(JSON.stringify(row.risk_signals).includes("watchlist"), JSON.stringify(row.risk_signals));
    });

    await t.step("a decided session cannot be simulated again", async () => {
      for (const first of ["approve", "decline", "processing_error", "expire"]) {
        const s = await createSession(world, key);
        await simulate(world, key, s.id, first);
        const typesBefore = await sessionEventTypes(world, s.id);
        for (const second of ["approve", "decline", "expire"]) {
          const res = await simulate(world, key, s.id, second);
          assert.equal(res.status, 400, `${first} then ${second} gave ${res.status}`);
          assert.equal(res.body.error, "invalid_session_state");
        }
        assert.deepEqual(await sessionEventTypes(world, s.id), typesBefore);
        assert.equal((await call(world, "GET", `${SESSIONS}/${s.id}`, { key })).body.status, CASES[first].status);
      }
    });

    await t.step("a live key gets 403 and the live session is untouched", async () => {
      const live = await createSession(world, world.org.live_secret_key);
      const res = await simulate(world, world.org.live_secret_key, live.id, "approve");
      assert.equal(res.status, 403);
      assert.equal(res.body.status_code, 403);
      assert.equal(typeof res.body.error, "string");
      const got = await call(world, "GET", `${SESSIONS}/${live.id}`, { key: world.org.live_secret_key });
      assert.equal(got.body.status, "pending");
      assert.deepEqual(await sessionEventTypes(world, live.id), ["session.created"]);
    });

    await t.step("an unknown or missing action is 422", async () => {
      const s = await createSession(world, key);
      for (const body of [{ action: "teleport" }, { action: "" }, {}, { action: "approve", extra: 1 }]) {
        const res = await call(world, "POST", `${SESSIONS}/${s.id}/simulate`, { key, body });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(res.body.error, "validation_error");
      }
      assert.equal(typeof (await simulate(world, key, s.id, "teleport")).body.fields.action, "string");
      assert.equal((await call(world, "GET", `${SESSIONS}/${s.id}`, { key })).body.status, "pending");
      assert.deepEqual(await sessionEventTypes(world, s.id), ["session.created"]);
    });

    await t.step("an unknown session is 404", async () => {
      const res = await simulate(world, key, "ses_nope", "approve");
      assert.equal(res.status, 404);
      assert.equal(res.body.error, "not_found");
    });
  } finally {
    await world.close();
  }
});

Deno.test("GET /api/v1/sessions/{id}/result", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const result = (id: string, headers?: Record<string, string>) =>
    call(world, "GET", `${SESSIONS}/${id}/result`, { key, headers });
  try {
    const approved = await createSession(world, key, {
      external_ref: "res_1",
      country: "GB",
      metadata: { snake_key: 1, camelKey: 2, "kebab-key": 3 },
    });

    await t.step("404 before a decision", async () => {
      const res = await result(approved.id);
      assert.equal(res.status, 404);
      assert.equal(res.body.error, "not_found");
      assert.equal(res.body.status_code, 404);
      assert.equal((await call(world, "GET", `/api/v1/results/${approved.id}`, { key })).status, 404);
    });

    await t.step("after approve: every documented field", async () => {
      const before = world.clock.now();
      await simulate(world, key, approved.id, "approve");
      const res = await result(approved.id);
      assert.equal(res.status, 200);
      const r = res.body;
      assert.equal(r.session_id, approved.id);
      assert.equal(r.status, "approved");
      assert.equal(r.is_sandbox, true);
      assert.ok(new Date(r.created_at).getTime() >= before.getTime());
      assert.equal(r.face_match_passed, true);
      assert.equal(r.face_match_score, 0.95);
      assert.equal(r.age_check_passed, true);
      assert.equal(r.extracted_age, 28);
      assert.deepEqual(Object.keys(r.extracted_data).sort(), EXTRACTED_DATA_KEYS);
      assert.deepEqual(Object.keys(r.extracted_data.address).sort(), ["city", "line1", "line2", "state", "zip"]);
      assert.equal(r.extracted_data.first_name, "Jane");
      assert.equal(r.extracted_data.last_name, "Doe");
      assert.equal(r.extracted_data.document_type, "drivers_license");
      assert.equal(r.extracted_data.address.state, "CA");
      assert.match(r.extracted_data.date_of_birth, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(r.rejection_reason, null);
      assert.equal(typeof r.processing_mode, "string");
      assert.ok(r.processing_mode.length > 0);
      assert.equal(r.country_used, "GB");
      assert.equal(r.sensitive_data_expired, false);
      // The result is stored encrypted: no column of session_results holds the name.
      const row = await world.db.selectFrom("session_results").selectAll().where("session_id", "=", approved.id)
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes("Jane"));
    });

    await t.step("api_pii_fields filters extracted_data and leaves the non-PII fields", async () => {
      await setOrgSettings(world, world.org.org_id, { api_pii_fields: ["first_name", "document_type"] });
      try {
        const r = (await result(approved.id)).body;
        assert.deepEqual(r.extracted_data, { first_name: "Jane", document_type: "drivers_license" });
        assert.equal(r.face_match_passed, true);
        assert.equal(r.extracted_age, 28);
        const nested = (await call(world, "GET", `/api/v1/results/${approved.id}`, { key })).body;
        assert.deepEqual(nested.result.extracted_data, { first_name: "Jane", document_type: "drivers_license" });

        await setOrgSettings(world, world.org.org_id, { api_pii_fields: [] });
        assert.deepEqual((await result(approved.id)).body.extracted_data, {});
      } finally {
        await setOrgSettings(world, world.org.org_id, {});
      }
      assert.deepEqual(Object.keys((await result(approved.id)).body.extracted_data).sort(), EXTRACTED_DATA_KEYS);
    });

    await t.step("Key-Inflection camel and kebab re-case the result", async () => {
      const camel = await result(approved.id, { "Key-Inflection": "camel" });
      assert.equal(camel.status, 200);
      assert.equal(camel.body.sessionId, approved.id);
      assert.equal(camel.body.faceMatchPassed, true);
      assert.equal(camel.body.faceMatchScore, 0.95);
      assert.equal(camel.body.isSandbox, true);
      assert.equal(camel.body.sensitiveDataExpired, false);
      assert.equal(camel.body.extractedData.firstName, "Jane");
      assert.equal(camel.body.extractedData.documentIssuingState, "CA");
      assert.ok(!("face_match_passed" in camel.body));

      const kebab = await result(approved.id, { "Key-Inflection": "kebab" });
      assert.equal(kebab.body["session-id"], approved.id);
      assert.equal(kebab.body["face-match-passed"], true);
      assert.equal(kebab.body["extracted-data"]["first-name"], "Jane");
      assert.equal(kebab.body["country-used"], "GB");

      const snake = await result(approved.id, { "Key-Inflection": "snake" });
      assert.equal(snake.body.face_match_passed, true);
      const bad = await result(approved.id, { "Key-Inflection": "shouting" });
      assert.equal(bad.status, 400);
    });

    await t.step("Key-Inflection re-cases a session but never its metadata keys", async () => {
      const metadata = { snake_key: 1, camelKey: 2, "kebab-key": 3 };
      for (const inflection of ["camel", "kebab"]) {
        const res = await call(world, "GET", `${SESSIONS}/${approved.id}`, {
          key,
          headers: { "Key-Inflection": inflection },
        });
        assert.deepEqual(res.body.metadata, metadata, inflection);
        assert.equal(res.body[inflection === "camel" ? "externalRef" : "external-ref"], "res_1");
        assert.equal(res.body[inflection === "camel" ? "isSandbox" : "is-sandbox"], true);
      }
      const created = await call(world, "POST", SESSIONS, {
        key,
        body: { metadata: { inner_key: { deepKey: 1 } } },
        headers: { "Key-Inflection": "camel" },
      });
      assert.equal(created.status, 201);
      assert.ok(created.body.captureUrl.startsWith("http://verifa.test/verify/tok_"));
      assert.ok(created.body.qrCodeDataUrl.startsWith("data:image/png;base64,"));
      assert.deepEqual(created.body.metadata, { inner_key: { deepKey: 1 } });
    });
  } finally {
    await world.close();
  }
});

Deno.test("/api/v1/results", async (t) => {
  const world = await createTestWorld();
  const org = await world.provisionOrg("results-org");
  const key = org.sandbox_secret_key;
  const list = async (query = "") => {
    const res = await call(world, "GET", `/api/v1/results${query}`, { key });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const sessionIds = (page: Body) => page.data.map((r: Body) => r.session_id);
  try {
    const decided: Record<string, Body> = {};
    for (const action of ["approve", "decline", "require-review", "reject_underage"]) {
      decided[action] = await createSession(world, key, { external_ref: `ext_${action}` });
      await simulate(world, key, decided[action].id, action);
      world.clock.advance(60_000);
    }
    const undecided = await createSession(world, key);
    const failed = await createSession(world, key);
    await simulate(world, key, failed.id, "processing_error");
    const liveSession = await createSession(world, org.live_secret_key);
    // Live keys cannot simulate; a foreign org's sandbox result must not show up either.
    const foreign = await createSession(world, world.org.sandbox_secret_key);
    await simulate(world, world.org.sandbox_secret_key, foreign.id, "approve");

    await t.step("lists decided sessions only, newest first, without PII", async () => {
      const page = await list();
      assert.deepEqual(sessionIds(page), [
        decided.reject_underage.id,
        decided["require-review"].id,
        decided.decline.id,
        decided.approve.id,
      ]);
      assert.deepEqual(page.pagination, { total: 4, limit: 50, offset: 0 });
      for (const id of [undecided.id, failed.id, liveSession.id, foreign.id]) assert.ok(!sessionIds(page).includes(id));
      for (const item of page.data) {
        assert.ok(!("extracted_data" in item), "extracted_data in the list");
        assert.ok(!("result" in item && item.result?.extracted_data), "nested extracted_data in the list");
      }
      assert.ok(!JSON.stringify(page).includes("Jane"), "PII in the results list");
      assert.ok(!JSON.stringify(page).includes("date_of_birth"), "PII keys in the results list");
      const approve = page.data.find((r: Body) => r.session_id === decided.approve.id);
      assert.equal(approve.status, "approved");
      assert.equal(approve.external_ref, "ext_approve");
      assert.equal(approve.is_sandbox, true);
    });

    await t.step("status filter, including a comma-separated list", async () => {
      assert.deepEqual(sessionIds(await list("?status=approved")), [decided.approve.id]);
      const rejected = await list("?status=rejected");
      assert.deepEqual(new Set(sessionIds(rejected)), new Set([decided.decline.id, decided.reject_underage.id]));
      assert.equal(rejected.pagination.total, 2);
      assert.deepEqual(sessionIds(await list("?status=needs_review")), [decided["require-review"].id]);
      assert.equal((await list("?status=approved,needs_review")).pagination.total, 2);
      assert.equal((await call(world, "GET", "/api/v1/results?status=pending", { key })).status, 400);
    });

    await t.step("pagination with limit and offset", async () => {
      const all = sessionIds(await list());
      const first = await list("?limit=2");
      const second = await list("?limit=2&offset=2");
      assert.deepEqual(first.pagination, { total: 4, limit: 2, offset: 0 });
      assert.deepEqual(second.pagination, { total: 4, limit: 2, offset: 2 });
      assert.deepEqual([...sessionIds(first), ...sessionIds(second)], all);
      assert.equal((await call(world, "GET", "/api/v1/results?limit=101", { key })).status, 400);
      assert.equal((await call(world, "GET", "/api/v1/results?created_after=soon", { key })).status, 400);
    });

    await t.step("live results are separate from sandbox results", async () => {
      const live = await call(world, "GET", "/api/v1/results", { key: org.live_secret_key });
      assert.equal(live.status, 200);
      assert.deepEqual(live.body.data, []);
      assert.equal(live.body.pagination.total, 0);
    });

    await t.step("/results/{id} nests the outcome under result and adds external_ref", async () => {
      const res = await call(world, "GET", `/api/v1/results/${decided.reject_underage.id}`, { key });
      assert.equal(res.status, 200);
      const r = res.body;
      assert.equal(r.session_id, decided.reject_underage.id);
      assert.equal(r.external_ref, "ext_reject_underage");
      assert.equal(r.status, "rejected");
      assert.equal(r.is_sandbox, true);
      assert.equal(typeof r.created_at, "string");
      assert.equal(r.result.face_match_passed, true);
      assert.equal(r.result.age_check_passed, false);
      assert.equal(r.result.extracted_age, 16);
      assert.equal(r.result.extracted_data.first_name, "Jane");
      assert.equal(typeof r.result.face_match_score, "number");
      assert.match(r.rejection_reason, /age/i);
      assert.equal(typeof r.processing_mode, "string");
      assert.equal(r.sensitive_data_expired, false);
      assert.ok(!("extracted_data" in r), "extracted_data is duplicated at the top level");
      assert.ok(!("face_match_passed" in r), "face_match_passed is duplicated at the top level");

      const flat = (await call(world, "GET", `${SESSIONS}/${decided.reject_underage.id}/result`, { key })).body;
      assert.deepEqual(r.result.extracted_data, flat.extracted_data);
    });

    await t.step("/results/{id} is 404 for an undecided, unknown or foreign session", async () => {
      for (const id of [undecided.id, failed.id, "ses_unknown", foreign.id]) {
        const res = await call(world, "GET", `/api/v1/results/${id}`, { key });
        assert.equal(res.status, 404, id);
        assert.equal(res.body.error, "not_found");
      }
    });
  } finally {
    await world.close();
  }
});
