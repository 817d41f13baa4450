/**
 * Verifies a Verifa webhook delivery: `X-Verifa-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, each
 * v1 the HMAC-SHA256 of "{t}.{raw body}" keyed with the endpoint's whsec_ secret (the whole
 * string, prefix included), as core/webhooks/signing.ts signs. During a secret rotation the header
 * carries one v1 per valid secret: any match passes. Web Crypto only, so it runs in Deno, Node 18+,
 * Bun, Workers and browsers. Verify the raw body before parsing it: re-serialised JSON differs.
 */
import type { webhooks } from "./api_types.ts";

/** How old a signature may be (and how far ahead of the receiver's clock), in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookSignatureError";
  }
}

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** The receiver's clock in ms (tests pass a fixed one). */
  now?: number;
}

function parseHeader(header: string): { timestamp: number; signatures: string[] } {
  let timestamp = NaN;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === "t") timestamp = Number(value);
    if (name === "v1" && value) signatures.push(value.toLowerCase());
  }
  return { timestamp, signatures };
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return [...mac].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Compares without stopping at the first difference, so timing says nothing about the signature. */
function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** Throws WebhookSignatureError unless the header signs `rawBody` with one of `secrets`, recently. */
export async function verifyWebhookSignature(
  rawBody: string,
  signatureHeader: string | null | undefined,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): Promise<void> {
  if (!signatureHeader) throw new WebhookSignatureError("The X-Verifa-Signature header is missing.");
  const { timestamp, signatures } = parseHeader(signatureHeader);
  if (!Number.isFinite(timestamp) || signatures.length === 0) {
    throw new WebhookSignatureError("The X-Verifa-Signature header is malformed.");
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    throw new WebhookSignatureError("The signature's timestamp is outside the tolerance: a replay or a skewed clock.");
  }
  for (const secret of typeof secrets === "string" ? [secrets] : secrets) {
    const expected = await hmacHex(secret, `${timestamp}.${rawBody}`);
    if (signatures.some((signature) => equalInConstantTime(signature, expected))) return;
  }
  throw new WebhookSignatureError("No signature matches the endpoint's secret.");
}

/** The event types the product sends, from the document's `webhooks`. */
export type WebhookEventType = keyof webhooks;

/** The payload of one event type, as the document's `webhooks` describe it. */
export type WebhookPayload<E extends WebhookEventType> = NonNullable<webhooks[E]["post"]>["requestBody"]["content"][
  "application/json"
];

/** The payload of any event the product sends: narrow it on `event`. */
export type WebhookEvent = { [E in WebhookEventType]: WebhookPayload<E> }[WebhookEventType];

/** Verifies, then parses: the event, typed by its `event` field. */
export async function parseWebhook(
  rawBody: string,
  signatureHeader: string | null | undefined,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  await verifyWebhookSignature(rawBody, signatureHeader, secrets, options);
  return JSON.parse(rawBody) as WebhookEvent;
}
