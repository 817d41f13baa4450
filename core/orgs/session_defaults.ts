/**
 * Owns what a new session needs from its organisation: the stored settings overrides and the
 * environment's default workflow, read in one round trip and remembered per organisation and
 * environment for SESSION_DEFAULTS_TTL_MS (issue #17: create-session no longer reads them on every
 * call). A settings update or a change of default workflow through this process forgets the
 * organisation at once and again when it commits; another process sees it within the TTL. The
 * settings are kept as stored, so overrides scheduled to take effect later still do so on time
 * (they are resolved at each use).
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "./api_keys.ts";
import { TtlCache } from "../ttl_cache.ts";
import { afterRequestCommit } from "../db/request_transaction.ts";

export const SESSION_DEFAULTS_TTL_MS = 5_000;

export interface SessionDefaults {
  settings: Record<string, unknown>;
  default_workflow_id: string | null;
}

const byScope = new TtlCache<string, SessionDefaults & { orgId: string }>(SESSION_DEFAULTS_TTL_MS, 10_000);

export async function findSessionDefaults(db: DbOrTx, scope: Scope): Promise<SessionDefaults> {
  const key = `${scope.orgId}:${scope.environment}`;
  const remembered = byScope.get(key);
  if (remembered) return remembered;
  const row = await db.selectFrom("organizations as o")
    .leftJoin(
      "workflows as w",
      (join) =>
        join.onRef("w.org_id", "=", "o.id").on("w.environment", "=", scope.environment).on("w.is_default", "=", true),
    )
    .select(["o.settings", "w.id as default_workflow_id"])
    .where("o.id", "=", scope.orgId)
    .executeTakeFirstOrThrow();
  byScope.set(key, { ...row, orgId: scope.orgId });
  return row;
}

/**
 * Forgets an organisation's defaults after a change to its settings or default workflow: now, and
 * again once the change commits (a request may read and remember the old row in between).
 */
export function forgetSessionDefaults(orgId: string): void {
  const forget = () => byScope.forget((_, entry) => entry.orgId === orgId);
  forget();
  afterRequestCommit(forget);
}
