/** Owns the API document of API keys: list, create (the secret shown once), get, patch, expire. */
import { z } from "zod";
import { createApiKeySchema, patchApiKeySchema } from "../../routes/api_keys.ts";
import { environment, nullableTimestamp, operations, pageOf, pageQuery, timestamp } from "../spec.ts";

export const apiKeySchema = z.object({
  id: z.string(),
  type: z.enum(["api-key", "publishable-key"]),
  environment,
  key_prefix: z.string(),
  is_active: z.boolean(),
  label: z.string().nullable(),
  note: z.string().nullable(),
  scopes: z.array(z.string()),
  api_version: z.string(),
  default_key_inflection: z.enum(["snake", "camel", "kebab"]),
  allowed_ips: z.array(z.string()).nullable(),
  allowed_origins: z.array(z.string()).nullable(),
  rate_limit_per_minute: z.number().int(),
  expires_at: nullableTimestamp,
  last_used_at: nullableTimestamp,
  revoked_at: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
});

const createdApiKeySchema = apiKeySchema.extend({
  secret: z.string().describe("The key itself: shown only in this response."),
  warning: z.string(),
});

const idParam = { id: "The API key id (`key_…`)." };
const tag = "API keys";

export const apiKeySchemas = { ApiKey: apiKeySchema, CreatedApiKey: createdApiKeySchema };

export const apiKeyOperations = operations({ tag, auth: "api_key" }, [
  {
    method: "get",
    path: "/api/v1/api-keys",
    operationId: "listApiKeys",
    summary: "List API keys",
    scopes: ["api_keys:read"],
    query: pageQuery,
    responses: { 200: { description: "A page of keys (never their secrets).", schema: pageOf(apiKeySchema) } },
  },
  {
    method: "post",
    path: "/api/v1/api-keys",
    operationId: "createApiKey",
    summary: "Create an API key",
    description: "A key may grant only scopes it holds itself. Publishable keys get sessions:create only.",
    scopes: ["api_keys:write"],
    body: { schema: createApiKeySchema },
    responses: { 201: { description: "The key, with its secret (shown once).", schema: createdApiKeySchema } },
  },
  {
    method: "get",
    path: "/api/v1/api-keys/{id}",
    operationId: "getApiKey",
    summary: "Get an API key",
    scopes: ["api_keys:read"],
    pathParams: idParam,
    responses: { 200: { description: "The key.", schema: apiKeySchema } },
  },
  {
    method: "patch",
    path: "/api/v1/api-keys/{id}",
    operationId: "updateApiKey",
    summary: "Update an API key",
    scopes: ["api_keys:write"],
    pathParams: idParam,
    body: { schema: patchApiKeySchema },
    responses: { 200: { description: "The key.", schema: apiKeySchema } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/api-keys/{id}/expire",
    operationId: "expireApiKey",
    summary: "Expire (revoke) an API key",
    scopes: ["api_keys:write"],
    pathParams: idParam,
    responses: {
      200: { description: "Revoked.", schema: z.object({ id: z.string(), expired: z.literal(true) }) },
    },
  },
]);
