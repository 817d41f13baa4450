/**
 * Owns the organisation settings REST resource: read the settings in force (and what is pending),
 * merge-patch them. Settings are org-wide and govern live data (retention, auto-redaction, risk
 * actions, dual review, the PII allowlist), so only a live secret key with an explicit
 * `settings:write` may change them; a sandbox key, whatever its scopes, is refused.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../http.ts";
import { readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { AppError } from "../../core/errors.ts";
import {
  getSettingsView,
  parseSettingsPatch,
  toSettingsDto,
  updateOrgSettings,
} from "../../core/orgs/settings_service.ts";

/** Before the scope check, so a sandbox key holding every scope still hears why it is refused. */
const requireLiveSecretKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = c.get("principal");
  if (principal.environment !== "live" || principal.kind !== "secret") {
    throw new AppError(
      "live_key_required",
      "Organisation settings govern live data: change them with a live secret key holding settings:write.",
    );
  }
  await next();
};

export function settingsRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/", requireScope("settings:read"), async (c) => {
    return respond(c, toSettingsDto(await getSettingsView(deps.db, c.get("principal").orgId, deps.clock())));
  });

  app.patch("/", requireLiveSecretKey, requireScope("settings:write"), async (c) => {
    const patch = parseSettingsPatch(await readJson(c));
    const principal = c.get("principal");
    const view = await updateOrgSettings(deps.db, principal.orgId, patch, deps.clock(), {
      actor: { type: "api_key", id: principal.keyId },
      requestId: c.get("requestId"),
    });
    return respond(c, toSettingsDto(view));
  });

  return app;
}
