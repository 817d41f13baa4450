/** Owns the Results REST resource: the PII-free list and the nested single result. */
import { Hono } from "hono";
import type { AppEnv } from "../http.ts";
import { pageParams, paginated, queryDate, queryList, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { findResult, findSession, listResultRows } from "../../core/sessions/repository.ts";
import { toNestedResultDto, toResultSummaryDto } from "../../core/sessions/dto.ts";
import { getOrgSettings } from "../../core/orgs/organizations.ts";
import { AppError } from "../../core/errors.ts";

export function resultRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/", requireScope("verifications:read"), async (c) => {
    const page = pageParams(c, 50);
    const { rows, total } = await listResultRows(deps.db, c.get("principal"), {
      status: queryList(c, "status", ["approved", "rejected", "needs_review"]),
      createdAfter: queryDate(c, "created_after"),
      createdBefore: queryDate(c, "created_before"),
    }, page);
    return respond(c, paginated(rows.map(toResultSummaryDto), total, page));
  });

  app.get("/:sessionId", requireScope("verifications:read"), async (c) => {
    const scope = c.get("principal");
    const session = await findSession(deps.db, scope, c.req.param("sessionId"));
    const result = await findResult(deps.db, scope, session.id);
    if (!result) throw new AppError("not_found", "No result yet: the session has not reached a decision.");
    const settings = await getOrgSettings(deps.db, scope.orgId);
    return respond(c, toNestedResultDto(session, result, deps.keyRing, settings, deps.clock()));
  });

  return app;
}
