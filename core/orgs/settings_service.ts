/**
 * Owns changing an organisation's settings: the strict schema of a settings patch, how a patch
 * merges into the stored overrides (JSON merge patch, RFC 7396), the locked read-modify-write that
 * stores it, and the resolved view the API shows. Settings are org-wide: both environments read them.
 */
import { z } from "zod";
import type { Db } from "../db/create_db.ts";
import type { ExtractedData } from "../verification/extraction.ts";
import { HARD_BLOCK_SIGNALS, KNOWN_RISK_SIGNALS, SIGNAL_ACTIONS, type SignalAction } from "../risk/assessment.ts";
import { VERIFICATION_SIGNALS } from "../verification/checks/risk_assessment.ts";
import { notFound, validationError } from "../errors.ts";
import { snakeKeys } from "../casing.ts";
import { parseOrThrow, requireObject } from "../validation.ts";
import { type OrgSettings, resolveOrgSettings } from "./settings.ts";

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
const settingsPatchSchema = z.strictObject({
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
});

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

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

/**
 * Applies a patch to the organisation's stored overrides. The row is locked for the
 * read-modify-write, so two concurrent patches of different fields both survive.
 */
export async function updateOrgSettings(db: Db, orgId: string, patch: SettingsPatch, now: Date): Promise<OrgSettings> {
  return await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom("organizations").select("settings").where("id", "=", orgId).forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound("Organisation");
    const stored = mergeSettings(asObject(row.settings), patch);
    const resolved = resolveOrgSettings(stored);
    assertRetentionOrder(resolved, patch);
    await tx.updateTable("organizations").set({ settings: JSON.stringify(stored), updated_at: now })
      .where("id", "=", orgId).execute();
    return resolved;
  });
}

/**
 * The settings as the API shows them: every known signal with the action it gets — the org's own,
 * else the default (block for the hard-block signals, flag for the rest).
 */
export function toSettingsDto(settings: OrgSettings): OrgSettings {
  const defaults: Record<string, SignalAction> = Object.fromEntries(
    RISK_SIGNAL_NAMES.map((signal) => [signal, HARD_BLOCK_SIGNALS.has(signal) ? "block" : "flag"]),
  );
  return { ...settings, risk_signal_actions: { ...defaults, ...settings.risk_signal_actions } };
}
