/**
 * Owns the SQL of workflows and their versions. Every function takes the tenant scope and every
 * query filters on it, so another org's or environment's workflow is simply not found.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/create_db.ts";
import type { DataRequirements, WorkflowRow, WorkflowVersionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import type { WorkflowGraph } from "./graph.ts";
import type { WorkflowFormat } from "./definition.ts";
import { newId } from "../ids.ts";
import { forgetSessionDefaults } from "../orgs/session_defaults.ts";

/** What one version holds. */
export interface WorkflowContent {
  name: string;
  description: string | null;
  format: WorkflowFormat;
  graph: WorkflowGraph;
  steps: unknown[] | null;
  data_requirements: DataRequirements;
}

export async function findWorkflow(
  db: DbOrTx,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<WorkflowRow | undefined> {
  let query = db.selectFrom("workflows").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (options.forUpdate) query = query.forUpdate();
  return await query.executeTakeFirst();
}

export async function findVersion(
  db: DbOrTx,
  scope: Scope,
  workflowId: string,
  version: number,
): Promise<WorkflowVersionRow | undefined> {
  return await db.selectFrom("workflow_versions").selectAll()
    .where("workflow_id", "=", workflowId).where("version", "=", version)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
}

export async function insertVersion(
  tx: DbOrTx,
  scope: Scope,
  workflowId: string,
  version: number,
  content: WorkflowContent,
  now: Date,
): Promise<WorkflowVersionRow> {
  return await tx.insertInto("workflow_versions").values({
    workflow_id: workflowId,
    version,
    org_id: scope.orgId,
    environment: scope.environment,
    name: content.name,
    description: content.description,
    format: content.format,
    data_requirements: JSON.stringify(content.data_requirements),
    graph: JSON.stringify(content.graph),
    steps: content.steps === null ? null : JSON.stringify(content.steps),
    created_at: now,
  }).returningAll().executeTakeFirstOrThrow();
}

/**
 * A new workflow and its version 1, in the caller's transaction. The workflows row carries the
 * current version's content too, so capture reads it without a join.
 */
export async function insertWorkflowWithFirstVersion(
  tx: DbOrTx,
  scope: Scope,
  input: { id?: string; is_default: boolean; content: WorkflowContent; now: Date },
): Promise<{ row: WorkflowRow; head: WorkflowVersionRow }> {
  const { content, now } = input;
  const row = await tx.insertInto("workflows").values({
    id: input.id ?? newId("wfl"),
    org_id: scope.orgId,
    environment: scope.environment,
    name: content.name,
    description: content.description,
    is_default: input.is_default,
    version: 1,
    data_requirements: JSON.stringify(content.data_requirements),
    graph: JSON.stringify(content.graph),
    created_at: now,
    updated_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  const head = await insertVersion(tx, scope, row.id, 1, content, now);
  return { row, head };
}

/**
 * Serialises the operations that move or rely on the org's default (create as default,
 * set-default, deactivate) for one org and environment, so two of them cannot both see "no
 * default" or unset each other's. Taken before any row lock, so it never waits inside one.
 */
export async function lockDefaults(tx: DbOrTx, scope: Scope): Promise<void> {
  const key = `workflows_default:${scope.orgId}:${scope.environment}`;
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
}

/** Every move of the default passes here, so here new sessions' cached default is forgotten. */
export async function clearDefault(tx: DbOrTx, scope: Scope, now: Date): Promise<void> {
  forgetSessionDefaults(scope.orgId);
  await tx.updateTable("workflows").set({ is_default: false, updated_at: now })
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).where("is_default", "=", true)
    .execute();
}

export async function listWorkflowRows(
  db: DbOrTx,
  scope: Scope,
  page: { limit: number; offset: number },
  filters: { isActive?: boolean } = {},
) {
  let base = db.selectFrom("workflows").where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (filters.isActive !== undefined) base = base.where("is_active", "=", filters.isActive);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at", "asc").orderBy("id", "asc").limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The head versions of several workflows, for list pages (format and steps live on versions). */
export async function headVersions(
  db: DbOrTx,
  scope: Scope,
  rows: Pick<WorkflowRow, "id" | "version">[],
): Promise<Map<string, WorkflowVersionRow>> {
  if (rows.length === 0) return new Map();
  const found = await db.selectFrom("workflow_versions").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where((eb) => eb.or(rows.map((r) => eb.and([eb("workflow_id", "=", r.id), eb("version", "=", r.version)]))))
    .execute();
  return new Map(found.map((v) => [v.workflow_id, v]));
}

export async function listVersionRows(
  db: DbOrTx,
  scope: Scope,
  workflowId: string,
  page: { limit: number; offset: number },
) {
  const base = db.selectFrom("workflow_versions").where("workflow_id", "=", workflowId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("version", "desc").limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
