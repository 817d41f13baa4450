/**
 * Owns reading the delivery history, scoped to one org and environment: deliveries filtered and
 * paged, one delivery, the attempts of some deliveries, and the rule for which deliveries a person
 * may retry by hand. The API and the dashboard both read it from here.
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { WebhookAttemptRow, WebhookDeliveryRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, notFound } from "../errors.ts";

/** A delivery's `last_error` when the relay could not build its event's payload (core/webhooks/delivery.ts). */
export const PAYLOAD_UNAVAILABLE = "payload_unavailable: the event's payload could not be built";

export const DELIVERY_STATUSES = ["pending", "retrying", "succeeded", "failed"] as const;

export interface DeliveryFilters {
  endpointId?: string;
  sessionId?: string;
  eventType?: string;
  statuses?: WebhookDeliveryRow["status"][];
  from?: Date;
  to?: Date;
}

export async function listDeliveries(
  db: DbOrTx,
  scope: Scope,
  filters: DeliveryFilters,
  page: { limit: number; offset: number },
): Promise<{ rows: WebhookDeliveryRow[]; total: number }> {
  let base = db.selectFrom("webhook_deliveries")
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (filters.endpointId) base = base.where("endpoint_id", "=", filters.endpointId);
  if (filters.sessionId) base = base.where("session_id", "=", filters.sessionId);
  if (filters.eventType) base = base.where("event_type", "=", filters.eventType);
  if (filters.statuses?.length) base = base.where("status", "in", filters.statuses);
  if (filters.from) base = base.where("created_at", ">=", filters.from);
  if (filters.to) base = base.where("created_at", "<", filters.to);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findDelivery(db: DbOrTx, scope: Scope, id: string): Promise<WebhookDeliveryRow> {
  const row = await db.selectFrom("webhook_deliveries").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
  if (!row) throw notFound("Delivery");
  return row;
}

/** The attempts of deliveries the caller has already found in its scope, oldest first. */
export async function listAttempts(db: DbOrTx, deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return await db.selectFrom("webhook_attempts").selectAll().where("delivery_id", "in", deliveryIds)
    .orderBy("delivery_id").orderBy("attempt_number").execute();
}

/**
 * Only a finished failure can be retried by hand: a delivery still retrying already has its next
 * attempt queued, and a second one could send twice. Test deliveries are never retried.
 */
export function assertRetryable(row: WebhookDeliveryRow): void {
  if (row.is_test) throw new AppError("conflict", "Test deliveries are not retried; send a new test.");
  if (row.status !== "failed") {
    throw new AppError("conflict", `Only failed deliveries can be retried; this one is ${row.status}.`);
  }
  // Redaction erased the body (core/privacy/redaction.ts), or the relay could not build it
  // (PAYLOAD_UNAVAILABLE): there is nothing to send.
  if (row.payload_enc === null) {
    throw new AppError(
      "conflict",
      row.last_error === PAYLOAD_UNAVAILABLE
        ? "This delivery's payload could not be built; there is nothing to send."
        : "This delivery's payload was erased by redaction.",
    );
  }
}
