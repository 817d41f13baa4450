/**
 * Owns the API document of custom lists: lists, their items (one, a bulk batch, a CSV import),
 * the CSV export and the subject check. Item values follow the list's type (core/lists/item_values.ts).
 */
import { z } from "zod";
import { LIST_TYPES, MATCH_MODES, VALUE_SCHEMAS } from "../../../core/lists/item_values.ts";
import { createListSchema, updateListSchema } from "../../../core/lists/lists.ts";
import { listCheckSchema } from "../../../core/lists/matching.ts";
import {
  booleanQuery,
  enumListQuery,
  environment,
  nullableTimestamp,
  operations,
  pageOf,
  pageQuery,
  timestamp,
} from "../spec.ts";

const listType = z.enum(LIST_TYPES as [string, ...string[]]);
const matchMode = z.enum(MATCH_MODES as [string, ...string[]]);

export const listSchema = z.object({
  id: z.string(),
  object: z.literal("list"),
  name: z.string(),
  list_type: listType,
  match_mode: matchMode,
  description: z.string().nullable(),
  item_count: z.number().int(),
  is_active: z.boolean(),
  archived_at: nullableTimestamp,
  org_id: z.string(),
  environment,
  created_at: timestamp,
  updated_at: timestamp,
  workflows: z.array(z.object({ id: z.string(), name: z.string(), version: z.number().int() })).optional()
    .describe("On GET /lists/{id}: the workflows whose checks use the list."),
});

// Two types share one value shape (a fingerprint hash): each shape is listed once.
const itemValue = z.union(
  [...new Set(Object.values(VALUE_SCHEMAS))] as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
)
  .describe(
    "The value's shape follows the list's type: name, email, phone, ip_address, government_id, country, " +
      "geolocation, face or string.",
  );

export const listItemSchema = z.object({
  id: z.string(),
  object: z.literal("list_item"),
  list_id: z.string(),
  list_type: listType,
  value: z.record(z.string(), z.unknown()),
  notes: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: timestamp,
});

/** One item of a request: `{value, notes}` (a union of the per-type value shapes, as items.ts checks). */
export const listItemRequestSchema = z.strictObject({
  value: itemValue,
  notes: z.string().max(2000).nullable().optional(),
});

export const listMatchSchema = z.object({
  id: z.string(),
  object: z.literal("list_match"),
  session_id: z.string(),
  list_id: z.string(),
  item_id: z.string(),
  list_type: listType,
  match_mode: matchMode,
  matched_on: z.string(),
  score: z.number(),
  false_positive: z.boolean(),
  false_positive_by: z.string().nullable(),
  false_positive_at: nullableTimestamp,
  false_positive_reason: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

const batchResponse = z.object({
  data: z.array(listItemSchema),
  added: z.number().int(),
  duplicates: z.number().int().describe("Values already on the list, or repeated in the batch."),
});

const idParam = { id: "The list id (`list_…`)." };
const read = ["lists:read"];
const write = ["lists:write"];
const tag = "Lists";

export const listSchemas = { List: listSchema, ListItem: listItemSchema, ListMatch: listMatchSchema };

export const listOperations = operations({ tag, auth: "api_key" }, [
  {
    method: "get",
    path: "/api/v1/lists",
    operationId: "listLists",
    summary: "List custom lists",
    scopes: read,
    query: {
      ...pageQuery,
      list_type: enumListQuery(LIST_TYPES, "Only lists of these types."),
      match_mode: enumListQuery(MATCH_MODES, "Only lists with these match modes."),
      include_archived: booleanQuery("Include archived lists."),
    },
    responses: { 200: { description: "A page of lists.", schema: pageOf(listSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/lists",
    operationId: "createList",
    summary: "Create a list",
    scopes: write,
    body: { schema: createListSchema },
    responses: { 201: { description: "The list.", schema: listSchema } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/lists/check",
    operationId: "checkListSubject",
    summary: "Check a subject against the lists (nothing stored)",
    scopes: read,
    body: { schema: listCheckSchema },
    responses: {
      200: {
        description: "The matches.",
        schema: z.object({
          data: z.array(z.object({
            list_id: z.string(),
            list_name: z.string(),
            list_type: listType,
            match_mode: matchMode,
            item_id: z.string(),
            matched_on: z.string(),
            score: z.number(),
          })),
          total_matches: z.number().int(),
        }),
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/lists/{id}",
    operationId: "getList",
    summary: "Get a list",
    scopes: read,
    pathParams: idParam,
    responses: { 200: { description: "The list and the workflows using it.", schema: listSchema } },
  },
  {
    method: "patch",
    path: "/api/v1/lists/{id}",
    operationId: "updateList",
    summary: "Update a list",
    scopes: write,
    pathParams: idParam,
    body: { schema: updateListSchema },
    responses: { 200: { description: "The list.", schema: listSchema } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/lists/{id}/archive",
    operationId: "archiveList",
    summary: "Archive a list",
    scopes: write,
    pathParams: idParam,
    responses: { 200: { description: "The archived list.", schema: listSchema } },
    errors: ["conflict"],
  },
  {
    method: "get",
    path: "/api/v1/lists/{id}/items",
    operationId: "listListItems",
    summary: "List a list's items",
    scopes: read,
    pathParams: idParam,
    query: pageQuery,
    responses: { 200: { description: "A page of items.", schema: pageOf(listItemSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/lists/{id}/items",
    operationId: "addListItem",
    summary: "Add an item",
    scopes: write,
    pathParams: idParam,
    body: { schema: listItemRequestSchema },
    responses: { 201: { description: "The item.", schema: listItemSchema } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/lists/{id}/items/bulk",
    operationId: "addListItems",
    summary: "Add up to 1,000 items",
    scopes: write,
    pathParams: idParam,
    body: { schema: z.strictObject({ items: z.array(listItemRequestSchema).min(1).max(1000) }) },
    responses: { 201: { description: "What was added.", schema: batchResponse } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/lists/{id}/import",
    operationId: "importListItems",
    summary: "Import items from CSV",
    description: "A text/csv body, or a multipart form with the CSV in `file`; the columns follow the list type.",
    scopes: write,
    pathParams: idParam,
    body: {
      contentType: "text/csv",
      required: true,
      schema: z.string(),
      alternatives: [{
        contentType: "multipart/form-data",
        schema: z.object({ file: z.string().meta({ format: "binary" }) }),
      }],
    },
    responses: { 201: { description: "What was added.", schema: batchResponse } },
    errors: ["bad_request", "conflict"],
  },
  {
    method: "get",
    path: "/api/v1/lists/{id}/export",
    operationId: "exportList",
    summary: "Export a list's items as CSV",
    scopes: read,
    pathParams: idParam,
    responses: { 200: { description: "The items, one per row.", contentType: "text/csv" } },
  },
  {
    method: "get",
    path: "/api/v1/lists/{id}/items/{item_id}",
    operationId: "getListItem",
    summary: "Get an item",
    scopes: read,
    pathParams: { ...idParam, item_id: "The item id." },
    responses: { 200: { description: "The item.", schema: listItemSchema } },
  },
  {
    method: "delete",
    path: "/api/v1/lists/{id}/items/{item_id}",
    operationId: "deleteListItem",
    summary: "Delete an item",
    scopes: write,
    pathParams: { ...idParam, item_id: "The item id." },
    responses: {
      200: {
        description: "Deleted.",
        schema: z.object({ id: z.string(), object: z.literal("list_item"), deleted: z.literal(true) }),
      },
    },
    errors: ["conflict"],
  },
]);
