import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { signIn } from "../helpers/dashboard_pages.ts";
import { getOrgSettings } from "../../core/orgs/organizations.ts";

/** Every field of the form as the page submits it, at the defaults, with `changes` applied. */
function settingsForm(changes: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    capture_token_ttl_minutes: "20",
    image_url_expiry_seconds: "300",
    data_retention_days: "",
    sensitive_data_retention_days: "",
    api_pii_mode: "all",
    ...changes,
  };
}

Deno.test("dashboard settings page", async (t) => {
  const world = await createTestWorld();
  try {
    const admin = await signIn(world, world.org.org_id, "admin");
    const viewer = await signIn(world, world.org.org_id, "viewer");
    const other = await world.provisionOrg("other-org");
    const outsider = await signIn(world, other.org_id, "admin");

    await t.step("everyone sees the settings; only an admin gets a Save button", async () => {
      const page = await viewer.page("/dashboard/settings");
      assert.equal(page.status, 200);
      assert.match(page.html, /name="capture_token_ttl_minutes"[^>]*value="20"/);
      assert.match(page.html, /name="image_url_expiry_seconds"[^>]*value="300"/);
      assert.match(page.html, /data-signal="vpn_detected"/);
      assert.ok(!page.html.includes('data-action="save-settings"'));
      assert.match((await admin.page("/dashboard/settings")).html, /data-action="save-settings"/);
    });

    await t.step("validation errors are shown at their fields and nothing is saved", async () => {
      const refused = await admin.post(
        "/dashboard/settings",
        settingsForm({ capture_token_ttl_minutes: "2", image_url_expiry_seconds: "soon", dual_review: "true" }),
      );
      assert.equal(refused.status, 422);
      assert.match(refused.html, /data-field-errors="capture_token_ttl_minutes"/);
      assert.match(refused.html, /must be an integer from 5 to 1440/);
      assert.match(refused.html, /data-field-errors="image_url_expiry_seconds"/);
      // What was typed stays in the form.
      assert.match(refused.html, /name="capture_token_ttl_minutes"[^>]*value="2"/);

      const order = await admin.post(
        "/dashboard/settings",
        settingsForm({ data_retention_days: "30", sensitive_data_retention_days: "90" }),
      );
      assert.equal(order.status, 422);
      assert.match(order.html, /data-field-errors="sensitive_data_retention_days"/);
      assert.match(order.html, /must not exceed data_retention_days \(30\)/);

      const stored = await world.db.selectFrom("organizations").select("settings").where("id", "=", world.org.org_id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(stored.settings, {});
    });

    await t.step("a valid form is saved through the settings service", async () => {
      const saved = await admin.post(
        "/dashboard/settings",
        settingsForm({
          capture_token_ttl_minutes: "45",
          image_url_expiry_seconds: "600",
          data_retention_days: "365",
          sensitive_data_retention_days: "90",
          auto_redact_on_retention_expiry: "true",
          // Retention from "kept" to 365 days and auto-redaction on bring erasure closer: confirmed here.
          confirm_retention_reduction: "true",
          dual_review: "true",
          api_pii_mode: "selected",
          api_pii_fields: ["first_name", "last_name"],
          "signal.vpn_detected": "ignore",
          "signal.bot_detected": "block",
          "signal.copy_paste_name": "flag",
        }),
      );
      assert.equal(saved.status, 303);
      assert.equal(saved.location, "/dashboard/settings?notice=saved");
      const settings = await getOrgSettings(world.db, world.org.org_id);
      assert.equal(settings.capture_token_ttl_minutes, 45);
      assert.equal(settings.image_url_expiry_seconds, 600);
      assert.equal(settings.data_retention_days, 365);
      assert.equal(settings.sensitive_data_retention_days, 90);
      assert.equal(settings.auto_redact_on_retention_expiry, true);
      assert.equal(settings.dual_review, true);
      assert.deepEqual(settings.api_pii_fields, ["first_name", "last_name"]);
      // Only the signal moved off its default is stored as an override.
      assert.deepEqual(settings.risk_signal_actions, { vpn_detected: "ignore" });

      const page = await admin.page(saved.location!);
      assert.match(page.html, /Settings saved/);
      assert.match(page.html, /name="capture_token_ttl_minutes"[^>]*value="45"/);
      assert.match(page.html, /value="first_name" checked/);
      assert.match(page.html, /<option value="ignore" selected="">ignore<\/option>/);

      // The API reads the same settings.
      const api = await world.json("GET", "/api/v1/settings", { key: world.org.sandbox_secret_key });
      assert.equal(api.body.capture_token_ttl_minutes, 45);

      // Emptying a box puts the setting back at its default.
      const reset = await admin.post("/dashboard/settings", settingsForm({ capture_token_ttl_minutes: "" }));
      assert.equal(reset.status, 303);
      assert.equal((await getOrgSettings(world.db, world.org.org_id)).capture_token_ttl_minutes, 20);
    });

    await t.step("an unconfirmed shorter retention waits 24 hours, shown on the page with its time", async () => {
      const form = (changes: Record<string, string | string[]>) =>
        settingsForm({
          data_retention_days: "365",
          sensitive_data_retention_days: "90",
          auto_redact_on_retention_expiry: "true",
          dual_review: "true",
          api_pii_mode: "selected",
          api_pii_fields: ["first_name", "last_name"],
          "signal.vpn_detected": "ignore",
          ...changes,
        });
      const base = await admin.post("/dashboard/settings", form({ confirm_retention_reduction: "true" }));
      assert.equal(base.status, 303);
      const saved = await admin.post("/dashboard/settings", form({ data_retention_days: "100" }));
      assert.equal(saved.status, 303);
      assert.equal((await getOrgSettings(world.db, world.org.org_id)).data_retention_days, 365, "still in force");
      const page = await admin.page("/dashboard/settings");
      assert.match(page.html, /data-pending="data_retention_days"/);
      const effectiveAt = /<time datetime="([^"]+)"/.exec(page.html)?.[1];
      assert.ok(effectiveAt, "the page says when it takes effect");
      assert.ok(Date.parse(effectiveAt) - world.clock.now().getTime() > 23.9 * 3600_000, effectiveAt);
      // The form shows the waiting value, so saving it as shown keeps the change and its grace.
      assert.match(page.html, /name="data_retention_days"[^>]*value="100"/);
      world.clock.advance(60_000); // within the dashboard's idle timeout and step-up window
      assert.equal((await admin.post("/dashboard/settings", form({ data_retention_days: "100" }))).status, 303);
      assert.match((await admin.page("/dashboard/settings")).html, new RegExp(`datetime="${effectiveAt}"`));
      const api = await world.json("GET", "/api/v1/settings", { key: world.org.live_secret_key });
      assert.deepEqual(api.body.pending_changes, { data_retention_days: { value: 100, effective_at: effectiveAt } });
      // Confirmed, it is in force at once.
      const now = await admin.post(
        "/dashboard/settings",
        form({ data_retention_days: "100", confirm_retention_reduction: "true" }),
      );
      assert.equal(now.status, 303);
      assert.equal((await getOrgSettings(world.db, world.org.org_id)).data_retention_days, 100);
      assert.doesNotMatch((await admin.page("/dashboard/settings")).html, /data-pending=/);
    });

    await t.step("a viewer cannot change settings", async () => {
      const refused = await viewer.post("/dashboard/settings", settingsForm({ capture_token_ttl_minutes: "60" }));
      assert.equal(refused.status, 403);
      assert.equal((await getOrgSettings(world.db, world.org.org_id)).capture_token_ttl_minutes, 20);
    });

    await t.step("another organisation's settings are its own", async () => {
      const page = await outsider.page("/dashboard/settings");
      assert.match(page.html, /name="image_url_expiry_seconds"[^>]*value="300"/);
      const saved = await outsider.post("/dashboard/settings", settingsForm({ image_url_expiry_seconds: "120" }));
      assert.equal(saved.status, 303);
      assert.equal((await getOrgSettings(world.db, world.org.org_id)).image_url_expiry_seconds, 300);
      assert.equal((await getOrgSettings(world.db, other.org_id)).image_url_expiry_seconds, 120);
    });
  } finally {
    await world.close();
  }
});
