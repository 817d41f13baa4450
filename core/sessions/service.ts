/**
 * Owns the session rules: creation with encrypted pre-fill, updates, resume and expiry, tags,
 * sandbox outcomes and the capture-window sweep. Each state change and its outbox event commit
 * in one transaction.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { SessionRow, SessionUpdate } from "../db/database.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Principal, Scope } from "../orgs/api_keys.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import { findSessionDefaults } from "../orgs/session_defaults.ts";
import { resolveOrgSettings } from "../orgs/settings.ts";
import { resolveWorkflowForSession } from "../workflows/workflows.ts";
import { eventRow, recordEvent } from "../events/outbox.ts";
import { applySandboxPreset } from "../outcomes/sandbox.ts";
import { upsertIdentityForOutcome } from "../identities/from_sessions.ts";
import { AppError, validationError } from "../errors.ts";
import { newId } from "../ids.ts";
import { parseOrThrow } from "../validation.ts";
import { assertPublishableInput, type CreateSessionInput, metadataSchema } from "./create_input.ts";
import { issueCaptureToken, type IssuedToken } from "./capture_token.ts";
import { findResult, findSession, insertSessionWithEvent, updateSessionRow } from "./repository.ts";
import { assertTransition } from "./status.ts";
import { isSandboxPreset, SIMULATE_ACTION_PRESETS } from "./sandbox_presets.ts";

export function sessionFieldContext(sessionId: string, column: string) {
  return { table: "sessions", column, rowId: sessionId };
}

export function resultDataContext(sessionId: string) {
  return { table: "session_results", column: "extracted_data_enc", rowId: sessionId };
}

export async function createSession(
  deps: CoreDeps,
  principal: Principal,
  input: CreateSessionInput,
): Promise<{ session: SessionRow; token: IssuedToken }> {
  // Here rather than in the route, so no caller can create a public session that names someone.
  if (principal.kind === "publishable") assertPublishableInput(input, principal.allowedOrigins);
  const now = deps.clock();
  const id = newId("ses");
  const defaults = await findSessionDefaults(deps.db, principal);
  const settings = resolveOrgSettings(defaults.settings);
  // A named workflow is checked against the scope; otherwise the org's default runs.
  const workflowId = input.workflow_id
    ? (await resolveWorkflowForSession(deps.db, principal, input.workflow_id))!.id
    : defaults.default_workflow_id;
  const token = issueCaptureToken(deps.keyRing, id, now, settings.capture_token_ttl_minutes);
  const encrypt = (column: string, value: unknown) =>
    value === undefined || value === null ? null : deps.keyRing.encryptJson(value, sessionFieldContext(id, column));
  const hasFields = input.fields && Object.keys(input.fields).length > 0;

  const session = await insertSessionWithEvent(deps.db, {
    id,
    org_id: principal.orgId,
    environment: principal.environment,
    status: "pending",
    external_ref: input.external_ref ?? null,
    country: input.country ?? null,
    workflow_id: workflowId,
    redirect_url: input.redirect_url ?? null,
    checks: input.checks ?? null,
    metadata: JSON.stringify(input.metadata ?? {}),
    tags: [],
    fields_enc: hasFields ? encrypt("fields_enc", input.fields) : null,
    applicant_email_enc: encrypt("applicant_email_enc", input.applicant_email),
    applicant_name_enc: encrypt("applicant_name_enc", input.applicant_name),
    send_email: input.send_email ?? false,
    capture_token_hash: token.hash,
    capture_token_enc: token.encrypted,
    token_expires_at: token.expiresAt,
    api_key_id: principal.keyId,
    created_at: now,
    updated_at: now,
    document_type: null,
    consent_ip_enc: null,
  }, eventRow(principal, { type: "session.created", sessionId: id, payload: { status: "pending" } }, now));
  return { session, token };
}

/**
 * Applies `changes` to a locked session; when it is still `pending` the same update moves it to
 * `capturing` and reports `session.started` (first consent, first API upload, or the first step
 * after a resume).
 */
export async function updateWhileCapturing(
  deps: CoreDeps,
  tx: DbOrTx,
  session: SessionRow,
  changes: SessionUpdate,
): Promise<SessionRow> {
  const now = deps.clock();
  const scope = { orgId: session.org_id, environment: session.environment };
  const starting = session.status === "pending";
  if (starting) assertTransition(session.status, "capturing", "start capture on");
  else if (Object.keys(changes).length === 0) return session;
  const updated = await updateSessionRow(tx, scope, session.id, {
    ...changes,
    ...(starting ? { status: "capturing", started_at: now } : {}),
    updated_at: now,
  });
  if (starting) {
    await recordEvent(
      tx,
      scope,
      { type: "session.started", sessionId: session.id, payload: { status: "capturing" } },
      now,
    );
  }
  return updated;
}

export async function getSession(deps: CoreDeps, scope: Scope, id: string): Promise<SessionRow> {
  return await findSession(deps.db, scope, id);
}

function assertNotRedacted(session: SessionRow, action: string): void {
  if (session.retention_status === "redacted") {
    throw new AppError("invalid_session_state", `Cannot ${action} a redacted session.`);
  }
}

export interface SessionPatch {
  external_ref?: string | null;
  metadata?: Record<string, unknown>;
  /** Blocks every redaction path while true (issue #9); the reason is kept while it holds. */
  legal_hold?: boolean;
  legal_hold_reason?: string | null;
}

/** Metadata merges: keys sent replace, keys sent as null are removed, others stay. */
export async function updateSession(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  patch: SessionPatch,
): Promise<SessionRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const session = await findSession(tx, scope, id, { forUpdate: true });
    assertNotRedacted(session, "update");
    const values: Partial<SessionRow> = {};
    if (patch.external_ref !== undefined) values.external_ref = patch.external_ref;
    if (patch.metadata !== undefined) {
      // A Map, not an object: a customer key such as "__proto__" must stay an ordinary key.
      const entries = new Map(Object.entries(session.metadata));
      for (const [key, value] of Object.entries(patch.metadata)) {
        if (value === null) entries.delete(key);
        else entries.set(key, value);
      }
      const merged = Object.fromEntries(entries);
      // Validated under its own name so a 422 points at `metadata`, as on create.
      values.metadata = parseOrThrow(z.object({ metadata: metadataSchema }), { metadata: merged }).metadata;
    }
    if (patch.legal_hold !== undefined && patch.legal_hold !== session.legal_hold) {
      values.legal_hold = patch.legal_hold;
      values.legal_hold_set_at = patch.legal_hold ? deps.clock() : null;
    }
    if (patch.legal_hold_reason !== undefined || patch.legal_hold === false) {
      values.legal_hold_reason = (patch.legal_hold ?? session.legal_hold) ? patch.legal_hold_reason ?? null : null;
    }
    const updated = await updateSessionRow(tx, scope, id, {
      ...values,
      metadata: values.metadata === undefined ? undefined : JSON.stringify(values.metadata),
      updated_at: deps.clock(),
    });
    if (updated.external_ref && updated.external_ref !== session.external_ref) {
      // Read again: linking sets the session's identity_id, which the reply shows.
      if (await attachDecidedSession(deps, tx, scope, updated)) return await findSession(tx, scope, id);
    }
    return updated;
  });
}

/**
 * A secret key naming the person of a session that already has its outcome (typically one a
 * publishable key created, which names nobody) links it now, as its outcome would have: the
 * identity takes the recorded result. A session still being captured or processed links when its
 * outcome is recorded.
 */
async function attachDecidedSession(deps: CoreDeps, tx: DbOrTx, scope: Scope, session: SessionRow): Promise<boolean> {
  const result = await findResult(tx, scope, session.id);
  if (!result) return false;
  const extracted = result.extracted_data_enc
    ? deps.keyRing.decryptJson<Record<string, unknown>>(result.extracted_data_enc, resultDataContext(session.id))
    : {};
  await upsertIdentityForOutcome(deps, tx, scope, {
    session,
    resultStatus: result.status,
    extracted,
    source: result.processing_mode === "sandbox" ? "sandbox" : "workflow",
    now: deps.clock(),
  });
  return true;
}

/** A new token for an expired or abandoned capture; documents and progress are kept. */
export async function resumeSession(
  deps: CoreDeps,
  scope: Scope,
  id: string,
): Promise<{ session: SessionRow; token: IssuedToken }> {
  const now = deps.clock();
  const settings = await getOrgSettings(deps.db, scope.orgId);
  return await deps.db.transaction().execute(async (tx) => {
    const current = await findSession(tx, scope, id, { forUpdate: true });
    assertNotRedacted(current, "resume");
    assertTransition(current.status, "pending", "resume");
    const token = issueCaptureToken(deps.keyRing, id, now, settings.capture_token_ttl_minutes);
    const session = await updateSessionRow(tx, scope, id, {
      status: "pending",
      capture_token_hash: token.hash,
      capture_token_enc: token.encrypted,
      token_expires_at: token.expiresAt,
      expired_at: null,
      updated_at: now,
    });
    return { session, token };
  });
}

async function expireLocked(tx: DbOrTx, scope: Scope, session: SessionRow, now: Date) {
  assertNotRedacted(session, "expire");
  assertTransition(session.status, "expired", "expire");
  const updated = await updateSessionRow(tx, scope, session.id, {
    status: "expired",
    expired_at: now,
    capture_token_hash: null,
    capture_token_enc: null,
    updated_at: now,
  });
  await recordEvent(tx, scope, { type: "session.expired", sessionId: session.id, payload: { status: "expired" } }, now);
  return updated;
}

export async function expireSession(deps: CoreDeps, scope: Scope, id: string): Promise<SessionRow> {
  const now = deps.clock();
  return await deps.db.transaction().execute(async (tx) => {
    const session = await findSession(tx, scope, id, { forUpdate: true });
    return await expireLocked(tx, scope, session, now);
  });
}

export const MAX_TAGS = 50;

export async function changeTags(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  change: (tags: string[]) => string[],
): Promise<SessionRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const session = await findSession(tx, scope, id, { forUpdate: true });
    const tags = [...new Set(change(session.tags))];
    if (tags.length > MAX_TAGS) throw validationError({ tags: `must have at most ${MAX_TAGS} tags` });
    return await updateSessionRow(tx, scope, id, { tags, updated_at: deps.clock() });
  });
}

export const SIMULATE_ACTIONS = ["approve", "decline", "require-review", "expire"] as const;

export async function simulate(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  action: string,
): Promise<SessionRow> {
  if (scope.environment !== "sandbox") {
    throw new AppError("sandbox_only", "Simulation is only available with sandbox keys.");
  }
  const preset = SIMULATE_ACTION_PRESETS[action] ?? (isSandboxPreset(action) ? action : null);
  if (action !== "expire" && !preset) {
    throw validationError({ action: `must be one of ${[...SIMULATE_ACTIONS].join(", ")} or a sandbox preset` });
  }
  const now = deps.clock();
  return await deps.db.transaction().execute(async (tx) => {
    const session = await findSession(tx, scope, id, { forUpdate: true });
    if (action === "expire") return await expireLocked(tx, scope, session, now);
    return await applySandboxPreset(deps, tx, scope, session, preset!);
  });
}

/**
 * Expires sessions whose capture window has passed, a batch at a time. SKIP LOCKED lets two
 * workers sweep concurrently without blocking each other or expiring a session twice.
 */
export async function expireStaleSessions(deps: CoreDeps, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const now = deps.clock();
    const expired = await deps.db.transaction().execute(async (tx) => {
      const rows = await tx.selectFrom("sessions").selectAll()
        .where("status", "in", ["pending", "capturing"])
        .where("token_expires_at", "<", now)
        .orderBy("token_expires_at")
        .limit(batchSize)
        .forUpdate().skipLocked()
        .execute();
      for (const row of rows) {
        await expireLocked(tx, { orgId: row.org_id, environment: row.environment }, row, now);
      }
      return rows.length;
    });
    total += expired;
    if (expired < batchSize) return total;
  }
}
