/**
 * Owns session documents over REST: the signed-URL list, the API-key upload, and the download
 * that a signed URL opens (no API key: the signature is the credential).
 */
import { Hono } from "hono";
import type { AppEnv } from "../http.ts";
import { readUpload, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { AppError } from "../../core/errors.ts";
import { MAX_UPLOAD_BYTES } from "../../core/images/image_pipeline.ts";
import { findSession } from "../../core/sessions/repository.ts";
import { sensitiveDataExpired } from "../../core/sessions/dto.ts";
import { getOrgSettings } from "../../core/orgs/organizations.ts";
import { findDocument, listDocuments, readDocument } from "../../core/documents/service.ts";
import { documentResource, qualityFeedback, toDocumentDto } from "../../core/documents/dto.ts";
import { verifyResource } from "../../core/crypto/signed_url.ts";
import { parseUploadFields, uploadDocumentViaApi } from "../../core/capture/api_capture.ts";
import { scopeOf } from "../../core/capture/service.ts";

function sensitiveExpiredError() {
  return new AppError("sensitive_data_expired", "The documents of this session are past the sensitive-data window.");
}

/** Mounted before authentication: a signed URL is its own credential, checked here. */
export function documentDownloadRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  app.get("/:id/documents/:slot", async (c) => {
    const { id, slot } = c.req.param();
    const variant = c.req.query("variant") === "thumb" ? "thumb" : "full";
    const now = deps.clock();
    const check = verifyResource(
      deps.signingKeys,
      documentResource(id, slot, variant),
      c.req.query("expires"),
      c.req.query("sig"),
      Math.floor(now.getTime() / 1000),
    );
    if (check === "expired") throw new AppError("forbidden", "This document link has expired; request a new one.");
    if (check !== "valid") throw new AppError("forbidden", "This document link is not valid.");
    const session = await deps.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
    if (!session) throw new AppError("not_found", "Document not found.");
    if (sensitiveDataExpired(session, await getOrgSettings(deps.db, session.org_id), now)) {
      throw sensitiveExpiredError();
    }
    const row = await findDocument(deps.db, session, slot);
    const bytes = row ? await readDocument(deps, row, variant) : null;
    if (!row || !bytes) throw new AppError("not_found", "Document not found.");
    return c.body(
      bytes.slice().buffer,
      200,
      downloadHeaders(variant === "thumb" ? "image/jpeg" : row.mime_type, row.doc_type),
    );
  });
  return app;
}

/**
 * The headers of a document download. A PDF is applicant-supplied active content: opened inline on
 * our origin its scripts or forms would run with the dashboard's cookies in reach, so it is only
 * ever an attachment. Every download is also `Content-Security-Policy: sandbox` (a unique origin,
 * no scripts, should a browser render it anyway) and `nosniff` (served as the type we stored).
 * Images stay inline: the dashboard and the customer's back office show them in `<img>`.
 */
function downloadHeaders(mimeType: string, docType: string): Record<string, string> {
  const pdf = mimeType === "application/pdf";
  return {
    "Content-Type": mimeType,
    "Cache-Control": "no-store",
    "Content-Disposition": `${pdf ? "attachment" : "inline"}; filename="${docType}${pdf ? ".pdf" : ".jpg"}"`,
    "Content-Security-Policy": "sandbox",
    "X-Content-Type-Options": "nosniff",
  };
}

export function documentRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/:id/documents", requireScope("verifications:read"), async (c) => {
    const scope = c.get("principal");
    const session = await findSession(deps.db, scope, c.req.param("id"));
    const settings = await getOrgSettings(deps.db, scope.orgId);
    const now = deps.clock();
    if (sensitiveDataExpired(session, settings, now)) throw sensitiveExpiredError();
    const rows = await listDocuments(deps.db, scopeOf(session), session.id);
    const ttl = settings.image_url_expiry_seconds;
    return respond(c, { data: rows.map((row) => toDocumentDto(row, deps.publicUrl, deps.signingKeys, now, ttl)) });
  });

  app.post("/:id/documents", requireScope("documents:write"), async (c) => {
    const upload = await readUpload(c, MAX_UPLOAD_BYTES, 400);
    const input = parseUploadFields(upload.fields);
    const { row, quality } = await uploadDocumentViaApi(
      deps,
      c.get("principal"),
      c.req.param("id"),
      input,
      upload.bytes,
    ).catch((error) => {
      // The notes give this endpoint 400/401/404/422: a file of the wrong type is a 400, as on the
      // capture API, not the 415 the code carries elsewhere.
      throw error instanceof AppError && error.code === "unsupported_media_type" ? error.withStatus(400) : error;
    });
    return respond(c, {
      id: row.id,
      session_id: row.session_id,
      document_type: row.document_type,
      doc_type: row.doc_type,
      side: row.side,
      mime_type: row.mime_type,
      file_size_bytes: row.size_bytes,
      quality: qualityFeedback(quality),
      created_at: row.created_at.toISOString(),
    }, 201);
  });

  return app;
}
