/**
 * Owns idempotency records: claiming a key atomically (so two identical requests racing produce
 * one effect), detecting reuse with different parameters, and storing the first response,
 * encrypted because it may hold a one-time secret or a capture URL. Records belong to the API key
 * that made the request (issue #15): another key of the same org repeating an Idempotency-Key
 * gets a record of its own, never the first key's reply.
 */
import type { Db } from "../db/create_db.ts";
import type { KeyRing } from "../crypto/key_ring.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError } from "../errors.ts";

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A claim older than this belongs to a request that died; a retry may take it over. */
const STALE_CLAIM_MS = 60_000;

export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Whose records: the tenant and the API key (a Principal is one). */
export interface IdempotencyScope extends Scope {
  keyId: string;
}

export type ClaimResult = { kind: "claimed" } | { kind: "replay"; response: StoredResponse };

/**
 * The cipher context of a stored reply. It names the tenant and the Idempotency-Key, not the API
 * key: the primary key keeps keys apart, and redaction decrypts replies by tenant.
 */
export function bodyContext(scope: Scope, key: string) {
  return {
    table: "idempotency_keys",
    column: "response_body_enc",
    rowId: `${scope.orgId}/${scope.environment}/${key}`,
  };
}

export async function claimIdempotencyKey(
  db: Db,
  keyRing: KeyRing,
  scope: IdempotencyScope,
  key: string,
  requestHash: string,
  now: Date,
): Promise<ClaimResult> {
  const inserted = await db.insertInto("idempotency_keys").values({
    org_id: scope.orgId,
    environment: scope.environment,
    api_key_id: scope.keyId,
    key,
    request_hash: requestHash,
    state: "in_progress",
    locked_at: now,
    expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
  }).onConflict((oc) => oc.doNothing()).returning("key").executeTakeFirst();
  if (inserted) return { kind: "claimed" };

  // Take over a record that expired (the window is over) or whose request died mid-flight.
  const takenOver = await db.updateTable("idempotency_keys").set({
    request_hash: requestHash,
    state: "in_progress",
    locked_at: now,
    expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    response_status: null,
    response_body_enc: null,
    response_content_type: null,
  })
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("api_key_id", "=", scope.keyId).where("key", "=", key)
    .where((eb) =>
      eb.or([
        eb("expires_at", "<=", now),
        eb.and([
          eb("state", "=", "in_progress"),
          eb("locked_at", "<", new Date(now.getTime() - STALE_CLAIM_MS)),
          eb("request_hash", "=", requestHash),
        ]),
      ])
    )
    .returning("key").executeTakeFirst();
  if (takenOver) return { kind: "claimed" };

  const existing = await db.selectFrom("idempotency_keys").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("api_key_id", "=", scope.keyId).where("key", "=", key)
    .executeTakeFirst();
  if (!existing) return await claimIdempotencyKey(db, keyRing, scope, key, requestHash, now);
  if (existing.request_hash !== requestHash) {
    throw new AppError("idempotency_mismatch", "Idempotency key has already been used with different parameters.");
  }
  if (existing.state === "in_progress") {
    throw new AppError(
      "idempotency_in_progress",
      "A request with this Idempotency-Key is still being processed. Retry after it completes.",
    );
  }
  return {
    kind: "replay",
    response: {
      status: existing.response_status!,
      contentType: existing.response_content_type ?? "application/json",
      body: new TextDecoder().decode(keyRing.decrypt(existing.response_body_enc!, bodyContext(scope, key))),
    },
  };
}

export async function completeIdempotencyKey(
  db: Db,
  keyRing: KeyRing,
  scope: IdempotencyScope,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await db.updateTable("idempotency_keys").set({
    state: "completed",
    response_status: response.status,
    response_content_type: response.contentType,
    response_body_enc: keyRing.encrypt(new TextEncoder().encode(response.body), bodyContext(scope, key)),
  }).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("api_key_id", "=", scope.keyId).where("key", "=", key).execute();
}

/** A request that failed on our side releases its key so the client's retry can run. */
export async function releaseIdempotencyKey(db: Db, scope: IdempotencyScope, key: string): Promise<void> {
  await db.deleteFrom("idempotency_keys")
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("api_key_id", "=", scope.keyId).where("key", "=", key)
    .where("state", "=", "in_progress").execute();
}

export async function purgeExpiredIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom("idempotency_keys").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
