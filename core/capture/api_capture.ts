/**
 * Owns capture driven by the customer's server with its API key (the API-only integration):
 * uploading documents to a session and submitting it for verification.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DocumentRow, SessionRow } from "../db/database.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, validationError } from "../errors.ts";
import { parseOrThrow } from "../validation.ts";
import { findSession } from "../sessions/repository.ts";
import { updateWhileCapturing } from "../sessions/service.ts";
import { ID_DOCUMENT_TYPES } from "../workflows/workflows.ts";
import { deleteDocumentObjects, type DocSlot, removeDocuments, storeDocument } from "../documents/service.ts";
import { backAccepted } from "./steps.ts";
import { finishCapture } from "./service.ts";

export const API_DOCUMENT_TYPES = [...ID_DOCUMENT_TYPES, "selfie", "proof_of_address"] as const;

export const uploadFieldsSchema = z.strictObject({
  document_type: z.enum(API_DOCUMENT_TYPES),
  side: z.enum(["front", "back"]).optional(),
  poa_document_type: z.string().trim().regex(/^[a-z_]{2,40}$/, "must be a type such as utility_bill or bank_statement")
    .optional(),
  poa_document_date: z.iso.date("must be a date YYYY-MM-DD").optional(),
});
export type ApiUploadFields = z.infer<typeof uploadFieldsSchema>;

export function parseUploadFields(fields: Record<string, string>): ApiUploadFields {
  const input = parseOrThrow(uploadFieldsSchema, fields);
  if (input.document_type === "proof_of_address" && !input.poa_document_type) {
    throw validationError({ poa_document_type: "is required when document_type is proof_of_address" });
  }
  if (input.document_type !== "proof_of_address" && (input.poa_document_type || input.poa_document_date)) {
    throw validationError({ poa_document_type: "applies to proof_of_address only" });
  }
  // Selfies and proofs of address have no sides; a passport has its photo page only.
  if (input.side === "back" && !backAccepted(input.document_type)) {
    throw validationError({ side: `a ${input.document_type} has no back side` });
  }
  return input;
}

function slotFor(input: ApiUploadFields): DocSlot {
  if (input.document_type === "selfie") return "selfie";
  if (input.document_type === "proof_of_address") return "proof_of_address";
  return input.side === "back" ? "id_back" : "id_front";
}

function assertOpenForUpload(session: SessionRow): void {
  if (session.retention_status === "redacted") {
    throw new AppError("invalid_session_state", "Cannot add documents to a redacted session.");
  }
  if (session.status !== "pending" && session.status !== "capturing") {
    throw new AppError("invalid_session_state", `Cannot add documents to a session in status "${session.status}".`);
  }
}

/** Same slot replaces (idempotent); a pending session moves to capturing, as the notes say. */
export async function uploadDocumentViaApi(
  deps: CoreDeps,
  scope: Scope,
  sessionId: string,
  input: ApiUploadFields,
  bytes: Uint8Array,
) {
  assertOpenForUpload(await findSession(deps.db, scope, sessionId));
  const slot = slotFor(input);
  const staleBacks: DocumentRow[] = [];
  const stored = await storeDocument(deps, scope, sessionId, {
    slot,
    documentType: input.document_type,
    side: slot === "id_front" ? "front" : slot === "id_back" ? "back" : null,
    bytes,
    source: "api",
    poaDocumentType: input.poa_document_type,
    poaDocumentDate: input.poa_document_date,
  }, async (tx) => {
    const session = await findSession(tx, scope, sessionId, { forUpdate: true });
    assertOpenForUpload(session);
    // Both sides belong to one document: a back must match the front's type, and a front of
    // another type discards the old back (as changing the type in the capture flow does).
    if (slot === "id_back" && session.document_type && session.document_type !== input.document_type) {
      throw validationError({
        document_type: `must match the front already uploaded (${session.document_type})`,
      });
    }
    if (slot === "id_front" && session.document_type && session.document_type !== input.document_type) {
      staleBacks.push(...await removeDocuments(tx, scope, sessionId, ["id_back"]));
    }
    await advanceForUpload(deps, tx, session, slot === "id_front" ? input.document_type : null);
  });
  for (const row of staleBacks) await deleteDocumentObjects(deps, row);
  return stored;
}

async function advanceForUpload(deps: CoreDeps, tx: DbOrTx, session: SessionRow, idType: string | null) {
  await updateWhileCapturing(deps, tx, session, idType ? { document_type: idType } : {});
}

/** `POST /sessions/{id}/submit`: the documents must be there; then the same completion as the capture flow. */
export async function submitSession(deps: CoreDeps, scope: Scope, sessionId: string): Promise<SessionRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const session = await findSession(tx, scope, sessionId, { forUpdate: true });
    if (session.status !== "pending" && session.status !== "capturing") {
      throw new AppError("invalid_session_state", `Cannot submit a session in status "${session.status}".`);
    }
    return await finishCapture(deps, tx, session, { viaApi: true });
  });
}
