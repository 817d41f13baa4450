// @ts-check
/**
 * Owns which screen a capture state opens on, and where the applicant goes when done. Shared by
 * the server (capture-ui/capture_page.tsx renders this screen on load) and the page (after every
 * server answer), so a reload and the live flow always agree: the server state decides.
 */

/**
 * @typedef {object} CaptureStateLike The fields of core/capture/service.ts CaptureState used here.
 * @property {string} session_id
 * @property {string} status
 * @property {boolean} is_sandbox
 * @property {boolean} capture_open
 * @property {string | null} next_step
 * @property {string | null} redirect_url
 */

/** @type {Record<string, string>} */
const STEP_SCREENS = {
  consent: "consent",
  document_type: "document-type",
  document_front: "front-tips",
  document_back: "back-tips",
  selfie: "selfie",
  user_info: "user-info",
};

/** Statuses whose outcome is decided (or will never come): the flow is over. */
export const FINISHED_STATUSES = ["completed", "under_review", "failed"];

/**
 * @param {CaptureStateLike} state
 * @returns {string} the `data-screen` name
 */
export function screenForState(state) {
  if (state.capture_open) {
    // Every step is done but `complete` was not accepted yet: the page submits from "processing".
    if (state.next_step === null) return "processing";
    // A step this page cannot capture (proof of address has no token endpoint yet).
    return STEP_SCREENS[state.next_step] ?? "error-unsupported";
  }
  if (state.status === "sandbox_pending") return "outcome";
  if (state.status === "expired") return "error-expired";
  if (FINISHED_STATUSES.includes(state.status)) return state.is_sandbox ? "confirmation" : "done";
  return "processing";
}

/**
 * The customer's redirect_url with session_id and status added, as the capture API's
 * sandbox-outcome answers it (core/capture/service.ts redirectTarget); null when none was set.
 * @param {CaptureStateLike} state
 * @returns {string | null}
 */
export function redirectTarget(state) {
  if (!state.redirect_url) return null;
  const url = new URL(state.redirect_url);
  url.searchParams.set("session_id", state.session_id);
  url.searchParams.set("status", state.status);
  return url.toString();
}
