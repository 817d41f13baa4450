/** Owns reading a session's decision: the session, its result row and the org settings that filter it. */
import type { CoreDeps } from "../deps.ts";
import type { SessionResultRow, SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import type { OrgSettings } from "../orgs/settings.ts";
import { AppError } from "../errors.ts";
import { findResult, findSession } from "./repository.ts";

export async function loadDecision(
  deps: CoreDeps,
  scope: Scope,
  sessionId: string,
): Promise<{ session: SessionRow; result: SessionResultRow; settings: OrgSettings }> {
  const session = await findSession(deps.db, scope, sessionId);
  const [result, settings] = await Promise.all([
    findResult(deps.db, scope, session.id),
    getOrgSettings(deps.db, scope.orgId),
  ]);
  if (!result) throw new AppError("not_found", "No result yet: the session has not reached a decision.");
  return { session, result, settings };
}
