/**
 * Owns talking to the capture API (/verify/{token}/…) from the page: JSON and multipart requests
 * with time limits, and sorting failures into the two kinds the flow treats differently: the
 * server said no (ApiError, with the contract's code and detail) or it could not be reached
 * (ConnectionError: retry later without losing anything).
 */

const JSON_TIMEOUT_MS = 20_000;
/** A 10 MB photo over a slow mobile uplink. */
const UPLOAD_TIMEOUT_MS = 120_000;

export class ApiError extends Error {
  /** @param {number} status @param {{error?: string, detail?: string, fields?: Record<string, string>}} body */
  constructor(status, body) {
    super(body.detail ?? `HTTP ${status}`);
    this.status = status;
    this.code = body.error ?? "bad_request";
    this.detail = body.detail ?? "The request was refused.";
    this.fields = body.fields ?? {};
  }
}

export class ConnectionError extends Error {}

function timeoutSignal(ms) {
  return typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(ms) : undefined;
}

export function createApi(token) {
  const base = `/verify/${encodeURIComponent(token)}`;

  async function send(method, step, { json, form, timeoutMs = JSON_TIMEOUT_MS } = {}) {
    let response;
    try {
      response = await fetch(`${base}/${step}`, {
        method,
        headers: json === undefined ? undefined : { "Content-Type": "application/json" },
        body: json === undefined ? form : JSON.stringify(json),
        cache: "no-store",
        credentials: "omit",
        signal: timeoutSignal(timeoutMs),
      });
    } catch (error) {
      throw new ConnectionError(error instanceof Error ? error.message : String(error));
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Not our JSON: a proxy's error page or a cut-off body.
    }
    if (response.ok && body) return body;
    // 5xx and non-JSON answers are the server (or the way to it) failing, not a refusal.
    if (response.status >= 500 || !body || typeof body.error !== "string") {
      throw new ConnectionError(`HTTP ${response.status}`);
    }
    throw new ApiError(response.status, body);
  }

  return {
    state: () => send("GET", "state"),
    post: (step, json = {}) => send("POST", step, { json }),
    /** @param {"documents" | "selfie"} step @param {Blob} blob @param {Record<string, string>} fields */
    upload(step, blob, fields = {}) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append("file", blob, blob.type === "image/jpeg" ? "photo.jpg" : (blob.name ?? "photo"));
      return send("POST", step, { form, timeoutMs: UPLOAD_TIMEOUT_MS });
    },
  };
}
