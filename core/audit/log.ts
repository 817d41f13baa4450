/**
 * Owns the tamper-evident audit log (issue #9): append-only rows, each hashing the previous one,
 * written in the transaction of the change they record. Never PII in `details`.
 *
 * One chain per organisation (`sequence_num` 1, 2, 3… and `prev_hash` = the previous row's `hash`),
 * so one tenant's log can be verified, exported or handed to its auditor alone. Appending takes no
 * lock (issue #17): a row is inserted unsealed, with no place in the chain yet, and commits with the
 * change it records or not at all; the sealer (seal.ts) later gives each organisation's rows their
 * `sequence_num`, `prev_hash` and `hash`, in insertion order. So one organisation's writes no longer
 * queue behind each other on every replica.
 * An e-mail-shaped target is recorded as a pseudonym (auditTargetId): rows cannot be erased.
 */
import type { Db, DbOrTx } from "../db/create_db.ts";
import { executeAtCommit } from "../db/request_transaction.ts";
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

/** A row the sealer (seal.ts) has given its place in the chain: the chain fields are set. */
export type SealedAuditRow = AuditLogRow & { sequence_num: number | string; prev_hash: string; hash: string };

/** The fields a sealed row's hash covers: every column but the hash itself and the insertion order. */
export type ChainedFields = Omit<SealedAuditRow, "hash" | "append_id">;

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

/** The row an entry becomes: unsealed (the sealer orders and chains it later). */
function auditRow(entry: AuditEntry, now: Date) {
  const targetId = auditTargetId(entry.orgId, entry.targetId);
  return {
    id: newId("aud"),
    org_id: entry.orgId,
    environment: entry.environment,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    action: entry.action,
    target_type: entry.targetType,
    target_id: targetId,
    // What jsonb will give back (no undefined, Dates as strings): the sealer hashes what is stored.
    details: JSON.stringify(withoutTarget(JSON.parse(JSON.stringify(entry.details ?? {})), entry.targetId, targetId)),
    request_id: entry.requestId ?? null,
    created_at: now,
    sequence_num: null,
    prev_hash: null,
    hash: null,
  };
}

/**
 * Appends one entry, unsealed, and returns the new row's id. In a transaction, the row commits or
 * rolls back with the caller's change; given the pool, it is one INSERT of its own. No lock is
 * taken and no other row is read: the sealer orders and chains the rows later.
 */
export async function appendAuditEvent(db: DbOrTx, entry: AuditEntry, now: Date): Promise<string> {
  const row = auditRow(entry, now);
  await db.insertInto("audit_log").values(row).execute();
  return row.id;
}

/**
 * For a request transaction's settle (api/route_actions.ts): appends the entry as the unit's last
 * statement, sent with its COMMIT in one round trip (core/db/request_transaction.ts
 * executeAtCommit); if the row is refused, nothing of the unit commits and `onFailure` hears why.
 */
export async function appendAuditEventAtCommit(
  db: Db,
  entry: AuditEntry,
  now: Date,
  onFailure: (error: unknown) => void,
): Promise<void> {
  await executeAtCommit(db, db.insertInto("audit_log").values(auditRow(entry, now)).compile(), onFailure);
}
