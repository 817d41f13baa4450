/**
 * Owns the identity rules the API applies one identity at a time: create a stub, patch (personal
 * data re-encrypted, indexes recomputed), archive and restore, flag and unflag, tags, erasure,
 * and presenting rows as identity objects. Each change and its outbox event commit together.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { IdentityRow } from "../db/database.ts";
import type { Principal, Scope } from "../orgs/api_keys.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import { AppError, validationError } from "../errors.ts";
import { parseOrThrow } from "../validation.ts";
import { MAX_TAGS } from "../sessions/service.ts";
import { type IdentityDto, toIdentityDto } from "./dto.ts";
import { eraseIdentityEventTags, recordIdentityEvent } from "./events.ts";
import { customFieldsSchema, type IdentityPatch } from "./input.ts";
import { applyPiiPatch, PII_TEXT_FIELDS, type PiiPatch, readPii, REDACTED_PII, writePii } from "./pii.ts";
import { findIdentity, lockOrCreateIdentity, resultsBySession, updateIdentityRow } from "./repository.ts";
import { assertIdentityTransition, assertWritable } from "./status.ts";
import type { AuditActor } from "../audit/log.ts";
import {
  auditRowsNaming,
  legalHoldError,
  redactSession,
  type ReplayedErasure,
  type RetainedCopies,
} from "../privacy/redaction.ts";
import { recordErasure } from "../privacy/erasure_ledger.ts";

/** Rows as the API shows them: the org's PII allowlist and each latest session's decision, in two queries. */
export async function presentIdentities(
  deps: CoreDeps,
  db: DbOrTx,
  scope: Scope,
  rows: IdentityRow[],
): Promise<IdentityDto[]> {
  const [settings, results] = await Promise.all([
    getOrgSettings(db, scope.orgId),
    resultsBySession(db, scope, rows.map((row) => row.latest_session_id)),
  ]);
  return rows.map((row) => toIdentityDto(row, { keyRing: deps.keyRing, settings, results }));
}

export async function presentIdentity(deps: CoreDeps, scope: Scope, row: IdentityRow): Promise<IdentityDto> {
  return (await presentIdentities(deps, deps.db, scope, [row]))[0];
}

/** Runs `change` on the identity locked for the rest of the transaction. */
export async function withLockedIdentity<T>(
  deps: CoreDeps,
  scope: Scope,
  idOrRef: string,
  change: (tx: DbOrTx, identity: IdentityRow, now: Date) => Promise<T>,
): Promise<T> {
  return await deps.db.transaction().execute(async (tx) => {
    const identity = await findIdentity(tx, scope, idOrRef, { forUpdate: true });
    return await change(tx, identity, deps.clock());
  });
}

/** 409 when the external_ref is taken, unless `upsert`, which hands back the existing identity. */
export async function createIdentityStub(
  deps: CoreDeps,
  scope: Scope,
  input: { external_ref: string; upsert?: boolean },
): Promise<{ identity: IdentityRow; created: boolean }> {
  return await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock();
    const { identity, created } = await lockOrCreateIdentity(tx, scope, input.external_ref, now);
    if (!created && !input.upsert) {
      throw new AppError("conflict", `An identity with external_ref "${input.external_ref}" already exists.`);
    }
    if (created) await recordIdentityEvent(tx, scope, identity, "identity.created", { source: "api" }, now);
    return { identity, created };
  });
}

const PII_PATCH_KEYS: readonly string[] = [
  ...PII_TEXT_FIELDS,
  "address_line1",
  "address_line2",
  "city",
  "state",
  "zip_code",
];

export async function updateIdentity(
  deps: CoreDeps,
  scope: Scope,
  idOrRef: string,
  patch: IdentityPatch,
): Promise<IdentityRow> {
  return await withLockedIdentity(deps, scope, idOrRef, async (tx, identity, now) => {
    assertWritable(identity, "update");
    const changed = Object.keys(patch).filter((key) => patch[key as keyof IdentityPatch] !== undefined).sort();
    if (changed.length === 0) return identity;
    if (patch.status) assertIdentityTransition(identity.status, patch.status, `set status "${patch.status}" on`);
    const piiPatch = Object.fromEntries(Object.entries(patch).filter(([key]) => PII_PATCH_KEYS.includes(key)));
    const pii = Object.keys(piiPatch).length
      ? writePii(
        deps.keyRing,
        deps.indexKey,
        identity.id,
        applyPiiPatch(readPii(deps.keyRing, identity), piiPatch as PiiPatch),
      )
      : {};
    let customFields: Record<string, unknown> | undefined;
    if (patch.custom_fields) {
      // A Map, not an object: a customer key such as "__proto__" must stay an ordinary key.
      const entries = new Map(Object.entries(identity.custom_fields));
      for (const [key, value] of Object.entries(patch.custom_fields)) {
        if (value === null) entries.delete(key);
        else entries.set(key, value);
      }
      customFields = parseOrThrow(customFieldsSchema, { custom_fields: Object.fromEntries(entries) }).custom_fields;
    }
    const updated = await updateIdentityRow(tx, scope, identity.id, {
      ...pii,
      ...(patch.external_ref !== undefined ? { external_ref: patch.external_ref } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.country !== undefined ? { country: patch.country } : {}),
      ...(customFields ? { custom_fields: JSON.stringify(customFields) } : {}),
      updated_at: now,
    });
    await recordIdentityEvent(tx, scope, updated, "identity.updated", { changed }, now);
    return updated;
  });
}

/** Soft: excluded from lists unless `include_archived`. Archiving twice changes nothing. */
export async function archiveIdentity(deps: CoreDeps, scope: Scope, idOrRef: string): Promise<IdentityRow> {
  return await withLockedIdentity(deps, scope, idOrRef, async (tx, identity, now) => {
    assertWritable(identity, "archive");
    if (identity.archived_at) return identity;
    const updated = await updateIdentityRow(tx, scope, identity.id, { archived_at: now, updated_at: now });
    await recordIdentityEvent(tx, scope, updated, "identity.archived", {}, now);
    return updated;
  });
}

export async function restoreIdentity(deps: CoreDeps, scope: Scope, idOrRef: string): Promise<IdentityRow> {
  return await withLockedIdentity(deps, scope, idOrRef, async (tx, identity, now) => {
    assertWritable(identity, "restore");
    if (!identity.archived_at) return identity;
    const updated = await updateIdentityRow(tx, scope, identity.id, { archived_at: null, updated_at: now });
    await recordIdentityEvent(tx, scope, updated, "identity.restored", {}, now);
    return updated;
  });
}

/** The reason is the operator's free text, so it stays on the record and out of the event. */
export async function flagIdentity(
  deps: CoreDeps,
  principal: Principal,
  idOrRef: string,
  reason: string,
): Promise<IdentityRow> {
  return await withLockedIdentity(deps, principal, idOrRef, async (tx, identity, now) => {
    assertWritable(identity, "flag");
    const updated = await updateIdentityRow(tx, principal, identity.id, {
      is_flagged: true,
      flag_reason: reason,
      flagged_at: now,
      flagged_by: principal.keyId,
      updated_at: now,
    });
    await recordIdentityEvent(tx, principal, updated, "identity.flagged", { flagged_by: principal.keyId }, now);
    return updated;
  });
}

export async function unflagIdentity(deps: CoreDeps, scope: Scope, idOrRef: string): Promise<IdentityRow> {
  return await withLockedIdentity(deps, scope, idOrRef, async (tx, identity, now) => {
    assertWritable(identity, "unflag");
    if (!identity.is_flagged) return identity;
    const updated = await updateIdentityRow(tx, scope, identity.id, {
      is_flagged: false,
      flag_reason: null,
      flagged_at: null,
      flagged_by: null,
      updated_at: now,
    });
    await recordIdentityEvent(tx, scope, updated, "identity.updated", { changed: ["is_flagged"] }, now);
    return updated;
  });
}

export type TagOperation = "add" | "remove" | "set";

/** Tags are de-duplicated, at most MAX_TAGS; each tag that appears or disappears is reported once. */
export async function changeIdentityTags(
  deps: CoreDeps,
  scope: Scope,
  idOrRef: string,
  operation: TagOperation,
  tags: string[],
): Promise<IdentityRow> {
  return await withLockedIdentity(deps, scope, idOrRef, async (tx, identity, now) => {
    assertWritable(identity, "tag");
    const next = operation === "add"
      ? [...new Set([...identity.tags, ...tags])]
      : operation === "remove"
      ? identity.tags.filter((tag) => !tags.includes(tag))
      : [...new Set(tags)];
    if (next.length > MAX_TAGS) throw validationError({ tags: `must have at most ${MAX_TAGS} tags` });
    const added = next.filter((tag) => !identity.tags.includes(tag));
    const removed = identity.tags.filter((tag) => !next.includes(tag));
    if (added.length === 0 && removed.length === 0) return identity;
    const updated = await updateIdentityRow(tx, scope, identity.id, { tags: next, updated_at: now });
    if (added.length) await recordIdentityEvent(tx, scope, updated, "identity.tag-added", { tags: added }, now);
    if (removed.length) await recordIdentityEvent(tx, scope, updated, "identity.tag-removed", { tags: removed }, now);
    return updated;
  });
}

/**
 * GDPR erasure: personal data, search digests and everything free-form (custom fields, tags, the
 * flag's reason, the document country) go; the id, status, external_ref and timestamps stay for
 * audit. A second call reports `already_redacted` and changes nothing. A legal hold refuses.
 */
export async function redactIdentityInTx(
  tx: DbOrTx,
  scope: Scope,
  identity: IdentityRow,
  now: Date,
  details: Record<string, unknown> = {},
  replay?: ReplayedErasure,
): Promise<IdentityRow> {
  if (identity.legal_hold && !replay) {
    throw new AppError("legal_hold", "This identity is under legal hold; release the hold before erasing it.");
  }
  assertIdentityTransition(identity.status, "redacted", "redact");
  const updated = await updateIdentityRow(tx, scope, identity.id, {
    ...REDACTED_PII,
    status: "redacted",
    custom_fields: JSON.stringify({}),
    tags: [],
    flag_reason: null,
    country: null,
    redacted_at: now,
    updated_at: now,
  });
  await eraseIdentityEventTags(tx, scope, identity.id, now);
  await recordIdentityEvent(tx, scope, updated, "identity.updated", { changed: ["status"], ...details }, now);
  return updated;
}

/**
 * Erasing a person erases their sessions too (documents, face templates, results: the same
 * redaction as DELETE /sessions/{id}/data), then the identity record. A hold on the identity or on
 * any of its sessions refuses the whole erasure before anything changes. Sessions go first, each
 * in its own transaction, so an interrupted erasure leaves the identity unredacted and a repeat
 * finishes it (already-redacted sessions are skipped).
 */
export async function redactIdentity(
  deps: CoreDeps,
  scope: Scope,
  idOrRef: string,
  actor: AuditActor,
  options: { replay?: ReplayedErasure } = {},
): Promise<{ identity: IdentityRow; alreadyRedacted: boolean; sessionsRedacted: number; retained: RetainedCopies }> {
  const found = await findIdentity(deps.db, scope, idOrRef);
  let sessionsRedacted = 0;
  const retainedItems: RetainedCopies["list_items"] = [];
  const replay = options.replay;
  if (found.status !== "redacted") {
    // A replayed erasure (restore) happened when no hold was in force, whatever the snapshot says.
    if (found.legal_hold && !replay) {
      throw new AppError("legal_hold", "This identity is under legal hold; release the hold before erasing it.");
    }
    const sessions = await deps.db.selectFrom("sessions").select(["id", "legal_hold"])
      .where("identity_id", "=", found.id).where("org_id", "=", scope.orgId)
      .where("environment", "=", scope.environment).where("retention_status", "<>", "redacted")
      .orderBy("created_at").execute();
    const held = sessions.find((s) => s.legal_hold);
    if (held && !replay) throw legalHoldError(held.id, "session");
    // Outside the database, before anything is erased: a restore of an older backup erases again.
    if (!replay) {
      await recordErasure(deps.blobs, {
        kind: "identity",
        org_id: scope.orgId,
        environment: scope.environment,
        id: found.id,
        erased_at: deps.clock().toISOString(),
        reason: "identity",
      });
    }
    for (const session of sessions) {
      const receipt = await redactSession(deps, scope, session.id, actor, replay ? "restore" : "identity", { replay });
      if (receipt.status === "legal_hold") throw legalHoldError(session.id, "session");
      if (receipt.status === "deleted") sessionsRedacted++;
      retainedItems.push(...receipt.retained.list_items);
    }
  }
  const outcome = await withLockedIdentity(deps, scope, idOrRef, async (tx, identity, now) => {
    if (identity.status === "redacted") return { identity, alreadyRedacted: true };
    const details = replay ? { replayed: replay } : {};
    return { identity: await redactIdentityInTx(tx, scope, identity, now, details, replay), alreadyRedacted: false };
  });
  // The person's receipt: what their sessions' erasures kept, and every audit row naming their
  // external_ref (the hash chain keeps them; since #15 an e-mail-shaped one is only a pseudonym).
  const auditRows = found.external_ref ? await auditRowsNaming(deps.db, scope, found.external_ref) : 0;
  return { ...outcome, sessionsRedacted, retained: { list_items: retainedItems, audit_log_rows: auditRows } };
}
