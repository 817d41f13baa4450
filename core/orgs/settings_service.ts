/**
 * Owns changing an organisation's settings: the strict schema of a settings patch, how a patch
 * merges into the stored overrides (JSON merge patch, RFC 7396), the locked read-modify-write that
 * stores it, and the resolved view the API shows. Settings are org-wide: both environments read them.
 * A change that brings erasure closer waits out a grace period (RETENTION_GRACE_MS) unless the
 * request confirms it with `confirm_retention_reduction: true`; either way it is audited.
 */
import { z } from "zod";
import type { Db, DbOrTx } from "../db/create_db.ts";
import type { ExtractedData } from "../verification/extraction.ts";
import { HARD_BLOCK_SIGNALS, KNOWN_RISK_SIGNALS, SIGNAL_ACTIONS, type SignalAction } from "../risk/assessment.ts";
import { VERIFICATION_SIGNALS } from "../verification/checks/risk_assessment.ts";
import { notFound, validationError } from "../errors.ts";
import { snakeKeys } from "../casing.ts";
import { parseOrThrow, requireObject } from "../validation.ts";
import {
  DEFAULT_ORG_SETTINGS,
  isDue,
  type OrgSettings,
  PENDING_KEY,
  type PendingChanges,
  resolveOrgSettings,
  storedPendingChanges,
} from "./settings.ts";
import { appendAuditEvent, type AuditActor } from "../audit/log.ts";
import { forgetSessionDefaults } from "./session_defaults.ts";

/** The top-level `extracted_data` keys `api_pii_fields` may allow (filterPii filters on exactly these). */
export const API_PII_FIELDS = [
  "first_name",
  "middle_name",
  "last_name",
  "date_of_birth",
  "address",
  "document_number",
  "nationality",
  "gender",
  "ssn",
  "document_type",
  "document_expiration_date",
  "document_issuing_state",
  "document_issuing_country",
] as const;

// Compile-time guard: a key the extraction starts writing must be added above, or no org could allow it.
type UnlistedExtractedKey = Exclude<keyof ExtractedData, typeof API_PII_FIELDS[number]>;
const _everyExtractedKeyListed: [UnlistedExtractedKey] extends [never] ? true : never = true;

/** Every signal an organisation may give an action: what the risk assessment and the verification raise. */
export const RISK_SIGNAL_NAMES: readonly string[] = [...new Set([...KNOWN_RISK_SIGNALS, ...VERIFICATION_SIGNALS])];

function integerFrom(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

const retentionDays = integerFrom(1, 3650);

/**
 * A settings patch. Absent fields stay as they are; null removes the organisation's override, so
 * the setting is back at its default (for the nullable settings, null). `risk_signal_actions`
 * merges signal by signal, and a signal sent as null is back at its default action.
 */
export const settingsPatchSchema = z.strictObject({
  capture_token_ttl_minutes: integerFrom(5, 1440).nullable().optional(),
  image_url_expiry_seconds: integerFrom(60, 86400).nullable().optional(),
  api_pii_fields: z.array(
    z.enum(API_PII_FIELDS, { error: `must be one of ${API_PII_FIELDS.join(", ")}` }),
    { error: "must be a list of extracted_data fields, or null" },
  ).transform((fields) => [...new Set(fields)]).nullable().optional(),
  data_retention_days: retentionDays.nullable().optional(),
  sensitive_data_retention_days: retentionDays.nullable().optional(),
  auto_redact_on_retention_expiry: z.boolean({ error: "must be true or false" }).nullable().optional(),
  risk_signal_actions: z.record(
    z.string().refine((signal) => RISK_SIGNAL_NAMES.includes(signal)),
    z.enum(SIGNAL_ACTIONS, { error: `must be one of ${SIGNAL_ACTIONS.join(", ")}, or null` }).nullable(),
    {
      error: (issue) =>
        issue.code === "invalid_key" ? "is not a known risk signal" : "must be an object of signal name → action",
    },
  ).nullable().optional(),
  dual_review: z.boolean({ error: "must be true or false" }).nullable().optional(),
  // Not a setting: applies a change that brings erasure closer at once instead of after the grace.
  confirm_retention_reduction: z.boolean({ error: "must be true or false" }).optional(),
});

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** How long a change that brings erasure closer waits before it is in force, unless confirmed. */
export const RETENTION_GRACE_MS = 24 * 3600_000;

type SettingName = keyof OrgSettings;

/**
 * The settings whose change can make the retention sweep erase sooner, each with when `next`
 * (the value a patch would put in force) does so compared to `current`.
 */
type Hastens = (current: unknown, next: unknown) => boolean;
const HASTENS_ERASURE: Partial<Record<SettingName, Hastens>> = {
  data_retention_days: (current, next) => next !== null && (current === null || Number(next) < Number(current)),
  auto_redact_on_retention_expiry: (current, next) => next === true && current !== true,
};

/** The org's settings in force at `now`, and the changes still waiting for their grace to end. */
export interface SettingsView {
  settings: OrgSettings;
  pending: PendingChanges;
}

/**
 * Validates a request body as a settings patch. Field names may come in any casing; the keys of
 * `risk_signal_actions` are signal names and are kept as sent.
 */
export function parseSettingsPatch(body: unknown): SettingsPatch {
  return parseOrThrow(settingsPatchSchema, snakeKeys(requireObject(body)));
}

/** One level of merge patch: keys sent replace, keys sent as null are removed, others stay. */
function mergeLevel(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  // A Map, not an object, so a key such as "__proto__" stays an ordinary key.
  const merged = new Map(Object.entries(base));
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** The stored overrides after a patch; an emptied risk_signal_actions is dropped like any reset. */
function mergeSettings(stored: Record<string, unknown>, patch: SettingsPatch): Record<string, unknown> {
  const { risk_signal_actions: actionsPatch, ...rest } = patch;
  const merged = mergeLevel(stored, rest);
  if (actionsPatch === undefined) return merged;
  const actions = actionsPatch === null ? {} : mergeLevel(asObject(stored.risk_signal_actions), actionsPatch);
  return mergeLevel(merged, { risk_signal_actions: Object.keys(actions).length ? actions : null });
}

/** The sensitive window ends before (or with) full deletion; checked on the merged result, naming a field sent. */
function assertRetentionOrder(settings: OrgSettings, patch: SettingsPatch): void {
  const { data_retention_days: all, sensitive_data_retention_days: sensitive } = settings;
  if (all === null || sensitive === null || sensitive <= all) return;
  if (patch.sensitive_data_retention_days !== undefined) {
    throw validationError({ sensitive_data_retention_days: `must not exceed data_retention_days (${all})` });
  }
  throw validationError({ data_retention_days: `must be at least sensitive_data_retention_days (${sensitive})` });
}

/** The stored overrides with every pending change due by `now` folded in, and those still pending. */
function settle(
  stored: Record<string, unknown>,
  now: Date,
): { overrides: Record<string, unknown>; pending: PendingChanges } {
  const { [PENDING_KEY]: _pending, ...rest } = stored;
  const due: Record<string, unknown> = {};
  const pending: PendingChanges = {};
  for (const [name, change] of Object.entries(storedPendingChanges(stored))) {
    if (isDue(change, now)) due[name] = change.value;
    else pending[name] = change;
  }
  return { overrides: mergeLevel(rest, due), pending };
}

/** The settings in force at `now` and what is still pending (GET /settings, the dashboard page). */
export async function getSettingsView(db: DbOrTx, orgId: string, now: Date): Promise<SettingsView> {
  const row = await db.selectFrom("organizations").select("settings").where("id", "=", orgId).executeTakeFirst();
  if (!row) throw notFound("Organisation");
  const { overrides, pending } = settle(asObject(row.settings), now);
  return { settings: resolveOrgSettings(overrides), pending };
}

/** Who asks for a change, for the audit rows of retention changes. */
export interface SettingsChangeBy {
  actor: AuditActor;
  requestId?: string | null;
}

/**
 * Applies a patch to the organisation's stored overrides. The row is locked for the
 * read-modify-write, so two concurrent patches of different fields both survive. The lock is
 * FOR NO KEY UPDATE: an audit append elsewhere (whose row references the organisation) takes
 * KEY SHARE while holding the chain's advisory lock, which this transaction also takes. A change that
 * brings erasure closer is stored as pending, in force from now + RETENTION_GRACE_MS, unless
 * `confirm_retention_reduction` is true; both cases write an audit row saying when it takes
 * effect. A new value sent for a setting replaces whatever was pending for it.
 */
export async function updateOrgSettings(
  db: Db,
  orgId: string,
  patch: SettingsPatch,
  now: Date,
  by: SettingsChangeBy,
): Promise<SettingsView> {
  return await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom("organizations").select("settings").where("id", "=", orgId).forNoKeyUpdate()
      .executeTakeFirst();
    if (!row) throw notFound("Organisation");
    const { overrides, pending } = settle(asObject(row.settings), now);
    const current = resolveOrgSettings(overrides);
    const { confirm_retention_reduction: confirmed, ...fields } = patch;
    const immediate: SettingsPatch = { ...fields };
    const audits: { action: string; details: Record<string, unknown> }[] = [];
    for (const [name, hastens] of Object.entries(HASTENS_ERASURE) as [SettingName, Hastens][]) {
      const sent = fields[name as keyof typeof fields];
      if (sent === undefined) continue;
      const waiting = pending[name];
      delete pending[name];
      const next = sent ?? DEFAULT_ORG_SETTINGS[name];
      if (!hastens(current[name], next)) continue;
      const change = { setting: name, from: current[name], to: next };
      // The same change sent again (a PATCH repeated, the dashboard form saved as shown) keeps its grace.
      if (!confirmed && waiting && waiting.value === sent) {
        delete immediate[name as keyof typeof immediate];
        pending[name] = waiting;
        continue;
      }
      if (confirmed) {
        audits.push({ action: "settings.retention_change_confirmed", details: { ...change, effective_at: now } });
        continue;
      }
      const effectiveAt = new Date(now.getTime() + RETENTION_GRACE_MS).toISOString();
      delete immediate[name as keyof typeof immediate];
      pending[name] = { value: sent, effective_at: effectiveAt };
      audits.push({ action: "settings.retention_change_scheduled", details: { ...change, effective_at: effectiveAt } });
    }
    const stored = mergeSettings(overrides, immediate);
    if (Object.keys(pending).length) stored[PENDING_KEY] = pending;
    const resolved = resolveOrgSettings(stored);
    // Checked as in force now and as it will be once everything pending is in force.
    assertRetentionOrder(resolved, patch);
    assertRetentionOrder(resolveOrgSettings(stored, new Date(8.64e15)), patch);
    await tx.updateTable("organizations").set({ settings: JSON.stringify(stored), updated_at: now })
      .where("id", "=", orgId).execute();
    forgetSessionDefaults(orgId);
    for (const audit of audits) {
      await appendAuditEvent(tx, {
        orgId,
        environment: null,
        actor: by.actor,
        action: audit.action,
        targetType: "settings",
        targetId: orgId,
        details: audit.details,
        requestId: by.requestId ?? null,
      }, now);
    }
    return { settings: resolved, pending };
  });
}

/**
 * The settings as the API shows them: every known signal with the action it gets — the org's own,
 * else the default (block for the hard-block signals, flag for the rest).
 */
export function toSettingsDto(view: SettingsView): OrgSettings & { pending_changes: PendingChanges } {
  const { settings, pending } = view;
  const defaults: Record<string, SignalAction> = Object.fromEntries(
    RISK_SIGNAL_NAMES.map((signal) => [signal, HARD_BLOCK_SIGNALS.has(signal) ? "block" : "flag"]),
  );
  return {
    ...settings,
    risk_signal_actions: { ...defaults, ...settings.risk_signal_actions },
    pending_changes: pending,
  };
}
