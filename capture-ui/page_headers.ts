/**
 * Owns the response headers of the HTML pages capture-ui serves: a strict Content-Security-Policy
 * (scripts and styles from our own origin only, no inline code), who may frame the page, which
 * powerful features it may use, and no caching (the pages carry one applicant's state).
 */
import type { Context } from "hono";

interface PagePolicy {
  /** CSP frame-ancestors: who may put this page in an iframe. */
  frameAncestors: string;
  /** CSP frame-src: what this page may put in an iframe (none when absent). */
  frameSrc?: string[];
  /** The Permissions-Policy header. */
  permissions: string;
}

// deno-lint-ignore no-explicit-any
function setPageHeaders(c: Context<any>, policy: PagePolicy): void {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // data: for the server-drawn QR code; blob: for the photo the applicant is reviewing.
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    `frame-src ${policy.frameSrc?.length ? policy.frameSrc.join(" ") : "'none'"}`,
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${policy.frameAncestors}`,
  ].join("; ");
  c.header("Content-Security-Policy", csp);
  c.header("Permissions-Policy", policy.permissions);
  c.header("Cache-Control", "no-store");
}

/**
 * The hosted capture page may be framed by any site: the token in its URL is the credential, and
 * the customer's own site is the one embedding it. `camera=(self)` lets the page itself use the
 * camera; inside a cross-origin iframe it still needs the host to delegate it (`allow="camera"`,
 * and `camera` in the host's own Permissions-Policy naming our origin), which the README covers.
 * No Cross-Origin-Opener-Policy: in popup mode the page answers its opener with postMessage.
 */
// deno-lint-ignore no-explicit-any
export function setCapturePageHeaders(c: Context<any>): void {
  setPageHeaders(c, {
    frameAncestors: "*",
    permissions: "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
  });
}

/** The example host page: frames the capture page's origins and delegates the camera to them. */
// deno-lint-ignore no-explicit-any
export function setHostPageHeaders(c: Context<any>, captureOrigins: string[]): void {
  const quoted = captureOrigins.map((origin) => `"${origin}"`).join(" ");
  setPageHeaders(c, {
    frameAncestors: "'self'",
    frameSrc: captureOrigins,
    permissions: `camera=(self ${quoted}), microphone=(self ${quoted})`,
  });
}

/**
 * The operator dashboard: never framed (clickjacking an admin's "Disable user" button), no camera,
 * and WebAuthn allowed for the page itself only.
 */
// deno-lint-ignore no-explicit-any
export function setDashboardPageHeaders(c: Context<any>): void {
  setPageHeaders(c, {
    frameAncestors: "'none'",
    permissions:
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), publickey-credentials-create=(self), publickey-credentials-get=(self)",
  });
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "same-origin");
}
