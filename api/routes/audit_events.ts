/**
 * Owns the audit-log REST resource (`GET /api/v1/events`, scope `events:read`): the
 * organisation's tamper-evident audit rows with their chain fields. Not the webhook `events`
 * outbox, which this never reads.
 */
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../http.ts";
import { pageParams, paginated, queryDate, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { AppError } from "../../core/errors.ts";
import { findAuditEvent, listAuditEvents, toAuditEventDto } from "../../core/audit/query.ts";

/** Dotted names, optionally ending in `*` for a prefix (`api.session.*`). */
const ACTION = /^[a-z0-9_.-]+\*?$|^\*$/;

function queryText(c: AppContext, name: string, max = 200): string | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  if (raw.length > max) throw new AppError("invalid_parameter", `${name} must be at most ${max} characters.`);
  return raw;
}

function actionFilter(c: AppContext): string[] | undefined {
  const values = c.req.queries("action")?.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  if (!values?.length) return undefined;
  const bad = values.find((v) => !ACTION.test(v));
  if (bad) {
    throw new AppError("invalid_parameter", `action "${bad}" must be a dotted name, optionally ending in * (api.*).`);
  }
  return values.includes("*") ? undefined : values;
}

function orderParam(c: AppContext): "asc" | "desc" {
  const raw = c.req.query("order") ?? "desc";
  if (raw !== "asc" && raw !== "desc") throw new AppError("invalid_parameter", "order must be asc or desc.");
  return raw;
}

export function auditEventRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/", requireScope("events:read"), async (c) => {
    const page = pageParams(c, 50);
    const { rows, total } = await listAuditEvents(deps.db, c.get("principal"), {
      actions: actionFilter(c),
      resourceType: queryText(c, "resource_type"),
      resourceId: queryText(c, "resource_id"),
      actor: queryText(c, "actor"),
      createdAfter: queryDate(c, "created_after"),
      createdBefore: queryDate(c, "created_before"),
      q: queryText(c, "q"),
      order: orderParam(c),
    }, page);
    return respond(c, paginated(rows.map(toAuditEventDto), total, page));
  });

  app.get("/:eventId", requireScope("events:read"), async (c) => {
    return respond(c, toAuditEventDto(await findAuditEvent(deps.db, c.get("principal"), c.req.param("eventId"))));
  });

  return app;
}
