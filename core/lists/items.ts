/**
 * Owns the items of a list: validating a value against its list type's schema, storing it
 * encrypted with its blind index (and, for names, the normalised form), adding one or a batch
 * (≤1,000) with the list's item_count kept in the same transaction, paging, reading (values
 * decrypted), and deleting.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { CustomListItemRow, CustomListRow, ListType } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, notFound, validationError } from "../errors.ts";
import { newId } from "../ids.ts";
import { canonicalValue, indexItemValue, type ItemValue, VALUE_SCHEMAS } from "./item_values.ts";
import { findList, findWritableList } from "./lists.ts";

/** The notes' limit for bulk adds and CSV imports. */
export const MAX_BATCH_ITEMS = 1_000;

export interface NewItem {
  value: ItemValue;
  notes: string | null;
}

const notesSchema = z.string().trim().max(2000).nullable().optional();

export function itemContext(itemId: string) {
  return { table: "custom_list_items", column: "value_enc", rowId: itemId };
}

/** Field problems of one `{value, notes}`, keyed by path under `prefix` (e.g. `items.3.`). */
export function itemProblems(
  type: ListType,
  raw: unknown,
  prefix = "",
): { item?: NewItem; problems: Record<string, string> } {
  const schema = z.strictObject({ value: VALUE_SCHEMAS[type] as z.ZodType<ItemValue>, notes: notesSchema });
  const result = schema.safeParse(raw);
  if (result.success) {
    return { item: { value: result.data.value, notes: result.data.notes ?? null }, problems: {} };
  }
  const problems: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
    problems[`${prefix}${path.join(".")}`] ??= issue.code === "unrecognized_keys"
      ? `is not a field of a ${type} item`
      : issue.message;
  }
  return { problems };
}

export function parseItem(type: ListType, raw: unknown): NewItem {
  const { item, problems } = itemProblems(type, raw);
  if (!item) throw validationError(problems);
  return item;
}

export function parseItemBatch(type: ListType, raw: unknown): NewItem[] {
  const body = z.strictObject({ items: z.array(z.unknown()).min(1, "must hold at least one item") }).safeParse(raw);
  if (!body.success) throw validationError({ items: "must be a list of {value, notes} objects" });
  if (body.data.items.length > MAX_BATCH_ITEMS) {
    throw validationError({ items: `must hold at most ${MAX_BATCH_ITEMS} items (got ${body.data.items.length})` });
  }
  const items: NewItem[] = [];
  const problems: Record<string, string> = {};
  body.data.items.forEach((entry, i) => {
    const parsed = itemProblems(type, entry, `items.${i}.`);
    if (parsed.item) items.push(parsed.item);
    Object.assign(problems, parsed.problems);
  });
  if (Object.keys(problems).length) throw validationError(problems);
  return items;
}

export function decryptItemValue(deps: CoreDeps, row: Pick<CustomListItemRow, "id" | "value_enc">): ItemValue {
  return deps.keyRing.decryptJson<ItemValue>(row.value_enc, itemContext(row.id));
}

export function toItemDto(deps: CoreDeps, row: CustomListItemRow) {
  return {
    id: row.id,
    object: "list_item",
    list_id: row.list_id,
    list_type: row.list_type,
    value: decryptItemValue(deps, row),
    notes: row.notes,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
  };
}

export interface InsertedItems {
  added: CustomListItemRow[];
  /** The rows already on the list that values of the batch repeated. */
  existing: CustomListItemRow[];
  /** Values not added: already on the list, or repeated within the batch. */
  duplicates: number;
}

/**
 * Adds items to a list the caller has locked (findWritableList), skipping values already on it;
 * item_count follows in the same transaction. `sourceSessionId` names the session the values were
 * read from (a reviewer's block), which that session's erasure looks for.
 */
export async function insertItems(
  deps: CoreDeps,
  tx: DbOrTx,
  list: CustomListRow,
  items: readonly NewItem[],
  createdBy: string,
  sourceSessionId: string | null = null,
): Promise<InsertedItems> {
  const now = deps.clock();
  const byDigest = new Map<string, Omit<CustomListItemRow, "created_at"> & { created_at: Date }>();
  for (const item of items) {
    const value = canonicalValue(list.list_type, item.value);
    const index = indexItemValue(deps.indexKey, list.list_type, value);
    if (byDigest.has(index.lookup_hmac)) continue;
    const id = newId("litem");
    byDigest.set(index.lookup_hmac, {
      id,
      list_id: list.id,
      org_id: list.org_id,
      environment: list.environment,
      list_type: list.list_type,
      value_enc: deps.keyRing.encryptJson(value, itemContext(id)),
      lookup_hmac: index.lookup_hmac,
      name_normalized: index.name_normalized,
      notes: item.notes,
      created_by: createdBy,
      created_at: now,
      source_session_id: sourceSessionId,
    });
  }
  const rows = [...byDigest.values()];
  if (rows.length === 0) return { added: [], existing: [], duplicates: items.length };
  const added = await tx.insertInto("custom_list_items").values(rows)
    .onConflict((oc) => oc.columns(["list_id", "lookup_hmac"]).doNothing()).returningAll().execute();
  if (added.length) {
    await tx.updateTable("custom_lists").set((eb) => ({
      item_count: eb("item_count", "+", added.length),
      updated_at: now,
    })).where("id", "=", list.id).execute();
  }
  const addedDigests = new Set(added.map((r) => r.lookup_hmac));
  const skipped = rows.filter((r) => !addedDigests.has(r.lookup_hmac)).map((r) => r.lookup_hmac);
  const existing = skipped.length
    ? await tx.selectFrom("custom_list_items").selectAll().where("list_id", "=", list.id)
      .where("lookup_hmac", "in", skipped).execute()
    : [];
  return { added, existing, duplicates: items.length - added.length };
}

export async function addItem(
  deps: CoreDeps,
  scope: Scope,
  listId: string,
  raw: unknown,
  createdBy: string,
): Promise<CustomListItemRow> {
  return await deps.db.transaction().execute(async (tx) => {
    const list = await findWritableList(tx, scope, listId);
    const { added, existing } = await insertItems(deps, tx, list, [parseItem(list.list_type, raw)], createdBy);
    if (!added.length) {
      throw new AppError("conflict", `The value is already on the list as item ${existing[0]?.id}.`);
    }
    return added[0];
  });
}

/** Adds a batch; values already on the list are reported, not added again. */
export async function addItems(
  deps: CoreDeps,
  scope: Scope,
  listId: string,
  parse: (type: ListType) => NewItem[],
  createdBy: string,
): Promise<InsertedItems> {
  return await deps.db.transaction().execute(async (tx) => {
    const list = await findWritableList(tx, scope, listId);
    return await insertItems(deps, tx, list, parse(list.list_type), createdBy);
  });
}

export async function findItem(db: DbOrTx, scope: Scope, listId: string, itemId: string): Promise<CustomListItemRow> {
  const row = await db.selectFrom("custom_list_items").selectAll()
    .where("id", "=", itemId).where("list_id", "=", listId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment).executeTakeFirst();
  if (!row) throw notFound("List item");
  return row;
}

export async function listItems(
  db: DbOrTx,
  scope: Scope,
  listId: string,
  page: { limit: number; offset: number },
): Promise<{ rows: CustomListItemRow[]; total: number }> {
  const list = await findList(db, scope, listId);
  const base = db.selectFrom("custom_list_items").where("list_id", "=", list.id)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Every item of a list, oldest first (the CSV export; lists hold thousands, not millions). */
export async function allItems(db: DbOrTx, scope: Scope, listId: string): Promise<CustomListItemRow[]> {
  return await db.selectFrom("custom_list_items").selectAll().where("list_id", "=", listId)
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .orderBy("created_at").orderBy("id").execute();
}

export async function deleteItem(deps: CoreDeps, scope: Scope, listId: string, itemId: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const list = await findWritableList(tx, scope, listId);
    const item = await findItem(tx, scope, list.id, itemId);
    await tx.deleteFrom("custom_list_items").where("id", "=", item.id).execute();
    await tx.updateTable("custom_lists").set((eb) => ({
      item_count: eb("item_count", "-", 1),
      updated_at: deps.clock(),
    })).where("id", "=", list.id).execute();
  });
}
