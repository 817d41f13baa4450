/**
 * Owns the helpers the review-case tests share: opening a case the cheap way (a sandbox session
 * simulated into review), case paths, minting narrower keys, the operators who review, and reading
 * a case's stored record.
 */
import assert from "node:assert/strict";
import type { TestWorld } from "./test_app.ts";
import { type Body, call, createSession } from "./sessions.ts";
import { randomString } from "../../core/ids.ts";

export const CASES = "/api/v1/cases";

export function casePath(id: string, action?: string): string {
  return action ? `${CASES}/${id}/${action}` : `${CASES}/${id}`;
}

/** A sandbox session in under_review, opened as a case by simulate; returns both ids. */
export async function openCase(
  world: TestWorld,
  key: string,
  preset = "require-review",
): Promise<{ caseId: string; sessionId: string }> {
  const session = await createSession(world, key, { external_ref: `user_${crypto.randomUUID()}` });
  const simulated = await call(world, "POST", `/api/v1/sessions/${session.id}/simulate`, {
    key,
    body: { action: preset },
  });
  assert.equal(simulated.status, 200, JSON.stringify(simulated.body));
  assert.equal(simulated.body.status, "under_review");
  const read = await call(world, "GET", `/api/v1/sessions/${session.id}`, { key });
  assert.ok(read.body.case_id, "the session names its case");
  return { caseId: read.body.case_id, sessionId: session.id };
}

export async function mintKey(world: TestWorld, scopes: string[], key = world.org.sandbox_secret_key): Promise<string> {
  const res = await call(world, "POST", "/api/v1/api-keys", { key, body: { scopes } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.secret;
}

/** Calls a case action and fails the test unless it answers `status`. */
export async function expectStatus(
  world: TestWorld,
  status: number,
  method: string,
  path: string,
  key: string,
  body?: unknown,
): Promise<Body> {
  const res = await call(world, method, path, { key, body });
  assert.equal(res.status, status, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function caseActions(world: TestWorld, caseId: string) {
  return await world.db.selectFrom("case_actions").selectAll().where("case_id", "=", caseId).orderBy("id").execute();
}

/**
 * Operators of the org who review, under the ids the tests name (`orguser_alice` has the email
 * `alice@example.com`): a key names a reviewer only if one exists (issue #15).
 */
export async function seedReviewers(world: TestWorld, ids: string[], orgId = world.org.org_id): Promise<void> {
  await world.db.insertInto("operator_users").values(ids.map((id) => ({
    id,
    org_id: orgId,
    email: `${id.replace(/^orguser_/, "")}@example.com`,
    display_name: id,
    role: "reviewer" as const,
    webauthn_user_id: randomString(32),
    created_at: new Date(),
  }))).execute();
}
