/**
 * Owns the organisation settings API tests (`/api/v1/settings`): the resolved defaults, merge-patch
 * of every field, resets, strict validation (nothing changes on a 422), scopes, tenant isolation,
 * request casing, concurrent patches, and risk_signal_actions as the risk endpoint scores it; who
 * may change them (a live secret key with settings:write, issue #15) and the grace period of a
 * change that brings erasure closer.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { assertError, capture, expectOk, SESSIONS, tokenOf } from "../helpers/capture.ts";
import { API_PII_FIELDS, RISK_SIGNAL_NAMES } from "../../core/orgs/settings_service.ts";
import { clientRiskSignals, HARD_BLOCK_SIGNALS } from "../../core/risk/assessment.ts";
import { VERIFICATION_SIGNALS, verificationSignals } from "../../core/verification/checks/risk_assessment.ts";
import type { CheckDecision } from "../../core/verification/check.ts";
import { sweepRetention } from "../../core/retention/sweep.ts";
import { seedSessions } from "../retention/seed.ts";

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
  pending_changes: {},
};

/** A patch that brings erasure closer applies at once only when it says so (else it waits 24 h). */
function confirmed(body: Body): Body {
  return { ...body, confirm_retention_reduction: true };
}

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

/** A key of the fixture org in `environment` (live unless told), minted with exactly `scopes`. */
async function mintKey(world: TestWorld, scopes: string[], environment: "live" | "sandbox" = "live"): Promise<string> {
  const minter = environment === "live" ? world.org.live_secret_key : world.org.sandbox_secret_key;
  const res = await call(world, "POST", "/api/v1/api-keys", { key: minter, body: { scopes } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.secret;
}

Deno.test("GET and PATCH /api/v1/settings", async (t) => {
  const world = await createTestWorld();
  // Settings govern live data: only a live secret key changes them.
  const key = world.org.live_secret_key;
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
        assert.deepEqual(
          expectOk(await patchSettings(world, key, confirmed({ [field]: value })), field),
          expected,
          field,
        );
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
        const res = expectOk(await patchSettings(world, key, confirmed(body)), JSON.stringify(body));
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
        await patchSettings(
          world,
          key,
          confirmed({
            capture_token_ttl_minutes: 30,
            api_pii_fields: ["first_name"],
            data_retention_days: 90,
            sensitive_data_retention_days: 10,
            auto_redact_on_retention_expiry: true,
          }),
        ),
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
      expectOk(
        await patchSettings(world, key, confirmed({ data_retention_days: 100, capture_token_ttl_minutes: 25 })),
        "set",
      );
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
        [{ data_retention_days: 5, confirm_retention_reduction: "yes" }, "confirm_retention_reduction"],
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
      expectOk(
        await patchSettings(world, key, confirmed({ data_retention_days: 100, sensitive_data_retention_days: 50 })),
        "set",
      );
      const before = await orgRow(world, orgId);
      // Refused whether it would apply now or after the grace period.
      for (const body of [{ data_retention_days: 40 }, confirmed({ data_retention_days: 40 })]) {
        const error = assertError(await patchSettings(world, key, body), 422, "validation_error");
        assert.deepEqual(error.fields, { data_retention_days: "must be at least sensitive_data_retention_days (50)" });
        assert.deepEqual(await orgRow(world, orgId), before);
      }
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
        confirmed({ data_retention_days: 333 }),
        { sensitive_data_retention_days: 33 },
        confirmed({ auto_redact_on_retention_expiry: true }),
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

    await t.step("settings are org-wide: a sandbox key reads what a live key wrote", async () => {
      expectOk(await patchSettings(world, key, { capture_token_ttl_minutes: 60 }), "live");
      const sandbox = expectOk(await getSettings(world, world.org.sandbox_secret_key), "sandbox");
      assert.equal(sandbox.capture_token_ttl_minutes, 60);
      await reset();
    });

    await t.step("another organisation's settings are untouched", async () => {
      const other = await world.provisionOrg("other-org");
      expectOk(await patchSettings(world, other.live_secret_key, { image_url_expiry_seconds: 3600 }), "other");
      expectOk(
        await patchSettings(world, key, confirmed({ capture_token_ttl_minutes: 90, data_retention_days: 7 })),
        "mine",
      );
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

    await t.step("settings:write reads and writes; the legacy documents:write no longer writes (403)", async () => {
      expectOk(await patchSettings(world, writer, { capture_token_ttl_minutes: 30 }), "write");
      assert.equal(expectOk(await getSettings(world, writer), "read").capture_token_ttl_minutes, 30);
      const before = await orgRow(world, orgId);
      const error = assertError(
        await patchSettings(world, legacy, { capture_token_ttl_minutes: 40 }),
        403,
        "insufficient_scope",
      );
      assert.match(error.detail, /settings:write/);
      assert.deepEqual(await orgRow(world, orgId), before);
      assert.equal(expectOk(await getSettings(world, readOnly), "read").capture_token_ttl_minutes, 30);
    });

    await t.step("a sandbox key cannot change settings, even holding every scope: 403, nothing changes", async () => {
      const narrow = await mintKey(world, ["settings:write"], "sandbox");
      const before = await orgRow(world, orgId);
      // The attack: one day of retention with auto-redaction, then risk actions, dual review
      // and the PII allowlist, each with and without the confirmation.
      const attacks: Body[] = [
        { data_retention_days: 1, auto_redact_on_retention_expiry: true },
        confirmed({ data_retention_days: 1, auto_redact_on_retention_expiry: true }),
        { risk_signal_actions: { virtual_camera: "ignore" } },
        { dual_review: false },
        { api_pii_fields: [...API_PII_FIELDS] },
      ];
      // The fixture's starter sandbox key holds every scope, settings:write included.
      for (const sandbox of [world.org.sandbox_secret_key, narrow]) {
        for (const body of attacks) {
          const error = assertError(await patchSettings(world, sandbox, body), 403, "live_key_required");
          assert.match(error.detail, /live secret key/);
        }
      }
      assert.deepEqual(await orgRow(world, orgId), before);
    });
  } finally {
    await world.close();
  }
});

Deno.test("a change that brings erasure closer waits 24 hours unless confirmed", async (t) => {
  const world = await createTestWorld();
  const key = world.org.live_secret_key;
  const orgId = world.org.org_id;
  const hours = (n: number) => n * 3600_000;
  const events = async (action: string) =>
    expectOk(await call(world, "GET", `/api/v1/events?action=${action}`, { key }), action).data;
  try {
    const seeded = await seedSessions(world, { environment: "live", count: 3, terminalDaysAgo: 5 });

    await t.step("confirmed, a first retention applies at once and is audited as confirmed", async () => {
      const res = expectOk(
        await patchSettings(world, key, confirmed({ data_retention_days: 30, auto_redact_on_retention_expiry: true })),
        "confirmed",
      );
      assert.equal(res.data_retention_days, 30);
      assert.equal(res.auto_redact_on_retention_expiry, true);
      assert.deepEqual(res.pending_changes, {});
      const rows = await events("settings.retention_change_confirmed");
      assert.deepEqual(
        rows.map((row: Body) => [row.metadata.setting, row.metadata.from, row.metadata.to]).sort(),
        [["auto_redact_on_retention_expiry", false, true], ["data_retention_days", null, 30]],
      );
    });

    let effectiveAt = "";
    await t.step("unconfirmed, a reduction is pending for 24 h: the response and the audit log say when", async () => {
      const res = expectOk(await patchSettings(world, key, { data_retention_days: 1 }), "reduce");
      effectiveAt = new Date(world.clock.now().getTime() + hours(24)).toISOString();
      assert.equal(res.data_retention_days, 30, "still in force");
      assert.equal(res.pending_changes.data_retention_days.value, 1);
      assert.ok(
        Math.abs(Date.parse(res.pending_changes.data_retention_days.effective_at) - Date.parse(effectiveAt)) < 5_000,
        JSON.stringify(res.pending_changes),
      );
      effectiveAt = res.pending_changes.data_retention_days.effective_at;
      const [row] = await events("settings.retention_change_scheduled");
      assert.deepEqual(
        [row.actor_type, row.metadata.setting, row.metadata.from, row.metadata.to],
        ["api_key", "data_retention_days", 30, 1],
      );
      assert.equal(row.metadata.effective_at, effectiveAt);
      // The same patch again keeps its grace instead of restarting it.
      world.clock.advance(hours(1));
      const again = expectOk(await patchSettings(world, key, { data_retention_days: 1 }), "again");
      assert.equal(again.pending_changes.data_retention_days.effective_at, effectiveAt);
      assert.equal((await events("settings.retention_change_scheduled")).length, 1);
    });

    await t.step("within the grace the retention sweep erases nothing under the shorter window", async () => {
      const report = await sweepRetention(world.deps);
      assert.equal(report.totals.redacted, 0, JSON.stringify(report.totals));
      const left = await world.db.selectFrom("sessions").select("id").where("id", "in", seeded)
        .where("retention_status", "=", "redacted").execute();
      assert.deepEqual(left, []);
    });

    await t.step("after 24 hours the reduction is in force and nothing is pending", async () => {
      world.clock.advance(hours(22));
      assert.equal(expectOk(await getSettings(world, key), "23 h").data_retention_days, 30);
      world.clock.advance(hours(1));
      const res = expectOk(await getSettings(world, key), "24 h");
      assert.equal(res.data_retention_days, 1);
      assert.deepEqual(res.pending_changes, {});
    });

    await t.step("a longer retention applies at once and cancels a pending reduction", async () => {
      expectOk(await patchSettings(world, key, confirmed({ data_retention_days: 90 })), "longer");
      expectOk(await patchSettings(world, key, { data_retention_days: 10 }), "pending");
      const res = expectOk(await patchSettings(world, key, { data_retention_days: 120 }), "longer again");
      assert.equal(res.data_retention_days, 120);
      assert.deepEqual(res.pending_changes, {});
      assert.deepEqual((await orgRow(world, orgId)).settings, {
        data_retention_days: 120,
        auto_redact_on_retention_expiry: true,
      });
    });

    await t.step("switching auto-redaction on waits as well", async () => {
      expectOk(await patchSettings(world, key, { auto_redact_on_retention_expiry: false }), "off");
      const res = expectOk(await patchSettings(world, key, { auto_redact_on_retention_expiry: true }), "on");
      assert.equal(res.auto_redact_on_retention_expiry, false);
      assert.equal(res.pending_changes.auto_redact_on_retention_expiry.value, true);
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
      expectOk(
        await patchSettings(world, world.org.live_secret_key, { risk_signal_actions: actions }),
        JSON.stringify(actions),
      );

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
      expectOk(await patchSettings(world, world.org.live_secret_key, { risk_signal_actions: null }), "reset");
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
