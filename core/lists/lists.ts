/**
 * Owns custom lists themselves: create, find, page, patch, archive (refused while an active
 * workflow names the list), the active workflows that name a list, and the list's DTO. Every
 * query filters on the tenant scope, so another org's or environment's list is not found.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { CustomListRow, ListMatchMode, ListType } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { WorkflowGraph } from "../workflows/graph.ts";
import { LIST_TYPES, MATCH_MODES } from "./item_values.ts";

const listFields = {
  name: z.string().trim().min(1, "is required").max(200),
  description: z.string().trim().max(2000).nullable().optional(),
  match_mode: z.enum(MATCH_MODES as [ListMatchMode, ...ListMatchMode[]]).optional(),
};
export const createListSchema = z.strictObject({
  ...listFields,
  list_type: z.enum(LIST_TYPES as [ListType, ...ListType[]]),
});
/** The type is fixed at creation: the items were validated and indexed for it. */
export const updateListSchema = z.strictObject({
  ...listFields,
  name: listFields.name.optional(),
  is_active: z.boolean().optional(),
});
export type CreateListInput = z.infer<typeof createListSchema>;
export type UpdateListInput = z.infer<typeof updateListSchema>;

export interface ListFilters {
  list_type?: string[];
  match_mode?: string[];
  include_archived: boolean;
}

export interface WorkflowReference {
  id: string;
  name: string;
  version: number;
}

export function toListDto(row: CustomListRow, workflows?: WorkflowReference[]) {
  return {
    id: row.id,
    object: "list",
    name: row.name,
    list_type: row.list_type,
    match_mode: row.match_mode,
    description: row.description,
    item_count: row.item_count,
    is_active: row.is_active,
    archived_at: row.archived_at?.toISOString() ?? null,
    org_id: row.org_id,
    environment: row.environment,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(workflows ? { workflows } : {}),
  };
}

export async function insertList(tx: DbOrTx, scope: Scope, input: CreateListInput, now: Date): Promise<CustomListRow> {
  return await tx.insertInto("custom_lists").values({
    id: newId("list"),
    org_id: scope.orgId,
    environment: scope.environment,
    name: input.name,
    list_type: input.list_type,
    match_mode: input.match_mode ?? "flag",
    description: input.description ?? null,
    created_at: now,
    updated_at: now,
  }).returningAll().executeTakeFirstOrThrow();
}

export async function createList(deps: CoreDeps, scope: Scope, input: CreateListInput): Promise<CustomListRow> {
  return await insertList(deps.db, scope, input, deps.clock());
}

export async function findList(
  db: DbOrTx,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CustomListRow> {
  let query = db.selectFrom("custom_lists").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("List");
  return row;
}

export async function listLists(
  db: DbOrTx,
  scope: Scope,
  filters: ListFilters,
  page: { limit: number; offset: number },
): Promise<{ rows: CustomListRow[]; total: number }> {
  let base = db.selectFrom("custom_lists").where("org_id", "=", scope.orgId)
    .where("environment", "=", scope.environment);
  if (!filters.include_archived) base = base.where("archived_at", "is", null);
  if (filters.list_type) base = base.where("list_type", "in", filters.list_type as ListType[]);
  if (filters.match_mode) base = base.where("match_mode", "in", filters.match_mode as ListMatchMode[]);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Lists that can match: active and not archived; `ids` narrows them (unknown ids are simply absent). */
export async function matchableLists(db: DbOrTx, scope: Scope, ids: readonly string[] | null) {
  if (ids && ids.length === 0) return [];
  let query = db.selectFrom("custom_lists").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("is_active", "=", true).where("archived_at", "is", null);
  if (ids) query = query.where("id", "in", [...ids]);
  return await query.orderBy("created_at").execute();
}

function graphNamesList(graph: unknown, listId: string): boolean {
  const nodes = (graph as WorkflowGraph | null)?.nodes;
  if (!nodes || typeof nodes !== "object") return false;
  return Object.values(nodes).some((node) =>
    node.type === "policy" && node.policy === "check_against_list" &&
    Array.isArray(node.options?.list_ids) && (node.options.list_ids as unknown[]).includes(listId)
  );
}

/**
 * Active workflows whose graph names the list in a check_against_list node: the current version,
 * and the previous one while a rollout still sends sessions to it. A node without `list_ids`
 * checks whatever lists are active, so it does not hold any one list.
 */
export async function workflowsUsingList(db: DbOrTx, scope: Scope, listId: string): Promise<WorkflowReference[]> {
  const workflows = await db.selectFrom("workflows")
    .select(["id", "name", "version", "graph", "previous_version", "rollout_percentage"])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).where("is_active", "=", true)
    .orderBy("created_at").execute();
  const using: WorkflowReference[] = [];
  for (const workflow of workflows) {
    let named = graphNamesList(workflow.graph, listId);
    if (!named && workflow.previous_version !== null && workflow.rollout_percentage < 100) {
      const previous = await db.selectFrom("workflow_versions").select("graph")
        .where("workflow_id", "=", workflow.id).where("version", "=", workflow.previous_version)
        .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).executeTakeFirst();
      named = graphNamesList(previous?.graph, listId);
    }
    if (named) using.push({ id: workflow.id, name: workflow.name, version: workflow.version });
  }
  return using;
}

function assertNotArchived(row: CustomListRow): void {
  if (row.archived_at) throw new AppError("conflict", "The list is archived; archived lists cannot change.");
}

export async function updateList(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  input: UpdateListInput,
): Promise<CustomListRow> {
  return await deps.db.transaction().execute(async (tx) => {
    assertNotArchived(await findList(tx, scope, id, { forUpdate: true }));
    return await tx.updateTable("custom_lists").set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.match_mode !== undefined ? { match_mode: input.match_mode } : {}),
      ...(input.is_active !== undefined ? { is_active: input.is_active } : {}),
      updated_at: deps.clock(),
    }).where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .returningAll().executeTakeFirstOrThrow();
  });
}

/** Archiving deactivates the list for good; refused (409) while an active workflow names it. */
export async function archiveList(deps: CoreDeps, scope: Scope, id: string): Promise<CustomListRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const row = await findList(tx, scope, id, { forUpdate: true });
    if (row.archived_at) return row;
    const using = await workflowsUsingList(tx, scope, id);
    if (using.length) {
      throw new AppError(
        "conflict",
        `The list is used by active workflow(s) ${
          using.map((w) => w.id).join(", ")
        }; remove it from them or deactivate them first.`,
      );
    }
    const now = deps.clock();
    return await tx.updateTable("custom_lists").set({ archived_at: now, is_active: false, updated_at: now })
      .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .returningAll().executeTakeFirstOrThrow();
  });
}

/** A list that items may be added to or removed from. */
export async function findWritableList(tx: DbOrTx, scope: Scope, id: string): Promise<CustomListRow> {
  const row = await findList(tx, scope, id, { forUpdate: true });
  assertNotArchived(row);
  return row;
}
