/** Owns the scope catalogue: which scopes exist, which a new key gets, and which legacy scope implies which. */

export const DEFAULT_SCOPES = [
  "sessions:read",
  "sessions:create",
  "sessions:write",
  "verifications:read",
  "identities:read",
] as const;

/** Opt-in scopes: management and destructive operations must be granted explicitly. */
export const OPT_IN_SCOPES = [
  "identities:write",
  "cases:read",
  "cases:decide",
  "cases:write",
  "cases:delegate",
  "workflows:read",
  "workflows:write",
  "workflows:trigger",
  "webhooks:read",
  "webhooks:write",
  "lists:read",
  "lists:write",
  "documents:write",
  "settings:read",
  "settings:write",
  "redact:write",
  "events:read",
  "api_keys:read",
  "api_keys:write",
  // Setting and releasing a legal hold: never implied by sessions:write or identities:write,
  // since a release re-opens the data to erasure.
  "legal_hold:write",
] as const;

export const ALL_SCOPES: readonly string[] = [...DEFAULT_SCOPES, ...OPT_IN_SCOPES];
export const PUBLISHABLE_SCOPES: readonly string[] = ["sessions:create"];

/**
 * What the starter secret keys (`deno task start`, `create-org`) get: the default scopes, which are
 * all the README tutorial needs (create a session, simulate its outcome, read the result). Never
 * every scope: a key that ships in a quick start must not be able to change org-wide settings,
 * mint keys or erase data; narrower and management keys are minted on purpose (dashboard,
 * `deno task create-api-key`).
 */
export const STARTER_SCOPES: readonly string[] = [...DEFAULT_SCOPES];

/**
 * A newer, narrower scope is also satisfied by the broader scope it was split from, so keys
 * minted before the split keep working. settings:write is not: the old `documents:write` alias
 * let a document-upload key rewrite retention, redaction and review settings (issue #15).
 */
const IMPLIED_BY: Record<string, string[]> = {
  "sessions:create": ["sessions:write"],
  "cases:decide": ["cases:write"],
  "workflows:trigger": ["workflows:write"],
  "api_keys:read": ["api_keys:write"],
  "webhooks:read": ["webhooks:write"],
  "lists:read": ["lists:write"],
  "workflows:read": ["workflows:write"],
  "cases:read": ["cases:write", "cases:decide"],
  "settings:read": ["settings:write"],
};

export function hasScope(granted: readonly string[], needed: string): boolean {
  return granted.includes(needed) || (IMPLIED_BY[needed] ?? []).some((s) => granted.includes(s));
}
