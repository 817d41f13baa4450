/**
 * Owns merging identities found to be one person: the preview (what the primary would become and
 * which personal fields disagree) and the merge itself, which re-points the secondaries' sessions,
 * folds their tags, custom fields, flag and missing personal data into the primary, and leaves
 * each secondary `merged` (or erased) with `merged_into`. Only within one org and environment.
 * A secondary under legal hold merges only into a held primary (409 legal_hold otherwise), so no
 * held session ever ends up under an unheld identity.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { IdentityRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, validationError } from "../errors.ts";
import { MAX_TAGS } from "../sessions/service.ts";
import { recordIdentityEvent } from "./events.ts";
import { customFieldsSchema, type MergeInput } from "./input.ts";
import { parseOrThrow } from "../validation.ts";
import { differingFields, foldPii, readPii, writePii } from "./pii.ts";
import { findIdentity, lockIdentities, moveSessions, refreshSessionCount, updateIdentityRow } from "./repository.ts";
import { redactIdentityInTx } from "./service.ts";
import { assertWritable } from "./status.ts";

interface MergePlan {
  primary: IdentityRow;
  secondaries: IdentityRow[];
  tags: string[];
  conflictingFields: string[];
}

const earliest = (dates: (Date | null)[]) =>
  dates.filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
const latest = (dates: (Date | null)[]) =>
  dates.filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;

/**
 * Resolves and checks the identities (locked when `lock`). Another org's or environment's
 * identity is not found (404), as everywhere; redacted or merged ones cannot take part (409).
 */
async function planMerge(
  deps: CoreDeps,
  tx: DbOrTx,
  scope: Scope,
  input: MergeInput,
  lock: boolean,
): Promise<MergePlan> {
  const refs = [input.primary_identity_id, ...(input.secondary_identity_ids ?? [input.secondary_identity_id!])];
  const resolved = await Promise.all(refs.map((ref) => findIdentity(tx, scope, ref)));
  const ids = resolved.map((row) => row.id);
  if (new Set(ids).size !== ids.length) {
    throw validationError({ secondary_identity_id: "must name identities other than the primary, each once" });
  }
  const rows = lock ? await lockIdentities(tx, scope, ids) : resolved;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const [primary, ...secondaries] = ids.map((id) => byId.get(id)!);
  assertWritable(primary, "merge into");
  for (const secondary of secondaries) {
    if (secondary.status === "redacted" || secondary.status === "merged") {
      throw new AppError("conflict", `Identity ${secondary.id} is ${secondary.status} and cannot be merged.`);
    }
    if (input.redact_secondary && secondary.legal_hold) {
      throw new AppError("conflict", `Identity ${secondary.id} is under legal hold and cannot be erased.`);
    }
    // Its sessions would move to an unheld identity, where retention would erase them (issue #15).
    // Refused rather than carried over: a hold is placed on purpose, never widened by a merge.
    if (secondary.legal_hold && !primary.legal_hold) {
      throw new AppError(
        "legal_hold",
        `Identity ${secondary.id} is under legal hold: merging it into ${primary.id}, which is not, would lift the hold ` +
          "from its sessions. Release the hold first (POST /identities/{id}/legal-hold/release), or merge into a held identity.",
      );
    }
  }
  const tags = [...new Set([primary, ...secondaries].flatMap((row) => row.tags))];
  if (tags.length > MAX_TAGS) {
    throw validationError({ tags: `the merged identity would have more than ${MAX_TAGS} tags` });
  }
  const primaryPii = readPii(deps.keyRing, primary);
  const conflictingFields = [
    ...new Set(secondaries.flatMap((row) => differingFields(primaryPii, readPii(deps.keyRing, row)))),
  ].sort();
  return { primary, secondaries, tags, conflictingFields };
}

export async function previewMerge(deps: CoreDeps, scope: Scope, input: MergeInput) {
  const plan = await planMerge(deps, deps.db, scope, input, false);
  const all = [plan.primary, ...plan.secondaries];
  return {
    primary: plan.primary,
    secondaries: plan.secondaries,
    result: {
      session_count: all.reduce((sum, row) => sum + row.session_count, 0),
      tags: plan.tags,
      is_flagged: all.some((row) => row.is_flagged),
      first_verified_at: earliest(all.map((row) => row.first_verified_at))?.toISOString() ?? null,
      last_verified_at: latest(all.map((row) => row.last_verified_at))?.toISOString() ?? null,
    },
    conflicting_fields: plan.conflictingFields,
  };
}

/**
 * The primary keeps its own status, personal data and latest verification; a secondary only
 * fills what the primary lacks (a stub primary takes the most recent secondary's verification).
 */
export async function mergeIdentities(
  deps: CoreDeps,
  scope: Scope,
  input: MergeInput,
): Promise<{ primary: IdentityRow; secondaries: IdentityRow[] }> {
  return await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock();
    const { primary, secondaries, tags } = await planMerge(deps, tx, scope, input, true);
    const all = [primary, ...secondaries];
    let pii = readPii(deps.keyRing, primary);
    const merged: IdentityRow[] = [];
    for (const secondary of secondaries) {
      pii = foldPii(pii, readPii(deps.keyRing, secondary), false);
      await moveSessions(tx, scope, secondary.id, primary.id);
      await refreshSessionCount(tx, scope, secondary.id);
      const pointer = await updateIdentityRow(tx, scope, secondary.id, {
        status: "merged",
        merged_into: primary.id,
        merged_at: now,
        updated_at: now,
      });
      await recordIdentityEvent(tx, scope, pointer, "identity.updated", { merged_into: primary.id }, now);
      merged.push(input.redact_secondary ? await redactIdentityInTx(tx, scope, pointer, now) : pointer);
    }
    await refreshSessionCount(tx, scope, primary.id);
    const source = primary.latest_session_id ? primary : secondaries.filter((row) => row.latest_session_id)
      .sort((a, b) => b.updated_at.getTime() - a.updated_at.getTime())[0] ?? primary;
    const flagged = all.find((row) => row.is_flagged);
    // The primary's keys win; fromEntries defines keys, so a "__proto__" key stays a key.
    const customFields = parseOrThrow(customFieldsSchema, {
      custom_fields: Object.fromEntries(all.toReversed().flatMap((row) => Object.entries(row.custom_fields))),
    }).custom_fields;
    const updated = await updateIdentityRow(tx, scope, primary.id, {
      ...writePii(deps.keyRing, deps.indexKey, primary.id, pii),
      tags,
      custom_fields: JSON.stringify(customFields),
      country: primary.country ?? secondaries.find((row) => row.country)?.country ?? null,
      status: source.status,
      latest_session_id: source.latest_session_id,
      first_verified_at: earliest(all.map((row) => row.first_verified_at)),
      last_verified_at: latest(all.map((row) => row.last_verified_at)),
      is_flagged: flagged !== undefined,
      flag_reason: flagged?.flag_reason ?? null,
      flagged_at: flagged?.flagged_at ?? null,
      flagged_by: flagged?.flagged_by ?? null,
      updated_at: now,
    });
    await recordIdentityEvent(tx, scope, updated, "identity.updated", {
      merged_ids: secondaries.map((row) => row.id),
    }, now);
    return { primary: updated, secondaries: merged };
  });
}
