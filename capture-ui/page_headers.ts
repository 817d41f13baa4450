/**
 * Owns the response headers of the HTML pages capture-ui serves: a strict Content-Security-Policy
 * (scripts and styles from our own origin only, no inline code), who may frame the page, which
 * powerful features it may use, and no caching (the pages carry one applicant's state).
 */
import type { AppContext } from "../api/http.ts";

interface PagePolicy {
  /** CSP frame-ancestors: who may put this page in an iframe. */
  frameAncestors: string;
  /** CSP frame-src: what this page may put in an iframe (none when absent). */
  frameSrc?: string[];
  /** The Permissions-Policy header. */
  permissions: string;
}

function setPageHeaders(c: AppContext, policy: PagePolicy): void {
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
export function setCapturePageHeaders(c: AppContext): void {
  setPageHeaders(c, {
    frameAncestors: "*",
    permissions: "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
  });
}

/** The example host page: frames the capture page's origins and delegates the camera to them. */
export function setHostPageHeaders(c: AppContext, captureOrigins: string[]): void {
  const quoted = captureOrigins.map((origin) => `"${origin}"`).join(" ");
  setPageHeaders(c, {
    frameAncestors: "'self'",
    frameSrc: captureOrigins,
    permissions: `camera=(self ${quoted}), microphone=(self ${quoted})`,
  });
}
