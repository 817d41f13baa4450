/**
 * Owns the applicant's capture flow behind a capture token: consent, document type, document
 * sides, selfie, user information, client signals, completion, and the sandbox outcome. The
 * token is the only credential; each step checks that it is alive and that the steps before it
 * are done.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DataRequirements, SessionRow } from "../db/database.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { blindIndex, hashSecret } from "../crypto/hmac.ts";
import { AppError, validationError } from "../errors.ts";
import { SESSION_PROCESS_JOB } from "../jobs/job_queue.ts";
import { parseOrThrow, requireObject } from "../validation.ts";
import { snakeKeys } from "../casing.ts";
import { applicantFieldsSchema } from "../sessions/create_input.ts";
import { sessionFieldContext, updateWhileCapturing } from "../sessions/service.ts";
import { applySandboxPreset } from "../outcomes/sandbox.ts";
import { updateSessionRow } from "../sessions/repository.ts";
import { assertTransition } from "../sessions/status.ts";
import { isSandboxPreset, SANDBOX_PRESETS, type SandboxPreset } from "../sessions/sandbox_presets.ts";
import { ID_DOCUMENT_TYPES, requirementsForSession } from "../workflows/workflows.ts";
import {
  deleteDocumentObjects,
  type DocSlot,
  listDocuments,
  removeDocuments,
  type StoredDocument,
  storeDocument,
} from "../documents/service.ts";
import { backAccepted, backRequired, backSide, captureSteps, type StepReport } from "./steps.ts";

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

const TOKEN_FORMAT = /^tok_[0-9a-z]{16,64}$/;

function tokenExpired(detail = "This capture link has expired or is no longer valid. Ask for a new link.") {
  return new AppError("token_expired", detail);
}

export function scopeOf(session: SessionRow): Scope {
  return { orgId: session.org_id, environment: session.environment };
}

/** The session a live token opens; unknown, replaced and timed-out tokens all read as expired. */
async function sessionForToken(db: DbOrTx, token: string, now: Date, forUpdate = false): Promise<SessionRow> {
  if (!TOKEN_FORMAT.test(token)) throw tokenExpired();
  let query = db.selectFrom("sessions").selectAll().where("capture_token_hash", "=", hashSecret(token));
  if (forUpdate) query = query.forUpdate();
  const session = await query.executeTakeFirst();
  if (!session || !session.token_expires_at || session.token_expires_at <= now) throw tokenExpired();
  return session;
}

/** Mutating steps need capture to be open: pending or capturing. */
function assertCaptureOpen(session: SessionRow): void {
  if (session.status !== "pending" && session.status !== "capturing") {
    throw tokenExpired("Capture for this session is already complete; this link can no longer change it.");
  }
}

function assertConsented(session: SessionRow): void {
  if (!session.consent_at) {
    throw new AppError("consent_required", "Record the applicant's consent (POST …/consent) before this step.");
  }
}

function stepOutOfOrder(detail: string): AppError {
  return new AppError("step_out_of_order", detail);
}

/** Runs `work` on the token's session, locked, with capture open and (unless told) consent given. */
async function withOpenCapture<T>(
  deps: CoreDeps,
  token: string,
  options: { needsConsent: boolean },
  work: (tx: DbOrTx, session: SessionRow) => Promise<T>,
): Promise<T> {
  return await deps.db.transaction().execute(async (tx) => {
    let session = await sessionForToken(tx, token, deps.clock(), true);
    assertCaptureOpen(session);
    if (options.needsConsent) {
      assertConsented(session);
      session = await continueCapture(deps, tx, session);
    }
    return await work(tx, session);
  });
}

/**
 * A resumed session is `pending` again but keeps its consent; the first step the applicant takes
 * with the new link moves it back to `capturing`.
 */
function continueCapture(deps: CoreDeps, tx: DbOrTx, session: SessionRow): Promise<SessionRow> {
  return updateWhileCapturing(deps, tx, session, {});
}

export interface CaptureState {
  session_id: string;
  status: string;
  is_sandbox: boolean;
  capture_open: boolean;
  expires_at: string | null;
  redirect_url: string | null;
  country: string | null;
  document_type: string | null;
  document_country: string | null;
  document_state: string | null;
  allowed_document_types: string[];
  requires_back: boolean;
  /** The chosen type has a back the applicant may add or skip (a national ID); never with requires_back. */
  back_optional: boolean;
  selfie_required: boolean;
  user_info_fields: string[];
  prefill: Record<string, unknown>;
  steps_required: string[];
  /** Steps that may be taken but need not be: `document_back` while back_optional. */
  steps_optional: string[];
  /** Required and optional steps done. */
  steps_completed: string[];
  missing_steps: string[];
  next_step: string | null;
  sandbox_presets: string[] | null;
}

async function buildState(deps: CoreDeps, db: DbOrTx, session: SessionRow): Promise<CaptureState> {
  const scope = scopeOf(session);
  const [requirements, documents] = await Promise.all([
    requirementsForSession(db, scope, session),
    listDocuments(db, scope, session.id),
  ]);
  const steps = captureSteps(session, requirements, documents);
  return {
    session_id: session.id,
    status: session.status,
    is_sandbox: session.environment === "sandbox",
    capture_open: session.status === "pending" || session.status === "capturing",
    expires_at: session.token_expires_at?.toISOString() ?? null,
    redirect_url: session.redirect_url,
    country: session.country,
    document_type: session.document_type,
    document_country: session.document_country,
    document_state: session.document_state,
    allowed_document_types: allowedDocumentTypes(requirements),
    requires_back: backRequired(session.document_type),
    back_optional: backSide(session.document_type) === "optional",
    selfie_required: requirements.selfie,
    user_info_fields: requirements.user_info_fields,
    prefill: prefillFor(deps, session, requirements),
    steps_required: steps.required,
    steps_optional: steps.optional,
    steps_completed: steps.completed,
    missing_steps: steps.missing,
    next_step: steps.next,
    sandbox_presets: session.environment === "sandbox" ? [...SANDBOX_PRESETS] : null,
  };
}

function allowedDocumentTypes(requirements: DataRequirements): string[] {
  return ID_DOCUMENT_TYPES.filter((type) => requirements.document_types.includes(type));
}

/** Pre-filled values populate the form, but only for the fields this workflow asks the applicant for. */
function prefillFor(deps: CoreDeps, session: SessionRow, requirements: DataRequirements): Record<string, unknown> {
  if (!session.fields_enc || requirements.user_info_fields.length === 0) return {};
  const fields = deps.keyRing.decryptJson<Record<string, unknown>>(
    session.fields_enc,
    sessionFieldContext(session.id, "fields_enc"),
  );
  return Object.fromEntries(Object.entries(fields).filter(([key]) => requirements.user_info_fields.includes(key)));
}

/** Readable for the life of the token, also after completion, so a client can follow the outcome. */
export async function getCaptureState(deps: CoreDeps, token: string): Promise<CaptureState> {
  const session = await sessionForToken(deps.db, token, deps.clock());
  return await buildState(deps, deps.db, session);
}

export const consentSchema = z.strictObject({
  consent_version: z.string().trim().min(1, "is required").max(64),
  accepted: z.literal(true, "must be true: the applicant has to accept"),
});

export async function recordConsent(deps: CoreDeps, token: string, body: unknown, meta: ClientMeta) {
  const input = parseOrThrow(consentSchema, snakeKeys(requireObject(body)));
  return await withOpenCapture(deps, token, { needsConsent: false }, async (tx, session) => {
    if (session.consent_at) return await buildState(deps, tx, await continueCapture(deps, tx, session));
    const now = deps.clock();
    const updated = await updateWhileCapturing(deps, tx, session, {
      consent_at: now,
      consent_version: input.consent_version,
      consent_ip_enc: meta.ip
        ? deps.keyRing.encryptJson(meta.ip, sessionFieldContext(session.id, "consent_ip_enc"))
        : null,
      consent_ip_bidx: meta.ip ? blindIndex(deps.indexKey, "ip", meta.ip) : null,
      consent_user_agent_enc: meta.userAgent
        ? deps.keyRing.encryptJson(
          meta.userAgent.slice(0, 512),
          sessionFieldContext(session.id, "consent_user_agent_enc"),
        )
        : null,
    });
    return await buildState(deps, tx, updated);
  });
}

export const documentTypeSchema = z.strictObject({
  document_type: z.enum(ID_DOCUMENT_TYPES),
  country: z.string().regex(/^[A-Za-z]{2}$/, "must be a 2-letter country code").transform((s) => s.toUpperCase()),
  state: z.string().trim().min(1).max(64).nullable().optional(),
});

export async function chooseDocumentType(deps: CoreDeps, token: string, body: unknown) {
  const input = parseOrThrow(documentTypeSchema, snakeKeys(requireObject(body)));
  const { state, removed } = await withOpenCapture(deps, token, { needsConsent: true }, async (tx, session) => {
    const scope = scopeOf(session);
    const requirements = await requirementsForSession(tx, scope, session);
    if (!requirements.document_types.includes(input.document_type)) {
      throw validationError({ document_type: `is not accepted for this verification` });
    }
    // Changing the ID type discards the sides captured for the old one.
    const removed = session.document_type && session.document_type !== input.document_type
      ? await removeDocuments(tx, scope, session.id, ["id_front", "id_back"])
      : [];
    const updated = await updateSessionRow(tx, scope, session.id, {
      document_type: input.document_type,
      document_country: input.country,
      document_state: input.state ?? null,
      updated_at: deps.clock(),
    });
    return { state: await buildState(deps, tx, updated), removed };
  });
  for (const row of removed) await deleteDocumentObjects(deps, row);
  return state;
}

/** Checks the order before the slow image work, then again under the lock when the row is written. */
async function uploadToSlot(
  deps: CoreDeps,
  token: string,
  slot: DocSlot,
  bytes: Uint8Array,
  checkOrder: (session: SessionRow, steps: StepReport) => void,
): Promise<{ stored: StoredDocument; state: CaptureState }> {
  const check = async (db: DbOrTx, forUpdate: boolean) => {
    const session = await sessionForToken(db, token, deps.clock(), forUpdate);
    assertCaptureOpen(session);
    assertConsented(session);
    const scope = scopeOf(session);
    const [requirements, documents] = await Promise.all([
      requirementsForSession(db, scope, session),
      listDocuments(db, scope, session.id),
    ]);
    checkOrder(session, captureSteps(session, requirements, documents));
    return session;
  };
  const before = await check(deps.db, false);
  let lockedSession = before;
  const stored = await storeDocument(deps, scopeOf(before), before.id, {
    slot,
    documentType: slot === "selfie" ? "selfie" : before.document_type!,
    side: slot === "id_front" ? "front" : slot === "id_back" ? "back" : null,
    bytes,
    source: "capture",
  }, async (tx) => {
    lockedSession = await check(tx, true);
    if (lockedSession.id !== before.id) throw tokenExpired();
    lockedSession = await continueCapture(deps, tx, lockedSession);
    // A type change while the image was processed discarded the old type's sides; this one too.
    if (slot !== "selfie" && lockedSession.document_type !== before.document_type) {
      throw stepOutOfOrder("The document type changed during the upload; upload this side again.");
    }
  });
  return { stored, state: await buildState(deps, deps.db, lockedSession) };
}

export async function uploadDocumentSide(deps: CoreDeps, token: string, side: string, bytes: Uint8Array) {
  if (side !== "front" && side !== "back") throw validationError({ side: "must be front or back" });
  return await uploadToSlot(deps, token, side === "front" ? "id_front" : "id_back", bytes, (session, steps) => {
    if (!session.document_type) throw stepOutOfOrder("Choose the document type (POST …/document-type) first.");
    if (side === "back") {
      // An optional back (national ID) is taken like a required one, whenever the front is in.
      if (!backAccepted(session.document_type)) {
        throw stepOutOfOrder(`A ${session.document_type.replace("_", " ")} has no back side to upload.`);
      }
      if (!steps.completed.includes("document_front")) throw stepOutOfOrder("Upload the front of the document first.");
    }
  });
}

export async function uploadSelfie(deps: CoreDeps, token: string, bytes: Uint8Array) {
  return await uploadToSlot(deps, token, "selfie", bytes, (_session, steps) => {
    if (!steps.required.includes("selfie")) throw stepOutOfOrder("This verification does not take a selfie.");
    const documentSteps = steps.missing.filter((s) =>
      s === "document_type" || s === "document_front" || s === "document_back"
    );
    if (documentSteps.length > 0) {
      throw stepOutOfOrder(`Capture the document first (missing: ${documentSteps.join(", ")}).`);
    }
  });
}

export async function submitUserFields(deps: CoreDeps, token: string, body: unknown) {
  const raw = parseOrThrow(applicantFieldsSchema, snakeKeys(requireObject(body)));
  return await withOpenCapture(deps, token, { needsConsent: true }, async (tx, session) => {
    const scope = scopeOf(session);
    const requirements = await requirementsForSession(tx, scope, session);
    const wanted = requirements.user_info_fields;
    if (wanted.length === 0) throw stepOutOfOrder("This verification does not collect user information.");
    const problems: Record<string, string> = {};
    for (const key of Object.keys(raw)) {
      if (!wanted.includes(key)) problems[key] = "is not collected by this verification";
    }
    for (const key of wanted) if ((raw as Record<string, unknown>)[key] === undefined) problems[key] = "is required";
    if (Object.keys(problems).length > 0) throw validationError(problems);
    const updated = await updateSessionRow(tx, scope, session.id, {
      user_fields_enc: deps.keyRing.encryptJson(raw, sessionFieldContext(session.id, "user_fields_enc")),
      updated_at: deps.clock(),
    });
    return await buildState(deps, tx, updated);
  });
}

/** Client fraud signals, per category; a later submission of a category replaces the earlier one. */
export const signalsSchema = z.strictObject({
  behavioral: z.record(z.string(), z.unknown()).optional(),
  device: z.record(z.string(), z.unknown()).optional(),
  network: z.record(z.string(), z.unknown()).optional(),
  integrity: z.record(z.string(), z.unknown()).optional(),
});

export async function submitSignals(deps: CoreDeps, token: string, body: unknown) {
  const input = parseOrThrow(signalsSchema, snakeKeys(requireObject(body)));
  return await withOpenCapture(deps, token, { needsConsent: true }, async (tx, session) => {
    const merged = { ...(session.client_signals ?? {}), ...input, received_at: deps.clock().toISOString() };
    await updateSessionRow(tx, scopeOf(session), session.id, {
      client_signals: JSON.stringify(merged),
      updated_at: deps.clock(),
    });
    return { accepted: Object.keys(input) };
  });
}

/**
 * Ends capture on a locked session whose steps are complete: sandbox waits for an outcome;
 * live goes to processing with its `session.process` job enqueued in the same transaction.
 */
export async function finishCapture(
  deps: CoreDeps,
  tx: DbOrTx,
  session: SessionRow,
  options: { viaApi: boolean },
): Promise<SessionRow> {
  const scope = scopeOf(session);
  const [requirements, documents] = await Promise.all([
    requirementsForSession(tx, scope, session),
    listDocuments(tx, scope, session.id),
  ]);
  const steps = captureSteps(session, requirements, documents, options);
  if (steps.missing.length > 0) {
    throw new AppError(
      "capture_incomplete",
      `Capture is incomplete; missing: ${steps.missing.join(", ")}.`,
      Object.fromEntries(steps.missing.map((step) => [step, "is required"])),
    );
  }
  const now = deps.clock();
  const next = session.environment === "sandbox" ? "sandbox_pending" : "processing";
  assertTransition(session.status, next, "complete capture of");
  const updated = await updateSessionRow(tx, scope, session.id, {
    status: next,
    capture_completed_at: now,
    started_at: session.started_at ?? now,
    processing_attempts: next === "processing" ? session.processing_attempts + 1 : session.processing_attempts,
    updated_at: now,
  });
  if (next === "processing") {
    await deps.jobs.enqueue(tx, SESSION_PROCESS_JOB, { session_id: session.id }, { singletonKey: session.id });
  }
  return updated;
}

export async function completeCapture(deps: CoreDeps, token: string) {
  return await withOpenCapture(deps, token, { needsConsent: true }, async (tx, session) => {
    const updated = await finishCapture(deps, tx, session, { viaApi: false });
    return await buildState(deps, tx, updated);
  });
}

const OUTCOME_PRESETS: Record<string, SandboxPreset> = {
  approve: "approve",
  reject: "reject",
  needs_review: "needs_review",
};

export const sandboxOutcomeSchema = z.strictObject({ outcome: z.string().optional(), preset: z.string().optional() });

export async function chooseSandboxOutcome(deps: CoreDeps, token: string, body: unknown) {
  const input = parseOrThrow(sandboxOutcomeSchema, snakeKeys(requireObject(body)));
  const name = input.preset ?? input.outcome;
  const preset = name === undefined ? null : OUTCOME_PRESETS[name] ?? (isSandboxPreset(name) ? name : null);
  if (!preset) {
    throw validationError({
      [input.preset !== undefined ? "preset" : "outcome"]: `must be approve, reject, needs_review or a preset (${
        SANDBOX_PRESETS.join(", ")
      })`,
    });
  }
  return await deps.db.transaction().execute(async (tx) => {
    const session = await sessionForToken(tx, token, deps.clock(), true);
    if (session.environment !== "sandbox") {
      throw new AppError(
        "sandbox_only",
        "Outcomes can only be chosen for sandbox sessions.",
        undefined,
        undefined,
        400,
      );
    }
    if (session.status === "pending" || session.status === "capturing") {
      throw stepOutOfOrder("Complete the capture (POST …/complete) before choosing an outcome.");
    }
    if (session.status !== "sandbox_pending") throw tokenExpired("An outcome was already chosen for this session.");
    const updated = await applySandboxPreset(deps, tx, scopeOf(session), session, preset);
    return {
      session_id: updated.id,
      status: updated.status,
      preset,
      redirect_url: redirectTarget(updated),
    };
  });
}

/** Where the applicant goes when done: the customer's redirect_url with session_id and status added. */
export function redirectTarget(session: SessionRow): string | null {
  if (!session.redirect_url) return null;
  const url = new URL(session.redirect_url);
  url.searchParams.set("session_id", session.id);
  url.searchParams.set("status", session.status);
  return url.toString();
}
