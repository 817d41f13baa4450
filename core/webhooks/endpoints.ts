/**
 * Owns webhook endpoints: creation with the URL policy applied, per-endpoint secrets (encrypted at
 * rest; readable in sandbox, shown once in live), rotation with a 24-hour grace period, cloning,
 * enabling and disabling.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { WebhookEndpointRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { notFound, validationError } from "../errors.ts";
import { newId } from "../ids.ts";
import { INFLECTIONS } from "../casing.ts";
import { CURRENT_API_VERSION, SUPPORTED_API_VERSIONS } from "../versioning.ts";
import { generateWebhookSecret } from "./signing.ts";
import { isKnownEventType } from "./event_types.ts";
import { checkWebhookUrl, resolveDeliveryAddresses, UrlPolicyError } from "./url_policy.ts";

export const ROTATION_GRACE_MS = 24 * 3600_000;

const filterValue = z.union([z.string().max(255), z.number(), z.boolean(), z.null()]);

const endpointFields = {
  url: z.string().min(1).max(2048),
  label: z.string().trim().max(255).nullable().optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  enabled_events: z.array(z.string().refine(isKnownEventType, "is not a known event type")).max(100).optional(),
  attribute_blocklist: z.array(z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, "must be a dotted attribute path"))
    .max(100).optional(),
  /** Payload field (dotted path) → allowed value or values; see matchesConditions. */
  event_filter_conditions: z.record(
    z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, "must be a dotted payload field"),
    z.union([filterValue, z.array(filterValue).min(1).max(50)]),
  ).optional(),
  api_version: z.enum(SUPPORTED_API_VERSIONS as [string, ...string[]]).optional(),
  key_inflection: z.enum(INFLECTIONS).optional(),
};
export const createEndpointSchema = z.strictObject(endpointFields);
export const updateEndpointSchema = z.strictObject({
  ...endpointFields,
  url: endpointFields.url.optional(),
  enabled: z.boolean().optional(),
});
export type CreateEndpointInput = z.infer<typeof createEndpointSchema>;
export type UpdateEndpointInput = z.infer<typeof updateEndpointSchema>;

function secretContext(endpointId: string, column: "secret_enc" | "previous_secret_enc") {
  return { table: "webhook_endpoints", column, rowId: endpointId };
}

/** The URL policy at save time: its error is a 422 on `url`, in the contract's shape. */
async function assertAllowedUrl(deps: CoreDeps, url: string, scope: Scope): Promise<void> {
  try {
    const parsed = checkWebhookUrl(url, scope.environment, deps.webhooks);
    await resolveDeliveryAddresses(parsed, deps.webhooks, deps.webhooks.resolve);
  } catch (error) {
    if (error instanceof UrlPolicyError) throw validationError({ url: error.reason });
    throw error;
  }
}

export async function createEndpoint(
  deps: CoreDeps,
  scope: Scope,
  input: CreateEndpointInput,
  clonedFrom: string | null = null,
): Promise<{ row: WebhookEndpointRow; secret: string }> {
  await assertAllowedUrl(deps, input.url, scope);
  const id = newId("whep");
  const secret = generateWebhookSecret();
  const now = deps.clock();
  const row = await deps.db.insertInto("webhook_endpoints").values({
    id,
    org_id: scope.orgId,
    environment: scope.environment,
    url: input.url,
    label: input.label ?? null,
    description: input.description ?? null,
    enabled_events: input.enabled_events ?? ["*"],
    attribute_blocklist: input.attribute_blocklist ?? [],
    event_filter_conditions: JSON.stringify(input.event_filter_conditions ?? {}),
    api_version: input.api_version ?? CURRENT_API_VERSION,
    key_inflection: input.key_inflection ?? "snake",
    secret_enc: deps.keyRing.encrypt(new TextEncoder().encode(secret), secretContext(id, "secret_enc")),
    previous_secret_enc: null,
    previous_secret_expires_at: null,
    disabled_reason: null,
    disabled_at: null,
    cloned_from: clonedFrom,
    created_at: now,
    updated_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  return { row, secret };
}

export async function findEndpoint(db: DbOrTx, scope: Scope, id: string): Promise<WebhookEndpointRow> {
  const row = await db.selectFrom("webhook_endpoints").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("deleted_at", "is", null).executeTakeFirst();
  if (!row) throw notFound("Webhook endpoint");
  return row;
}

export async function listEndpoints(db: DbOrTx, scope: Scope, page: { limit: number; offset: number }) {
  const base = db.selectFrom("webhook_endpoints").where("org_id", "=", scope.orgId)
    .where("environment", "=", scope.environment).where("deleted_at", "is", null);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Only the fields sent change. Re-enabling clears the circuit breaker. */
export async function updateEndpoint(deps: CoreDeps, scope: Scope, id: string, input: UpdateEndpointInput) {
  const current = await findEndpoint(deps.db, scope, id);
  if (input.url !== undefined) await assertAllowedUrl(deps, input.url, scope);
  const reenable = input.enabled === true && !current.enabled;
  const disable = input.enabled === false && current.enabled;
  return await deps.db.updateTable("webhook_endpoints").set({
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.label !== undefined ? { label: input.label } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.enabled_events !== undefined ? { enabled_events: input.enabled_events } : {}),
    ...(input.attribute_blocklist !== undefined ? { attribute_blocklist: input.attribute_blocklist } : {}),
    ...(input.event_filter_conditions !== undefined
      ? { event_filter_conditions: JSON.stringify(input.event_filter_conditions) }
      : {}),
    ...(input.api_version !== undefined ? { api_version: input.api_version } : {}),
    ...(input.key_inflection !== undefined ? { key_inflection: input.key_inflection } : {}),
    ...(reenable ? { enabled: true, consecutive_failures: 0, disabled_reason: null, disabled_at: null } : {}),
    ...(disable ? { enabled: false, disabled_reason: "disabled via API", disabled_at: deps.clock() } : {}),
    updated_at: deps.clock(),
  }).where("id", "=", current.id).returningAll().executeTakeFirstOrThrow();
}

/** Soft delete: the delivery history keeps pointing at the endpoint; nothing more is sent to it. */
export async function deleteEndpoint(deps: CoreDeps, scope: Scope, id: string): Promise<void> {
  const current = await findEndpoint(deps.db, scope, id);
  await deps.db.updateTable("webhook_endpoints")
    .set({ deleted_at: deps.clock(), enabled: false, updated_at: deps.clock() })
    .where("id", "=", current.id).execute();
}

/** A new secret signs from now on; the old one also signs for 24 hours so receivers can switch over. */
export async function rotateSecret(deps: CoreDeps, scope: Scope, id: string) {
  const current = await findEndpoint(deps.db, scope, id);
  const secret = generateWebhookSecret();
  const now = deps.clock();
  const oldSecret = currentSecret(deps, current);
  const row = await deps.db.updateTable("webhook_endpoints").set({
    secret_enc: deps.keyRing.encrypt(new TextEncoder().encode(secret), secretContext(id, "secret_enc")),
    previous_secret_enc: deps.keyRing.encrypt(
      new TextEncoder().encode(oldSecret),
      secretContext(id, "previous_secret_enc"),
    ),
    previous_secret_expires_at: new Date(now.getTime() + ROTATION_GRACE_MS),
    updated_at: now,
  }).where("id", "=", current.id).returningAll().executeTakeFirstOrThrow();
  return { row, secret };
}

export async function cloneEndpoint(deps: CoreDeps, scope: Scope, id: string) {
  const source = await findEndpoint(deps.db, scope, id);
  return await createEndpoint(deps, scope, {
    url: source.url,
    label: source.label,
    description: source.description,
    enabled_events: source.enabled_events,
    attribute_blocklist: source.attribute_blocklist,
    event_filter_conditions: source.event_filter_conditions as CreateEndpointInput["event_filter_conditions"],
    api_version: source.api_version,
    key_inflection: source.key_inflection as CreateEndpointInput["key_inflection"],
  }, source.id);
}

export function currentSecret(deps: CoreDeps, row: WebhookEndpointRow): string {
  return new TextDecoder().decode(deps.keyRing.decrypt(row.secret_enc, secretContext(row.id, "secret_enc")));
}

/** Every secret that signs right now: the current one, plus the previous one inside its grace period. */
export function signingSecrets(deps: CoreDeps, row: WebhookEndpointRow, now: Date): string[] {
  const secrets = [currentSecret(deps, row)];
  if (row.previous_secret_enc && row.previous_secret_expires_at && row.previous_secret_expires_at > now) {
    secrets.push(
      new TextDecoder().decode(
        deps.keyRing.decrypt(row.previous_secret_enc, secretContext(row.id, "previous_secret_enc")),
      ),
    );
  }
  return secrets;
}

export function toEndpointDto(deps: CoreDeps, row: WebhookEndpointRow, options: { secret?: string } = {}) {
  // Sandbox secrets stay readable (as in Verifa Cloud and Stripe test mode); live ones are shown once.
  const secret = options.secret ?? (row.environment === "sandbox" ? currentSecret(deps, row) : undefined);
  return {
    id: row.id,
    url: row.url,
    environment: row.environment,
    enabled: row.enabled,
    enabled_events: row.enabled_events,
    label: row.label,
    description: row.description,
    attribute_blocklist: row.attribute_blocklist,
    event_filter_conditions: row.event_filter_conditions,
    api_version: row.api_version,
    key_inflection: row.key_inflection,
    consecutive_failures: row.consecutive_failures,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    previous_secret_expires_at: row.previous_secret_expires_at?.toISOString() ?? null,
    cloned_from: row.cloned_from,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(secret !== undefined ? { secret } : {}),
  };
}
