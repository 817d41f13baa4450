/**
 * Owns the page's side of embedding: whether it runs inside a host page (an iframe, or a popup
 * opened by verifa.js with `?embed=1`) and the postMessage events it sends there. Events carry
 * the session id and status at most, never field-level results: the host fetches those
 * server-side with its API key.
 */

const params = new URLSearchParams(location.search);

function isFramed() {
  try {
    return globalThis.self !== globalThis.top;
  } catch {
    return true; // A cross-origin top that refuses the comparison is still a frame.
  }
}

const framed = isFramed();

export const embedded = framed || params.get("embed") === "1";

/**
 * The parent's origin where the browser reveals it (ancestorOrigins); otherwise "*", acceptable
 * because the events hold nothing the embedder does not already know (it created the session).
 */
function targetOrigin() {
  const ancestors = location.ancestorOrigins;
  return framed && ancestors && ancestors.length > 0 ? ancestors[0] : "*";
}

/**
 * @param {"ready" | "complete" | "close" | "error"} type
 * @param {Record<string, string>} detail
 */
export function notify(type, detail = {}) {
  if (!embedded) return;
  const target = framed ? globalThis.parent : globalThis.opener;
  if (!target) return;
  try {
    target.postMessage({ source: "verifa", type, ...detail }, targetOrigin());
  } catch {
    // The host went away (popup opener closed): nobody is listening.
  }
}
