/**
 * Owns the organisation settings API tests (`/api/v1/settings`): the resolved defaults, merge-patch
 * of every field, resets, strict validation (nothing changes on a 422), scopes, tenant isolation,
 * request casing, concurrent patches, and risk_signal_actions as the risk endpoint scores it.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { assertError, capture, expectOk, SESSIONS, tokenOf } from "../helpers/capture.ts";
import { API_PII_FIELDS, RISK_SIGNAL_NAMES } from "../../core/orgs/settings_service.ts";
import { clientRiskSignals, HARD_BLOCK_SIGNALS } from "../../core/risk/assessment.ts";
import { VERIFICATION_SIGNALS, verificationSignals } from "../../core/verification/checks/risk_assessment.ts";
import type { CheckDecision } from "../../core/verification/check.ts";

const SETTINGS = "/api/v1/settings";

/** Every known signal at its default action: block for the hard-block signals, flag for the rest. */
const DEFAULT_ACTIONS = Object.fromEntries(
  RISK_SIGNAL_NAMES.map((signal) => [signal, HARD_BLOCK_SIGNALS.has(signal) ? "block" : "flag"]),
);

const DEFAULT_SETTINGS = {
  capture_token_ttl_minutes: 20,
  image_url_expiry_seconds: 300,
  api_pii_fields: null,
  data_retention_days: null,
  sensitive_data_retention_days: null,
  auto_redact_on_retention_expiry: false,
  risk_signal_actions: DEFAULT_ACTIONS,
  dual_review: false,
};

function getSettings(world: TestWorld, key: string) {
  return call(world, "GET", SETTINGS, { key });
}

function patchSettings(world: TestWorld, key: string, body: unknown, headers?: Record<string, string>) {
  return call(world, "PATCH", SETTINGS, { key, body, headers });
}

/** The organisation row as stored: what a refused request must leave exactly as it was. */
async function orgRow(world: TestWorld, orgId: string) {
  return await world.db.selectFrom("organizations").select(["settings", "updated_at"]).where("id", "=", orgId)
    .executeTakeFirstOrThrow();
}

async function mintKey(world: TestWorld, scopes: string[]): Promise<string> {
  const res = await call(world, "POST", "/api/v1/api-keys", { key: world.org.sandbox_secret_key, body: { scopes } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.secret;
}

Deno.test("GET and PATCH /api/v1/settings", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const orgId = world.org.org_id;
  const reset = () =>
    world.db.updateTable("organizations").set({ settings: JSON.stringify({}) }).where("id", "=", orgId).execute();
  try {
    await t.step("a fresh organisation reads the defaults, every signal with its default action", async () => {
      const res = expectOk(await getSettings(world, key), "get");
      assert.deepEqual(res, DEFAULT_SETTINGS);
      assert.equal(res.risk_signal_actions.virtual_camera, "block");
      assert.equal(res.risk_signal_actions.vpn_detected, "flag");
      assert.equal(res.risk_signal_actions.watchlist_hit, "flag");
    });

    await t.step("each field patched alone changes only that field, and reads back", async () => {
      const changes: Body = {
        capture_token_ttl_minutes: 45,
        image_url_expiry_seconds: 900,
        api_pii_fields: ["first_name", "document_type"],
        data_retention_days: 365,
        sensitive_data_retention_days: 30,
        auto_redact_on_retention_expiry: true,
      };
      let expected: Body = { ...DEFAULT_SETTINGS };
      for (const [field, value] of Object.entries(changes)) {
        expected = { ...expected, [field]: value };
        assert.deepEqual(expectOk(await patchSettings(world, key, { [field]: value }), field), expected, field);
        assert.deepEqual(expectOk(await getSettings(world, key), field), expected, field);
      }
      // Only overrides are stored, so a default changed in code reaches every org that never set it.
      assert.deepEqual((await orgRow(world, orgId)).settings, changes);
      await reset();
    });

    await t.step("the limits themselves are accepted", async () => {
      for (
        const body of [
          { capture_token_ttl_minutes: 5, image_url_expiry_seconds: 60, data_retention_days: 1 },
          { capture_token_ttl_minutes: 1440, image_url_expiry_seconds: 86400, data_retention_days: 3650 },
          { sensitive_data_retention_days: 3650, data_retention_days: 3650 },
          { api_pii_fields: [] },
          { api_pii_fields: [...API_PII_FIELDS] },
          { risk_signal_actions: {} },
        ]
      ) {
        const res = expectOk(await patchSettings(world, key, body), JSON.stringify(body));
        for (const [field, value] of Object.entries(body)) {
          if (field !== "risk_signal_actions") assert.deepEqual(res[field], value, field);
        }
      }
      await reset();
    });

    await t.step("api_pii_fields listing a field twice keeps it once", async () => {
      const res = expectOk(await patchSettings(world, key, { api_pii_fields: ["ssn", "ssn", "gender"] }), "pii");
      assert.deepEqual(res.api_pii_fields, ["ssn", "gender"]);
      await reset();
    });

    await t.step("null resets a setting to its default and drops the stored override", async () => {
      expectOk(
        await patchSettings(world, key, {
          capture_token_ttl_minutes: 30,
          api_pii_fields: ["first_name"],
          data_retention_days: 90,
          sensitive_data_retention_days: 10,
          auto_redact_on_retention_expiry: true,
        }),
        "set",
      );
      const res = expectOk(
        await patchSettings(world, key, {
          api_pii_fields: null,
          sensitive_data_retention_days: null,
          capture_token_ttl_minutes: null,
        }),
        "reset",
      );
      assert.deepEqual(res, {
        ...DEFAULT_SETTINGS,
        data_retention_days: 90,
        auto_redact_on_retention_expiry: true,
      });
      assert.deepEqual((await orgRow(world, orgId)).settings, {
        data_retention_days: 90,
        auto_redact_on_retention_expiry: true,
      });
      await reset();
    });

    await t.step("an empty patch changes nothing and answers the settings", async () => {
      expectOk(await patchSettings(world, key, { image_url_expiry_seconds: 120 }), "set");
      const res = expectOk(await patchSettings(world, key, {}), "empty");
      assert.equal(res.image_url_expiry_seconds, 120);
      await reset();
    });

    await t.step("risk_signal_actions merges by signal; null resets one signal or all", async () => {
      expectOk(await patchSettings(world, key, { risk_signal_actions: { virtual_camera: "ignore" } }), "one");
      let res = expectOk(
        await patchSettings(world, key, { risk_signal_actions: { vpn_detected: "block", watchlist_hit: "ignore" } }),
        "two",
      );
      assert.deepEqual(res.risk_signal_actions, {
        ...DEFAULT_ACTIONS,
        virtual_camera: "ignore",
        vpn_detected: "block",
        watchlist_hit: "ignore",
      });
      res = expectOk(await patchSettings(world, key, { risk_signal_actions: { virtual_camera: null } }), "unset");
      assert.equal(res.risk_signal_actions.virtual_camera, "block");
      assert.deepEqual((await orgRow(world, orgId)).settings, {
        risk_signal_actions: { vpn_detected: "block", watchlist_hit: "ignore" },
      });
      res = expectOk(await patchSettings(world, key, { risk_signal_actions: null }), "reset all");
      assert.deepEqual(res.risk_signal_actions, DEFAULT_ACTIONS);
      assert.deepEqual((await orgRow(world, orgId)).settings, {});
    });

    await t.step("every invalid value is a 422 naming the field, and nothing changes", async () => {
      expectOk(await patchSettings(world, key, { data_retention_days: 100, capture_token_ttl_minutes: 25 }), "set");
      const before = await orgRow(world, orgId);
      const cases: [Body | unknown, string][] = [
        [{ capture_token_ttl_minutes: 4 }, "capture_token_ttl_minutes"],
        [{ capture_token_ttl_minutes: 1441 }, "capture_token_ttl_minutes"],
        [{ capture_token_ttl_minutes: 10.5 }, "capture_token_ttl_minutes"],
        [{ capture_token_ttl_minutes: "30" }, "capture_token_ttl_minutes"],
        [{ capture_token_ttl_minutes: true }, "capture_token_ttl_minutes"],
        [{ image_url_expiry_seconds: 59 }, "image_url_expiry_seconds"],
        [{ image_url_expiry_seconds: 86401 }, "image_url_expiry_seconds"],
        [{ image_url_expiry_seconds: 300.5 }, "image_url_expiry_seconds"],
        [{ api_pii_fields: ["first_name", "email"] }, "api_pii_fields.1"],
        [{ api_pii_fields: "first_name" }, "api_pii_fields"],
        [{ api_pii_fields: [1] }, "api_pii_fields.0"],
        [{ api_pii_fields: { first_name: true } }, "api_pii_fields"],
        [{ data_retention_days: 0 }, "data_retention_days"],
        [{ data_retention_days: 3651 }, "data_retention_days"],
        [{ data_retention_days: 1.5 }, "data_retention_days"],
        [{ data_retention_days: "30" }, "data_retention_days"],
        [{ sensitive_data_retention_days: -1 }, "sensitive_data_retention_days"],
        [{ sensitive_data_retention_days: 3651 }, "sensitive_data_retention_days"],
        [{ auto_redact_on_retention_expiry: "true" }, "auto_redact_on_retention_expiry"],
        [{ auto_redact_on_retention_expiry: 1 }, "auto_redact_on_retention_expiry"],
        [{ risk_signal_actions: { telepathy: "block" } }, "risk_signal_actions.telepathy"],
        // Signal names are identifiers: they are never re-cased.
        [{ risk_signal_actions: { virtualCamera: "ignore" } }, "risk_signal_actions.virtualCamera"],
        [{ risk_signal_actions: { virtual_camera: "allow" } }, "risk_signal_actions.virtual_camera"],
        [{ risk_signal_actions: { virtual_camera: true } }, "risk_signal_actions.virtual_camera"],
        [{ risk_signal_actions: ["virtual_camera"] }, "risk_signal_actions"],
        [{ risk_signal_actions: "ignore" }, "risk_signal_actions"],
        [{ colour: "blue" }, "colour"],
        // The sensitive window cannot outlast full deletion: checked against the stored 100 days too.
        [{ sensitive_data_retention_days: 101 }, "sensitive_data_retention_days"],
        [{ data_retention_days: 10, sensitive_data_retention_days: 20 }, "sensitive_data_retention_days"],
        // A valid field beside an invalid one is not applied either.
        [{ image_url_expiry_seconds: 600, capture_token_ttl_minutes: 0 }, "capture_token_ttl_minutes"],
        [[], ""],
      ];
      for (const [body, field] of cases) {
        const error = assertError(await patchSettings(world, key, body), 422, "validation_error");
        assert.ok(field in error.fields, `${JSON.stringify(body)}: ${JSON.stringify(error.fields)}`);
        assert.deepEqual(await orgRow(world, orgId), before, JSON.stringify(body));
      }
      const unknown = assertError(await patchSettings(world, key, { colour: "blue" }), 422, "validation_error");
      assert.deepEqual(unknown.fields, { colour: "is not a recognised field" });
      const range = assertError(
        await patchSettings(world, key, { image_url_expiry_seconds: 5 }),
        422,
        "validation_error",
      );
      assert.deepEqual(range.fields, { image_url_expiry_seconds: "must be an integer from 60 to 86400" });
      const signal = assertError(
        await patchSettings(world, key, { risk_signal_actions: { telepathy: "block" } }),
        422,
        "validation_error",
      );
      assert.deepEqual(signal.fields, { "risk_signal_actions.telepathy": "is not a known risk signal" });
      assert.deepEqual(await orgRow(world, orgId), before);
    });

    await t.step("lowering data retention below the stored sensitive window names data_retention_days", async () => {
      expectOk(await patchSettings(world, key, { data_retention_days: 100, sensitive_data_retention_days: 50 }), "set");
      const before = await orgRow(world, orgId);
      const error = assertError(await patchSettings(world, key, { data_retention_days: 40 }), 422, "validation_error");
      assert.deepEqual(error.fields, { data_retention_days: "must be at least sensitive_data_retention_days (50)" });
      assert.deepEqual(await orgRow(world, orgId), before);
      // Clearing full deletion (keep forever) leaves any sensitive window valid.
      const res = expectOk(await patchSettings(world, key, { data_retention_days: null }), "clear");
      assert.deepEqual([res.data_retention_days, res.sensitive_data_retention_days], [null, 50]);
      await reset();
    });

    await t.step("bad bodies: malformed JSON is 400, a non-JSON type 415", async () => {
      const before = await orgRow(world, orgId);
      assertError(
        await call(world, "PATCH", SETTINGS, { key, body: "{", headers: { "Content-Type": "application/json" } }),
        400,
        "invalid_json",
      );
      assertError(
        await call(world, "PATCH", SETTINGS, {
          key,
          body: "capture_token_ttl_minutes=30",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        }),
        415,
        "unsupported_media_type",
      );
      assert.deepEqual(await orgRow(world, orgId), before);
    });

    await t.step("camelCase and kebab-case field names are accepted; responses follow Key-Inflection", async () => {
      const res = expectOk(
        await patchSettings(world, key, {
          captureTokenTtlMinutes: 30,
          "image-url-expiry-seconds": 120,
          apiPiiFields: ["last_name"],
          riskSignalActions: { vpn_detected: "block" },
        }),
        "camel",
      );
      assert.equal(res.capture_token_ttl_minutes, 30);
      assert.equal(res.image_url_expiry_seconds, 120);
      assert.deepEqual(res.api_pii_fields, ["last_name"]);
      assert.equal(res.risk_signal_actions.vpn_detected, "block");
      const camel = await call(world, "GET", SETTINGS, { key, headers: { "Key-Inflection": "camel" } });
      assert.equal(camel.status, 200);
      assert.equal(camel.body.captureTokenTtlMinutes, 30);
      // Signal names are keys of data, not field names: never re-cased.
      assert.equal(camel.body.riskSignalActions.vpn_detected, "block");
      assert.equal(camel.body.riskSignalActions.vpnDetected, undefined);
      await reset();
    });

    await t.step("PATCH is idempotent by nature: the same patch twice gives the same settings", async () => {
      const headers = { "Idempotency-Key": "settings-patch-1" };
      const first = expectOk(await patchSettings(world, key, { image_url_expiry_seconds: 600 }, headers), "first");
      const second = expectOk(await patchSettings(world, key, { image_url_expiry_seconds: 600 }, headers), "second");
      assert.deepEqual(second, first);
      await reset();
    });

    await t.step("concurrent patches of different fields all survive (the row is locked)", async () => {
      const patches: Body[] = [
        { capture_token_ttl_minutes: 33 },
        { image_url_expiry_seconds: 333 },
        { api_pii_fields: ["nationality"] },
        { data_retention_days: 333 },
        { sensitive_data_retention_days: 33 },
        { auto_redact_on_retention_expiry: true },
        { risk_signal_actions: { tor_detected: "block" } },
        { risk_signal_actions: { incognito_detected: "ignore" } },
      ];
      const replies = await Promise.all(patches.map((body) => patchSettings(world, key, body)));
      for (const reply of replies) expectOk(reply, "concurrent");
      assert.deepEqual((await orgRow(world, orgId)).settings, {
        capture_token_ttl_minutes: 33,
        image_url_expiry_seconds: 333,
        api_pii_fields: ["nationality"],
        data_retention_days: 333,
        sensitive_data_retention_days: 33,
        auto_redact_on_retention_expiry: true,
        risk_signal_actions: { tor_detected: "block", incognito_detected: "ignore" },
      });
      await reset();
    });

    await t.step("settings are org-wide: a live key reads what a sandbox key wrote", async () => {
      expectOk(await patchSettings(world, key, { capture_token_ttl_minutes: 60 }), "sandbox");
      const live = expectOk(await getSettings(world, world.org.live_secret_key), "live");
      assert.equal(live.capture_token_ttl_minutes, 60);
      await reset();
    });

    await t.step("another organisation's settings are untouched", async () => {
      const other = await world.provisionOrg("other-org");
      expectOk(await patchSettings(world, other.sandbox_secret_key, { image_url_expiry_seconds: 3600 }), "other");
      expectOk(await patchSettings(world, key, { capture_token_ttl_minutes: 90, data_retention_days: 7 }), "mine");
      const theirs = expectOk(await getSettings(world, other.live_secret_key), "theirs");
      assert.deepEqual(theirs, { ...DEFAULT_SETTINGS, image_url_expiry_seconds: 3600 });
      assert.deepEqual((await orgRow(world, other.org_id)).settings, { image_url_expiry_seconds: 3600 });
      await reset();
    });
  } finally {
    await world.close();
  }
});

Deno.test("settings scopes", async (t) => {
  const world = await createTestWorld();
  const orgId = world.org.org_id;
  try {
    const readOnly = await mintKey(world, ["settings:read"]);
    const writer = await mintKey(world, ["settings:write"]);
    const defaults = await mintKey(world, ["sessions:read", "sessions:create"]);
    const legacy = await mintKey(world, ["documents:write"]);

    await t.step("without a key: 401", async () => {
      assertError(await call(world, "GET", SETTINGS), 401, "unauthorized");
      assertError(
        await call(world, "PATCH", SETTINGS, { body: { capture_token_ttl_minutes: 30 } }),
        401,
        "unauthorized",
      );
    });

    await t.step("settings:read reads but cannot write: 403 insufficient_scope, nothing changed", async () => {
      expectOk(await getSettings(world, readOnly), "read");
      const before = await orgRow(world, orgId);
      const error = assertError(
        await patchSettings(world, readOnly, { capture_token_ttl_minutes: 30 }),
        403,
        "insufficient_scope",
      );
      assert.match(error.detail, /settings:write/);
      assert.deepEqual(await orgRow(world, orgId), before);
    });

    await t.step("a key with neither scope can do neither", async () => {
      assertError(await getSettings(world, defaults), 403, "insufficient_scope");
      assertError(await patchSettings(world, defaults, { capture_token_ttl_minutes: 30 }), 403, "insufficient_scope");
      assertError(await getSettings(world, world.org.sandbox_publishable_key), 403, "insufficient_scope");
    });

    await t.step("settings:write reads and writes; so does the legacy documents:write", async () => {
      expectOk(await patchSettings(world, writer, { capture_token_ttl_minutes: 30 }), "write");
      assert.equal(expectOk(await getSettings(world, writer), "read").capture_token_ttl_minutes, 30);
      expectOk(await patchSettings(world, legacy, { capture_token_ttl_minutes: 40 }), "legacy");
      assert.equal(expectOk(await getSettings(world, readOnly), "read").capture_token_ttl_minutes, 40);
    });
  } finally {
    await world.close();
  }
});

Deno.test("risk_signal_actions as GET /api/v1/sessions/{id}/risk scores them", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    const created = await createSession(world, key);
    const token = tokenOf(created);
    expectOk(await capture(world, token, "POST", "consent", { consent_version: "v1", accepted: true }), "consent");
    expectOk(
      await capture(world, token, "POST", "signals", { device: { virtual_camera: true, incognito: true } }),
      "signals",
    );
    const risk = async () => expectOk(await call(world, "GET", `${SESSIONS}/${created.id}/risk`, { key }), "risk");
    const names = (body: Body) => body.signals.map((s: Body) => s.signal).sort();
    const setActions = async (actions: Body) =>
      expectOk(await patchSettings(world, key, { risk_signal_actions: actions }), JSON.stringify(actions));

    await t.step("by default virtual_camera blocks: critical, blocked_by virtual_camera", async () => {
      const body = await risk();
      assert.deepEqual(names(body), ["incognito_detected", "virtual_camera"]);
      assert.equal(body.risk_score, 60);
      assert.equal(body.risk_level, "critical");
      assert.deepEqual(body.blocked_by, ["virtual_camera"]);
    });

    await t.step("ignore leaves the signal out of the score", async () => {
      await setActions({ virtual_camera: "ignore" });
      const body = await risk();
      assert.deepEqual(names(body), ["incognito_detected"]);
      assert.deepEqual([body.risk_score, body.risk_level, body.blocked_by], [10, "low", []]);
    });

    await t.step("flag counts it without blocking", async () => {
      await setActions({ virtual_camera: "flag" });
      const body = await risk();
      assert.deepEqual(names(body), ["incognito_detected", "virtual_camera"]);
      assert.deepEqual([body.risk_score, body.risk_level, body.blocked_by], [60, "high", []]);
    });

    await t.step("block on an ordinary signal makes the session critical", async () => {
      await setActions({ virtual_camera: "ignore", incognito_detected: "block" });
      const body = await risk();
      assert.deepEqual(names(body), ["incognito_detected"]);
      assert.deepEqual([body.risk_score, body.risk_level, body.blocked_by], [10, "critical", ["incognito_detected"]]);
    });

    await t.step("null puts the signals back at their defaults", async () => {
      expectOk(await patchSettings(world, key, { risk_signal_actions: null }), "reset");
      const body = await risk();
      assert.deepEqual([body.risk_score, body.risk_level, body.blocked_by], [60, "critical", ["virtual_camera"]]);
    });
  } finally {
    await world.close();
  }
});

Deno.test("the signal catalogue names every signal the scorers raise", () => {
  const everyFlag = {
    behavioral: {
      copy_paste_name: true,
      mouse_bot_pattern: true,
      keystroke_bot_pattern: true,
      autofill_then_edit: true,
      screen_sharing: true,
      idle_ratio: 0.9,
      tab_switches: 9,
    },
    device: {
      bot_detected: true,
      webdriver: true,
      devtools_open: true,
      virtual_camera: true,
      camera_injection: true,
      webgl_vm: true,
      incognito: true,
    },
    network: { vpn: true, tor: true },
    integrity: { checksum_mismatch: true },
  };
  const raised = [
    ...clientRiskSignals({ ...everyFlag, behavioral: { ...everyFlag.behavioral, completion_seconds: 1 } }),
    ...clientRiskSignals({ behavioral: { completion_seconds: 1000 } }),
  ].map((s) => s.signal);
  const failed = (reasons: string[] = [], outputs: Record<string, unknown> = {}): CheckDecision => ({
    status: "failed",
    score: null,
    reasons: reasons.map((code) => ({ code, detail: code })),
    outputs,
  });
  const verification = verificationSignals({
    duplicate_detection: failed(),
    watchlist_screening: failed(),
    document_ocr: failed(["mrz_checksum_failed", "front_mismatch"], { specimen: true }),
    identity_crossref: failed(),
    face_match: failed([], { liveness_score: 0 }),
  }).map((s) => s.signal);
  assert.deepEqual([...verification].sort(), [...VERIFICATION_SIGNALS].sort());
  for (const signal of [...raised, ...verification, "ip_velocity", "external_ref_velocity"]) {
    assert.ok(RISK_SIGNAL_NAMES.includes(signal), signal);
  }
  for (const signal of HARD_BLOCK_SIGNALS) assert.ok(RISK_SIGNAL_NAMES.includes(signal), signal);
});
