/**
 * Owns the outbox relay: turning unrelayed events into one delivery per subscribed endpoint, each
 * with its body built and sealed once, and the `webhook.deliver` jobs that send them — one job per
 * endpoint and up to DELIVERIES_PER_JOB deliveries, all in the transaction that marks the events
 * relayed.
 */
import pg from "pg";
import type { Insertable } from "kysely";
import type { CoreDeps } from "../deps.ts";
import type { WebhookDeliveriesTable, WebhookEndpointRow } from "../db/database.ts";
import { newId } from "../ids.ts";
import { subscribes } from "./event_types.ts";
import { buildPayloads, endpointBody } from "./payload.ts";
import { PAYLOAD_UNAVAILABLE } from "./deliveries.ts";
import { DELIVER_JOB, type DeliverJobPayload, payloadContext } from "./delivery.ts";

/**
 * Deliveries one `webhook.deliver` job sends (to one endpoint). A job costs a fetch, two reads and
 * one recording transaction whatever its size, so batching divides that cost; 25 keeps the work a
 * crash mid-job makes the worker repeat small, and bounds how long a job may wait on a slow
 * endpoint (see the job's expiry in worker/jobs/deliver_webhook.ts).
 */
export const DELIVERIES_PER_JOB = 25;

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
    const targeted = events.map((event) => ({
      event,
      targets: endpoints.filter((e) =>
        e.org_id === event.org_id && e.environment === event.environment && subscribes(e.enabled_events, event.type)
      ),
    })).filter((t) => t.targets.length > 0);
    // One read per table for the whole batch: the relay's cost is round trips.
    const payloads = await buildPayloads(deps, tx, targeted.map((t) => t.event));
    const now = deps.clock();
    const deliveries: Insertable<WebhookDeliveriesTable>[] = [];
    for (const [i, { event, targets }] of targeted.entries()) {
      const outcome = payloads[i];
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
      if ("error" in outcome) {
        const { error } = outcome;
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
        deliveries.push(...targets.map((endpoint) => ({
          ...delivery(endpoint, newId("whd")),
          payload_enc: null,
          status: "failed" as const,
          next_attempt_at: null,
          last_status_code: null,
          last_error: PAYLOAD_UNAVAILABLE,
          completed_at: now,
        })));
        continue;
      }
      for (const endpoint of targets) {
        if (!matchesConditions(outcome.payload, endpoint.event_filter_conditions)) continue;
        const id = newId("whd");
        deliveries.push({
          ...delivery(endpoint, id),
          payload_enc: deps.keyRing.encrypt(
            new TextEncoder().encode(endpointBody(outcome.payload, endpoint)),
            payloadContext(id),
          ),
          status: "pending" as const,
          next_attempt_at: now,
          last_status_code: null,
          last_error: null,
          completed_at: null,
        });
      }
    }
    for (let i = 0; i < deliveries.length; i += 500) {
      await tx.insertInto("webhook_deliveries").values(deliveries.slice(i, i + 500)).execute();
    }
    await deps.jobs.enqueueMany(tx, DELIVER_JOB, deliveryJobs(deliveries));
    await tx.updateTable("events").set({ relayed_at: now }).where("id", "in", events.map((e) => e.id)).execute();
    return events.length;
  });
}

/** The pending deliveries as first-attempt jobs: one endpoint per job, so a slow endpoint holds only its own. */
function deliveryJobs(deliveries: Insertable<WebhookDeliveriesTable>[]): DeliverJobPayload[] {
  const byEndpoint = new Map<string, string[]>();
  for (const delivery of deliveries) {
    if (delivery.status !== "pending") continue;
    const ids = byEndpoint.get(delivery.endpoint_id) ?? [];
    ids.push(delivery.id);
    byEndpoint.set(delivery.endpoint_id, ids);
  }
  const jobs: DeliverJobPayload[] = [];
  for (const ids of byEndpoint.values()) {
    for (let i = 0; i < ids.length; i += DELIVERIES_PER_JOB) {
      jobs.push({ delivery_ids: ids.slice(i, i + DELIVERIES_PER_JOB), attempt: 1 });
    }
  }
  return jobs;
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
