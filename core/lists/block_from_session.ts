/**
 * Owns adding a session's identifiers (document number, device fingerprint, face) to the
 * organisation's block lists, as a reviewer's rejection may ask (issue #7, lists): each goes to
 * the oldest active block list of its type, or to a "Blocked by reviewers" list created for it.
 * Runs in the caller's transaction; a value already listed is not added twice.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { CustomListRow, ListType } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { notFound } from "../errors.ts";
import { resultDataContext, sessionFieldContext } from "../sessions/service.ts";
import { openEmbedding } from "../verification/identifiers.ts";
import { FACE_DESCRIPTOR_MODEL } from "../engines/face_similarity.ts";
import { insertItems, type NewItem } from "./items.ts";
import { insertList } from "./lists.ts";
import { clientIdentifiers } from "./subject.ts";

export interface BlockedFromSession {
  list_id: string;
  list_type: string;
  item_id: string;
}

export const REVIEWER_BLOCK_LIST_NAME = "Blocked by reviewers";

async function blockListFor(deps: CoreDeps, tx: DbOrTx, scope: Scope, type: ListType): Promise<CustomListRow> {
  const existing = await tx.selectFrom("custom_lists").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("list_type", "=", type).where("match_mode", "=", "block")
    .where("is_active", "=", true).where("archived_at", "is", null)
    .orderBy("created_at").orderBy("id").limit(1).forUpdate().executeTakeFirst();
  return existing ?? await insertList(tx, scope, {
    name: REVIEWER_BLOCK_LIST_NAME,
    list_type: type,
    match_mode: "block",
    description: `${type} values added from rejected review cases.`,
  }, deps.clock());
}

/** The document number read by the decision, else the one the applicant entered. */
async function documentNumberOf(
  deps: CoreDeps,
  tx: DbOrTx,
  session: { id: string; fields_enc: string | null; user_fields_enc: string | null },
): Promise<string | null> {
  const result = await tx.selectFrom("session_results").select("extracted_data_enc")
    .where("session_id", "=", session.id).executeTakeFirst();
  const extracted = result?.extracted_data_enc
    ? deps.keyRing.decryptJson<Record<string, unknown>>(result.extracted_data_enc, resultDataContext(session.id))
    : {};
  if (typeof extracted.document_number === "string" && extracted.document_number) return extracted.document_number;
  for (const column of ["user_fields_enc", "fields_enc"] as const) {
    const value = session[column];
    if (!value) continue;
    const claims = deps.keyRing.decryptJson<Record<string, unknown>>(value, sessionFieldContext(session.id, column));
    if (typeof claims.document_number === "string" && claims.document_number) return claims.document_number;
  }
  return null;
}

export async function blockSessionIdentifiers(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  sessionId: string,
  addedBy: string,
): Promise<BlockedFromSession[]> {
  const session = await tx.selectFrom("sessions").select(["id", "fields_enc", "user_fields_enc", "client_signals"])
    .where("id", "=", sessionId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
  if (!session) throw notFound("Session");

  const values: [ListType, NewItem["value"]][] = [];
  const documentNumber = await documentNumberOf(deps, tx, session);
  if (documentNumber) values.push(["government_id", { id_number: documentNumber }]);
  const device = clientIdentifiers(session.client_signals).device_fingerprint;
  if (device) values.push(["device_fingerprint", { fingerprint_hash: device }]);
  // Only a template of the current descriptor: an old model's would never match a new face.
  const template = await tx.selectFrom("face_templates").select("embedding_enc").where("session_id", "=", sessionId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("model", "=", FACE_DESCRIPTOR_MODEL).executeTakeFirst();
  if (template) {
    values.push(["face", { embedding: Array.from(openEmbedding(deps, sessionId, template.embedding_enc)) }]);
  }

  const blocked: BlockedFromSession[] = [];
  for (const [type, value] of values) {
    const list = await blockListFor(deps, tx, scope, type);
    const { added, existing } = await insertItems(deps, tx, list, [{
      value,
      notes: `Blocked from session ${sessionId}.`,
    }], addedBy);
    const item = added[0] ?? existing[0];
    blocked.push({ list_id: list.id, list_type: type, item_id: item.id });
  }
  return blocked;
}
