/**
 * Owns the SQL for identities: lookups by id or external_ref, inserts, updates, the offset and
 * cursor listings, blind-index search, an identity's sessions and its events. Every query is
 * filtered by org and environment.
 */
import { type Insertable, sql, type Updateable } from "kysely";
import type { DbOrTx } from "../db/create_db.ts";
import type { IdentitiesTable, IdentityRow, SessionResultRow, SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { IdentifierDigests } from "../verification/identifiers.ts";

function scoped(tx: DbOrTx, scope: Scope) {
  return tx.selectFrom("identities").where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
}

/**
 * `{id}` in a path is an `idn_…` id or the customer's external_ref. The id wins; among records
 * sharing an external_ref, the live one wins over an erased one.
 */
export async function findIdentity(
  tx: DbOrTx,
  scope: Scope,
  idOrRef: string,
  options: { forUpdate?: boolean } = {},
): Promise<IdentityRow> {
  let query = scoped(tx, scope).selectAll()
    .where((eb) => eb.or([eb("id", "=", idOrRef), eb("external_ref", "=", idOrRef)]))
    .orderBy(sql`id = ${idOrRef}`, "desc").orderBy(sql`status = 'redacted'`).orderBy("created_at", "desc").limit(1);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("Identity");
  return row;
}

/** The record an external_ref currently names (at most one is not redacted), locked. */
export async function lockIdentityByRef(tx: DbOrTx, scope: Scope, externalRef: string) {
  return await scoped(tx, scope).selectAll().where("external_ref", "=", externalRef).where("status", "<>", "redacted")
    .forUpdate().executeTakeFirst();
}

/** The live identity an external_ref names, created (pending) when there is none; locked either way. */
export async function lockOrCreateIdentity(
  tx: DbOrTx,
  scope: Scope,
  externalRef: string,
  now: Date,
): Promise<{ identity: IdentityRow; created: boolean }> {
  const existing = await lockIdentityByRef(tx, scope, externalRef);
  if (existing) return { identity: existing, created: false };
  const inserted = await insertIdentityIfAbsent(tx, {
    id: newId("idn"),
    org_id: scope.orgId,
    environment: scope.environment,
    external_ref: externalRef,
    status: "pending",
    pii_enc: null,
    email_bidx: null,
    phone_bidx: null,
    document_number_bidx: null,
    name_dob_bidx: null,
    country: null,
    tags: [],
    custom_fields: JSON.stringify({}),
    flag_reason: null,
    flagged_by: null,
    latest_session_id: null,
    merged_into: null,
    created_at: now,
    updated_at: now,
  });
  if (inserted) return { identity: inserted, created: true };
  // A concurrent transaction created it between our lookup and insert; it has committed by now.
  return { identity: (await lockIdentityByRef(tx, scope, externalRef))!, created: false };
}

/** Locks several identities in id order, so two merges over the same rows cannot deadlock. */
export async function lockIdentities(tx: DbOrTx, scope: Scope, ids: string[]): Promise<IdentityRow[]> {
  return await scoped(tx, scope).selectAll().where("id", "in", ids).orderBy("id").forUpdate().execute();
}

/** Inserts unless a live record already holds the external_ref; undefined then (the caller reads that one). */
async function insertIdentityIfAbsent(
  tx: DbOrTx,
  values: Insertable<IdentitiesTable>,
): Promise<IdentityRow | undefined> {
  return await tx.insertInto("identities").values(values)
    .onConflict((oc) =>
      oc.columns(["org_id", "environment", "external_ref"]).where("status", "<>", "redacted").doNothing()
    )
    .returningAll().executeTakeFirst();
}

export async function updateIdentityRow(
  tx: DbOrTx,
  scope: Scope,
  id: string,
  values: Updateable<IdentitiesTable>,
): Promise<IdentityRow> {
  try {
    return await tx.updateTable("identities").set(values)
      .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .returningAll().executeTakeFirstOrThrow();
  } catch (error) {
    if ((error as { code?: string }).code === "23505") {
      throw new AppError("conflict", "Another identity already has this external_ref.");
    }
    throw error;
  }
}

/** Recounts after sessions were linked or moved, so the number can never drift from the links. */
export async function refreshSessionCount(tx: DbOrTx, scope: Scope, id: string): Promise<void> {
  await tx.updateTable("identities")
    .set((eb) => ({
      session_count: eb.selectFrom("sessions").select((s) => s.fn.countAll<number>().as("n"))
        .where("identity_id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment),
    }))
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .execute();
}

export async function linkSession(tx: DbOrTx, scope: Scope, sessionId: string, identityId: string): Promise<void> {
  await tx.updateTable("sessions").set({ identity_id: identityId })
    .where("id", "=", sessionId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .execute();
}

/** Re-points every session of `from` at `to`. */
export async function moveSessions(tx: DbOrTx, scope: Scope, from: string, to: string): Promise<number> {
  const result = await tx.updateTable("sessions").set({ identity_id: to })
    .where("identity_id", "=", from).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface IdentityFilters {
  status?: string[];
  q?: string;
  includeArchived: boolean;
}

/** Offset pages, or cursor pages keyed on an identity id (Persona's `page[after]` / `page[before]`). */
export type IdentityPage =
  | { kind: "offset"; limit: number; offset: number }
  | { kind: "cursor"; limit: number; after?: string; before?: string };

export async function listIdentityRows(
  tx: DbOrTx,
  scope: Scope,
  filters: IdentityFilters,
  page: IdentityPage,
): Promise<{ rows: IdentityRow[]; total: number; hasMore: boolean }> {
  let base = scoped(tx, scope);
  if (filters.status?.length) base = base.where("status", "in", filters.status as IdentityRow["status"][]);
  if (!filters.includeArchived) base = base.where("archived_at", "is", null);
  // external_ref only: personal data is never searched as plaintext (see searchIdentityRows).
  if (filters.q) {
    // strpos, not LIKE: the customer's text is matched literally, with no wildcards to escape.
    const q = filters.q;
    base = base.where((eb) => eb.or([eb("id", "=", q), sql<boolean>`strpos(lower(external_ref), lower(${q})) > 0`]));
  }
  const count = base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  if (page.kind === "offset") {
    const rows = base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc")
      .limit(page.limit).offset(page.offset).execute();
    const [data, n] = await Promise.all([rows, count]);
    return { rows: data, total: Number(n.n), hasMore: page.offset + data.length < Number(n.n) };
  }
  const cursorId = page.after ?? page.before;
  let keyset = base;
  if (cursorId) {
    const cursor = await scoped(tx, scope).select(["created_at", "id"]).where("id", "=", cursorId).executeTakeFirst();
    if (!cursor) throw new AppError("invalid_parameter", `The cursor ${cursorId} names no identity.`);
    // Newest first, so "after" is older: a row-value comparison keeps ties on created_at in id order.
    keyset = page.after
      ? base.where(sql<boolean>`(created_at, id) < (${cursor.created_at}, ${cursor.id})`)
      : base.where(sql<boolean>`(created_at, id) > (${cursor.created_at}, ${cursor.id})`);
  }
  const direction = page.before ? "asc" : "desc";
  const fetched = keyset.selectAll().orderBy("created_at", direction).orderBy("id", direction).limit(page.limit + 1)
    .execute();
  const [data, n] = await Promise.all([fetched, count]);
  const hasMore = data.length > page.limit;
  const rows = data.slice(0, page.limit);
  return { rows: page.before ? rows.reverse() : rows, total: Number(n.n), hasMore };
}

/** Every digest given must match; merged and erased records are left out (their data lives on elsewhere or nowhere). */
export async function searchIdentityRows(
  tx: DbOrTx,
  scope: Scope,
  digests: IdentifierDigests,
  limit: number,
): Promise<IdentityRow[]> {
  let query = scoped(tx, scope).selectAll().where("status", "not in", ["merged", "redacted"]);
  if (digests.email) query = query.where("email_bidx", "=", digests.email);
  if (digests.phone) query = query.where("phone_bidx", "=", digests.phone);
  if (digests.document_number) query = query.where("document_number_bidx", "=", digests.document_number);
  if (digests.name_dob) query = query.where("name_dob_bidx", "=", digests.name_dob);
  return await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
}

/** The latest decisions of the given sessions, by session id (what an identity shows of its latest verification). */
export async function resultsBySession(
  tx: DbOrTx,
  scope: Scope,
  sessionIds: (string | null)[],
): Promise<Map<string, SessionResultRow>> {
  const ids = sessionIds.filter((id): id is string => id !== null);
  if (ids.length === 0) return new Map();
  const rows = await tx.selectFrom("session_results").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).where("session_id", "in", ids)
    .execute();
  return new Map(rows.map((row) => [row.session_id, row]));
}

export async function listIdentitySessions(
  tx: DbOrTx,
  scope: Scope,
  identityId: string,
  page: { limit: number; offset: number },
): Promise<{ rows: SessionRow[]; total: number }> {
  const base = tx.selectFrom("sessions").where("identity_id", "=", identityId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** An identity's trail in the outbox, oldest first. */
export async function listIdentityEvents(
  tx: DbOrTx,
  scope: Scope,
  identityId: string,
  page: { limit: number; offset: number },
) {
  const base = tx.selectFrom("events").where("identity_id", "=", identityId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at").orderBy("id").limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
