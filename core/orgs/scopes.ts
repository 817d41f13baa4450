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
] as const;

export const ALL_SCOPES: readonly string[] = [...DEFAULT_SCOPES, ...OPT_IN_SCOPES];
export const PUBLISHABLE_SCOPES: readonly string[] = ["sessions:create"];

/**
 * A newer, narrower scope is also satisfied by the broader scope it was split from, so keys
 * minted before the split keep working.
 */
const IMPLIED_BY: Record<string, string[]> = {
  "sessions:create": ["sessions:write"],
  "cases:decide": ["cases:write"],
  "workflows:trigger": ["workflows:write"],
  "settings:write": ["documents:write"],
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
