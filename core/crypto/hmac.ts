/**
 * Owns keyed hashing: blind indexes for looking up encrypted values, and the one-way hash under
 * which API keys and capture tokens are stored.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";

/** Deterministic HMAC of a normalised value; `purpose` keeps indexes of different fields unlinkable. */
export function blindIndex(indexKey: Uint8Array, purpose: string, value: string): string {
  const normalised = value.normalize("NFKC").trim().toLowerCase();
  return createHmac("sha256", indexKey).update(`${purpose}\u0000${normalised}`).digest("base64url");
}

/**
 * Secrets we issue carry ≥128 bits of entropy, so a fast SHA-256 is enough: there is nothing to
 * brute-force, and a slow hash would tax every authenticated request.
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function hmacHex(key: Uint8Array, message: string): string {
  return createHmac("sha256", key).update(message).digest("hex");
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Keyed digest of raw bytes (document content for duplicate detection: never a plain, guessable hash). */
export function hmacBytes(key: Uint8Array, purpose: string, data: Uint8Array): string {
  return createHmac("sha256", key).update(`${purpose}\u0000`).update(data).digest("base64url");
}
