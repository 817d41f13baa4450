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
import {
  assertRetryable,
  DELIVERY_STATUSES,
  findDelivery,
  listAttempts,
  listDeliveries,
} from "../../core/webhooks/deliveries.ts";
import { WEBHOOK_EVENT_TYPES } from "../../core/webhooks/event_types.ts";

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

  async function deliveriesPage(c: AppContext, filters: { endpointId?: string; sessionId?: string }) {
    const page = pageParams(c, 50);
    const { rows, total } = await listDeliveries(deps.db, c.get("principal"), {
      ...filters,
      eventType: c.req.query("event_type") || undefined,
      statuses: queryList(c, "status", DELIVERY_STATUSES) as WebhookDeliveryRow["status"][] | undefined,
      from: queryDate(c, "date_from"),
      to: queryDate(c, "date_to"),
    }, page);
    return respond(c, paginated(rows.map(toDeliveryDto), total, page));
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
    return await deliveriesPage(c, { endpointId: endpoint.id });
  });

  app.get("/deliveries", read, async (c) =>
    await deliveriesPage(c, {
      endpointId: c.req.query("endpoint_id") || undefined,
      sessionId: c.req.query("session_id") || undefined,
    }));

  app.get("/deliveries/:id", read, async (c) => {
    const row = await findDelivery(deps.db, c.get("principal"), c.req.param("id"));
    const attempts = await listAttempts(deps.db, [row.id]);
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
    const row = await findDelivery(deps.db, c.get("principal"), c.req.param("id"));
    assertRetryable(row);
    return respond(c, toDeliveryDto(await retryDelivery(deps, row)), 202);
  });

  return app;
}
