/**
 * Owns webhook secrets and signatures: Verifa's `X-Verifa-Signature: t=…,v1=…` (hex HMAC-SHA256 of
 * "{t}.{raw body}" keyed with the whsec_ secret) and the Standard Webhooks headers, so receivers
 * can verify with either recipe. During a rotation grace period every valid secret signs.
 */
import { createHmac } from "node:crypto";
import { Buffer } from "node:buffer";
import { encodeBase64 } from "../encoding.ts";

/** whsec_ + base64 of 32 random bytes: the form Standard Webhooks libraries expect. */
export function generateWebhookSecret(): string {
  return `whsec_${encodeBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export function verifaSignature(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

function standardSignature(secret: string, messageId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return createHmac("sha256", key).update(`${messageId}.${timestamp}.${body}`).digest("base64");
}

export interface SignedHeaders {
  "X-Verifa-Signature": string;
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** `messageId` must stay the same across retries (receivers deduplicate on it). */
export function signatureHeaders(secrets: string[], messageId: string, timestamp: number, body: string): SignedHeaders {
  return {
    "X-Verifa-Signature": [`t=${timestamp}`, ...secrets.map((s) => `v1=${verifaSignature(s, timestamp, body)}`)].join(
      ",",
    ),
    "webhook-id": messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => `v1,${standardSignature(s, messageId, timestamp, body)}`).join(" "),
  };
}
