/** Owns the API versions we accept in `Verifa-Version` and on keys. */

export const CURRENT_API_VERSION = "2026-01-01";

/**
 * 2026-02-01 is the version Verifa Cloud's reference examples send; integrations copied from
 * them must keep working, and it has no behavioural difference from the current version.
 */
export const SUPPORTED_API_VERSIONS: readonly string[] = ["2026-01-01", "2026-02-01"];

export function isSupportedVersion(version: string): boolean {
  return SUPPORTED_API_VERSIONS.includes(version);
}
