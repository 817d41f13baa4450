/** Owns the response shapes of documents: their metadata, signed URLs, and quality feedback. */
import type { DocumentRow } from "../db/database.ts";
import type { KeyEntry } from "../config.ts";
import { signResource } from "../crypto/signed_url.ts";

export type DocumentVariant = "full" | "thumb";

/** What a signed URL grants: one variant of one slot of one session. */
export function documentResource(sessionId: string, slot: string, variant: DocumentVariant): string {
  return `${sessionId}/${slot}/${variant}`;
}

export function signedDocumentUrl(
  publicUrl: string,
  keys: readonly KeyEntry[],
  row: DocumentRow,
  variant: DocumentVariant,
  expiresUnix: number,
): string {
  const { expires, sig } = signResource(keys, documentResource(row.session_id, row.doc_type, variant), expiresUnix);
  const query = new URLSearchParams({ expires: String(expires), sig });
  if (variant === "thumb") query.set("variant", "thumb");
  return `${publicUrl}/api/v1/sessions/${row.session_id}/documents/${row.doc_type}?${query}`;
}

/** The contract names the capture feedback `blur`, `glare` and `resolution`; exposure rides along. */
export function qualityFeedback(quality: Record<string, unknown> | null) {
  if (!quality) return null;
  const q = quality as {
    resolution: unknown;
    sharpness: unknown;
    glare: unknown;
    exposure: unknown;
    ok: boolean;
    warnings: string[];
  };
  return {
    ok: q.ok,
    warnings: q.warnings,
    blur: q.sharpness,
    glare: q.glare,
    resolution: q.resolution,
    exposure: q.exposure,
  };
}

export function toDocumentDto(
  row: DocumentRow,
  publicUrl: string,
  keys: readonly KeyEntry[],
  now: Date,
  ttlSeconds: number,
) {
  const expiresUnix = Math.floor(now.getTime() / 1000) + ttlSeconds;
  return {
    id: row.id,
    doc_type: row.doc_type,
    document_type: row.document_type,
    side: row.side,
    mime_type: row.mime_type,
    url: signedDocumentUrl(publicUrl, keys, row, "full", expiresUnix),
    thumbnail_url: row.thumbnail_key ? signedDocumentUrl(publicUrl, keys, row, "thumb", expiresUnix) : null,
    expires_in: ttlSeconds,
    file_size_bytes: row.size_bytes,
    width: row.width,
    height: row.height,
    quality: qualityFeedback(row.quality),
    upload_source: row.upload_source,
    poa_document_type: row.poa_document_type,
    poa_document_date: row.poa_document_date,
    created_at: row.created_at.toISOString(),
  };
}
