/**
 * Owns the retention policy (issue #9): which sessions an organisation's settings say are past
 * their full retention window, counted, like the sensitive-data window (sessions/dto.ts
 * `sensitiveDataExpired`), from the moment the session reached its terminal status.
 *
 * A session is *due* when it is terminal (completed, expired, failed), not yet redacted, and
 * `data_retention_days` have passed since `completed_at` (or `expired_at`; `updated_at` for a
 * terminal row that has neither). Whether a due session is erased depends on
 * `auto_redact_on_retention_expiry` and on legal holds (the session's own or its identity's).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/create_db.ts";
import type { Environment } from "../db/database.ts";
import { type OrgSettings, resolveOrgSettings } from "../orgs/settings.ts";
import { TERMINAL_STATUSES } from "../sessions/status.ts";

export const DAY_MS = 86_400_000;

/** The same arithmetic as `sensitiveDataExpired`: a window of `days` from `from` has passed at `now`. */
export function windowPassed(from: Date, days: number, now: Date): boolean {
  return from.getTime() + days * DAY_MS <= now.getTime();
}

/** Terminal moments at or before this instant are past a `days`-long window at `now`. */
export function retentionCutoff(days: number, now: Date): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** SQL for the session's terminal moment, the start of both retention windows. */
export const terminalAtSql = sql<Date>`coalesce(s.completed_at, s.expired_at, s.updated_at)`;

export interface OrgPolicy {
  orgId: string;
  slug: string;
  settings: OrgSettings;
  /** Null when the organisation keeps data forever (no `data_retention_days`). */
  cutoff: Date | null;
}

/** Every organisation with its resolved settings and, where it has one, its full-retention cutoff. */
export async function orgPolicies(db: DbOrTx, now: Date, orgId?: string): Promise<OrgPolicy[]> {
  let query = db.selectFrom("organizations").select(["id", "slug", "settings"]).orderBy("id");
  if (orgId) query = query.where((eb) => eb.or([eb("id", "=", orgId), eb("slug", "=", orgId)]));
  return (await query.execute()).map((row) => {
    const settings = resolveOrgSettings(row.settings);
    const days = settings.data_retention_days;
    return { orgId: row.id, slug: row.slug, settings, cutoff: days === null ? null : retentionCutoff(days, now) };
  });
}

export interface DueSession {
  id: string;
  environment: Environment;
  terminal_at: Date;
  /** Which hold, if any, protects it. */
  hold: "session" | "identity" | null;
}

/**
 * One page of an organisation's due sessions, in id order after `afterId` (keyset paging: held or
 * skipped sessions are never read twice in a run, and a resumed run starts again from the top,
 * where the redacted ones no longer match).
 */
export async function dueSessions(
  db: DbOrTx,
  policy: OrgPolicy,
  options: { afterId?: string; limit: number },
): Promise<DueSession[]> {
  if (!policy.cutoff) return [];
  let query = dueQuery(db, policy.orgId, policy.cutoff)
    .leftJoin("identities as i", (join) =>
      join.onRef("i.id", "=", "s.identity_id").onRef("i.org_id", "=", "s.org_id")
        .onRef("i.environment", "=", "s.environment"))
    .select([
      "s.id",
      "s.environment",
      terminalAtSql.as("terminal_at"),
      "s.legal_hold",
      sql<boolean | null>`i.legal_hold`.as("identity_hold"),
    ])
    .orderBy("s.id").limit(options.limit);
  if (options.afterId) query = query.where("s.id", ">", options.afterId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    environment: r.environment,
    terminal_at: r.terminal_at,
    hold: r.legal_hold ? "session" : r.identity_hold ? "identity" : null,
  }));
}

/** How many of an organisation's sessions are due, by hold. */
export async function countDue(
  db: DbOrTx,
  policy: OrgPolicy,
): Promise<{ due: number; held_session: number; held_identity: number }> {
  if (!policy.cutoff) return { due: 0, held_session: 0, held_identity: 0 };
  const row = await dueQuery(db, policy.orgId, policy.cutoff)
    .leftJoin("identities as i", (join) =>
      join.onRef("i.id", "=", "s.identity_id").onRef("i.org_id", "=", "s.org_id")
        .onRef("i.environment", "=", "s.environment"))
    .select([
      sql<number>`count(*)::int`.as("due"),
      sql<number>`count(*) FILTER (WHERE s.legal_hold)::int`.as("held_session"),
      sql<number>`count(*) FILTER (WHERE NOT s.legal_hold AND coalesce(i.legal_hold, false))::int`.as(
        "held_identity",
      ),
    ])
    .executeTakeFirstOrThrow();
  return row;
}

function dueQuery(db: DbOrTx, orgId: string, cutoff: Date) {
  return db.selectFrom("sessions as s")
    .where("s.org_id", "=", orgId)
    .where("s.status", "in", [...TERMINAL_STATUSES])
    .where("s.retention_status", "<>", "redacted")
    .where(terminalAtSql, "<=", cutoff);
}
