/**
 * Owns the Principal a dashboard action hands to core services that expect an API caller (such as
 * createSession): the operator's org and environment, acting as themselves, with no API key minted.
 */
import type { Principal } from "../../core/orgs/api_keys.ts";
import { CURRENT_API_VERSION } from "../../core/versioning.ts";
import { type Operator, operatorScope } from "./env.ts";

/**
 * `keyId` carries the operator's user id (prefixed `usr_`, never a `key_` id), so a session's
 * `api_key_id` records who created it from the dashboard. The scopes name only what `scopes`
 * lists; callers still check `roleAllows` before acting.
 */
export function operatorPrincipal(operator: Operator, scopes: string[]): Principal {
  return {
    ...operatorScope(operator),
    keyId: operator.userId,
    kind: "secret",
    keyPrefix: "dashboard",
    scopes,
    apiVersion: CURRENT_API_VERSION,
    defaultKeyInflection: "snake",
    rateLimitPerMinute: 0,
    allowedIps: null,
    allowedOrigins: null,
  };
}
