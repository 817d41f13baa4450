/**
 * Owns the one rule that keeps an erasure final: nothing personal is written for a session whose
 * data was redacted. Redaction (core/privacy/redaction.ts) locks the session row FOR UPDATE and
 * commits `retention_status = 'redacted'` with the erasure; every writer of a session's personal
 * data after the capture (a decision, a check attempt's stored inputs, list matches) takes a lock
 * on the same row first and reads that column under it. So a write either commits before the
 * redaction starts (and the redaction erases it) or waits for the redaction to commit (and sees
 * `redacted`): there is no order in which a value outlives its erasure receipt.
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { findSession, updateSessionRow } from "../sessions/repository.ts";
import { AppError } from "../errors.ts";

/** The error (invalid_session_state, 400 as for every such refusal) for a decision asked of an erased session. */
export function erasedSessionError(action: string): AppError {
  return new AppError("invalid_session_state", `Cannot ${action} a redacted session.`);
}

export interface LockedSession {
  erased: boolean;
  session: SessionRow;
}

/**
 * Locks the session row (FOR UPDATE: the decision changes it) and says whether it was erased.
 * A session of another tenant, or none, is a 404.
 */
export async function lockSessionForDecision(tx: DbOrTx, scope: Scope, sessionId: string): Promise<LockedSession> {
  const session = await findSession(tx, scope, sessionId, { forUpdate: true });
  return { erased: session.retention_status === "redacted", session };
}

/**
 * Runs `write` in a transaction that holds a share lock on the session row, telling it whether the
 * session was erased (a session that no longer exists counts as erased). For the writes made while
 * a run walks its graph; the decision's own transaction uses lockSessionForDecision. A share lock
 * waits for a redaction in progress and lets the run's other writers proceed side by side.
 */
export async function underErasureLock<T>(
  db: DbOrTx,
  scope: Scope,
  sessionId: string,
  write: (tx: DbOrTx, erased: boolean) => Promise<T>,
): Promise<T> {
  const run = async (tx: DbOrTx) => {
    const row = await tx.selectFrom("sessions").select("retention_status").where("id", "=", sessionId)
      .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).forShare()
      .executeTakeFirst();
    return await write(tx, !row || row.retention_status === "redacted");
  };
  return db.isTransaction ? await run(db) : await db.transaction().execute(run);
}

/** Runs `write` only while the session is not erased (see underErasureLock); returns whether it ran. */
export async function writeUnlessErased(
  db: DbOrTx,
  scope: Scope,
  sessionId: string,
  write: (tx: DbOrTx) => Promise<void>,
): Promise<boolean> {
  return await underErasureLock(db, scope, sessionId, async (tx, erased) => {
    if (!erased) await write(tx);
    return !erased;
  });
}

/**
 * A run that finds its session erased decides nothing; a session still `processing` (or waiting at
 * an external gate) fails instead, so it does not wait forever nor get queued again by the stalled
 * session sweep. No event: there is no decision to report, and the erasure has its own.
 */
export async function endErasedProcessing(tx: DbOrTx, scope: Scope, session: SessionRow, now: Date): Promise<void> {
  if (session.status !== "processing" && session.status !== "awaiting_external") return;
  await updateSessionRow(tx, scope, session.id, { status: "failed", updated_at: now });
}
