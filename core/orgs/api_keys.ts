/**
 * Owns API keys: minting them (the secret is returned once and only its hash is stored),
 * resolving a presented secret to its principal (remembered for a few seconds: active_key_cache.ts),
 * and the scoped management queries.
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { ApiKeyRow, Environment } from "../db/database.ts";
import { hashSecret } from "../crypto/hmac.ts";
import { newId, randomString } from "../ids.ts";
import { notFound } from "../errors.ts";
import { DEFAULT_SCOPES, PUBLISHABLE_SCOPES } from "./scopes.ts";
import { CURRENT_API_VERSION } from "../versioning.ts";
import { forgetKey, rememberedKey, rememberKey } from "./active_key_cache.ts";
import { afterRequestCommit } from "../db/request_transaction.ts";

export type KeyKind = "secret" | "publishable";

/** The tenant boundary every env-scoped query filters on. */
export interface Scope {
  orgId: string;
  environment: Environment;
}

export interface Principal extends Scope {
  keyId: string;
  kind: KeyKind;
  keyPrefix: string;
  scopes: string[];
  apiVersion: string;
  defaultKeyInflection: string;
  rateLimitPerMinute: number;
  allowedIps: string[] | null;
  allowedOrigins: string[] | null;
}

export const DEFAULT_RATE_LIMITS: Record<KeyKind, number> = { secret: 1000, publishable: 10 };

export interface NewApiKeyInput {
  environment: Environment;
  kind: KeyKind;
  label?: string | null;
  note?: string | null;
  scopes?: string[];
  apiVersion?: string;
  defaultKeyInflection?: string;
  allowedIps?: string[] | null;
  allowedOrigins?: string[] | null;
  expiresAt?: Date | null;
  rateLimitPerMinute?: number | null;
}

export function secretPrefix(kind: KeyKind, environment: Environment): string {
  return kind === "publishable" ? `vk_pub_${environment}_` : `vk_${environment}_`;
}

export async function createApiKey(
  db: DbOrTx,
  orgId: string,
  input: NewApiKeyInput,
): Promise<{ row: ApiKeyRow; secret: string }> {
  const secret = `${secretPrefix(input.kind, input.environment)}${randomString(40)}`;
  const scopes = input.kind === "publishable" ? [...PUBLISHABLE_SCOPES] : input.scopes ?? [...DEFAULT_SCOPES];
  const row = await db.insertInto("api_keys").values({
    id: newId("key"),
    org_id: orgId,
    environment: input.environment,
    kind: input.kind,
    key_prefix: secret.slice(0, secretPrefix(input.kind, input.environment).length + 4),
    key_hash: hashSecret(secret),
    label: input.label ?? null,
    note: input.note ?? null,
    scopes: [...new Set(scopes)],
    api_version: input.apiVersion ?? CURRENT_API_VERSION,
    default_key_inflection: input.defaultKeyInflection ?? "snake",
    allowed_ips: input.allowedIps ?? null,
    allowed_origins: input.allowedOrigins ?? null,
    expires_at: input.expiresAt ?? null,
    rate_limit_per_minute: input.rateLimitPerMinute ?? null,
  }).returningAll().executeTakeFirstOrThrow();
  return { row, secret };
}

/** Resolves a presented secret; null for unknown, revoked or expired keys (all are a plain 401). */
export async function findActiveKey(db: DbOrTx, secret: string, now: Date): Promise<ApiKeyRow | null> {
  const keyHash = hashSecret(secret);
  let row = rememberedKey(keyHash) ?? undefined;
  if (!row) {
    row = await db.selectFrom("api_keys").selectAll()
      .where("key_hash", "=", keyHash)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (row) rememberKey(row);
  }
  if (!row || (row.expires_at && row.expires_at <= now)) return null;
  return row;
}

export function toPrincipal(row: ApiKeyRow): Principal {
  return {
    keyId: row.id,
    orgId: row.org_id,
    environment: row.environment,
    kind: row.kind,
    keyPrefix: row.key_prefix,
    scopes: row.scopes,
    apiVersion: row.api_version,
    defaultKeyInflection: row.default_key_inflection,
    rateLimitPerMinute: row.rate_limit_per_minute ?? DEFAULT_RATE_LIMITS[row.kind],
    allowedIps: row.allowed_ips,
    allowedOrigins: row.allowed_origins,
  };
}

/** A changed key is forgotten now and again once the change commits (a request may read it in between). */
function forgetChangedKey(id: string): void {
  forgetKey(id);
  afterRequestCommit(() => forgetKey(id));
}

const LAST_USED_GRANULARITY_MS = 60_000;

/** Records use at most once a minute per key, so authentication does not write on every request. */
export async function touchLastUsed(db: DbOrTx, row: ApiKeyRow, now: Date): Promise<void> {
  if (row.last_used_at && now.getTime() - row.last_used_at.getTime() < LAST_USED_GRANULARITY_MS) return;
  await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", row.id).execute();
  // The row may be the remembered one: the next request must see this use, not write it again.
  row.last_used_at = now;
}

export async function listApiKeys(
  db: DbOrTx,
  scope: Scope,
  page: { limit: number; offset: number },
): Promise<{ rows: ApiKeyRow[]; total: number }> {
  const base = db.selectFrom("api_keys").where("org_id", "=", scope.orgId).where("environment", "=", scope.environment);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function getApiKey(db: DbOrTx, scope: Scope, id: string): Promise<ApiKeyRow> {
  const row = await db.selectFrom("api_keys").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
  if (!row) throw notFound("API key");
  return row;
}

export interface ApiKeyPatch {
  label?: string | null;
  note?: string | null;
  scopes?: string[];
  api_version?: string;
  default_key_inflection?: string;
  allowed_ips?: string[] | null;
  allowed_origins?: string[] | null;
  expires_at?: Date | null;
}

export async function updateApiKey(
  db: DbOrTx,
  scope: Scope,
  id: string,
  patch: ApiKeyPatch,
  now: Date,
): Promise<ApiKeyRow> {
  const row = await db.updateTable("api_keys").set({ ...patch, updated_at: now })
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .returningAll().executeTakeFirst();
  if (!row) throw notFound("API key");
  forgetChangedKey(id);
  return row;
}

/** Permanent: a revoked key never authenticates again. Repeating it is a no-op. */
export async function revokeApiKey(db: DbOrTx, scope: Scope, id: string, now: Date): Promise<ApiKeyRow> {
  const key = await getApiKey(db, scope, id);
  if (key.revoked_at) return key;
  const revoked = await db.updateTable("api_keys").set({ revoked_at: now, updated_at: now })
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .returningAll().executeTakeFirstOrThrow();
  forgetChangedKey(id);
  return revoked;
}
