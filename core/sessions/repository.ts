/** Owns the SQL for sessions and their results; every query is filtered by org and environment. */
import type { DbOrTx } from "../db/create_db.ts";
import type { Insertable, SelectQueryBuilder } from "kysely";
import type { Database, EventsTable, NewSession, SessionResultRow, SessionRow, SessionUpdate } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { notFound } from "../errors.ts";
import { escapeLike } from "../db/like.ts";
import { listTotal } from "./list_counts.ts";

export interface SessionFilters {
  status?: string[];
  q?: string;
  externalRef?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Sessions whose result has one of these statuses (approved, rejected, needs_review). */
  resultStatus?: SessionResultRow["status"][];
}

export interface Page {
  limit: number;
  offset: number;
}

/**
 * Inserts a session and its outbox event in one statement (data-modifying CTEs commit together),
 * which saves the round trips of an explicit transaction on the busiest write path.
 */
export async function insertSessionWithEvent(db: DbOrTx, values: NewSession, event: Insertable<EventsTable>) {
  return await db
    .with("created", (qb) => qb.insertInto("sessions").values(values).returningAll())
    .with("outbox", (qb) => qb.insertInto("events").values(event).returning("id"))
    .selectFrom("created").selectAll().executeTakeFirstOrThrow() as SessionRow;
}

export async function findSession(
  tx: DbOrTx,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<SessionRow> {
  let query = tx.selectFrom("sessions").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("Session");
  return row;
}

export async function updateSessionRow(
  tx: DbOrTx,
  scope: Scope,
  id: string,
  values: SessionUpdate,
): Promise<SessionRow> {
  return await tx.updateTable("sessions").set(values)
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .returningAll().executeTakeFirstOrThrow();
}

/** The columns a session's response (dto.ts) is made of: what the API's list selects. */
export const SESSION_DTO_COLUMNS = [
  "id",
  "status",
  "environment",
  "external_ref",
  "identity_id",
  "country",
  "workflow_id",
  "redirect_url",
  "checks",
  "metadata",
  "tags",
  "document_type",
  "retention_status",
  "legal_hold",
  "legal_hold_reason",
  "legal_hold_set_at",
  "processing_attempts",
  "consent_ip_enc",
  "capture_token_enc",
  "token_expires_at",
  "send_email",
  "created_at",
  "updated_at",
  "started_at",
  "completed_at",
  "expired_at",
] as const satisfies readonly (keyof SessionRow)[];

export type SessionDtoRow = Pick<SessionRow, typeof SESSION_DTO_COLUMNS[number]>;

/** A page of the scope's sessions, whole rows (the dashboard's list reads their signals too). */
export function listSessionRows(tx: DbOrTx, scope: Scope, filters: SessionFilters, page: Page) {
  return pageOfSessions(tx, scope, filters, page, (qb) => qb.selectAll());
}

/**
 * A page of the scope's sessions, only the columns their responses show: the API's list, where
 * the ciphertexts and signals a row also holds were most of what Postgres sent and pg parsed.
 */
export function listSessionDtoRows(tx: DbOrTx, scope: Scope, filters: SessionFilters, page: Page) {
  return pageOfSessions(tx, scope, filters, page, (qb) => qb.select(SESSION_DTO_COLUMNS));
}

async function pageOfSessions<O>(
  tx: DbOrTx,
  scope: Scope,
  filters: SessionFilters,
  page: Page,
  columns: (qb: SelectQueryBuilder<Database, "sessions", object>) => SelectQueryBuilder<Database, "sessions", O>,
): Promise<{ rows: O[]; total: number }> {
  let base = tx.selectFrom("sessions").where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (filters.status?.length) base = base.where("status", "in", filters.status);
  if (filters.externalRef !== undefined) base = base.where("external_ref", "=", filters.externalRef);
  if (filters.createdAfter) base = base.where("created_at", ">=", filters.createdAfter);
  if (filters.createdBefore) base = base.where("created_at", "<", filters.createdBefore);
  if (filters.resultStatus?.length) {
    const statuses = filters.resultStatus;
    // By session id alone: the planner then walks the tenant's sessions newest first and stops at
    // a page (scoping the results by org as well makes it misjudge the match and join them all).
    base = base.where((eb) =>
      eb.exists(
        eb.selectFrom("session_results as r").select("r.session_id")
          .whereRef("r.session_id", "=", "sessions.id").where("r.status", "in", statuses),
      )
    );
  }
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    base = base.where((eb) => eb.or([eb("id", "=", filters.q!), eb("external_ref", "ilike", pattern)]));
  }
  // The page's ids first, then their rows: an offset skips index entries only (an index-only scan
  // where the filters allow), not the full rows of every session before the page.
  const pageIds = base.select("id").orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit)
    .offset(page.offset);
  // With no filter but statuses, the total is kept beside the rows (list_counts.ts): of sessions,
  // or, by result status alone, of results (each result is one session's, in its scope). Any
  // other filter narrows the rows, which are then counted.
  const narrowed = filters.q || filters.externalRef !== undefined || filters.createdAfter || filters.createdBefore;
  const countRows = () =>
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow().then((row) => Number(row.n));
  const total = narrowed
    ? countRows()
    : !filters.resultStatus?.length
    ? listTotal(tx, scope, "sessions", filters.status)
    : !filters.status?.length
    ? listTotal(tx, scope, "results", filters.resultStatus)
    : countRows();
  const [rows, count] = await Promise.all([
    columns(tx.selectFrom("sessions"))
      .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).where("id", "in", pageIds)
      .orderBy("created_at", "desc").orderBy("id", "desc").execute(),
    total,
  ]);
  return { rows, total: count };
}

export async function insertResult(tx: DbOrTx, values: SessionResultRow): Promise<void> {
  await tx.insertInto("session_results").values({
    ...values,
    check_results: JSON.stringify(values.check_results),
    risk_signals: JSON.stringify(values.risk_signals),
  }).onConflict((oc) =>
    oc.column("session_id").doUpdateSet((eb) => ({
      status: eb.ref("excluded.status"),
      face_match_passed: eb.ref("excluded.face_match_passed"),
      face_match_score: eb.ref("excluded.face_match_score"),
      age_check_passed: eb.ref("excluded.age_check_passed"),
      extracted_age: eb.ref("excluded.extracted_age"),
      extracted_data_enc: eb.ref("excluded.extracted_data_enc"),
      rejection_reason: eb.ref("excluded.rejection_reason"),
      rejection_reason_code: eb.ref("excluded.rejection_reason_code"),
      processing_mode: eb.ref("excluded.processing_mode"),
      country_used: eb.ref("excluded.country_used"),
      check_results: eb.ref("excluded.check_results"),
      risk_signals: eb.ref("excluded.risk_signals"),
      created_at: eb.ref("excluded.created_at"),
    }))
  ).execute();
}

export async function findResult(tx: DbOrTx, scope: Scope, sessionId: string): Promise<SessionResultRow | undefined> {
  return await tx.selectFrom("session_results").selectAll()
    .where("session_id", "=", sessionId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
}

/** The results of some sessions (a listed page), by session id; sessions without one are absent. */
export async function findResults(
  tx: DbOrTx,
  scope: Scope,
  sessionIds: string[],
): Promise<Map<string, SessionResultRow>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await tx.selectFrom("session_results").selectAll()
    .where("session_id", "in", sessionIds).where("org_id", "=", scope.orgId).where(
      "environment",
      "=",
      scope.environment,
    )
    .execute();
  return new Map(rows.map((row) => [row.session_id, row]));
}

export interface ResultFilters {
  status?: string[];
  createdAfter?: Date;
  createdBefore?: Date;
}

export async function listResultRows(
  tx: DbOrTx,
  scope: Scope,
  filters: ResultFilters,
  page: Page,
): Promise<{ rows: (SessionResultRow & { external_ref: string | null })[]; total: number }> {
  let base = tx.selectFrom("session_results as r")
    .where("r.org_id", "=", scope.orgId).where("r.environment", "=", scope.environment);
  if (filters.status?.length) base = base.where("r.status", "in", filters.status as SessionResultRow["status"][]);
  if (filters.createdAfter) base = base.where("r.created_at", ">=", filters.createdAfter);
  if (filters.createdBefore) base = base.where("r.created_at", "<", filters.createdBefore);
  // The page's session ids from the results' index, then those rows with their sessions'
  // external_ref. The count needs no join: every result belongs to one session of its own scope.
  const pageIds = base.select("r.session_id").orderBy("r.created_at", "desc").orderBy("r.session_id", "desc")
    .limit(page.limit).offset(page.offset);
  const [rows, count] = await Promise.all([
    tx.selectFrom("session_results as r").innerJoin("sessions as s", "s.id", "r.session_id")
      .where("r.org_id", "=", scope.orgId).where("r.environment", "=", scope.environment)
      .where("s.org_id", "=", scope.orgId).where("s.environment", "=", scope.environment)
      .where("r.session_id", "in", pageIds)
      .selectAll("r").select("s.external_ref").orderBy("r.created_at", "desc").orderBy("r.session_id", "desc")
      .execute(),
    filters.createdAfter || filters.createdBefore
      ? base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow().then((row) => Number(row.n))
      : listTotal(tx, scope, "results", filters.status),
  ]);
  return { rows, total: count };
}
