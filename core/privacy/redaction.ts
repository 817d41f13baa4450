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
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { appendAuditEvent, type AuditActor, auditTargetId } from "../audit/log.ts";
import { recordEvent, type SessionEventType } from "../events/outbox.ts";
import { findSession } from "../sessions/repository.ts";
import { sessionBlobPrefix } from "../documents/service.ts";
import { bodyContext, IDEMPOTENCY_TTL_MS } from "../idempotency/store.ts";
import { AppError } from "../errors.ts";
import { eraseBlockedFromSession, type RetainedListItem } from "../lists/block_from_session.ts";
import { recordErasure } from "./erasure_ledger.ts";

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
  if (session.legal_hold) return "session";
  if (!session.identity_id) return null;
  const identity = await db.selectFrom("identities").select("legal_hold")
    .where("id", "=", session.identity_id).where("org_id", "=", session.org_id)
    .where("environment", "=", session.environment).executeTakeFirst();
  return identity?.legal_hold ? "identity" : null;
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
  alsoRecord?: { type: SessionEventType; payload: Record<string, unknown> }[];
  /**
   * Re-applying an erasure from the erasure ledger after a restore: the erasure already happened
   * (so no hold was in force then, whatever the older snapshot says), its entry exists, and the
   * receipt names the original.
   */
  replay?: ReplayedErasure;
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
  const prefix = sessionBlobPrefix(scope, sessionId);
  const receipt = await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock();
    const empty = {
      session_id: sessionId,
      documents_removed: 0,
      removed: { database: {}, objects: 0 },
      retained: NOTHING_RETAINED,
    };
    const session = options.skipLocked
      ? await tx.selectFrom("sessions").selectAll().where("id", "=", sessionId).where("org_id", "=", scope.orgId)
        .where("environment", "=", scope.environment).forUpdate().skipLocked().executeTakeFirst()
      : await findSession(tx, scope, sessionId, { forUpdate: true });
    if (!session) {
      await findSession(tx, scope, sessionId); // a 404 when it does not exist at all
      return { ...empty, status: "busy" as const };
    }
    if (session.retention_status === "redacted") return { ...empty, status: "already_redacted" as const };
    if (!options.replay && await legalHoldOf(tx, session)) return { ...empty, status: "legal_hold" as const };

    const { removed: database, retained } = await eraseRows(deps, tx, scope, session, now);
    // Before the commit: "redacted" is never committed while an object of the session remains.
    const objects = await deps.blobs.deletePrefix(prefix);
    // Outside the database, so a restore of an older backup erases the session again.
    if (!options.replay) {
      await recordErasure(deps.blobs, {
        kind: "session",
        org_id: scope.orgId,
        environment: scope.environment,
        id: sessionId,
        erased_at: now.toISOString(),
        reason,
      });
    }
    await recordEvent(tx, scope, {
      type: "session.redacted",
      sessionId,
      identityId: session.identity_id ?? undefined,
      payload: { status: session.status, retention_status: "redacted", documents_removed: database.documents ?? 0 },
    }, now);
    for (const extra of options.alsoRecord ?? []) {
      await recordEvent(tx, scope, {
        type: extra.type,
        sessionId,
        identityId: session.identity_id ?? undefined,
        payload: extra.payload,
      }, now);
    }
    await appendAuditEvent(tx, {
      orgId: scope.orgId,
      environment: scope.environment,
      actor,
      action: "session.redacted",
      targetType: "session",
      targetId: sessionId,
      // Counts only: the receipt proves what went without keeping any of it.
      details: {
        reason,
        redacted_at: now.toISOString(),
        removed: { database, objects },
        retained,
        ...(options.replay ? { replayed: options.replay } : {}),
      },
    }, now);
    return {
      session_id: sessionId,
      status: "deleted" as const,
      documents_removed: database.documents ?? 0,
      removed: { database, objects },
      retained,
    };
  });
  // A crash between an earlier run's object deletion and its commit cannot leave objects behind a
  // committed "redacted", but an object written by a late upload could: sweep again, idempotently.
  if (receipt.status === "already_redacted") await deps.blobs.deletePrefix(prefix);
  return receipt;
}

/**
 * Every session-owned place personal data sits, cleared; returns rows touched per table.column,
 * and the copies kept on purpose.
 */
async function eraseRows(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  session: SessionRow,
  now: Date,
): Promise<{ removed: Record<string, number>; retained: RetainedCopies }> {
  const removed: Record<string, number> = {};
  const count = (name: string, n: bigint | number | undefined) => {
    if (Number(n ?? 0) > 0) removed[name] = Number(n);
  };
  const inScope = { org: scope.orgId, env: scope.environment, id: session.id };

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
  for (const column of sessionColumns) if (session[column] !== null) count(`sessions.${column}`, 1);
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
  }).where("id", "=", inScope.id).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
    .execute();

  const result = await tx.updateTable("session_results").set({ extracted_data_enc: null })
    .where("session_id", "=", inScope.id).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
    .where("extracted_data_enc", "is not", null).executeTakeFirst();
  count("session_results.extracted_data_enc", result.numUpdatedRows);

  const documents = await tx.deleteFrom("documents")
    .where("session_id", "=", inScope.id).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
    .executeTakeFirst();
  count("documents", documents.numDeletedRows);

  // The immutability trigger lets redaction drop exactly this column of a settled attempt.
  const attempts = await tx.updateTable("check_attempts").set({ inputs_enc: null })
    .where("session_id", "=", inScope.id).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
    .where("inputs_enc", "is not", null).executeTakeFirst();
  count("check_attempts.inputs_enc", attempts.numUpdatedRows);

  const runs = await tx.updateTable("workflow_runs").set({ context_enc: null, external_metadata: null })
    .where("session_id", "=", inScope.id).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
    .where((eb) => eb.or([eb("context_enc", "is not", null), eb("external_metadata", "is not", null)]))
    .executeTakeFirst();
  count("workflow_runs.context_enc", runs.numUpdatedRows);

  // workflow_dry_runs: a dry run's stored outcome (read once, else purged within the hour) is about
  // the session; a worker finishing one after this commit updates a row that no longer exists.
  for (const table of ["session_identifiers", "face_templates", "list_matches", "workflow_dry_runs"] as const) {
    const deleted = await tx.deleteFrom(table)
      .where("session_id", "=", inScope.id).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
      .executeTakeFirst();
    count(table, deleted.numDeletedRows);
  }

  const cases = await tx.selectFrom("review_cases").select("id")
    .where("session_id", "=", inScope.id).where("org_id", "=", inScope.org).where("environment", "=", inScope.env)
    .execute();
  if (cases.length > 0) {
    const caseIds = cases.map((c) => c.id);
    const cleared = await tx.updateTable("review_cases").set({
      reason_enc: null,
      escalation_reason_enc: null,
      metadata: JSON.stringify({}),
      custom_fields: JSON.stringify({}),
    }).where("id", "in", caseIds).executeTakeFirst();
    count("review_cases", cleared.numUpdatedRows);
    const notes = await tx.deleteFrom("case_notes").where("case_id", "in", caseIds)
      .where("org_id", "=", inScope.org).where("environment", "=", inScope.env).executeTakeFirst();
    count("case_notes", notes.numDeletedRows);
    // case_actions is append-only; its trigger allows dropping the sealed details and nothing else.
    const actions = await tx.updateTable("case_actions").set({ details_enc: null }).where("case_id", "in", caseIds)
      .where("details_enc", "is not", null).executeTakeFirst();
    count("case_actions.details_enc", actions.numUpdatedRows);
  }

  count("webhook_deliveries.payload_enc", await scrubDeliveries(tx, scope, { sessionId: session.id }, now));
  count("idempotency_keys", await dropStoredResponses(deps, tx, scope, session));
  const listItems = await eraseBlockedFromSession(tx, scope, session.id, now);
  count("custom_list_items.face", listItems.erased);
  return {
    removed,
    retained: {
      list_items: listItems.retained,
      audit_log_rows: await auditRowsNaming(tx, scope, session.external_ref),
    },
  };
}

/** Audit rows of the organisation whose target is this external_ref, in clear or as its pseudonym. */
export async function auditRowsNaming(tx: DbOrTx, scope: Scope, externalRef: string | null): Promise<number> {
  if (!externalRef) return 0;
  const targets = [...new Set([externalRef, auditTargetId(scope.orgId, externalRef)!])];
  const { n } = await tx.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n"))
    .where("org_id", "=", scope.orgId).where("target_id", "in", targets).executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * The signed bodies kept for retries and the receivers' replies go; a delivery still waiting is
 * ended (its body no longer exists), and a manual retry refuses it (deliveries.ts assertRetryable).
 * Deliveries about a session, or of given events (an identity's, which name no session).
 */
export async function scrubDeliveries(
  tx: DbOrTx,
  scope: Scope,
  of: { sessionId: string } | { eventIds: string[] },
  now: Date,
): Promise<number> {
  if ("eventIds" in of && of.eventIds.length === 0) return 0;
  const deliveries = await tx.selectFrom("webhook_deliveries").select(["id", "status", "payload_enc"])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where((eb) => "sessionId" in of ? eb("session_id", "=", of.sessionId) : eb("event_id", "in", of.eventIds))
    .execute();
  if (deliveries.length === 0) return 0;
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
  return deliveries.filter((d) => d.payload_enc !== null).length;
}

/**
 * Replayable responses (Idempotency-Key) that mention the session may carry its decrypted data
 * (a PATCH answers with `consent_ip`). A response about the session was claimed while the session
 * existed and before its last change, and none lives past the TTL: only that window is decrypted.
 */
async function dropStoredResponses(deps: CoreDeps, tx: DbOrTx, scope: Scope, session: SessionRow) {
  const slack = 60_000;
  const from = new Date(session.created_at.getTime() - slack);
  const to = new Date(session.updated_at.getTime() + slack);
  if (deps.clock().getTime() - to.getTime() > IDEMPOTENCY_TTL_MS + slack) {
    // Every response of that window has expired; the purge job deletes expired rows, but one it has
    // not reached yet is checked too.
    const lingering = await tx.selectFrom("idempotency_keys").select("key")
      .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .where("locked_at", ">=", from).where("locked_at", "<=", to).limit(1).execute();
    if (lingering.length === 0) return 0;
  }
  const rows = await tx.selectFrom("idempotency_keys").select(["key", "response_body_enc"])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("locked_at", ">=", from).where("locked_at", "<=", to).where("response_body_enc", "is not", null)
    .execute();
  const mentioning = rows.filter((row) => {
    const body = new TextDecoder().decode(deps.keyRing.decrypt(row.response_body_enc!, bodyContext(scope, row.key)));
    return body.includes(session.id);
  }).map((row) => row.key);
  if (mentioning.length === 0) return 0;
  await tx.deleteFrom("idempotency_keys").where("org_id", "=", scope.orgId)
    .where("environment", "=", scope.environment).where("key", "in", mentioning).execute();
  return mentioning.length;
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
