/**
 * Owns what else changes, in the decision's transaction (core/outcomes/decide.ts), when a session
 * reaches an outcome — the live engine's decision, a sandbox preset, or a reviewer's decision on
 * its case: the person's identity follows the latest outcome, and a `needs_review` outcome opens a
 * review case. Returns the identity so the outcome's event can carry it.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { upsertIdentityForOutcome } from "../identities/from_sessions.ts";
import { openCaseForOutcome } from "../cases/open.ts";

export interface SessionOutcome {
  /** The session after its status changed. */
  session: SessionRow;
  /** null: the session failed without a decision. */
  resultStatus: "approved" | "rejected" | "needs_review" | null;
  /** The decision's extracted data (PII: stays inside the transaction and encrypted stores). */
  extracted: Record<string, unknown>;
  source: "workflow" | "sandbox" | "review";
  now: Date;
}

export async function afterSessionOutcome(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  outcome: SessionOutcome,
): Promise<{ identityId: string | null }> {
  const identityId = await upsertIdentityForOutcome(deps, tx, scope, outcome);
  if (outcome.resultStatus === "needs_review" && outcome.source !== "review") {
    await openCaseForOutcome(deps, tx, scope, outcome, identityId);
  }
  return { identityId };
}
