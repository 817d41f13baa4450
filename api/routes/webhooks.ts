/**
 * Owns the webhooks REST resource: endpoints (create, list, get, patch, delete, rotate-secret,
 * clone, test), their deliveries with every attempt, manual retry, and the event-type catalogue.
 */
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../http.ts";
import { pageParams, paginated, queryDate, queryList, readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import type { WebhookDeliveryRow } from "../../core/db/database.ts";
import { AppError, notFound } from "../../core/errors.ts";
import { snakeKeys } from "../../core/casing.ts";
import { parseOrThrow, requireObject } from "../../core/validation.ts";
import {
  cloneEndpoint,
  createEndpoint,
  createEndpointSchema,
  deleteEndpoint,
  findEndpoint,
  listEndpoints,
  rotateSecret,
  toEndpointDto,
  updateEndpoint,
  updateEndpointSchema,
} from "../../core/webhooks/endpoints.ts";
import { retryDelivery, sendTestEvent } from "../../core/webhooks/delivery.ts";
import { WEBHOOK_EVENT_TYPES } from "../../core/webhooks/event_types.ts";

const DELIVERY_STATUSES = ["pending", "retrying", "succeeded", "failed"] as const;

function toDeliveryDto(row: WebhookDeliveryRow) {
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    session_id: row.session_id,
    idempotency_key: row.idempotency_key,
    url: row.url,
    status: row.status,
    attempts: row.attempt_count,
    next_attempt_at: row.next_attempt_at?.toISOString() ?? null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    is_test: row.is_test,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
  };
}

export function webhookRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  const read = requireScope("webhooks:read");
  const write = requireScope("webhooks:write");

  async function listDeliveries(c: AppContext, filters: { endpointId?: string; sessionId?: string }) {
    const scope = c.get("principal");
    const page = pageParams(c, 50);
    let base = deps.db.selectFrom("webhook_deliveries")
      .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
    if (filters.endpointId) base = base.where("endpoint_id", "=", filters.endpointId);
    if (filters.sessionId) base = base.where("session_id", "=", filters.sessionId);
    const eventType = c.req.query("event_type");
    if (eventType) base = base.where("event_type", "=", eventType);
    const status = queryList(c, "status", DELIVERY_STATUSES);
    if (status) base = base.where("status", "in", status as WebhookDeliveryRow["status"][]);
    const from = queryDate(c, "date_from");
    if (from) base = base.where("created_at", ">=", from);
    const to = queryDate(c, "date_to");
    if (to) base = base.where("created_at", "<", to);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return respond(c, paginated(rows.map(toDeliveryDto), Number(count.n), page));
  }

  async function findDelivery(c: AppContext, id: string) {
    const scope = c.get("principal");
    const row = await deps.db.selectFrom("webhook_deliveries").selectAll()
      .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .executeTakeFirst();
    if (!row) throw notFound("Delivery");
    return row;
  }

  app.get(
    "/event-types",
    read,
    (c) =>
      respond(c, { data: Object.entries(WEBHOOK_EVENT_TYPES).map(([type, description]) => ({ type, description })) }),
  );

  app.get("/endpoints", read, async (c) => {
    const page = pageParams(c, 50);
    const { rows, total } = await listEndpoints(deps.db, c.get("principal"), page);
    return respond(c, paginated(rows.map((row) => toEndpointDto(deps, row)), total, page));
  });

  app.post("/endpoints", write, async (c) => {
    const input = parseOrThrow(createEndpointSchema, snakeKeys(requireObject(await readJson(c))));
    const { row, secret } = await createEndpoint(deps, c.get("principal"), input);
    return respond(c, toEndpointDto(deps, row, { secret }), 201);
  });

  app.get(
    "/endpoints/:id",
    read,
    async (c) => respond(c, toEndpointDto(deps, await findEndpoint(deps.db, c.get("principal"), c.req.param("id")))),
  );

  app.patch("/endpoints/:id", write, async (c) => {
    const input = parseOrThrow(updateEndpointSchema, snakeKeys(requireObject(await readJson(c))));
    return respond(c, toEndpointDto(deps, await updateEndpoint(deps, c.get("principal"), c.req.param("id"), input)));
  });

  app.delete("/endpoints/:id", write, async (c) => {
    await deleteEndpoint(deps, c.get("principal"), c.req.param("id"));
    return respond(c, { id: c.req.param("id"), deleted: true });
  });

  app.post("/endpoints/:id/rotate-secret", write, async (c) => {
    const { row, secret } = await rotateSecret(deps, c.get("principal"), c.req.param("id"));
    return respond(c, toEndpointDto(deps, row, { secret }));
  });

  app.post("/endpoints/:id/clone", write, async (c) => {
    const { row, secret } = await cloneEndpoint(deps, c.get("principal"), c.req.param("id"));
    return respond(c, toEndpointDto(deps, row, { secret }), 201);
  });

  app.post("/endpoints/:id/test", write, async (c) => {
    const endpoint = await findEndpoint(deps.db, c.get("principal"), c.req.param("id"));
    return respond(c, await sendTestEvent(deps, endpoint));
  });

  app.get("/endpoints/:id/deliveries", read, async (c) => {
    const endpoint = await findEndpoint(deps.db, c.get("principal"), c.req.param("id"));
    return await listDeliveries(c, { endpointId: endpoint.id });
  });

  app.get("/deliveries", read, async (c) =>
    await listDeliveries(c, {
      endpointId: c.req.query("endpoint_id") || undefined,
      sessionId: c.req.query("session_id") || undefined,
    }));

  app.get("/deliveries/:id", read, async (c) => {
    const row = await findDelivery(c, c.req.param("id"));
    const attempts = await deps.db.selectFrom("webhook_attempts").selectAll().where("delivery_id", "=", row.id)
      .orderBy("attempt_number").execute();
    return respond(c, {
      ...toDeliveryDto(row),
      attempt_log: attempts.map((a) => ({
        attempt: a.attempt_number,
        started_at: a.started_at.toISOString(),
        duration_ms: a.duration_ms,
        status_code: a.status_code,
        response_excerpt: a.response_excerpt,
        error: a.error,
      })),
    });
  });

  app.post("/deliveries/:id/retry", write, async (c) => {
    const row = await findDelivery(c, c.req.param("id"));
    if (row.is_test) throw new AppError("conflict", "Test deliveries are not retried; send a new test.");
    // Only a finished failure: a delivery still retrying already has its next attempt queued,
    // and a second one could send twice.
    if (row.status !== "failed") {
      throw new AppError("conflict", `Only failed deliveries can be retried; this one is ${row.status}.`);
    }
    return respond(c, toDeliveryDto(await retryDelivery(deps, row)), 202);
  });

  return app;
}
