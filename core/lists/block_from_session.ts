/**
 * Owns adding a session's identifiers (document number, device fingerprint, face) to the
 * organisation's block lists, as a reviewer's rejection may ask (issue #7, lists): each goes to
 * the oldest active block list of its type, or to a "Blocked by reviewers" list created for it.
 * Runs in the caller's transaction; a value already listed is not added twice. Also what the
 * session's erasure does with those items (issue #15 item 7): see eraseBlockedFromSessions.
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
    const { added, existing } = await insertItems(
      deps,
      tx,
      list,
      [{
        value,
        notes: `Blocked from session ${sessionId}.`,
      }],
      addedBy,
      sessionId,
    );
    const item = added[0] ?? existing[0];
    blocked.push({ list_id: list.id, list_type: type, item_id: item.id });
  }
  return blocked;
}

/** A block-list item an erasure keeps, as its receipt lists it: ids and the kind, never the value. */
export interface RetainedListItem {
  list_id: string;
  item_id: string;
  list_type: ListType;
}

/**
 * Per kind, what the session's erasure does with the block-list items built from it:
 * - `face`: erased with the session. The embedding is biometric data (GDPR Art. 9) derived from
 *   the selfie the erasure deletes, the same data as the face template it removes.
 * - every other kind (document number, device fingerprint): kept on the list, because a reviewer
 *   blocked the value to prevent fraud (Art. 17(3)), and listed in the erasure receipt, so the
 *   receipt says exactly what remains and where; `DELETE /lists/{id}/items/{item_id}` removes one.
 * Only items this session added carry its id: a value already on the list stays as it was.
 * Takes several sessions at once (the retention sweep erases a batch in one transaction); the
 * answer has an entry for each.
 */
export async function eraseBlockedFromSessions(
  tx: DbOrTx,
  scope: Scope,
  sessionIds: string[],
  now: Date,
): Promise<Map<string, { erased: number; retained: RetainedListItem[] }>> {
  const out = new Map(sessionIds.map((id) => [id, { erased: 0, retained: [] as RetainedListItem[] }]));
  if (sessionIds.length === 0) return out;
  const items = await tx.selectFrom("custom_list_items").select(["id", "list_id", "list_type", "source_session_id"])
    .where("source_session_id", "in", sessionIds).where("org_id", "=", scope.orgId)
    .where("environment", "=", scope.environment).orderBy("created_at").orderBy("id").execute();
  const faces = items.filter((item) => item.list_type === "face");
  if (faces.length > 0) {
    await tx.deleteFrom("custom_list_items").where("id", "in", faces.map((item) => item.id)).execute();
    // In list id order, so two erasures decrementing the same lists never wait on each other in a cycle.
    for (const listId of [...new Set(faces.map((item) => item.list_id))].sort()) {
      const n = faces.filter((item) => item.list_id === listId).length;
      await tx.updateTable("custom_lists").set((eb) => ({ item_count: eb("item_count", "-", n), updated_at: now }))
        .where("id", "=", listId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
        .execute();
    }
  }
  for (const item of items) {
    const entry = out.get(item.source_session_id!)!;
    if (item.list_type === "face") entry.erased++;
    else entry.retained.push({ list_id: item.list_id, item_id: item.id, list_type: item.list_type });
  }
  return out;
}
