/** Owns the SQL for review cases, their notes and their action record; every query is filtered by org and environment. */
import type { Insertable, Updateable } from "kysely";
import type { DbOrTx } from "../db/create_db.ts";
import type {
  CaseActionRow,
  CaseActionsTable,
  CaseNoteRow,
  CaseNotesTable,
  CaseStatus,
  ReviewCaseRow,
  ReviewCasesTable,
} from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { notFound } from "../errors.ts";
import type { Page } from "../sessions/repository.ts";

export async function findCase(
  db: DbOrTx,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReviewCaseRow> {
  let query = db.selectFrom("review_cases").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("Case");
  return row;
}

export async function findCaseOfSession(
  db: DbOrTx,
  scope: Scope,
  sessionId: string,
  options: { forUpdate?: boolean } = {},
) {
  let query = db.selectFrom("review_cases").selectAll()
    .where("session_id", "=", sessionId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (options.forUpdate) query = query.forUpdate();
  return await query.executeTakeFirst();
}

/** The case id and status of each listed session that has one (for the session DTO). */
export async function caseLinksOfSessions(db: DbOrTx, scope: Scope, sessionIds: string[]) {
  if (sessionIds.length === 0) return new Map<string, { id: string; status: CaseStatus }>();
  const rows = await db.selectFrom("review_cases").select(["id", "status", "session_id"])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("session_id", "in", sessionIds).execute();
  return new Map(rows.map((r) => [r.session_id, { id: r.id, status: r.status }]));
}

export async function insertCase(db: DbOrTx, values: Insertable<ReviewCasesTable>): Promise<ReviewCaseRow> {
  return await db.insertInto("review_cases").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateCaseRow(
  db: DbOrTx,
  scope: Scope,
  id: string,
  values: Updateable<ReviewCasesTable>,
): Promise<ReviewCaseRow> {
  return await db.updateTable("review_cases").set(values)
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .returningAll().executeTakeFirstOrThrow();
}

/**
 * Locks the oldest open case of the tenant (FIFO by entered_review_at). SKIP LOCKED makes
 * concurrent reviewers take different cases instead of queueing behind one another's lock.
 */
export async function lockNextOpenCase(db: DbOrTx, scope: Scope): Promise<ReviewCaseRow | undefined> {
  return await db.selectFrom("review_cases").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).where("status", "=", "open")
    .orderBy("entered_review_at").orderBy("id").limit(1)
    .forUpdate().skipLocked().executeTakeFirst();
}

/** Claims whose last activity is older than `before`, across tenants, locked for the release sweep. */
export async function lockStaleClaims(db: DbOrTx, before: Date, limit: number): Promise<ReviewCaseRow[]> {
  return await db.selectFrom("review_cases").selectAll()
    .where("status", "=", "in_review").where("last_activity_at", "<", before)
    .orderBy("last_activity_at").limit(limit)
    .forUpdate().skipLocked().execute();
}

export interface CaseFilters {
  status?: CaseStatus[];
  assignedTo?: string;
  sessionId?: string;
}

export async function listCaseRows(
  db: DbOrTx,
  scope: Scope,
  filters: CaseFilters,
  page: Page,
): Promise<{ rows: ReviewCaseRow[]; total: number }> {
  let base = db.selectFrom("review_cases").where("org_id", "=", scope.orgId).where(
    "environment",
    "=",
    scope.environment,
  );
  if (filters.status?.length) base = base.where("status", "in", filters.status);
  if (filters.assignedTo !== undefined) base = base.where("assigned_to", "=", filters.assignedTo);
  if (filters.sessionId !== undefined) base = base.where("session_id", "=", filters.sessionId);
  const [rows, count] = await Promise.all([
    // Queue order: the case waiting longest first.
    base.selectAll().orderBy("entered_review_at").orderBy("id").limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Cases per status, plus the active ones assigned to `reviewer`, in one scan of the tenant's cases. */
export async function countCasesByStatus(db: DbOrTx, scope: Scope, reviewer: string) {
  const rows = await db.selectFrom("review_cases")
    .select((eb) => [
      "status",
      eb.fn.countAll<number>().as("n"),
      eb.fn.count<number>("id").filterWhere("assigned_to", "=", reviewer).as("mine"),
    ])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .groupBy("status").execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n), mine: Number(r.mine) }));
}

export async function insertAction(db: DbOrTx, values: Insertable<CaseActionsTable>): Promise<void> {
  await db.insertInto("case_actions").values(values).execute();
}

export async function listActions(db: DbOrTx, scope: Scope, caseId: string): Promise<CaseActionRow[]> {
  return await db.selectFrom("case_actions").selectAll()
    .where("case_id", "=", caseId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .orderBy("id").execute();
}

export async function insertNote(db: DbOrTx, values: Insertable<CaseNotesTable>): Promise<CaseNoteRow> {
  return await db.insertInto("case_notes").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function listNoteRows(
  db: DbOrTx,
  scope: Scope,
  caseId: string,
  page: Page,
): Promise<{ rows: CaseNoteRow[]; total: number }> {
  const base = db.selectFrom("case_notes")
    .where("case_id", "=", caseId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at").orderBy("id").limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
