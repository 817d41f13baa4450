/**
 * Owns what reviewers attach to a case without moving it: notes (encrypted, listed oldest first)
 * and the case's metadata, custom fields and priority.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { CaseNoteRow, ReviewCaseRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import type { CipherContext } from "../crypto/key_ring.ts";
import { metadataObjectSchema, metadataSchema } from "../sessions/create_input.ts";
import type { Page } from "../sessions/repository.ts";
import { newId } from "../ids.ts";
import { parseOrThrow } from "../validation.ts";
import { findCase, insertNote, listNoteRows } from "./repository.ts";
import { applyCaseChange, withLockedCase } from "./change.ts";
import { CASE_PRIORITIES } from "./open.ts";
import { reviewerIdSchema } from "./reviewers.ts";

export const MAX_NOTE_LENGTH = 10_000;

export function noteTextContext(noteId: string): CipherContext {
  return { table: "case_notes", column: "text_enc", rowId: noteId };
}

export async function addNoteLocked(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  reviewCase: ReviewCaseRow,
  author: string,
  text: string,
  now: Date,
): Promise<CaseNoteRow> {
  const id = newId("note");
  const note = await insertNote(tx, {
    id,
    org_id: scope.orgId,
    environment: scope.environment,
    case_id: reviewCase.id,
    author,
    text_enc: deps.keyRing.encryptJson(text, noteTextContext(id)),
    created_at: now,
  });
  await applyCaseChange(
    deps,
    tx,
    scope,
    reviewCase,
    { action: "note_added", actor: author, details: { note_id: id } },
    now,
  );
  return note;
}

/** Notes may be added at any status, including after the decision. */
export async function addNote(deps: CoreDeps, scope: Scope, caseId: string, author: string, text: string) {
  return await withLockedCase(
    deps,
    scope,
    caseId,
    (tx, reviewCase, now) => addNoteLocked(deps, tx, scope, reviewCase, author, text, now),
  );
}

export async function listNotes(deps: CoreDeps, scope: Scope, caseId: string, page: Page) {
  await findCase(deps.db, scope, caseId);
  return await listNoteRows(deps.db, scope, caseId, page);
}

export const updateCaseSchema = z.strictObject({
  metadata: metadataObjectSchema.optional(),
  custom_fields: metadataObjectSchema.optional(),
  priority: z.enum(CASE_PRIORITIES, { error: `must be one of ${CASE_PRIORITIES.join(", ")}` }).optional(),
  reviewer_id: reviewerIdSchema.optional(),
});
export type CaseUpdate = z.infer<typeof updateCaseSchema>;

/** Keys sent replace, keys sent as null are removed, others stay (a Map keeps "__proto__" an ordinary key). */
function mergeKeys(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = new Map(Object.entries(stored));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}

/** Metadata and custom fields merge like a session's metadata and keep its limits (50 keys, 16 KB a value). */
export async function updateCase(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  update: CaseUpdate,
  actor: string,
): Promise<ReviewCaseRow> {
  return await withLockedCase(deps, scope, id, async (tx, reviewCase, now) => {
    const merged = (field: "metadata" | "custom_fields") => {
      const patch = update[field];
      if (patch === undefined) return undefined;
      const value = mergeKeys(reviewCase[field], patch);
      return JSON.stringify(parseOrThrow(z.object({ [field]: metadataSchema }), { [field]: value })[field]);
    };
    const changed = (["metadata", "custom_fields", "priority"] as const).filter((f) => update[f] !== undefined);
    return await applyCaseChange(deps, tx, scope, reviewCase, {
      action: "updated",
      actor,
      values: { metadata: merged("metadata"), custom_fields: merged("custom_fields"), priority: update.priority },
      details: { fields: changed, ...(update.priority ? { priority: update.priority } : {}) },
    }, now);
  });
}
