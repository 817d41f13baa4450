/**
 * Owns what duplicate detection compares: HMAC blind indexes of a session's document number,
 * email, phone, and name with date of birth (never the values), and its face template (an
 * encrypted embedding). Recorded when a run decides, looked up within the same organisation and
 * environment, excluding the session itself.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { blindIndex } from "../crypto/hmac.ts";
import { normalizeText } from "./text_match.ts";
import type { ApplicantClaims } from "./evidence.ts";
import type { ExtractedData } from "./extraction.ts";

export const IDENTIFIER_KINDS = ["document_number", "email", "phone", "name_dob"] as const;
export type IdentifierKind = typeof IDENTIFIER_KINDS[number];
export type IdentifierDigests = Partial<Record<IdentifierKind, string>>;

/**
 * Face templates compared per duplicate check: the most recent this many of the organisation's
 * (same model). A template is 128 float32s sealed with AES-GCM; opening and comparing one costs
 * tens of microseconds, so the bound keeps a check within about a second.
 */
export const FACE_TEMPLATE_SCAN_LIMIT = 20_000;

export function templateContext(sessionId: string) {
  return { table: "face_templates", column: "embedding_enc", rowId: sessionId };
}

/** A template's sealed form: float32 bytes under the key ring, bound to the session. */
export function sealEmbedding(deps: CoreDeps, sessionId: string, embedding: readonly number[]): string {
  return deps.keyRing.encrypt(new Uint8Array(Float32Array.from(embedding).buffer), templateContext(sessionId));
}

/** A stored template's embedding (templates are sealed float32 bytes, not JSON). */
export function openEmbedding(deps: CoreDeps, sessionId: string, sealed: string): Float32Array {
  const bytes = deps.keyRing.decrypt(sealed, templateContext(sessionId));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** The document's values where it was read, else what the applicant entered. */
export function identifierDigests(
  indexKey: Uint8Array,
  extracted: ExtractedData,
  claims: ApplicantClaims,
): IdentifierDigests {
  const digests: IdentifierDigests = {};
  const put = (kind: IdentifierKind, value: string | null | undefined) => {
    if (value) digests[kind] = blindIndex(indexKey, `duplicate:${kind}`, value);
  };
  const documentNumber = extracted.document_number ?? (claims.document_number as string | undefined);
  put("document_number", documentNumber ? normalizeText(documentNumber).replace(/ /g, "") : null);
  put("email", typeof claims.email === "string" ? claims.email.trim().toLowerCase() : null);
  const phone = typeof claims.phone === "string" ? claims.phone.replace(/[^\d]/g, "") : "";
  put("phone", phone.length >= 6 ? phone : null);
  const first = extracted.first_name ?? claims.first_name;
  const last = extracted.last_name ?? claims.last_name;
  const dob = extracted.date_of_birth ?? claims.date_of_birth;
  if (first && last && dob) put("name_dob", `${normalizeText(`${first} ${last}`)}|${dob}`);
  return digests;
}

export async function findIdentifierMatches(
  db: DbOrTx,
  scope: Scope,
  sessionId: string,
  digests: IdentifierDigests,
): Promise<{ session_id: string; kind: IdentifierKind }[]> {
  const entries = Object.entries(digests) as [IdentifierKind, string][];
  if (entries.length === 0) return [];
  return await db.selectFrom("session_identifiers").select(["session_id", "kind"])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("session_id", "!=", sessionId)
    .where((eb) => eb.or(entries.map(([kind, digest]) => eb.and([eb("kind", "=", kind), eb("digest", "=", digest)]))))
    .orderBy("created_at", "desc").limit(50).execute();
}

/** Templates of other sessions made by the same model (another model's embeddings are not comparable). */
export async function findSimilarFaces(
  deps: CoreDeps,
  scope: Scope,
  sessionId: string,
  face: { embedding: readonly number[]; model: string },
  similarity: (a: readonly number[], b: readonly number[]) => number,
  threshold: number,
): Promise<{ session_id: string; similarity: number }[]> {
  const rows = await deps.db.selectFrom("face_templates").select(["session_id", "embedding_enc"])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("model", "=", face.model).where("session_id", "!=", sessionId)
    .orderBy("created_at", "desc").limit(FACE_TEMPLATE_SCAN_LIMIT).execute();
  const matches = [];
  for (const row of rows) {
    const other = openEmbedding(deps, row.session_id, row.embedding_enc) as unknown as number[];
    const score = similarity(face.embedding, other);
    if (score >= threshold) matches.push({ session_id: row.session_id, similarity: score });
  }
  return matches.sort((a, b) => b.similarity - a.similarity).slice(0, 20);
}

/**
 * Replaces the session's identifiers (a reprocess may read the document differently) and, when
 * faces were measured (`face` not undefined), its face template.
 */
export async function recordIdentifiers(
  tx: DbOrTx,
  deps: CoreDeps,
  scope: Scope,
  sessionId: string,
  digests: IdentifierDigests,
  face: { embedding: readonly number[]; model: string } | null | undefined,
  now: Date,
): Promise<void> {
  await tx.deleteFrom("session_identifiers").where("session_id", "=", sessionId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).execute();
  const rows = (Object.entries(digests) as [IdentifierKind, string][]).map(([kind, digest]) => ({
    session_id: sessionId,
    org_id: scope.orgId,
    environment: scope.environment,
    kind,
    digest,
    created_at: now,
  }));
  if (rows.length) await tx.insertInto("session_identifiers").values(rows).execute();
  if (face === undefined) return;
  await tx.deleteFrom("face_templates").where("session_id", "=", sessionId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).execute();
  if (face) {
    await tx.insertInto("face_templates").values({
      session_id: sessionId,
      org_id: scope.orgId,
      environment: scope.environment,
      embedding_enc: sealEmbedding(deps, sessionId, face.embedding),
      model: face.model,
      created_at: now,
    }).execute();
  }
}
