/**
 * Owns delivering webhooks: relaying outbox events into one delivery per subscribed endpoint,
 * each attempt (signed, SSRF-checked, recorded), the retry schedule, `failed` after the last
 * retry, and the circuit breaker that disables an endpoint after ten failed deliveries in a row.
 */
import pg from "pg";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Insertable } from "kysely";
import type { WebhookDeliveriesTable, WebhookDeliveryRow, WebhookEndpointRow } from "../db/database.ts";
import { newId } from "../ids.ts";
import { subscribes } from "./event_types.ts";
import { buildPayload, endpointBody } from "./payload.ts";
import { signatureHeaders } from "./signing.ts";
import { signingSecrets } from "./endpoints.ts";
import { checkWebhookUrl, resolveDeliveryAddresses, UrlPolicyError } from "./url_policy.ts";
import { sendWebhook } from "./http_sender.ts";
import { PAYLOAD_UNAVAILABLE } from "./deliveries.ts";

export const DELIVER_JOB = "webhook.deliver";
/** The contract's schedule: ~30 s, 2 min, 8 min, 32 min, 2 h 8 min. */
export const DEFAULT_RETRY_SCHEDULE_MS = [30_000, 120_000, 480_000, 1_920_000, 7_680_000];
export const DISABLE_AFTER_CONSECUTIVE_FAILURES = 10;
export const DELIVERY_TIMEOUT_MS = 30_000;

export interface DeliverJobPayload extends Record<string, string | number> {
  delivery_id: string;
  attempt: number;
}

function payloadContext(deliveryId: string) {
  return { table: "webhook_deliveries", column: "payload_enc", rowId: deliveryId };
}

/**
 * Turns unrelayed events into deliveries and their jobs, and marks the events relayed — all in one
 * transaction, so a crash relays an event completely or not at all. SKIP LOCKED lets several
 * relays run side by side.
 *
 * An event whose payload cannot be built (a result that no longer decrypts, a stored payload of
 * the wrong shape) is isolated: each of its deliveries is written `failed` with no body, the log
 * gets an alert naming ids only, and the batch goes on. Left to throw, it would roll the batch
 * back and come first again in every later one, stopping webhooks for every tenant. A database
 * error is not the event's fault (and has aborted the transaction): the batch fails as a whole
 * and is retried.
 */
export async function relayEvents(deps: CoreDeps, batchSize = 200): Promise<number> {
  return await deps.db.transaction().execute(async (tx) => {
    const events = await tx.selectFrom("events").selectAll().where("relayed_at", "is", null)
      .orderBy("created_at").orderBy("id").limit(batchSize).forUpdate().skipLocked().execute();
    if (events.length === 0) return 0;
    const orgIds = [...new Set(events.map((e) => e.org_id))];
    const endpoints = await tx.selectFrom("webhook_endpoints").selectAll()
      .where("org_id", "in", orgIds).where("deleted_at", "is", null).where("enabled", "=", true).execute();
    const now = deps.clock();
    const deliveries: Insertable<WebhookDeliveriesTable>[] = [];
    for (const event of events) {
      const targets = endpoints.filter((e) =>
        e.org_id === event.org_id && e.environment === event.environment && subscribes(e.enabled_events, event.type)
      );
      if (targets.length === 0) continue;
      const delivery = (endpoint: WebhookEndpointRow, id: string) => ({
        id,
        org_id: event.org_id,
        environment: event.environment,
        endpoint_id: endpoint.id,
        event_id: event.id,
        event_type: event.type,
        session_id: event.session_id,
        idempotency_key: event.idempotency_key,
        url: endpoint.url,
        created_at: now,
        updated_at: now,
      });
      let built: Insertable<WebhookDeliveriesTable>[];
      try {
        const payload = await buildPayload(deps, tx, event);
        built = targets.filter((endpoint) => matchesConditions(payload, endpoint.event_filter_conditions))
          .map((endpoint) => {
            const id = newId("whd");
            return {
              ...delivery(endpoint, id),
              payload_enc: deps.keyRing.encrypt(
                new TextEncoder().encode(endpointBody(payload, endpoint)),
                payloadContext(id),
              ),
              status: "pending" as const,
              next_attempt_at: now,
              last_status_code: null,
              last_error: null,
              completed_at: null,
            };
          });
      } catch (error) {
        if (error instanceof pg.DatabaseError) throw error;
        // The error's message may quote stored data; its class says enough to start looking.
        deps.log.error("webhook payload could not be built", {
          alert: "webhook_payload_unavailable",
          event_id: event.id,
          event_type: event.type,
          org_id: event.org_id,
          environment: event.environment,
          error: error instanceof Error ? error.name : typeof error,
        });
        built = targets.map((endpoint) => ({
          ...delivery(endpoint, newId("whd")),
          payload_enc: null,
          status: "failed" as const,
          next_attempt_at: null,
          last_status_code: null,
          last_error: PAYLOAD_UNAVAILABLE,
          completed_at: now,
        }));
      }
      deliveries.push(...built);
    }
    // One multi-row insert and one job insert per batch: the relay's cost is round trips.
    for (let i = 0; i < deliveries.length; i += 500) {
      await tx.insertInto("webhook_deliveries").values(deliveries.slice(i, i + 500)).execute();
    }
    const pending = deliveries.filter((d) => d.status === "pending");
    await deps.jobs.enqueueMany(tx, DELIVER_JOB, pending.map((d) => ({ delivery_id: d.id, attempt: 1 })));
    await tx.updateTable("events").set({ relayed_at: now }).where("id", "in", events.map((e) => e.id)).execute();
    return events.length;
  });
}

/**
 * `event_filter_conditions` narrows an endpoint further than event types: each key names a payload
 * field (dotted for nested ones, e.g. "result.status") and its value is the allowed value or list of
 * values; every condition must hold.
 */
export function matchesConditions(payload: Record<string, unknown>, conditions: Record<string, unknown>): boolean {
  return Object.entries(conditions ?? {}).every(([path, allowed]) => {
    let value: unknown = payload;
    for (const part of path.split(".")) {
      value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    }
    return Array.isArray(allowed) ? allowed.some((a) => a === value) : allowed === value;
  });
}

export interface AttemptOutcome {
  success: boolean;
  http_status: number | null;
  error: string | null;
}

/** Sends one signed request and reports what happened; never throws for the receiver's faults. */
async function sendSigned(
  deps: CoreDeps,
  endpoint: WebhookEndpointRow,
  delivery: Pick<WebhookDeliveryRow, "id" | "url" | "event_type" | "idempotency_key">,
  body: string,
): Promise<AttemptOutcome & { excerpt: string | null }> {
  const now = deps.clock();
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "Verifa-Webhooks/1.0",
    "X-Verifa-Event": delivery.event_type,
    "X-Verifa-Delivery-Id": delivery.id,
    ...signatureHeaders(signingSecrets(deps, endpoint, now), delivery.idempotency_key, timestamp, body),
  };
  try {
    const url = checkWebhookUrl(delivery.url, endpoint.environment, deps.webhooks);
    const [address] = await resolveDeliveryAddresses(url, deps.webhooks, deps.webhooks.resolve);
    const response = await sendWebhook(url, address, headers, body, deps.webhooks.timeoutMs);
    const success = response.status >= 200 && response.status < 300;
    return {
      success,
      http_status: response.status,
      error: success ? null : `HTTP ${response.status}`,
      excerpt: response.excerpt,
    };
  } catch (error) {
    const reason = error instanceof UrlPolicyError
      ? `blocked by the URL policy: ${error.reason}`
      : error instanceof Error
      ? error.message
      : String(error);
    return { success: false, http_status: null, error: reason.slice(0, 500), excerpt: null };
  }
}

/**
 * One attempt of a delivery. Safe to run twice: a job whose attempt number is stale (the
 * delivery moved on, or finished) does nothing.
 */
export async function attemptDelivery(deps: CoreDeps, job: DeliverJobPayload): Promise<void> {
  const delivery = await deps.db.selectFrom("webhook_deliveries").selectAll()
    .where("id", "=", job.delivery_id).executeTakeFirst();
  if (!delivery || delivery.status === "succeeded" || delivery.status === "failed") return;
  if (delivery.attempt_count !== job.attempt - 1 || !delivery.payload_enc) return;
  const endpoint = await deps.db.selectFrom("webhook_endpoints").selectAll()
    .where("id", "=", delivery.endpoint_id).executeTakeFirstOrThrow();
  if (!endpoint.enabled || endpoint.deleted_at) {
    await finish(
      deps.db,
      delivery.id,
      "failed",
      null,
      endpoint.deleted_at ? "endpoint deleted" : "endpoint disabled",
      deps.clock(),
    );
    return;
  }
  const body = new TextDecoder().decode(deps.keyRing.decrypt(delivery.payload_enc, payloadContext(delivery.id)));
  const started = deps.clock();
  const t0 = performance.now();
  const outcome = await sendSigned(deps, endpoint, delivery, body);
  const durationMs = Math.round(performance.now() - t0);

  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto("webhook_attempts").values({
      delivery_id: delivery.id,
      attempt_number: job.attempt,
      started_at: started,
      duration_ms: durationMs,
      status_code: outcome.http_status,
      response_excerpt: outcome.excerpt,
      error: outcome.error,
    }).execute();
    const now = deps.clock();
    if (outcome.success) {
      await finish(tx, delivery.id, "succeeded", outcome.http_status, null, now, job.attempt);
      await tx.updateTable("webhook_endpoints").set({ consecutive_failures: 0 }).where("id", "=", endpoint.id)
        .execute();
      return;
    }
    const schedule = deps.webhooks.retryScheduleMs;
    if (job.attempt <= schedule.length) {
      // ±10 % jitter spreads retries of many deliveries that failed together.
      const delay = Math.round(schedule[job.attempt - 1] * (0.9 + Math.random() * 0.2));
      const nextAt = new Date(now.getTime() + delay);
      await tx.updateTable("webhook_deliveries").set({
        status: "retrying",
        attempt_count: job.attempt,
        next_attempt_at: nextAt,
        last_status_code: outcome.http_status,
        last_error: outcome.error,
        updated_at: now,
      }).where("id", "=", delivery.id).execute();
      await deps.jobs.enqueue(tx, DELIVER_JOB, { delivery_id: delivery.id, attempt: job.attempt + 1 }, {
        delaySeconds: delay / 1000,
      });
      return;
    }
    await finish(tx, delivery.id, "failed", outcome.http_status, outcome.error, now, job.attempt);
    await recordEndpointFailure(tx, endpoint.id, now);
  });
}

async function finish(
  db: DbOrTx,
  deliveryId: string,
  status: "succeeded" | "failed",
  httpStatus: number | null,
  error: string | null,
  now: Date,
  attempts?: number,
): Promise<void> {
  await db.updateTable("webhook_deliveries").set({
    status,
    ...(attempts !== undefined ? { attempt_count: attempts } : {}),
    next_attempt_at: null,
    last_status_code: httpStatus,
    last_error: error,
    completed_at: now,
    updated_at: now,
  }).where("id", "=", deliveryId).execute();
}

/** The circuit breaker: ten failed deliveries in a row disable the endpoint until it is re-enabled. */
async function recordEndpointFailure(tx: DbOrTx, endpointId: string, now: Date): Promise<void> {
  const endpoint = await tx.updateTable("webhook_endpoints")
    .set((eb) => ({ consecutive_failures: eb("consecutive_failures", "+", 1) }))
    .where("id", "=", endpointId).returning(["consecutive_failures", "enabled"]).executeTakeFirstOrThrow();
  if (endpoint.enabled && endpoint.consecutive_failures >= DISABLE_AFTER_CONSECUTIVE_FAILURES) {
    await tx.updateTable("webhook_endpoints").set({
      enabled: false,
      disabled_reason: `disabled after ${DISABLE_AFTER_CONSECUTIVE_FAILURES} consecutive failed deliveries`,
      disabled_at: now,
    }).where("id", "=", endpointId).execute();
  }
}

/** Sends a `webhook.test` event now and answers with the outcome; recorded like any delivery, never retried. */
export async function sendTestEvent(deps: CoreDeps, endpoint: WebhookEndpointRow) {
  const id = newId("whd");
  const now = deps.clock();
  const idempotencyKey = newId("idk");
  const payload = {
    event: "webhook.test",
    idempotency_key: idempotencyKey,
    created_at: now.toISOString(),
    is_sandbox: endpoint.environment === "sandbox",
    message: "This is a test event from Verifa.",
  };
  const body = endpointBody(payload, endpoint);
  const delivery = { id, url: endpoint.url, event_type: "webhook.test", idempotency_key: idempotencyKey };
  const t0 = performance.now();
  const outcome = await sendSigned(deps, endpoint, delivery, body);
  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto("webhook_deliveries").values({
      ...delivery,
      org_id: endpoint.org_id,
      environment: endpoint.environment,
      endpoint_id: endpoint.id,
      event_id: null,
      session_id: null,
      payload_enc: deps.keyRing.encrypt(new TextEncoder().encode(body), payloadContext(id)),
      status: outcome.success ? "succeeded" : "failed",
      attempt_count: 1,
      next_attempt_at: null,
      last_status_code: outcome.http_status,
      last_error: outcome.error,
      is_test: true,
      created_at: now,
      updated_at: now,
      completed_at: now,
    }).execute();
    await tx.insertInto("webhook_attempts").values({
      delivery_id: id,
      attempt_number: 1,
      started_at: now,
      duration_ms: Math.round(performance.now() - t0),
      status_code: outcome.http_status,
      response_excerpt: outcome.excerpt,
      error: outcome.error,
    }).execute();
  });
  return {
    success: outcome.success,
    http_status: outcome.http_status,
    error: outcome.error,
    url: endpoint.url,
    delivery_id: id,
  };
}

/** A manual retry of a failed (or waiting) delivery: one more attempt now, with the same body and idempotency key. */
export async function retryDelivery(deps: CoreDeps, delivery: WebhookDeliveryRow): Promise<WebhookDeliveryRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock();
    const row = await tx.updateTable("webhook_deliveries").set({
      status: "retrying",
      next_attempt_at: now,
      completed_at: null,
      updated_at: now,
    }).where("id", "=", delivery.id).returningAll().executeTakeFirstOrThrow();
    await deps.jobs.enqueue(tx, DELIVER_JOB, { delivery_id: delivery.id, attempt: delivery.attempt_count + 1 });
    return row;
  });
}
