/**
 * Owns the helpers the identities tests share: sessions decided in sandbox (which run the identity
 * upsert), keys with chosen scopes, and reading identity rows and events as stored.
 */
import assert from "node:assert/strict";
import type { TestWorld } from "./test_app.ts";
import { type Body, call, createSession } from "./sessions.ts";
import { createApiKey } from "../../core/orgs/api_keys.ts";

export const IDENTITIES = "/api/v1/identities";

/** Creates a session with `external_ref` and decides it through `simulate` (an action or preset). */
export async function decidedSession(world: TestWorld, key: string, externalRef: string | null, action: string) {
  const session = await createSession(world, key, externalRef === null ? {} : { external_ref: externalRef });
  const res = await call(world, "POST", `/api/v1/sessions/${session.id}/simulate`, { key, body: { action } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return session;
}

export async function keyWithScopes(
  world: TestWorld,
  scopes: string[],
  environment: "sandbox" | "live" = "sandbox",
  orgId = world.org.org_id,
): Promise<string> {
  const { secret } = await createApiKey(world.db, orgId, { environment, kind: "secret", scopes });
  return secret;
}

export async function createIdentity(world: TestWorld, key: string, externalRef: string): Promise<Body> {
  const res = await call(world, "POST", IDENTITIES, { key, body: { external_ref: externalRef } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

export async function identityRow(world: TestWorld, id: string) {
  return await world.db.selectFrom("identities").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export async function identityEventTypes(world: TestWorld, id: string): Promise<string[]> {
  const rows = await world.db.selectFrom("events").select("type").where("identity_id", "=", id)
    .orderBy("created_at").orderBy("id").execute();
  return rows.map((row) => row.type);
}
