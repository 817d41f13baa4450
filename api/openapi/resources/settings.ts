/** Owns the API document of the organisation settings: read them (and what is pending), merge-patch them. */
import { z } from "zod";
import { settingsPatchSchema } from "../../../core/orgs/settings_service.ts";
import { operations } from "../spec.ts";

export const settingsSchema = z.looseObject({
  capture_token_ttl_minutes: z.number().int(),
  image_url_expiry_seconds: z.number().int(),
  api_pii_fields: z.array(z.string()).nullable(),
  data_retention_days: z.number().int().nullable(),
  sensitive_data_retention_days: z.number().int().nullable(),
  auto_redact_on_retention_expiry: z.boolean(),
  risk_signal_actions: z.record(z.string(), z.string()),
  pending_changes: z.record(z.string(), z.unknown())
    .describe("Retention reductions waiting out their 24 h, each with its effective_at."),
});

export const settingsSchemas = { Settings: settingsSchema };

export const settingsOperations = operations({ tag: "Settings", auth: "api_key" }, [
  {
    method: "get",
    path: "/api/v1/settings",
    operationId: "getSettings",
    summary: "Get the organisation's settings",
    scopes: ["settings:read"],
    responses: { 200: { description: "The settings in force, and pending changes.", schema: settingsSchema } },
  },
  {
    method: "patch",
    path: "/api/v1/settings",
    operationId: "updateSettings",
    summary: "Change the organisation's settings (live secret keys only)",
    description: "A shorter data_retention_days or auto-redaction switched on waits 24 h unless " +
      "`confirm_retention_reduction: true`; null puts a setting back at its default.",
    scopes: ["settings:write"],
    body: { schema: settingsPatchSchema },
    responses: { 200: { description: "The settings after the change.", schema: settingsSchema } },
    errors: ["live_key_required"],
  },
]);
