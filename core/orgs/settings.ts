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

export function resolveOrgSettings(stored: Record<string, unknown> | null | undefined): OrgSettings {
  return { ...DEFAULT_ORG_SETTINGS, ...(stored ?? {}) } as OrgSettings;
}
