/**
 * Owns delivering webhooks: the attempts of a `webhook.deliver` job (a batch of one endpoint's
 * deliveries, signed, SSRF-checked, sent side by side, recorded in one transaction), the retry
 * schedule, `failed` after the last retry, and the circuit breaker that disables an endpoint after
 * ten failed deliveries in a row. The outbox relay that creates deliveries is core/webhooks/relay.ts.
 */
import { sql } from "kysely";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { WebhookDeliveryRow, WebhookEndpointRow } from "../db/database.ts";
import { newId } from "../ids.ts";
import { endpointBody } from "./payload.ts";
import { signatureHeaders } from "./signing.ts";
import { signingSecrets } from "./endpoints.ts";
import { checkWebhookUrl, resolveDeliveryAddresses, UrlPolicyError } from "./url_policy.ts";
import { sendWebhook, type WebhookConnections } from "./http_sender.ts";

export const DELIVER_JOB = "webhook.deliver";
/** The contract's schedule: ~30 s, 2 min, 8 min, 32 min, 2 h 8 min. */
export const DEFAULT_RETRY_SCHEDULE_MS = [30_000, 120_000, 480_000, 1_920_000, 7_680_000];
export const DISABLE_AFTER_CONSECUTIVE_FAILURES = 10;
export const DELIVERY_TIMEOUT_MS = 30_000;

/** One attempt (`attempt`, counted from 1) of each delivery named: ids only, never a body. */
export type DeliverJobPayload = { delivery_ids: string[]; attempt: number };
/** Jobs queued before deliveries were batched name one delivery; they still run. */
export type QueuedDeliverJob = DeliverJobPayload | { delivery_id: string; attempt: number };

export function payloadContext(deliveryId: string) {
  return { table: "webhook_deliveries", column: "payload_enc", rowId: deliveryId };
}

export interface AttemptOutcome {
  success: boolean;
  http_status: number | null;
  error: string | null;
}

interface SentAttempt extends AttemptOutcome {
  excerpt: string | null;
  /** When the request started (once a connection slot was free), and how long the exchange took. */
  started: Date;
  durationMs: number;
}

/**
 * Sends one signed request and reports what happened; never throws for the receiver's faults.
 * `secrets` gives the endpoint's signing secrets (signingSecrets, opened once per batch; one that
 * cannot be opened is this attempt's error, as any other failure to send). With
 * `connections` (the worker's), on a kept-alive connection of the destination; without, on one
 * of its own.
 */
async function sendSigned(
  deps: CoreDeps,
  endpoint: WebhookEndpointRow,
  secrets: () => string[],
  delivery: Pick<WebhookDeliveryRow, "id" | "url" | "event_type" | "idempotency_key">,
  body: string,
  connections?: WebhookConnections,
): Promise<SentAttempt> {
  let started = deps.clock();
  let t0 = performance.now();
  const timed = (outcome: AttemptOutcome & { excerpt: string | null }): SentAttempt => ({
    ...outcome,
    started,
    durationMs: Math.round(performance.now() - t0),
  });
  try {
    const url = checkWebhookUrl(delivery.url, endpoint.environment, deps.webhooks);
    const [address] = await resolveDeliveryAddresses(url, deps.webhooks, deps.webhooks.resolve);
    // Signed as the request starts: a request that waited for a connection carries a fresh timestamp.
    const exchange = (agent: Parameters<typeof sendWebhook>[5]) => {
      started = deps.clock();
      t0 = performance.now();
      const timestamp = Math.floor(started.getTime() / 1000);
      const headers = {
        "Content-Type": "application/json",
        "User-Agent": "Verifa-Webhooks/1.0",
        "X-Verifa-Event": delivery.event_type,
        "X-Verifa-Delivery-Id": delivery.id,
        ...signatureHeaders(secrets(), delivery.idempotency_key, timestamp, body),
      };
      return sendWebhook(url, address, headers, body, deps.webhooks.timeoutMs, agent);
    };
    const response = connections ? await connections.use(url, address, exchange) : await exchange(false);
    const success = response.status >= 200 && response.status < 300;
    return timed({
      success,
      http_status: response.status,
      error: success ? null : `HTTP ${response.status}`,
      excerpt: response.excerpt,
    });
  } catch (error) {
    const reason = error instanceof UrlPolicyError
      ? `blocked by the URL policy: ${error.reason}`
      : error instanceof Error
      ? error.message
      : String(error);
    return timed({ success: false, http_status: null, error: reason.slice(0, 500), excerpt: null });
  }
}

/**
 * One attempt of each delivery of a job, sent side by side (each endpoint's requests in flight
 * bounded by its connections), then every outcome recorded in one transaction. Safe to run twice:
 * a delivery whose attempt number is stale (it moved on, or finished) is skipped. A crash before
 * the recording sends the batch again when pg-boss retries the job: at least once, never lost.
 */
export async function attemptDeliveries(
  deps: CoreDeps,
  job: QueuedDeliverJob,
  connections?: WebhookConnections,
): Promise<void> {
  const ids = "delivery_ids" in job ? job.delivery_ids : [job.delivery_id];
  if (ids.length === 0) return;
  const rows = await deps.db.selectFrom("webhook_deliveries").selectAll().where("id", "in", ids).execute();
  const due = rows.filter((d) =>
    (d.status === "pending" || d.status === "retrying") && d.attempt_count === job.attempt - 1 && d.payload_enc
  );
  if (due.length === 0) return;
  const endpoints = new Map(
    (await deps.db.selectFrom("webhook_endpoints").selectAll()
      .where("id", "in", [...new Set(due.map((d) => d.endpoint_id))]).execute()).map((e) => [e.id, e]),
  );
  const closed: ClosedDelivery[] = [];
  const open: { delivery: WebhookDeliveryRow; endpoint: WebhookEndpointRow; body: string }[] = [];
  // Opened once per endpoint and batch: a rotation's 24 h grace does not turn on the seconds a batch takes.
  const secrets = new Map<string, () => string[]>();
  for (const delivery of due) {
    const endpoint = endpoints.get(delivery.endpoint_id);
    if (!endpoint || !endpoint.enabled || endpoint.deleted_at) {
      closed.push({
        id: delivery.id,
        reason: !endpoint || endpoint.deleted_at ? "endpoint deleted" : "endpoint disabled",
      });
      continue;
    }
    // Every body is opened before anything is sent: a body that does not decrypt fails the job
    // (pg-boss retries it) without having sent the others.
    const body = new TextDecoder().decode(deps.keyRing.decrypt(delivery.payload_enc!, payloadContext(delivery.id)));
    open.push({ delivery, endpoint, body });
    if (!secrets.has(endpoint.id)) secrets.set(endpoint.id, once(() => signingSecrets(deps, endpoint, deps.clock())));
  }
  // In the order the answers came: the circuit breaker counts failures in a row.
  const sent: { delivery: WebhookDeliveryRow; attempt: SentAttempt }[] = [];
  await Promise.all(open.map(async ({ delivery, endpoint, body }) => {
    const attempt = await sendSigned(deps, endpoint, secrets.get(endpoint.id)!, delivery, body, connections);
    sent.push({ delivery, attempt });
  }));
  await recordAttempts(deps, job.attempt, sent, closed);
}

/** `compute`'s value (or its error) from the first call on. */
function once<T>(compute: () => T): () => T {
  let result: { value: T } | { error: unknown } | null = null;
  return () => {
    if (!result) {
      try {
        result = { value: compute() };
      } catch (error) {
        result = { error };
      }
    }
    if ("error" in result) throw result.error;
    return result.value;
  };
}

interface ClosedDelivery {
  id: string;
  reason: "endpoint deleted" | "endpoint disabled";
}

interface DeliveryUpdate {
  id: string;
  status: "retrying" | "succeeded" | "failed";
  /** Null keeps the count (a delivery closed without an attempt). */
  attemptCount: number | null;
  nextAttemptAt: Date | null;
  statusCode: number | null;
  error: string | null;
}

/**
 * Records a batch's outcomes in one transaction: every attempt row, every delivery's new state in
 * one statement, each endpoint's failure count once, and one retry job for the batch's failures
 * (its delay jittered ±10 %, per job, so retries of many batches that failed together spread out).
 */
async function recordAttempts(
  deps: CoreDeps,
  attempt: number,
  sent: { delivery: WebhookDeliveryRow; attempt: SentAttempt }[],
  closed: ClosedDelivery[],
): Promise<void> {
  const now = deps.clock();
  const schedule = deps.webhooks.retryScheduleMs;
  const delay = attempt <= schedule.length ? Math.round(schedule[attempt - 1] * (0.9 + Math.random() * 0.2)) : null;
  const nextAttemptAt = delay === null ? null : new Date(now.getTime() + delay);
  const updates: DeliveryUpdate[] = closed.map(({ id, reason }) => ({
    id,
    status: "failed",
    attemptCount: null,
    nextAttemptAt: null,
    statusCode: null,
    error: reason,
  }));
  const retries: string[] = [];
  /** Per endpoint: whether a delivery succeeded, and the final failures after the last success. */
  const streaks = new Map<string, { succeeded: boolean; failuresAfter: number }>();
  for (const { delivery, attempt: outcome } of sent) {
    const streak = streaks.get(delivery.endpoint_id) ?? { succeeded: false, failuresAfter: 0 };
    streaks.set(delivery.endpoint_id, streak);
    const base = { id: delivery.id, attemptCount: attempt, statusCode: outcome.http_status };
    if (outcome.success) {
      updates.push({ ...base, status: "succeeded", nextAttemptAt: null, error: null });
      streak.succeeded = true;
      streak.failuresAfter = 0;
    } else if (nextAttemptAt) {
      updates.push({ ...base, status: "retrying", nextAttemptAt, error: outcome.error });
      retries.push(delivery.id);
    } else {
      updates.push({ ...base, status: "failed", nextAttemptAt: null, error: outcome.error });
      streak.failuresAfter++;
    }
  }
  await deps.db.transaction().execute(async (tx) => {
    if (sent.length > 0) {
      await tx.insertInto("webhook_attempts").values(sent.map(({ delivery, attempt: outcome }) => ({
        delivery_id: delivery.id,
        attempt_number: attempt,
        started_at: outcome.started,
        duration_ms: outcome.durationMs,
        status_code: outcome.http_status,
        response_excerpt: outcome.excerpt,
        error: outcome.error,
      }))).execute();
    }
    await updateDeliveries(tx, updates, now);
    for (const [endpointId, streak] of streaks) await recordEndpointStreak(tx, endpointId, streak, now);
    if (retries.length > 0) {
      await deps.jobs.enqueue(tx, DELIVER_JOB, { delivery_ids: retries, attempt: attempt + 1 }, {
        delaySeconds: delay! / 1000,
      });
    }
  });
}

/** Every delivery's new state in one statement; a finished one gets its completion time. */
async function updateDeliveries(tx: DbOrTx, updates: DeliveryUpdate[], now: Date): Promise<void> {
  if (updates.length === 0) return;
  const column = <T>(pick: (u: DeliveryUpdate) => T) => updates.map(pick);
  await sql`
    UPDATE webhook_deliveries AS d SET
      status = v.status,
      attempt_count = coalesce(v.attempt_count, d.attempt_count),
      next_attempt_at = v.next_attempt_at,
      last_status_code = v.last_status_code,
      last_error = v.last_error,
      completed_at = CASE WHEN v.status IN ('succeeded', 'failed') THEN ${now} ELSE d.completed_at END,
      updated_at = ${now}
    FROM unnest(
      ${column((u) => u.id)}::text[],
      ${column((u) => u.status)}::text[],
      ${column((u) => u.attemptCount)}::int[],
      ${column((u) => u.nextAttemptAt?.toISOString() ?? null)}::timestamptz[],
      ${column((u) => u.statusCode)}::int[],
      ${column((u) => u.error)}::text[]
    ) AS v(id, status, attempt_count, next_attempt_at, last_status_code, last_error)
    WHERE d.id = v.id
  `.execute(tx);
}

/**
 * The circuit breaker: ten failed deliveries in a row disable the endpoint until it is
 * re-enabled. A success resets the count (written only when it changes: a healthy endpoint's row
 * is not rewritten by every batch); final failures after the batch's last success add to it.
 */
async function recordEndpointStreak(
  tx: DbOrTx,
  endpointId: string,
  streak: { succeeded: boolean; failuresAfter: number },
  now: Date,
): Promise<void> {
  const { succeeded, failuresAfter } = streak;
  if (!succeeded && failuresAfter === 0) return;
  const endpoint = await tx.updateTable("webhook_endpoints")
    .set((eb) => ({
      consecutive_failures: succeeded ? failuresAfter : eb("consecutive_failures", "+", failuresAfter),
    }))
    .where("id", "=", endpointId)
    .$if(succeeded, (q) => q.where("consecutive_failures", "<>", failuresAfter))
    .returning(["consecutive_failures", "enabled"]).executeTakeFirst();
  if (endpoint?.enabled && endpoint.consecutive_failures >= DISABLE_AFTER_CONSECUTIVE_FAILURES) {
    await tx.updateTable("webhook_endpoints").set({
      disabled_reason: `disabled after ${DISABLE_AFTER_CONSECUTIVE_FAILURES} consecutive failed deliveries`,
      enabled: false,
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
  const outcome = await sendSigned(deps, endpoint, () => signingSecrets(deps, endpoint, now), delivery, body);
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
      started_at: outcome.started,
      duration_ms: outcome.durationMs,
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
    await deps.jobs.enqueue(tx, DELIVER_JOB, { delivery_ids: [delivery.id], attempt: delivery.attempt_count + 1 });
    return row;
  });
}
