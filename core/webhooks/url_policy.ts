/**
 * Owns the SSRF guard for webhook URLs: which URLs an endpoint may have, and which addresses a
 * delivery may connect to. Checked when an endpoint is saved and again at every delivery (DNS can
 * change), on the addresses actually resolved — the connection is then pinned to them — so
 * redirects, IPv6 and decimal or octal IPv4 spellings cannot reach a private network.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Environment } from "../db/database.ts";
import { ipInCidr } from "../net/ip.ts";

/** Loopback, private, link-local (cloud metadata), shared, documentation, multicast and reserved ranges. */
const BLOCKED_RANGES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
  // IPv4-compatible (deprecated, includes :: and ::1) and SIIT-translated forms of IPv4.
  "::/96",
  "::ffff:0:0:0/96",
  "64:ff9b::/96",
  "64:ff9b:1::/48",
  "100::/64",
  "2001::/32",
  "2001:db8::/32",
  "2002::/16",
  "fc00::/7",
  "fe80::/10",
  "fec0::/10",
  "ff00::/8",
];

export function isPublicAddress(address: string): boolean {
  if (isIP(address) === 0) return false;
  return !BLOCKED_RANGES.some((range) => ipInCidr(address, range));
}

export class UrlPolicyError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "UrlPolicyError";
  }
}

export interface UrlPolicy {
  /** VERIFA_WEBHOOK_ALLOW_PRIVATE: development only. */
  allowPrivate: boolean;
}

/** The URL rules that need no DNS: scheme, credentials, and literal addresses. */
export function checkWebhookUrl(raw: string, environment: Environment, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlPolicyError("must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UrlPolicyError("must use https");
  if (environment === "live" && url.protocol !== "https:") {
    throw new UrlPolicyError("must use https for live endpoints");
  }
  if (url.username || url.password) throw new UrlPolicyError("must not contain credentials");
  if (raw.length > 2048) throw new UrlPolicyError("must be at most 2048 characters");
  // The WHATWG parser has already turned decimal, octal and hex IPv4 forms into dotted quads.
  const host = hostAddress(url);
  if (isIP(host) !== 0 && !policy.allowPrivate && !isPublicAddress(host)) {
    throw new UrlPolicyError("must not point to a private, loopback, link-local or reserved address");
  }
  return url;
}

/** The hostname without IPv6 brackets. */
export function hostAddress(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * The addresses to connect to: every address the name resolves to must be public (one private
 * answer is enough to refuse: an attacker controls which one a client would pick).
 */
export async function resolveDeliveryAddresses(url: URL, policy: UrlPolicy, resolve: Resolver): Promise<string[]> {
  const host = hostAddress(url);
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new UrlPolicyError(`host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new UrlPolicyError(`host ${host} does not resolve`);
  if (!policy.allowPrivate && !addresses.every(isPublicAddress)) {
    throw new UrlPolicyError("resolves to a private, loopback, link-local or reserved address");
  }
  return addresses;
}
