/** Owns organisation settings: their defaults and how stored overrides combine with them. */

export interface OrgSettings {
  capture_token_ttl_minutes: number;
  image_url_expiry_seconds: number;
  /** null returns every extracted field; a list returns only those. */
  api_pii_fields: string[] | null;
  data_retention_days: number | null;
  sensitive_data_retention_days: number | null;
  auto_redact_on_retention_expiry: boolean;
  /** Per fraud signal: ignore (not scored), flag (scored) or block (fails risk_assessment). */
  risk_signal_actions: Record<string, "ignore" | "flag" | "block">;
  /** Review cases need two reviewers: the first decision is a recommendation a different reviewer finalises. */
  dual_review: boolean;
}

export const DEFAULT_ORG_SETTINGS: Readonly<OrgSettings> = Object.freeze({
  capture_token_ttl_minutes: 20,
  image_url_expiry_seconds: 300,
  api_pii_fields: null,
  data_retention_days: null,
  sensitive_data_retention_days: null,
  auto_redact_on_retention_expiry: false,
  risk_signal_actions: {},
  dual_review: false,
});

/**
 * A change that brings erasure closer (a shorter `data_retention_days`, auto-redaction switched
 * on) waits out a grace period before it is in force, unless it was confirmed (issue #15). It is
 * stored beside the overrides, under this key, until it is due.
 */
export const PENDING_KEY = "pending_changes";

export interface PendingChange {
  value: unknown;
  /** ISO instant from which the value is in force. */
  effective_at: string;
}

export type PendingChanges = Record<string, PendingChange>;

/** The pending changes as stored; anything malformed is ignored (never applied). */
export function storedPendingChanges(stored: Record<string, unknown> | null | undefined): PendingChanges {
  const raw = stored?.[PENDING_KEY];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([name, change]) =>
      name in DEFAULT_ORG_SETTINGS && typeof change === "object" && change !== null &&
      !Number.isNaN(Date.parse(String((change as PendingChange).effective_at)))
    ),
  ) as PendingChanges;
}

export function isDue(change: PendingChange, now: Date): boolean {
  return Date.parse(change.effective_at) <= now.getTime();
}

/**
 * The settings in force. With `now`, pending changes due by then are in force too; without it
 * they are not, so a caller that has no clock keeps the longer retention (the safe side).
 */
export function resolveOrgSettings(stored: Record<string, unknown> | null | undefined, now?: Date): OrgSettings {
  const { [PENDING_KEY]: _pending, ...overrides } = stored ?? {};
  const settings: Record<string, unknown> = { ...DEFAULT_ORG_SETTINGS, ...overrides };
  if (now) {
    for (const [name, change] of Object.entries(storedPendingChanges(stored))) {
      if (isDue(change, now)) settings[name] = change.value ?? (DEFAULT_ORG_SETTINGS as Record<string, unknown>)[name];
    }
  }
  return settings as unknown as OrgSettings;
}
