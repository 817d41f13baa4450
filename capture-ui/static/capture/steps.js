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
 * @property {string[]} [steps_optional]
 * @property {string[]} [steps_completed]
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

/** Steps taken after the document: once one is done, the applicant has moved past the back. */
const AFTER_DOCUMENT = ["selfie", "user_info", "proof_of_address"];

/**
 * An optional back (a national ID's) is offered once the front is in, until the applicant adds
 * it, skips it, or has gone on to a later step. Skipping is the page's own memory: a reload offers
 * it again, which costs one press of "Skip".
 * @param {CaptureStateLike} state
 */
export function offersOptionalBack(state) {
  const done = state.steps_completed ?? [];
  return (state.steps_optional ?? []).includes("document_back") && done.includes("document_front") &&
    !done.includes("document_back") && !done.some((step) => AFTER_DOCUMENT.includes(step));
}

/** Statuses whose outcome is decided (or will never come): the flow is over. */
export const FINISHED_STATUSES = ["completed", "under_review", "failed"];

/**
 * @param {CaptureStateLike} state
 * @param {{ backSkipped?: boolean }} [choices] what the applicant chose on this page
 * @returns {string} the `data-screen` name
 */
export function screenForState(state, choices = {}) {
  if (state.capture_open) {
    if (!choices.backSkipped && offersOptionalBack(state)) return "back-offer";
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
