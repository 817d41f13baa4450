/**
 * Owns HMAC-signed, expiring URLs (document downloads): the first signing key signs, every key
 * verifies, and the signature binds the resource and the expiry so neither can be changed.
 */
import type { KeyEntry } from "../config.ts";
import { constantTimeEqual, hmacHex } from "./hmac.ts";

export interface SignedParams {
  expires: number;
  sig: string;
}

/** `resource` names exactly what the URL grants, e.g. "ses_…/id_front/full". */
export function signResource(keys: readonly KeyEntry[], resource: string, expiresUnix: number): SignedParams {
  const primary = keys[0];
  return { expires: expiresUnix, sig: `${primary.id}.${hmacHex(primary.key, `${resource}\n${expiresUnix}`)}` };
}

export type SignatureCheck = "valid" | "invalid" | "expired";

export function verifyResource(
  keys: readonly KeyEntry[],
  resource: string,
  expiresRaw: string | undefined,
  sig: string | undefined,
  nowUnix: number,
): SignatureCheck {
  if (!expiresRaw || !/^\d{1,12}$/.test(expiresRaw) || !sig) return "invalid";
  const [keyId, mac] = sig.split(".", 2);
  const key = keys.find((k) => k.id === keyId);
  if (!key || !mac || !constantTimeEqual(mac, hmacHex(key.key, `${resource}\n${expiresRaw}`))) return "invalid";
  // Checked after the signature, so an attacker learns nothing about expiry from a forged URL.
  return Number(expiresRaw) <= nowUnix ? "expired" : "valid";
}
