/**
 * Owns the small helpers the Sessions API tests share: loosely typed JSON calls, creating a
 * session through the API, and reading what the contract promises is stored (rows, outbox events).
 */
import { forgetSessionDefaults } from "../../core/orgs/session_defaults.ts";
import assert from "node:assert/strict";
import type { RequestOptions, TestWorld } from "./test_app.ts";
import type { DataRequirements } from "../../core/db/database.ts";
import { insertWorkflowWithFirstVersion } from "../../core/workflows/repository.ts";
import { DEFAULT_GRAPH, findTemplate } from "../../core/workflows/templates.ts";

/** Response bodies are asserted field by field, so they are typed loosely. */
// deno-lint-ignore no-explicit-any
export type Body = Record<string, any>;

export interface Reply {
  status: number;
  body: Body;
  headers: Headers;
}

export function call(world: TestWorld, method: string, path: string, options?: RequestOptions): Promise<Reply> {
  return world.json<Body>(method, path, options);
}

/** Creates a session through the API and fails the test unless it is a 201. */
export async function createSession(world: TestWorld, key: string, body: unknown = {}): Promise<Body> {
  const res = await call(world, "POST", "/api/v1/sessions", { key, body });
  assert.equal(res.status, 201, `create failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A timestamp as the API writes it: ISO 8601 in UTC. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The body the contract prescribes for a session of the other environment or org. */
export const SESSION_NOT_FOUND = { error: "not_found", detail: "Session not found.", status_code: 404 };

export async function sessionRow(world: TestWorld, id: string) {
  return await world.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** The outbox events written for one session, oldest first. */
export async function sessionEvents(world: TestWorld, id: string) {
  return await world.db.selectFrom("events").selectAll().where("session_id", "=", id)
    .orderBy("created_at").orderBy("id").execute();
}

export async function sessionEventTypes(world: TestWorld, id: string): Promise<string[]> {
  return (await sessionEvents(world, id)).map((e) => e.type);
}

export async function countSessions(world: TestWorld, orgId: string): Promise<number> {
  const row = await world.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("org_id", "=", orgId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Replaces the org's stored settings overrides (settings not named keep their defaults). */
export async function setOrgSettings(world: TestWorld, orgId: string, settings: Record<string, unknown>) {
  await world.db.updateTable("organizations").set({ settings: JSON.stringify(settings) }).where("id", "=", orgId)
    .execute();
  // Written past the settings service, so this process's cached copy is forgotten here, as the service does.
  forgetSessionDefaults(orgId);
}

export function isoPlusMinutes(iso: string, minutes: number): string {
  return new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Asserts a `data:image/png;base64,…` URL whose bytes start with the PNG signature. */
export function assertPngDataUrl(value: unknown): void {
  assert.equal(typeof value, "string");
  const prefix = "data:image/png;base64,";
  assert.ok((value as string).startsWith(prefix), `not a PNG data URL: ${String(value).slice(0, 40)}`);
  const bytes = Uint8Array.from(atob((value as string).slice(prefix.length)), (c) => c.charCodeAt(0));
  assert.ok(bytes.length > 100, "PNG is implausibly small");
  assert.deepEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE);
}

/**
 * Adds an active workflow with a chosen id (as version 1, the way the workflows API stores one),
 * so sessions can name it. Its graph is the default one, or Document Scan Only without a selfie;
 * the data requirements are taken as given, unvalidated.
 */
export async function insertWorkflow(
  world: TestWorld,
  orgId: string,
  environment: "sandbox" | "live",
  id: string,
  dataRequirements: Record<string, unknown> = {
    document_types: ["passport", "drivers_license", "national_id", "residence_permit"],
    selfie: true,
    user_info_fields: [],
    proof_of_address: false,
  },
): Promise<void> {
  const graph = dataRequirements.selfie === false ? findTemplate("document_scan_only")!.graph : DEFAULT_GRAPH;
  await insertWorkflowWithFirstVersion(world.db, { orgId, environment }, {
    id,
    is_default: false,
    now: new Date(),
    content: {
      name: id,
      description: null,
      format: "graph",
      graph,
      steps: null,
      data_requirements: dataRequirements as unknown as DataRequirements,
    },
  });
}
