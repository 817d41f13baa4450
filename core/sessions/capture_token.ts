/**
 * Owns capture tokens: the random credential in capture_url. The hash is the lookup key; an
 * encrypted copy lets the API show capture_url again while capture is open.
 */
import { hashSecret } from "../crypto/hmac.ts";
import type { KeyRing } from "../crypto/key_ring.ts";
import { randomString } from "../ids.ts";
import { qrPngDataUrl } from "./qr_png.ts";

export interface IssuedToken {
  token: string;
  hash: string;
  encrypted: string;
  expiresAt: Date;
}

/** 32 base36 chars ≈ 165 bits, above the contract's 128-bit floor. */
export function issueCaptureToken(keyRing: KeyRing, sessionId: string, now: Date, ttlMinutes: number): IssuedToken {
  const token = `tok_${randomString(32)}`;
  return {
    token,
    hash: hashSecret(token),
    encrypted: keyRing.encrypt(new TextEncoder().encode(token), captureTokenContext(sessionId)),
    expiresAt: new Date(now.getTime() + ttlMinutes * 60_000),
  };
}

export function captureTokenContext(sessionId: string) {
  return { table: "sessions", column: "capture_token_enc", rowId: sessionId };
}

export function captureUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/verify/${token}`;
}

/** What issueCaptureToken mints (and older, shorter tokens still open). */
const CAPTURE_TOKEN_SHAPE = /^tok_[0-9a-z]{16,64}$/;

/**
 * Whether `raw` is a capture URL this installation issues: `captureUrl(publicUrl, token)` for a
 * well-formed token, with nothing else (no credentials, query or fragment). The example host page
 * frames only such URLs, so it can never be made to frame, and delegate the camera to, anything else.
 */
export function isOwnCaptureUrl(publicUrl: string, raw: string): boolean {
  let url: URL;
  let base: URL;
  try {
    url = new URL(raw);
    base = new URL(publicUrl);
  } catch {
    return false;
  }
  if (url.origin !== base.origin || url.username || url.password || url.search || url.hash) return false;
  const prefix = `${base.pathname.replace(/\/+$/, "")}/verify/`;
  return url.pathname.startsWith(prefix) && CAPTURE_TOKEN_SHAPE.test(url.pathname.slice(prefix.length));
}

/** The capture URL as a 256 px PNG QR code; see qr_png.ts for why it is not QRCode.toDataURL. */
export function qrCodeDataUrl(url: string): Promise<string> {
  return Promise.resolve(qrPngDataUrl(url, { margin: 2, width: 256 }));
}
