/** Owns IP address parsing and CIDR matching for key allowlists (and, later, the SSRF guard). */
import { isIP } from "node:net";

/** IPv4 addresses are mapped into IPv6 (::ffff:a.b.c.d) so one comparison covers both families. */
export function ipToBigInt(address: string): bigint | null {
  const kind = isIP(address);
  if (kind === 4) return 0xffff00000000n | ipv4ToBigInt(address);
  if (kind !== 6) return null;
  let text = address.toLowerCase();
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: bigint | null = null;
  if (v4Tail) {
    tail = ipv4ToBigInt(v4Tail[1]);
    text = text.slice(0, -v4Tail[1].length) + "0:0";
  }
  const [head, rest] = text.split("::");
  const headParts = head ? head.split(":") : [];
  const restParts = rest !== undefined && rest !== "" ? rest.split(":") : [];
  const missing = 8 - headParts.length - restParts.length;
  const groups = rest === undefined ? headParts : [...headParts, ...Array(missing).fill("0"), ...restParts];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(parseInt(group || "0", 16));
  if (tail !== null) value = (value & ~0xffffffffn) | tail;
  return value;
}

function ipv4ToBigInt(address: string): bigint {
  return address.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

export function isValidCidr(cidr: string): boolean {
  return parseCidr(cidr) !== null;
}

function parseCidr(cidr: string): { base: bigint; bits: number } | null {
  const [address, prefix] = cidr.split("/");
  const base = ipToBigInt(address);
  if (base === null) return null;
  const v4 = isIP(address) === 4;
  const max = v4 ? 32 : 128;
  const length = prefix === undefined ? max : Number(prefix);
  if (!Number.isInteger(length) || length < 0 || length > max || (prefix !== undefined && !/^\d+$/.test(prefix))) {
    return null;
  }
  return { base, bits: v4 ? length + 96 : length };
}

export function ipInCidr(address: string, cidr: string): boolean {
  const ip = ipToBigInt(address);
  const range = parseCidr(cidr);
  if (ip === null || range === null) return false;
  const shift = BigInt(128 - range.bits);
  return (ip >> shift) === (range.base >> shift);
}
