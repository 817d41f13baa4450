/**
 * Owns reading the audit log for the API (`GET /api/v1/events`) and the dashboard's audit page: the
 * tenant-scoped, filtered, paginated queries and the response DTO. Writing is core/audit/log.ts;
 * sealing seal.ts; proving verify.ts.
 *
 * Readers see sealed rows only, in chain order, and seal the organisation first: every row
 * committed before the read is then sealed and shown with its `sequence_num` and hashes, so the
 * answer never holds a row without its place in the chain (issue #17).
 */
import { type ExpressionBuilder, sql } from "kysely";
import type { Db } from "../db/create_db.ts";
import type { AuditLogRow, Database } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { notFound } from "../errors.ts";
import type { Page } from "../sessions/repository.ts";
import { auditTargetId, type SealedAuditRow } from "./log.ts";
import { sealAuditLog } from "./seal.ts";

export interface AuditFilters {
  /** Exact actions, or prefixes written `api.session.*`. */
  actions?: string[];
  resourceType?: string;
  resourceId?: string;
  /** `actor_id`, or `actor_type:actor_id`. */
  actor?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Case-insensitive substring of the action, actor, resource or request id. */
  q?: string;
  order?: "asc" | "desc";
}

type Eb = ExpressionBuilder<Database, "audit_log">;

/**
 * A key sees its organisation's rows of its own environment and the organisation-wide ones
 * (environment null); another organisation's rows never.
 */
async function inScope(db: Db, scope: Scope) {
  await sealAuditLog(db, scope.orgId);
  return db.selectFrom("audit_log").where("org_id", "=", scope.orgId).where("sequence_num", "is not", null)
    .where((eb) => eb.or([eb("environment", "=", scope.environment), eb("environment", "is", null)]));
}

function actionMatches(eb: Eb, action: string) {
  return action.endsWith("*")
    ? eb(sql<boolean>`starts_with(action, ${action.slice(0, -1)})`, "=", true)
    : eb("action", "=", action);
}

export async function listAuditEvents(
  db: Db,
  scope: Scope,
  filters: AuditFilters,
  page: Page,
): Promise<{ rows: SealedAuditRow[]; total: number }> {
  let base = await inScope(db, scope);
  const actions = filters.actions;
  if (actions?.length) base = base.where((eb) => eb.or(actions.map((a) => actionMatches(eb, a))));
  if (filters.resourceType !== undefined) base = base.where("target_type", "=", filters.resourceType);
  if (filters.resourceId !== undefined) {
    // A person's external_ref finds the rows written with it in clear (before pseudonyms) and since.
    const ids = [...new Set([filters.resourceId, auditTargetId(scope.orgId, filters.resourceId)!])];
    base = base.where("target_id", "in", ids);
  }
  if (filters.actor !== undefined) {
    const [type, id] = filters.actor.includes(":") ? filters.actor.split(":", 2) : [undefined, filters.actor];
    base = base.where("actor_id", "=", id);
    if (type !== undefined) base = base.where("actor_type", "=", type as AuditLogRow["actor_type"]);
  }
  if (filters.createdAfter) base = base.where("created_at", ">=", filters.createdAfter);
  if (filters.createdBefore) base = base.where("created_at", "<", filters.createdBefore);
  if (filters.q) {
    // strpos, not LIKE: the search text is taken literally, with no wildcards to escape.
    const needle = filters.q.toLowerCase();
    const text = sql<string>`lower(concat_ws(' ', action, actor_type || ':' || actor_id, target_type, target_id,
      request_id))`;
    base = base.where(sql<boolean>`strpos(${text}, ${needle}) > 0`);
  }
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy("sequence_num", filters.order ?? "desc").limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as SealedAuditRow[], total: Number(count.n) };
}

export async function findAuditEvent(db: Db, scope: Scope, id: string): Promise<SealedAuditRow> {
  const row = await (await inScope(db, scope)).selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound(`Audit event ${id}`);
  return row as SealedAuditRow;
}

/** The notes' object (`type`, `resource_*`, `actor`, `metadata`, `request_*`) plus the chain fields. */
export function toAuditEventDto(row: SealedAuditRow) {
  const details = row.details ?? {};
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    id: row.id,
    object: "audit_event",
    type: row.action,
    sequence_num: Number(row.sequence_num),
    created_at: new Date(row.created_at).toISOString(),
    environment: row.environment,
    actor: `${row.actor_type}:${row.actor_id}`,
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    resource_type: row.target_type,
    resource_id: row.target_id,
    metadata: details,
    request_id: row.request_id,
    request_method: text(details.method),
    request_path: text(details.path),
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}
