/**
 * Owns the HTTP edge helpers every route shares: the context variables, JSON body reading with
 * the contract's 4xx for bad bodies, query parsing, and responses in the requested key inflection.
 */
import type { Context } from "hono";
import type { Principal } from "../core/orgs/api_keys.ts";
import { type Inflection, inflectKeysDeep } from "../core/casing.ts";
import { AppError, validationError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import type { IdempotencyGate } from "./middleware/idempotency.ts";

export interface AppVariables {
  requestId: string;
  log: Logger;
  clientIp: string | null;
  principal: Principal;
  inflection: Inflection;
  apiVersion: string;
  /** Left by the idempotency layer for requireScope to open once authorised (middleware/idempotency.ts). */
  idempotencyGate: IdempotencyGate | undefined;
}

export type AppEnv = { Variables: AppVariables };
export type AppContext = Context<AppEnv>;

/** Reads a JSON body; an empty body is `{}` so every field can stay optional. */
export async function readJson(c: AppContext): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z.+-]+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the request body as JSON with Content-Type: application/json.");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
  assertStorableJson(body);
  return body;
}

/** Deeper than any body we accept; bounds the recursion of every later step (casing, validation, jsonb). */
const MAX_JSON_DEPTH = 32;

/**
 * Postgres text and jsonb cannot hold U+0000, and later steps recurse over the body, so both are
 * refused here, iteratively, as a 422 instead of failing deeper in as a 500.
 */
function assertStorableJson(root: unknown): void {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) throw validationError({ [path.join(".")]: "must not contain NUL characters" });
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (path.length >= MAX_JSON_DEPTH) {
      throw validationError({ "": `must not nest more than ${MAX_JSON_DEPTH} levels deep` });
    }
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes("\u0000")) throw validationError({ [path.join(".")]: "keys must not contain NUL characters" });
      stack.push({ value: inner, path: [...path, key] });
    }
  }
}

export function respond(c: AppContext, body: unknown, status: 200 | 201 | 202 = 200): Response {
  return c.json(inflectKeysDeep(body, c.get("inflection") ?? "snake") as Record<string, unknown>, status);
}

export interface PageParams {
  limit: number;
  offset: number;
}

function queryInteger(c: AppContext, name: string, fallback: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new AppError("invalid_parameter", `${name} must be an integer from ${min} to ${max}.`);
  }
  return n;
}

/** The contract's page size ceiling, and how far an offset page may reach. */
export const MAX_PAGE_LIMIT = 100;
export const MAX_PAGE_OFFSET = 1_000_000;

export function pageParams(c: AppContext, defaultLimit: number): PageParams {
  return {
    limit: queryInteger(c, "limit", defaultLimit, 1, MAX_PAGE_LIMIT),
    offset: queryInteger(c, "offset", 0, 0, MAX_PAGE_OFFSET),
  };
}

export function paginated<T>(data: T[], total: number, page: PageParams) {
  return { data, pagination: { total, limit: page.limit, offset: page.offset } };
}

export function queryDate(c: AppContext, name: string): Date | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  const date = /^\d{4}-\d{2}-\d{2}/.test(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new AppError("invalid_parameter", `${name} must be an ISO 8601 date or time.`);
  }
  return date;
}

export function queryList(c: AppContext, name: string, allowed: readonly string[]): string[] | undefined {
  const values = c.req.queries(name)?.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  if (!values?.length) return undefined;
  const bad = values.find((v) => !allowed.includes(v));
  if (bad) throw new AppError("invalid_parameter", `${name} "${bad}" is not one of ${allowed.join(", ")}.`);
  return values;
}

export interface Upload {
  bytes: Uint8Array;
  fields: Record<string, string>;
}

/**
 * Reads a multipart upload. The body cap was enforced while it streamed in (see app.ts); the file
 * itself is then held to `maxFileBytes`. Errors use the capture codes, at `status` (the capture
 * API answers 400 for every bad file).
 */
export async function readUpload(c: AppContext, maxFileBytes: number, status: number): Promise<Upload> {
  const type = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the file as multipart/form-data in a field named file.")
      .withStatus(status);
  }
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new AppError("bad_request", "The multipart body could not be parsed.");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw validationError({ file: "is required (a multipart file field named file)" });
  if (file.size > maxFileBytes) {
    throw new AppError("file_too_large", `Files are limited to ${maxFileBytes / 1024 / 1024} MB.`).withStatus(status);
  }
  if (file.size === 0) throw new AppError("image_unreadable", "The file is empty.").withStatus(status);
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (key !== "file" && typeof value === "string") fields[key] = value;
  return { bytes: new Uint8Array(await file.arrayBuffer()), fields };
}
