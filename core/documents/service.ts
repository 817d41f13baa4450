/**
 * Owns session documents: running uploads through the image pipeline, sealing each object under
 * its own data key before it reaches the blob store, replacing a slot's earlier upload, and
 * reading objects back for signed downloads.
 */
import type { CoreDeps } from "../deps.ts";
import type { DocumentRow, SessionRow } from "../db/database.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { hmacBytes } from "../crypto/hmac.ts";
import { openObject, sealObject } from "../crypto/object_envelope.ts";
import { processImage, sniffImageType } from "../images/image_pipeline.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";

/** Where a document sits in a session; also the `doc_type` of the signed-URL API. */
export type DocSlot = "id_front" | "id_back" | "selfie" | "proof_of_address";

export interface NewDocument {
  slot: DocSlot;
  /** passport, drivers_license, …, selfie or proof_of_address. */
  documentType: string;
  side: "front" | "back" | null;
  bytes: Uint8Array;
  source: "api" | "capture";
  poaDocumentType?: string | null;
  poaDocumentDate?: string | null;
}

export interface StoredDocument {
  row: DocumentRow;
  /** Feedback for the uploader; null for PDFs, which are stored as sent. */
  quality: Record<string, unknown> | null;
}

function storageKeyFor(scope: Scope, sessionId: string, documentId: string, variant: "full" | "thumb"): string {
  return `orgs/${scope.orgId}/${scope.environment}/sessions/${sessionId}/${documentId}-${variant}`;
}

/** Every object of one session lives under this prefix, so redaction can remove them all at once. */
export function sessionBlobPrefix(scope: Scope, sessionId: string): string {
  return `orgs/${scope.orgId}/${scope.environment}/sessions/${sessionId}/`;
}

/**
 * Image work happens before any transaction (it is slow and needs no lock). Objects are written
 * before the row that points at them; the replaced upload's objects are deleted after the commit,
 * so a crash can leave an unreferenced sealed object but never a row without its object.
 */
export async function storeDocument(
  deps: CoreDeps,
  scope: Scope,
  sessionId: string,
  input: NewDocument,
  /** Runs first in the same transaction: locks and checks the session, advances its status. */
  alsoInTransaction: (tx: DbOrTx) => Promise<void>,
): Promise<StoredDocument> {
  const sniffed = sniffImageType(input.bytes);
  const isPdf = sniffed === "application/pdf";
  if (isPdf && input.slot !== "proof_of_address") {
    throw new AppError(
      "unsupported_media_type",
      "PDF is accepted for proof of address only; send a JPEG, PNG or WebP photo.",
    );
  }
  const image = isPdf
    ? null
    : await processImage(input.bytes, { purpose: input.slot === "selfie" ? "selfie" : "document" });
  const id = newId("doc");
  const fullKey = storageKeyFor(scope, sessionId, id, "full");
  const thumbKey = image ? storageKeyFor(scope, sessionId, id, "thumb") : null;
  const content = image ? image.normalized : input.bytes;
  await deps.blobs.put(fullKey, sealObject(deps.keyRing, fullKey, content), "application/octet-stream");
  if (image && thumbKey) {
    await deps.blobs.put(thumbKey, sealObject(deps.keyRing, thumbKey, image.thumbnail), "application/octet-stream");
  }

  let replaced: DocumentRow | undefined;
  const row = await deps.db.transaction().execute(async (tx) => {
    await alsoInTransaction(tx);
    replaced = await tx.deleteFrom("documents")
      .where("session_id", "=", sessionId).where("org_id", "=", scope.orgId).where(
        "environment",
        "=",
        scope.environment,
      )
      .where("doc_type", "=", input.slot)
      .returningAll().executeTakeFirst();
    return await tx.insertInto("documents").values({
      id,
      org_id: scope.orgId,
      environment: scope.environment,
      session_id: sessionId,
      doc_type: input.slot,
      document_type: input.documentType,
      side: input.side,
      mime_type: image ? image.mimeType : "application/pdf",
      size_bytes: content.length,
      width: image?.width ?? null,
      height: image?.height ?? null,
      quality: image ? JSON.stringify(image.quality) : null,
      storage_key: fullKey,
      thumbnail_key: thumbKey,
      content_hmac: hmacBytes(deps.indexKey, "document-content", input.bytes),
      upload_source: input.source,
      poa_document_type: input.poaDocumentType ?? null,
      poa_document_date: input.poaDocumentDate ?? null,
      created_at: deps.clock(),
    }).returningAll().executeTakeFirstOrThrow();
  }).catch(async (error) => {
    await Promise.all([deps.blobs.delete(fullKey), thumbKey ? deps.blobs.delete(thumbKey) : null]);
    throw error;
  });
  if (replaced) await deleteDocumentObjects(deps, replaced);
  return { row, quality: image ? (image.quality as unknown as Record<string, unknown>) : null };
}

export async function deleteDocumentObjects(deps: CoreDeps, row: DocumentRow): Promise<void> {
  await deps.blobs.delete(row.storage_key);
  if (row.thumbnail_key) await deps.blobs.delete(row.thumbnail_key);
}

/** Removes a slot's document (e.g. when the applicant changes the ID type). */
export async function removeDocuments(tx: DbOrTx, scope: Scope, sessionId: string, slots: DocSlot[]) {
  const removed = await tx.deleteFrom("documents")
    .where("session_id", "=", sessionId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("doc_type", "in", slots)
    .returningAll().execute();
  return removed;
}

export async function listDocuments(db: DbOrTx, scope: Scope, sessionId: string): Promise<DocumentRow[]> {
  return await db.selectFrom("documents").selectAll()
    .where("session_id", "=", sessionId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .orderBy("created_at").orderBy("id").execute();
}

export async function findDocument(db: DbOrTx, session: SessionRow, slot: string): Promise<DocumentRow | undefined> {
  return await db.selectFrom("documents").selectAll()
    .where("session_id", "=", session.id).where("org_id", "=", session.org_id)
    .where("environment", "=", session.environment).where("doc_type", "=", slot)
    .executeTakeFirst();
}

/** The decrypted bytes of a document or its thumbnail; null when the object is gone (redacted). */
export async function readDocument(
  deps: CoreDeps,
  row: DocumentRow,
  variant: "full" | "thumb",
): Promise<Uint8Array | null> {
  const key = variant === "thumb" ? row.thumbnail_key : row.storage_key;
  if (!key) return null;
  const sealed = await deps.blobs.get(key);
  return sealed ? openObject(deps.keyRing, key, sealed) : null;
}
