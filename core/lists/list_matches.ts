/**
 * Owns the list matches recorded on a session: written by the check_against_list check (one row
 * per session and item, so a retried or reprocessed check updates instead of duplicating), read
 * per session, and marked as false positives by a person, with who, when and why.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { ListMatchRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { parseOrThrow } from "../validation.ts";
import type { ListMatch } from "./matching.ts";

export const falsePositiveSchema = z.strictObject({ reason: z.string().trim().min(1, "is required").max(2000) });

export function toListMatchDto(row: ListMatchRow) {
  return {
    id: row.id,
    object: "list_match",
    session_id: row.session_id,
    list_id: row.list_id,
    item_id: row.item_id,
    list_type: row.list_type,
    match_mode: row.match_mode,
    matched_on: row.matched_on,
    score: row.score,
    false_positive: row.false_positive,
    false_positive_by: row.false_positive_by,
    false_positive_at: row.false_positive_at?.toISOString() ?? null,
    false_positive_reason: row.false_positive_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Upserts per (session, item): a false-positive mark made on an earlier run is kept. */
export async function recordMatches(
  db: DbOrTx,
  scope: Scope,
  sessionId: string,
  matches: readonly ListMatch[],
  now: Date,
): Promise<void> {
  if (!matches.length) return;
  await db.insertInto("list_matches").values(matches.map((m) => ({
    id: newId("lmatch"),
    org_id: scope.orgId,
    environment: scope.environment,
    session_id: sessionId,
    list_id: m.list_id,
    item_id: m.item_id,
    list_type: m.list_type,
    match_mode: m.match_mode,
    matched_on: m.matched_on,
    score: m.score,
    created_at: now,
    updated_at: now,
  }))).onConflict((oc) =>
    oc.columns(["session_id", "item_id"]).doUpdateSet((eb) => ({
      match_mode: eb.ref("excluded.match_mode"),
      matched_on: eb.ref("excluded.matched_on"),
      score: eb.ref("excluded.score"),
      updated_at: eb.ref("excluded.updated_at"),
    }))
  ).execute();
}

async function assertSessionInScope(db: DbOrTx, scope: Scope, sessionId: string): Promise<void> {
  const session = await db.selectFrom("sessions").select("id").where("id", "=", sessionId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).executeTakeFirst();
  if (!session) throw notFound("Session");
}

export async function sessionMatches(db: DbOrTx, scope: Scope, sessionId: string): Promise<ListMatchRow[]> {
  await assertSessionInScope(db, scope, sessionId);
  return await db.selectFrom("list_matches").selectAll().where("session_id", "=", sessionId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .orderBy("created_at").orderBy("id").execute();
}

export async function markFalsePositive(
  deps: CoreDeps,
  scope: Scope,
  sessionId: string,
  matchId: string,
  body: unknown,
  markedBy: string,
): Promise<ListMatchRow> {
  const input = parseOrThrow(falsePositiveSchema, body);
  await assertSessionInScope(deps.db, scope, sessionId);
  return await deps.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom("list_matches").selectAll().where("id", "=", matchId)
      .where("session_id", "=", sessionId).where("org_id", "=", scope.orgId)
      .where("environment", "=", scope.environment).forUpdate().executeTakeFirst();
    if (!row) throw notFound("List match");
    if (row.false_positive) {
      throw new AppError("conflict", `The match was already marked a false positive by ${row.false_positive_by}.`);
    }
    const now = deps.clock();
    return await tx.updateTable("list_matches").set({
      false_positive: true,
      false_positive_by: markedBy,
      false_positive_at: now,
      false_positive_reason: input.reason,
      updated_at: now,
    }).where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
  });
}
