/**
 * Owns the custom lists REST resource (`/api/v1/lists`: lists, items, bulk add, CSV import and
 * export, the subject check) and the list matches recorded on a session
 * (`/api/v1/sessions/{id}/list-matches`, false-positive marking). Scopes lists:read / lists:write.
 */
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../http.ts";
import { pageParams, paginated, queryList, readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import type { ListType } from "../../core/db/database.ts";
import { AppError } from "../../core/errors.ts";
import { snakeKeys, snakeKeysDeep } from "../../core/casing.ts";
import { parseOrThrow, requireObject } from "../../core/validation.ts";
import { LIST_TYPES, MATCH_MODES } from "../../core/lists/item_values.ts";
import {
  archiveList,
  createList,
  createListSchema,
  findList,
  listLists,
  toListDto,
  updateList,
  updateListSchema,
  workflowsUsingList,
} from "../../core/lists/lists.ts";
import {
  addItem,
  addItems,
  allItems,
  decryptItemValue,
  deleteItem,
  findItem,
  listItems,
  type NewItem,
  parseItemBatch,
  toItemDto,
} from "../../core/lists/items.ts";
import { itemsToCsv, parseItemsCsv } from "../../core/lists/list_csv.ts";
import { checkSubject } from "../../core/lists/matching.ts";
import { markFalsePositive, sessionMatches, toListMatchDto } from "../../core/lists/list_matches.ts";

function queryBoolean(c: AppContext, name: string): boolean {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  throw new AppError("invalid_parameter", `${name} must be true or false.`);
}

/** The CSV of an import: a text/csv body, or a multipart form's `file`. */
async function readCsv(c: AppContext): Promise<string> {
  const type = c.req.header("content-type") ?? "";
  if (/^text\/csv\b/i.test(type)) return await c.req.text();
  if (/^multipart\/form-data/i.test(type)) {
    const form = await c.req.formData().catch(() => {
      throw new AppError("bad_request", "The multipart body could not be parsed.");
    });
    const file = form.get("file");
    if (file instanceof File) return await file.text();
    throw new AppError("validation_error", "Send the CSV in a multipart file field named file.", {
      file: "is required",
    });
  }
  throw new AppError(
    "unsupported_media_type",
    "Send the CSV as text/csv, or as multipart/form-data in a field named file.",
  );
}

export function listRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  const read = requireScope("lists:read");
  const write = requireScope("lists:write");
  /** Adds a batch parsed for the list's type (bulk JSON or CSV): what was added, and how many were repeats. */
  const addBatch = async (c: AppContext, parse: (type: ListType) => NewItem[]) => {
    const principal = c.get("principal");
    const listId = c.req.param("id") ?? "";
    const { added, duplicates } = await addItems(deps, principal, listId, parse, principal.keyId);
    return respond(c, { data: added.map((row) => toItemDto(deps, row)), added: added.length, duplicates }, 201);
  };

  app.get("/", read, async (c) => {
    const page = pageParams(c, 50);
    const { rows, total } = await listLists(deps.db, c.get("principal"), {
      list_type: queryList(c, "list_type", LIST_TYPES),
      match_mode: queryList(c, "match_mode", MATCH_MODES),
      include_archived: queryBoolean(c, "include_archived"),
    }, page);
    return respond(c, paginated(rows.map((row) => toListDto(row)), total, page));
  });

  app.post("/", write, async (c) => {
    const input = parseOrThrow(createListSchema, snakeKeys(requireObject(await readJson(c))));
    return respond(c, toListDto(await createList(deps, c.get("principal"), input)), 201);
  });

  app.post("/check", read, async (c) => {
    const matches = await checkSubject(deps, c.get("principal"), snakeKeys(requireObject(await readJson(c))));
    return respond(c, { data: matches, total_matches: matches.length });
  });

  app.get("/:id", read, async (c) => {
    const scope = c.get("principal");
    const row = await findList(deps.db, scope, c.req.param("id"));
    return respond(c, toListDto(row, await workflowsUsingList(deps.db, scope, row.id)));
  });

  app.patch("/:id", write, async (c) => {
    const input = parseOrThrow(updateListSchema, snakeKeys(requireObject(await readJson(c))));
    return respond(c, toListDto(await updateList(deps, c.get("principal"), c.req.param("id"), input)));
  });

  app.post("/:id/archive", write, async (c) => {
    return respond(c, toListDto(await archiveList(deps, c.get("principal"), c.req.param("id"))));
  });

  app.get("/:id/items", read, async (c) => {
    const page = pageParams(c, 50);
    const { rows, total } = await listItems(deps.db, c.get("principal"), c.req.param("id"), page);
    return respond(c, paginated(rows.map((row) => toItemDto(deps, row)), total, page));
  });

  app.post("/:id/items", write, async (c) => {
    const body = snakeKeysDeep(requireObject(await readJson(c)));
    const principal = c.get("principal");
    return respond(c, toItemDto(deps, await addItem(deps, principal, c.req.param("id"), body, principal.keyId)), 201);
  });

  app.post("/:id/items/bulk", write, async (c) => {
    const body = snakeKeysDeep(requireObject(await readJson(c)));
    return await addBatch(c, (type) => parseItemBatch(type, body));
  });

  app.post("/:id/import", write, async (c) => {
    const csv = await readCsv(c);
    return await addBatch(c, (type) => parseItemsCsv(type, csv));
  });

  app.get("/:id/export", read, async (c) => {
    const scope = c.get("principal");
    const list = await findList(deps.db, scope, c.req.param("id"));
    const items = (await allItems(deps.db, scope, list.id)).map((row) => ({
      value: decryptItemValue(deps, row) as Record<string, unknown>,
      notes: row.notes,
    }));
    return c.body(itemsToCsv(list.list_type, items), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${list.id}.csv"`,
      "Cache-Control": "no-store",
    });
  });

  app.get("/:id/items/:item_id", read, async (c) => {
    const item = await findItem(deps.db, c.get("principal"), c.req.param("id"), c.req.param("item_id"));
    return respond(c, toItemDto(deps, item));
  });

  app.delete("/:id/items/:item_id", write, async (c) => {
    await deleteItem(deps, c.get("principal"), c.req.param("id"), c.req.param("item_id"));
    return respond(c, { id: c.req.param("item_id"), object: "list_item", deleted: true });
  });

  return app;
}

/** Mounted at /api/v1/sessions: the list matches the check_against_list check recorded on a session. */
export function sessionListMatchRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/:id/list-matches", requireScope("lists:read"), async (c) => {
    const page = pageParams(c, 50);
    const rows = await sessionMatches(deps.db, c.get("principal"), c.req.param("id"));
    return respond(
      c,
      paginated(rows.slice(page.offset, page.offset + page.limit).map(toListMatchDto), rows.length, page),
    );
  });

  app.post("/:id/list-matches/:match_id/false-positive", requireScope("lists:write"), async (c) => {
    const principal = c.get("principal");
    const row = await markFalsePositive(
      deps,
      principal,
      c.req.param("id"),
      c.req.param("match_id"),
      snakeKeys(requireObject(await readJson(c))),
      principal.keyId,
    );
    return respond(c, toListMatchDto(row));
  });

  return app;
}
