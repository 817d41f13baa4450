/**
 * Owns the tamper-evident audit log (issue #9): append-only rows, each hashing the previous one,
 * written in the transaction of the change they record. Never PII in `details`.
 *
 * One chain per organisation (`sequence_num` 1, 2, 3… and `prev_hash` = the previous row's `hash`),
 * so one tenant's log can be verified, exported or handed to its auditor alone. Appends of one
 * organisation serialise on a transaction-scoped advisory lock, so the chain stays linear under
 * concurrency, and the row commits with the change it records or not at all. The lock is held
 * until the caller's transaction ends: append as late in a transaction as the logic allows.
 * An e-mail-shaped target is recorded as a pseudonym (auditTargetId): rows cannot be erased.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/create_db.ts";
import type { AuditActorType, AuditLogRow, Environment } from "../db/database.ts";
import { canonicalJson } from "../canonical_json.ts";
import { sha256Hex } from "../crypto/hmac.ts";
import { newId } from "../ids.ts";

export interface AuditActor {
  type: AuditActorType;
  id: string;
}

export interface AuditEntry {
  orgId: string;
  environment: Environment | null;
  actor: AuditActor;
  /** Dotted, e.g. `api.session.export`, `session.redacted`, `dashboard.case.approve`. */
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** Ids, counts and names of fields: never personal data. */
  details: Record<string, unknown>;
  requestId?: string | null;
}

/**
 * The target a row records: an e-mail-shaped value (the usual form of a customer's external_ref,
 * which routes such as `/identities/{id}` accept in place of the id) is personal data that a
 * hash-chained row could never give back on erasure, so it is written as a pseudonym: a digest
 * bound to the organisation. The same value always gives the same pseudonym, so the audit API can
 * still find a person's rows by the external_ref (query.ts) without the log holding it.
 * Everything else (generated ids, other references) is kept as given.
 */
export function auditTargetId(orgId: string, targetId: string | null): string | null {
  if (targetId === null || !targetId.includes("@")) return targetId;
  return `ref_sha256:${sha256Hex(`verifa-audit-target-v1|${orgId}|${targetId.trim().toLowerCase()}`).slice(0, 32)}`;
}

/**
 * The details with every mention of a pseudonymised target (the route path the API records, in
 * clear or URL-encoded) replaced by its pseudonym, so the row names the person nowhere.
 */
function withoutTarget(details: Record<string, unknown>, raw: string | null, recorded: string | null) {
  if (raw === null || raw === recorded) return details;
  const forms = [...new Set([raw, encodeURIComponent(raw)])];
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return forms.reduce((text, form) => text.replaceAll(form, recorded!), value);
    if (Array.isArray(value)) return value.map(scrub);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner)]));
    }
    return value;
  };
  return scrub(details) as Record<string, unknown>;
}

/** What the first row of an organisation's chain links to. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields a row's hash covers: every column but the hash itself. */
export type ChainedFields = Omit<AuditLogRow, "hash">;

/**
 * SHA-256 (hex) over a canonical serialisation of the row: a JSON array in a fixed order, with a
 * version tag, `details` with sorted keys (jsonb keeps no key order) and `created_at` in ISO form.
 * The verifier recomputes exactly this from the stored row.
 */
export function auditRowHash(row: ChainedFields): string {
  return sha256Hex(canonicalJson([
    "verifa-audit-v1",
    row.id,
    row.org_id,
    Number(row.sequence_num),
    row.environment,
    row.actor_type,
    row.actor_id,
    row.action,
    row.target_type,
    row.target_id,
    row.details,
    row.request_id,
    new Date(row.created_at).toISOString(),
    row.prev_hash,
  ]));
}

/**
 * Appends one entry to its organisation's chain and returns the new row's id. In a transaction,
 * the row commits or rolls back with the caller's change; given the pool instead, it runs in a
 * transaction of its own (the advisory lock only lives as long as a transaction).
 */
export async function appendAuditEvent(tx: DbOrTx, entry: AuditEntry, now: Date): Promise<string> {
  if (!tx.isTransaction) return await tx.transaction().execute((inner) => appendAuditEvent(inner, entry, now));

  // Under READ COMMITTED the next statement sees every append committed before the lock was
  // granted. A caller in REPEATABLE READ could read a stale head; the UNIQUE (org_id,
  // sequence_num) then fails its transaction rather than forking the chain.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`audit_log:${entry.orgId}`}, 0))`.execute(tx);
  const head = await tx.selectFrom("audit_log").select(["sequence_num", "hash"])
    .where("org_id", "=", entry.orgId).orderBy("sequence_num", "desc").limit(1).executeTakeFirst();

  const targetId = auditTargetId(entry.orgId, entry.targetId);
  const fields: ChainedFields = {
    id: newId("aud"),
    org_id: entry.orgId,
    sequence_num: Number(head?.sequence_num ?? 0) + 1,
    environment: entry.environment,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    action: entry.action,
    target_type: entry.targetType,
    target_id: targetId,
    // What jsonb will give back (no undefined, Dates as strings), so the hash covers what is stored.
    details: withoutTarget(JSON.parse(JSON.stringify(entry.details ?? {})), entry.targetId, targetId),
    request_id: entry.requestId ?? null,
    created_at: now,
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  await tx.insertInto("audit_log").values({
    ...fields,
    details: JSON.stringify(fields.details),
    hash: auditRowHash(fields),
  }).execute();
  return fields.id;
}
