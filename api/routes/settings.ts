/** Owns the organisation settings REST resource: read the resolved settings, merge-patch them. */
import { Hono } from "hono";
import type { AppEnv } from "../http.ts";
import { readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { getOrgSettings } from "../../core/orgs/organizations.ts";
import { parseSettingsPatch, toSettingsDto, updateOrgSettings } from "../../core/orgs/settings_service.ts";

export function settingsRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/", requireScope("settings:read"), async (c) => {
    return respond(c, toSettingsDto(await getOrgSettings(deps.db, c.get("principal").orgId)));
  });

  app.patch("/", requireScope("settings:write"), async (c) => {
    const patch = parseSettingsPatch(await readJson(c));
    const settings = await updateOrgSettings(deps.db, c.get("principal").orgId, patch, deps.clock());
    return respond(c, toSettingsDto(settings));
  });

  return app;
}
