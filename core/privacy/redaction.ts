/**
 * Owns erasing a session's personal data (GDPR Art. 17; issue #9) wherever it is stored, and the
 * erasure receipt that lists what was removed.
 *
 * One transaction, with the session row locked, clears every encrypted column and blind index that
 * hangs off the session, deletes the rows that are nothing but personal data (documents, face
 * templates, identifier digests, list matches, case notes), scrubs the webhook payload copies,
 * marks the session `redacted`, writes `session.redacted` and the audit receipt (what it removed,
 * and what it keeps on purpose: reviewers' block-list items, audit rows naming the external_ref)
 * — and deletes the session's objects from the blob store and writes its erasure-ledger entry
 * (erasure_ledger.ts) *before* it commits. So a failure anywhere rolls the
 * database back to "not redacted" (and a retry starts again; deleting objects is idempotent),
 * while "redacted" is only ever committed once the objects are gone. A repeat call on a redacted
 * session sweeps the object prefix again (a no-op normally) and answers `already_redacted`.
 */
import { sql } from "kysely";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { appendAuditEvent, type AuditActor, auditTargetId } from "../audit/log.ts";
import { eventRow, type SessionEventType } from "../events/outbox.ts";
import { sessionBlobPrefix } from "../documents/service.ts";
import { bodyContext } from "../idempotency/store.ts";
import { AppError, notFound } from "../errors.ts";
import { eraseBlockedFromSessions, type RetainedListItem } from "../lists/block_from_session.ts";
import { recordErasures } from "./erasure_ledger.ts";

export interface RedactionReceipt {
  session_id: string;
  /** `busy` only with `skipLocked`: another transaction holds the session's row (e.g. a parallel sweep). */
  status: "deleted" | "already_redacted" | "legal_hold" | "busy";
  documents_removed: number;
  /** Tables and columns cleared, and object keys deleted (counts), for the audit log. */
  removed: { database: Record<string, number>; objects: number };
  /** What the erasure deliberately keeps, so the receipt is the whole account of the person's data. */
  retained: RetainedCopies;
}

/** Copies of the session's data an erasure keeps, each with its reason (issue #15 item 7). */
export interface RetainedCopies {
  /**
   * Block-list items a reviewer's rejection built from the session (document number, device
   * fingerprint), kept to prevent fraud; face items are erased (lists/block_from_session.ts).
   */
  list_items: RetainedListItem[];
  /**
   * Audit rows whose target is the session's external_ref (in clear if written before targets
   * were pseudonymised, else as its pseudonym): the log is hash-chained, so no row is rewritten.
   */
  audit_log_rows: number;
}

const NOTHING_RETAINED: RetainedCopies = { list_items: [], audit_log_rows: 0 };

export type RedactionReason = "api" | "bulk" | "retention" | "identity" | "dashboard" | "restore";

/** The notes' bulk limit. */
export const MAX_BULK_REDACT = 100;

/**
 * Which hold protects a session from erasure: its own, or the hold on the person (its identity).
 * Null when none does.
 */
export async function legalHoldOf(db: DbOrTx, session: SessionRow): Promise<"session" | "identity" | null> {
  const scope = { orgId: session.org_id, environment: session.environment };
  return (await legalHolds(db, scope, [session])).get(session.id) ?? null;
}

/** legalHoldOf for several sessions of one scope, in one query: the held ones only. */
async function legalHolds(
  db: DbOrTx,
  scope: Scope,
  sessions: SessionRow[],
): Promise<Map<string, "session" | "identity">> {
  const holds = new Map<string, "session" | "identity">();
  for (const s of sessions) if (s.legal_hold) holds.set(s.id, "session");
  const identityIds = [...new Set(sessions.filter((s) => !s.legal_hold && s.identity_id).map((s) => s.identity_id!))];
  if (identityIds.length === 0) return holds;
  const held = new Set(
    (await db.selectFrom("identities").select("id").where("id", "in", identityIds)
      .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .where("legal_hold", "=", true).execute()).map((i) => i.id),
  );
  for (const s of sessions) {
    if (!holds.has(s.id) && s.identity_id && held.has(s.identity_id)) holds.set(s.id, "identity");
  }
  return holds;
}

export function legalHoldError(sessionId: string, holder: "session" | "identity"): AppError {
  return new AppError(
    "legal_hold",
    holder === "session"
      ? `Session ${sessionId} is under legal hold; release the hold (PATCH legal_hold: false) before redacting it.`
      : `Session ${sessionId} belongs to an identity under legal hold; release that hold before redacting it.`,
  );
}

export interface RedactionOptions {
  /**
   * Answer `busy` instead of waiting when another transaction holds the session's row, so sweeps
   * running side by side never queue behind (or redo) each other's sessions.
   */
  skipLocked?: boolean;
  /**
   * More events recorded in the redaction's own transaction, only when it erases (retention adds
   * `session.retention-expired`): they commit exactly once, with the erasure.
   */
  alsoRecord?: ExtraEvent[];
  /**
   * Re-applying an erasure from the erasure ledger after a restore: the erasure already happened
   * (so no hold was in force then, whatever the older snapshot says), its entry exists, and the
   * receipt names the original.
   */
  replay?: ReplayedErasure;
}

export interface ExtraEvent {
  type: SessionEventType;
  payload: Record<string, unknown>;
}

/** One session of a batch, with the events only its erasure records. */
export interface RedactionRequest {
  sessionId: string;
  alsoRecord?: ExtraEvent[];
}

/** The ledger entry a restore re-applies. */
export interface ReplayedErasure {
  erased_at: string;
  reason: string;
}

/**
 * Erases one session. Never throws for a held or already-redacted session (the caller decides how
 * to report those); an unknown session, or one of another tenant, is a 404.
 */
export async function redactSession(
  deps: CoreDeps,
  scope: Scope,
  sessionId: string,
  actor: AuditActor,
  reason: RedactionReason,
  options: RedactionOptions = {},
): Promise<RedactionReceipt> {
  const [receipt] = await redactSessionBatch(
    deps,
    scope,
    [{ sessionId, alsoRecord: options.alsoRecord }],
    actor,
    reason,
    {
      skipLocked: options.skipLocked,
      replay: options.replay,
    },
  );
  return receipt;
}

/** Objects of a batch deleted at once: each deletePrefix is a listing and a delete (S3: two requests). */
const OBJECT_DELETES_IN_FLIGHT = 8;

/**
 * Erases several sessions of one scope in one transaction (the retention sweep's batch): the
 * same rows, objects, events and receipts as erasing each alone, but in set-based statements, one
 * multi-row insert of the events and one erasure-ledger object for the batch. All or nothing: a
 * failure rolls every session of the batch back to "not redacted" (a caller that must not let one
 * session hold up the others retries them one by one). Answers one receipt per request, in order;
 * an unknown session fails the whole batch with a 404, as redactSession does.
 */
export async function redactSessionBatch(
  deps: CoreDeps,
  scope: Scope,
  requests: RedactionRequest[],
  actor: AuditActor,
  reason: RedactionReason,
  options: Omit<RedactionOptions, "alsoRecord"> = {},
): Promise<RedactionReceipt[]> {
  const ids = [...new Set(requests.map((r) => r.sessionId))];
  const receipts = await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock();
    const out = new Map<string, RedactionReceipt>();
    const skip = (sessionId: string, status: RedactionReceipt["status"]) =>
      out.set(sessionId, {
        session_id: sessionId,
        status,
        documents_removed: 0,
        removed: { database: {}, objects: 0 },
        retained: NOTHING_RETAINED,
      });
    // In id order, so two callers locking overlapping sets without SKIP LOCKED never deadlock.
    let lock = tx.selectFrom("sessions").selectAll().where("id", "in", ids).where("org_id", "=", scope.orgId)
      .where("environment", "=", scope.environment).orderBy("id").forUpdate();
    if (options.skipLocked) lock = lock.skipLocked();
    const locked = await lock.execute();
    if (locked.length < ids.length) {
      const got = new Set(locked.map((s) => s.id));
      const missing = ids.filter((id) => !got.has(id));
      const existing = new Set(
        (await tx.selectFrom("sessions").select("id").where("id", "in", missing).where("org_id", "=", scope.orgId)
          .where("environment", "=", scope.environment).execute()).map((s) => s.id),
      );
      if (missing.some((id) => !existing.has(id))) throw notFound("Session");
      for (const id of missing) skip(id, "busy");
    }
    const unredacted = locked.filter((s) => s.retention_status !== "redacted");
    for (const s of locked) if (s.retention_status === "redacted") skip(s.id, "already_redacted");
    const holds = options.replay ? new Map() : await legalHolds(tx, scope, unredacted);
    for (const [id] of holds) skip(id, "legal_hold");
    const sessions = unredacted.filter((s) => !holds.has(s.id));
    if (sessions.length === 0) return out;

    const erased = await eraseRows(deps, tx, scope, sessions, now);
    // Before the commit: "redacted" is never committed while an object of the session remains.
    const objects = new Map<string, number>();
    await eachLimited(sessions, OBJECT_DELETES_IN_FLIGHT, async (s) => {
      objects.set(s.id, await deps.blobs.deletePrefix(sessionBlobPrefix(scope, s.id)));
    });
    // Outside the database, so a restore of an older backup erases the sessions again.
    if (!options.replay) {
      await recordErasures(
        deps.blobs,
        sessions.map((s) => ({
          kind: "session",
          org_id: scope.orgId,
          environment: scope.environment,
          id: s.id,
          erased_at: now.toISOString(),
          reason,
        })),
      );
    }
    const extras = new Map(requests.map((r) => [r.sessionId, r.alsoRecord ?? []]));
    await tx.insertInto("events").values(sessions.flatMap((s) => {
      const { removed } = erased.get(s.id)!;
      const identityId = s.identity_id ?? undefined;
      return [
        eventRow(scope, {
          type: "session.redacted",
          sessionId: s.id,
          identityId,
          payload: { status: s.status, retention_status: "redacted", documents_removed: removed.documents ?? 0 },
        }, now),
        ...extras.get(s.id)!.map((extra) =>
          eventRow(scope, { type: extra.type, sessionId: s.id, identityId, payload: extra.payload }, now)
        ),
      ];
    })).execute();
    for (const s of sessions) {
      const { removed: database, retained } = erased.get(s.id)!;
      await appendAuditEvent(tx, {
        orgId: scope.orgId,
        environment: scope.environment,
        actor,
        action: "session.redacted",
        targetType: "session",
        targetId: s.id,
        // Counts only: the receipt proves what went without keeping any of it.
        details: {
          reason,
          redacted_at: now.toISOString(),
          removed: { database, objects: objects.get(s.id)! },
          retained,
          ...(options.replay ? { replayed: options.replay } : {}),
        },
      }, now);
      out.set(s.id, {
        session_id: s.id,
        status: "deleted",
        documents_removed: database.documents ?? 0,
        removed: { database, objects: objects.get(s.id)! },
        retained,
      });
    }
    return out;
  });
  // A crash between an earlier run's object deletion and its commit cannot leave objects behind a
  // committed "redacted", but an object written by a late upload could: sweep again, idempotently.
  for (const r of receipts.values()) {
    if (r.status === "already_redacted") await deps.blobs.deletePrefix(sessionBlobPrefix(scope, r.session_id));
  }
  return requests.map((r) => receipts.get(r.sessionId)!);
}

/**
 * Every session-owned place personal data sits, cleared for all `sessions` at once; per session,
 * the rows touched per table.column (only those above zero, in the order of the statements) and
 * the copies kept on purpose.
 */
async function eraseRows(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  sessions: SessionRow[],
  now: Date,
): Promise<Map<string, { removed: Record<string, number>; retained: RetainedCopies }>> {
  const ids = sessions.map((s) => s.id);
  const removed = new Map(ids.map((id) => [id, {} as Record<string, number>]));
  const add = (name: string, sessionId: string, n = 1) => {
    const counts = removed.get(sessionId)!;
    counts[name] = (counts[name] ?? 0) + n;
  };
  const addRows = (name: string, rows: { session_id: string }[]) => rows.forEach((r) => add(name, r.session_id));
  const inScope = { org: scope.orgId, env: scope.environment };

  const sessionColumns = [
    "fields_enc",
    "user_fields_enc",
    "applicant_email_enc",
    "applicant_name_enc",
    "consent_ip_enc",
    "consent_ip_bidx",
    "consent_user_agent_enc",
    "capture_token_enc",
    "capture_token_hash",
    "client_signals",
  ] as const;
  for (const session of sessions) {
    for (const column of sessionColumns) if (session[column] !== null) add(`sessions.${column}`, session.id);
  }
  await tx.updateTable("sessions").set({
    fields_enc: null,
    user_fields_enc: null,
    applicant_email_enc: null,
    applicant_name_enc: null,
    consent_ip_enc: null,
    consent_ip_bidx: null,
    consent_user_agent_enc: null,
    capture_token_enc: null,
    capture_token_hash: null,
    client_signals: null,
    // Free-form values the customer sent may name the person; external_ref stays as the customer's key.
    metadata: JSON.stringify({}),
    tags: [],
    token_expires_at: null,
    retention_status: "redacted",
    updated_at: now,
  }).where("id", "in", ids).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
    .execute();

  // Columns of per-session rows that hold the person's data, nulled where set; the row stays. The
  // immutability trigger of check_attempts lets redaction drop exactly `inputs_enc` of a settled
  // attempt; a workflow run's external metadata goes with its context.
  const clears = [
    ["session_results.extracted_data_enc", "session_results", ["extracted_data_enc"]],
    ["check_attempts.inputs_enc", "check_attempts", ["inputs_enc"]],
    ["workflow_runs.context_enc", "workflow_runs", ["context_enc", "external_metadata"]],
  ] as const;
  for (const [name, table, columns] of clears) {
    const { rows } = await sql<{ session_id: string }>`
      UPDATE ${sql.table(table)} SET ${sql.join(columns.map((c) => sql`${sql.ref(c)} = NULL`))}
      WHERE session_id IN (${sql.join(ids)}) AND org_id = ${inScope.org} AND environment = ${inScope.env}
        AND (${sql.join(columns.map((c) => sql`${sql.ref(c)} IS NOT NULL`), sql` OR `)})
      RETURNING session_id
    `.execute(tx);
    addRows(name, rows);
  }

  // workflow_dry_runs: a dry run's stored outcome (read once, else purged within the hour) is about
  // the session; a worker finishing one after this commit updates a row that no longer exists.
  const deletes = ["documents", "session_identifiers", "face_templates", "list_matches", "workflow_dry_runs"] as const;
  for (const table of deletes) {
    addRows(
      table,
      await tx.deleteFrom(table)
        .where("session_id", "in", ids).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
        .returning("session_id").execute(),
    );
  }

  const cases = await tx.selectFrom("review_cases").select(["id", "session_id"])
    .where("session_id", "in", ids).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
    .execute();
  if (cases.length > 0) {
    const caseIds = cases.map((c) => c.id);
    const sessionOfCase = new Map(cases.map((c) => [c.id, c.session_id]));
    const ofCases = (rows: { case_id: string }[]) => rows.map((r) => ({ session_id: sessionOfCase.get(r.case_id)! }));
    addRows(
      "review_cases",
      await tx.updateTable("review_cases").set({
        reason_enc: null,
        escalation_reason_enc: null,
        metadata: JSON.stringify({}),
        custom_fields: JSON.stringify({}),
      }).where("id", "in", caseIds).returning("session_id").execute(),
    );
    addRows(
      "case_notes",
      ofCases(
        await tx.deleteFrom("case_notes").where("case_id", "in", caseIds)
          .where("org_id", "=", inScope.org).where("environment", "=", inScope.env).returning("case_id").execute(),
      ),
    );
    // case_actions is append-only; its trigger allows dropping the sealed details and nothing else.
    addRows(
      "case_actions.details_enc",
      ofCases(
        await tx.updateTable("case_actions").set({ details_enc: null }).where("case_id", "in", caseIds)
          .where("details_enc", "is not", null).returning("case_id").execute(),
      ),
    );
  }

  const scrubbed = await scrubDeliveryRows(tx, scope, { sessionIds: ids }, now);
  addRows("webhook_deliveries.payload_enc", scrubbed.filter((d) => d.had_payload) as { session_id: string }[]);
  for (const [sessionId, n] of await dropStoredResponses(deps, tx, scope, sessions)) {
    add("idempotency_keys", sessionId, n);
  }
  const listItems = await eraseBlockedFromSessions(tx, scope, ids, now);
  for (const [sessionId, items] of listItems) {
    if (items.erased > 0) add("custom_list_items.face", sessionId, items.erased);
  }
  const auditRows = await auditRowsNamingEach(tx, scope, sessions.map((s) => s.external_ref));
  return new Map(sessions.map((s, i) => [s.id, {
    removed: removed.get(s.id)!,
    retained: { list_items: listItems.get(s.id)!.retained, audit_log_rows: auditRows[i] },
  }]));
}

/** Audit rows of the organisation whose target is this external_ref, in clear or as its pseudonym. */
export async function auditRowsNaming(tx: DbOrTx, scope: Scope, externalRef: string | null): Promise<number> {
  return (await auditRowsNamingEach(tx, scope, [externalRef]))[0];
}

/** auditRowsNaming for each of several external_refs, in one query. */
async function auditRowsNamingEach(tx: DbOrTx, scope: Scope, externalRefs: (string | null)[]): Promise<number[]> {
  const targetsOf = (ref: string | null) => ref ? [...new Set([ref, auditTargetId(scope.orgId, ref)!])] : [];
  const all = [...new Set(externalRefs.flatMap(targetsOf))];
  if (all.length === 0) return externalRefs.map(() => 0);
  const rows = await tx.selectFrom("audit_log").select(["target_id", (eb) => eb.fn.countAll<string>().as("n")])
    .where("org_id", "=", scope.orgId).where("target_id", "in", all).groupBy("target_id").execute();
  const byTarget = new Map(rows.map((r) => [r.target_id, Number(r.n)]));
  return externalRefs.map((ref) => targetsOf(ref).reduce((n, target) => n + (byTarget.get(target) ?? 0), 0));
}

/**
 * The signed bodies kept for retries and the receivers' replies go; a delivery still waiting is
 * ended (its body no longer exists), and a manual retry refuses it (deliveries.ts assertRetryable).
 * Deliveries of given events (an identity's, which name no session); a session's go with its
 * redaction (scrubDeliveryRows).
 */
export async function scrubDeliveries(
  tx: DbOrTx,
  scope: Scope,
  of: { eventIds: string[] },
  now: Date,
): Promise<number> {
  return (await scrubDeliveryRows(tx, scope, of, now)).filter((d) => d.had_payload).length;
}

/** scrubDeliveries for several sessions at once: each delivery scrubbed, with its session and whether it held a body. */
async function scrubDeliveryRows(
  tx: DbOrTx,
  scope: Scope,
  of: { sessionIds: string[] } | { eventIds: string[] },
  now: Date,
): Promise<{ session_id: string | null; had_payload: boolean }[]> {
  const keys = "sessionIds" in of ? of.sessionIds : of.eventIds;
  if (keys.length === 0) return [];
  const deliveries = await tx.selectFrom("webhook_deliveries")
    .select(["id", "status", "session_id", sql<boolean>`payload_enc IS NOT NULL`.as("had_payload")])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("sessionIds" in of ? "session_id" : "event_id", "in", keys)
    .execute();
  if (deliveries.length === 0) return [];
  const ids = deliveries.map((d) => d.id);
  await tx.updateTable("webhook_deliveries").set({ payload_enc: null, updated_at: now }).where("id", "in", ids)
    .execute();
  const waiting = deliveries.filter((d) => d.status === "pending" || d.status === "retrying").map((d) => d.id);
  if (waiting.length > 0) {
    await tx.updateTable("webhook_deliveries").set({
      status: "failed",
      next_attempt_at: null,
      last_error: "The payload was erased when the session was redacted.",
      completed_at: now,
    }).where("id", "in", waiting).execute();
  }
  await tx.updateTable("webhook_attempts").set({ response_excerpt: null }).where("delivery_id", "in", ids)
    .where("response_excerpt", "is not", null).execute();
  return deliveries;
}

/**
 * Replayable responses (Idempotency-Key) that mention a session may carry its decrypted data
 * (a PATCH answers with `consent_ip`). A response about the session was claimed while the session
 * existed and before its last change, and none lives past the TTL: only that window of each
 * session is read and decrypted (the purge job deletes expired rows, but one it has not reached
 * yet is checked too). Answers, per session, how many responses mentioning it were dropped; a
 * response mentioning two sessions of the batch counts for the first, as erasing them one after
 * the other would.
 */
async function dropStoredResponses(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  sessions: SessionRow[],
): Promise<Map<string, number>> {
  const slack = 60_000;
  const windows = sessions.map((s) => ({
    id: s.id,
    from: new Date(s.created_at.getTime() - slack),
    to: new Date(s.updated_at.getTime() + slack),
  }));
  const rows = await tx.selectFrom("idempotency_keys").select(["api_key_id", "key", "locked_at", "response_body_enc"])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("response_body_enc", "is not", null)
    .where(sql<boolean>`EXISTS (
      SELECT 1 FROM unnest(${windows.map((w) => w.from.toISOString())}::timestamptz[],
        ${windows.map((w) => w.to.toISOString())}::timestamptz[]) AS w(f, t)
      WHERE locked_at BETWEEN w.f AND w.t)`)
    .orderBy("api_key_id").orderBy("key").execute();
  const dropped = new Map<string, number>();
  const mentioning: { api_key_id: string; key: string }[] = [];
  for (const row of rows) {
    const body = new TextDecoder().decode(deps.keyRing.decrypt(row.response_body_enc!, bodyContext(scope, row.key)));
    const at = row.locked_at.getTime();
    const about = windows.find((w) => w.from.getTime() <= at && at <= w.to.getTime() && body.includes(w.id));
    if (!about) continue;
    dropped.set(about.id, (dropped.get(about.id) ?? 0) + 1);
    mentioning.push(row);
  }
  if (mentioning.length === 0) return dropped;
  // The reply is the API key's own (its primary key includes the key id): another key's reply
  // under the same Idempotency-Key is not about this session and stays.
  await tx.deleteFrom("idempotency_keys").where("org_id", "=", scope.orgId)
    .where("environment", "=", scope.environment)
    .where((eb) => eb.or(mentioning.map((m) => eb.and([eb("api_key_id", "=", m.api_key_id), eb("key", "=", m.key)]))))
    .execute();
  return dropped;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Bulk redaction: each session on its own (a held one does not stop the others). */
export async function redactSessions(
  deps: CoreDeps,
  scope: Scope,
  sessionIds: string[],
  actor: AuditActor,
): Promise<{ session_id: string; status: string; documents_removed: number }[]> {
  const results = [];
  for (const id of [...new Set(sessionIds)]) {
    try {
      const receipt = await redactSession(deps, scope, id, actor, "bulk");
      results.push({ session_id: id, status: receipt.status, documents_removed: receipt.documents_removed });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "not_found") throw error;
      results.push({ session_id: id, status: "not_found", documents_removed: 0 });
    }
  }
  return results;
}
