/** Owns the Results REST resource: the PII-free list and the nested single result. */
import { Hono } from "hono";
import type { AppEnv } from "../http.ts";
import { pageParams, paginated, queryDate, queryList, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { listResultRows } from "../../core/sessions/repository.ts";
import { loadDecision } from "../../core/sessions/results.ts";
import { toNestedResultDto, toResultSummaryDto } from "../../core/sessions/dto.ts";

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
    const { session, result, settings } = await loadDecision(deps, c.get("principal"), c.req.param("sessionId"));
    return respond(c, toNestedResultDto(session, result, deps.keyRing, settings, deps.clock()));
  });

  return app;
}
