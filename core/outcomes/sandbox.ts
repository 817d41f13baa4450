/**
 * Owns completing a sandbox session with a preset's outcome (simulate, and the capture flow's
 * outcome screen) through the shared decision transaction, so a preset records exactly what the
 * live path would, and an erased session is refused as it is everywhere.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { presetOutcome, type SandboxPreset } from "../sessions/sandbox_presets.ts";
import { assertTransition } from "../sessions/status.ts";
import { decideSession } from "./decide.ts";
import { erasedSessionError } from "./erasure_guard.ts";

export async function applySandboxPreset(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  session: SessionRow,
  preset: SandboxPreset,
): Promise<SessionRow> {
  const now = deps.clock();
  const outcome = presetOutcome(preset, now);
  const verdict = await decideSession(deps, tx, scope, session.id, (locked) => {
    assertTransition(locked.status, outcome.sessionStatus, "apply a sandbox outcome to");
    return {
      source: "sandbox",
      sessionStatus: outcome.sessionStatus,
      resultStatus: outcome.result?.status ?? null,
      // The token stays readable (GET …/state, until its window ends) so a reloaded page can show
      // the outcome; every capture step refuses it because capture is no longer open.
      result: outcome.result
        ? { kind: "replace", result: outcome.result, mode: "sandbox", countryUsed: locked.country ?? "US" }
        : { kind: "none" },
      event: outcome.event,
    };
  }, now);
  if (verdict.kind === "erased") throw erasedSessionError("complete");
  return verdict.session;
}
