/**
 * Owns the retention tests' fixtures: terminal sessions written straight into the tables (fast
 * enough for hundreds), each with encrypted pre-filled fields and one sealed object in the blob
 * store, and the organisation's retention settings.
 */
import { forgetSessionDefaults } from "../../core/orgs/session_defaults.ts";
import { sql } from "kysely";
import type { TestWorld } from "../helpers/test_app.ts";
import { blobKeys } from "../helpers/capture.ts";
import type { Environment } from "../../core/db/database.ts";
import { newId } from "../../core/ids.ts";
import { sessionFieldContext } from "../../core/sessions/service.ts";
import { sessionBlobPrefix } from "../../core/documents/service.ts";
import { sealObject } from "../../core/crypto/object_envelope.ts";
import { DAY_MS } from "../../core/retention/policy.ts";
import type { OrgSettings } from "../../core/orgs/settings.ts";

export interface SeedOptions {
  orgId?: string;
  environment?: Environment;
  count: number;
  /** Days before the world's clock the session reached its terminal status. */
  terminalDaysAgo: number;
  status?: "completed" | "expired" | "failed";
  legalHold?: boolean;
  /** The session's personal data; the default is unique per session. */
  pii?: (i: number) => string;
}

export async function seedSessions(world: TestWorld, options: SeedOptions): Promise<string[]> {
  const orgId = options.orgId ?? world.org.org_id;
  const environment = options.environment ?? "sandbox";
  const status = options.status ?? "completed";
  const at = new Date(world.clock.now().getTime() - options.terminalDaysAgo * DAY_MS);
  const ids: string[] = [];
  const rows = [];
  for (let i = 0; i < options.count; i++) {
    const id = newId("ses");
    ids.push(id);
    const pii = options.pii?.(i) ?? `Retainee-${id.slice(-10)}`;
    rows.push({
      id,
      org_id: orgId,
      environment,
      status,
      metadata: JSON.stringify({}),
      fields_enc: world.deps.keyRing.encryptJson({ last_name: pii }, sessionFieldContext(id, "fields_enc")),
      applicant_name_enc: world.deps.keyRing.encrypt(
        new TextEncoder().encode(pii),
        sessionFieldContext(id, "applicant_name_enc"),
      ),
      legal_hold: options.legalHold ?? false,
      created_at: at,
      updated_at: at,
      completed_at: status === "expired" ? null : at,
      expired_at: status === "expired" ? at : null,
    });
    const key = `${sessionBlobPrefix({ orgId, environment }, id)}documents/front.bin`;
    await world.deps.blobs.put(
      key,
      sealObject(world.deps.keyRing, key, new TextEncoder().encode(`document of ${pii}`)),
      "application/octet-stream",
    );
  }
  for (let i = 0; i < rows.length; i += 500) {
    await world.db.insertInto("sessions").values(rows.slice(i, i + 500)).execute();
  }
  return ids;
}

export async function setRetention(
  world: TestWorld,
  settings: Partial<
    Pick<OrgSettings, "data_retention_days" | "sensitive_data_retention_days" | "auto_redact_on_retention_expiry">
  >,
  orgId = world.org.org_id,
): Promise<void> {
  const row = await world.db.selectFrom("organizations").select("settings").where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  await world.db.updateTable("organizations").set({ settings: JSON.stringify({ ...row.settings, ...settings }) })
    .where("id", "=", orgId).execute();
  // Written past the settings service, so this process's cached copy is forgotten here, as the service does.
  forgetSessionDefaults(orgId);
}

/** session.redacted / session.retention-expired events per session. */
export async function eventCounts(world: TestWorld, ids: string[]) {
  const rows = await world.db.selectFrom("events").select(["session_id", "type"])
    .where("session_id", "in", ids).where("type", "in", ["session.redacted", "session.retention-expired"]).execute();
  const counts = new Map<string, { redacted: number; expired: number }>(
    ids.map((id) => [id, { redacted: 0, expired: 0 }]),
  );
  for (const r of rows) {
    const c = counts.get(r.session_id!)!;
    if (r.type === "session.redacted") c.redacted++;
    else c.expired++;
  }
  return counts;
}

/**
 * Every public table's row count and a digest of its rows' text, and every stored object's bytes:
 * equal snapshots mean nothing changed, byte for byte.
 */
export async function databaseSnapshot(world: TestWorld): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name
  `.execute(world.db);
  const out: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    const { rows } = await sql<{ n: number; digest: string }>`
      SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
      FROM ${sql.table(table_name)} t
    `.execute(world.db);
    out[table_name] = `${rows[0].n}:${rows[0].digest}`;
  }
  for (const key of await blobKeys(world)) {
    const bytes = await Deno.readFile(`${world.blobDir}/${key}`);
    out[`blob:${key}`] = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)))
      .map((b) => b.toString(16).padStart(2, "0")).join("");
  }
  return out;
}
