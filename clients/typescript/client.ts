/**
 * A thin typed client for the Verifa API: one `request` call typed by the generated paths of the
 * API document (api_types.ts, from /api/v1/openapi.json by `deno task client:generate`): the path,
 * its parameters, the JSON body and the success body all come from the document. It sends the key
 * (X-API-Key), an Idempotency-Key when given, and turns every error body into a VerifaApiError.
 */
import type { components, paths } from "./api_types.ts";

export type Schemas = components["schemas"];
export type ErrorBody = Schemas["ErrorBody"];
export type Method = "get" | "post" | "put" | "patch" | "delete";

type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Params<O> = O extends { parameters: infer Q } ? Q : never;
type PathParams<O> = Params<O> extends { path: infer T } ? T : never;
type QueryParams<O> = Params<O> extends { query?: infer T } ? T : never;
type JsonBody<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type SuccessStatus = 200 | 201 | 202;
/** The JSON body of the operation's 2xx answers (or undefined for a 204). */
export type SuccessBody<O> = O extends { responses: infer R } ? {
    [S in keyof R]: S extends SuccessStatus ? R[S] extends { content: { "application/json": infer B } } ? B : never
      : S extends 204 ? undefined
      : never;
  }[keyof R]
  : never;

/** Paths that have method M. */
export type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends never | undefined ? never : P }[
  keyof paths
];

export interface RequestOptions<O> {
  /** The path template's parameters (`{id}`). */
  path?: PathParams<O>;
  query?: QueryParams<O>;
  body?: JsonBody<O>;
  /** A POST with the same key within 24 h gets the first answer again. */
  idempotencyKey?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** An answer with the contract's error body: `code` is its `error`, `fields` a 422's per-field messages. */
export class VerifaApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fields: Record<string, string> | undefined;
  readonly requestId: string | null;
  constructor(status: number, body: ErrorBody, requestId: string | null) {
    super(`${status} ${body.error}: ${body.detail}`);
    this.name = "VerifaApiError";
    this.status = status;
    this.code = body.error;
    this.detail = body.detail;
    this.fields = body.fields;
    this.requestId = requestId;
  }
}

export interface ClientOptions {
  /** Where the API is, e.g. https://verifa.example.com (VERIFA_PUBLIC_URL). */
  baseUrl: string;
  /** A secret key (vk_live_…, vk_sandbox_…) or a publishable one. */
  apiKey: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Pins the API version (Verifa-Version). */
  apiVersion?: string;
}

function fill(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new TypeError(`path parameter ${name} is required`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function createVerifaClient(options: ClientOptions) {
  const send = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, "");

  async function request<M extends Method, P extends PathsWith<M>>(
    method: M,
    path: P,
    init: RequestOptions<Operation<P, M>> = {},
  ): Promise<SuccessBody<Operation<P, M>>> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "X-API-Key": options.apiKey,
      ...init.headers,
    };
    if (options.apiVersion) headers["Verifa-Version"] = options.apiVersion;
    if (init.idempotencyKey) headers["Idempotency-Key"] = init.idempotencyKey;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["Content-Type"] = "application/json";
    }
    const url = `${base}${fill(path, init.path as Record<string, unknown>)}${
      queryString(init.query as Record<string, unknown>)
    }`;
    const response = await send(url, { method: method.toUpperCase(), headers, body, signal: init.signal });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = parsed && typeof parsed.error === "string"
        ? parsed as ErrorBody
        : { error: "http_error", detail: text.slice(0, 200) || response.statusText, status_code: response.status };
      throw new VerifaApiError(response.status, error, response.headers.get("x-request-id"));
    }
    return parsed as SuccessBody<Operation<P, M>>;
  }

  return { request };
}

export type VerifaClient = ReturnType<typeof createVerifaClient>;
