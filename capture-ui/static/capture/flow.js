/**
 * Owns the flow's navigation and its failure handling: the last state the server sent (the only
 * truth about where the applicant is), going to a screen and leaving the previous one cleanly,
 * and running a request so that a lost connection offers a retry of that very request, an expired
 * link shows its screen, and a step the server thinks is out of order re-syncs from its state.
 */
import { ApiError, ConnectionError } from "./api.js";
import { notify } from "./embed.js";
import { screenForState } from "./steps.js";
import { announce, renderScreen, setBusy } from "./screens.js";

/** Refusals that mean the page and the server disagree on the step: the server's state wins. */
const RESYNC_CODES = new Set(["step_out_of_order", "consent_required", "capture_incomplete"]);

/**
 * @typedef {(root: HTMLElement, flow: Flow) => (void | (() => void))} EnterScreen
 *   Binds a freshly rendered screen; may return a cleanup run when the flow leaves it.
 * @typedef {ReturnType<typeof createFlow>} Flow
 */

/**
 * @param {{ api: ReturnType<import("./api.js").createApi>, config: any, signals: any,
 *           screens: Record<string, EnterScreen> }} options
 */
export function createFlow({ api, config, signals, screens }) {
  let leave = null;

  const flow = {
    api,
    signals,
    consentVersion: config.consent_version,
    state: config.state,
    /** The screen on the page. */
    current: "",
    /** What is being captured: "front", "back" or "selfie". */
    side: "front",
    /** The ID type picked on document-type, posted with the country. */
    documentType: config.state?.document_type ?? null,
    /** The applicant chose "Skip" for an optional back; choosing an ID type again asks again. */
    backSkipped: false,
    /** The photo under review: { blob, url }. */
    photo: null,
    /** The server's answer to its upload, once there. */
    upload: null,
    /** Set by the review screen while it is showing, to paint the upload's answer in place. */
    repaint: null,
    /** The last refused upload (ApiError), for error-upload. */
    uploadError: null,
    /** "auto" or "manual": the camera screen keeps the applicant's choice between sides. */
    cameraMode: "auto",
    /** "denied" or "missing", for error-camera. */
    cameraProblem: "missing",
    /** The sandbox-outcome answer, for confirmation. */
    outcome: null,
    /** What error-connection's "Try again" runs. */
    retry: null,

    /**
     * @param {string} name
     * @param {{ adopt?: boolean }} [options] adopt: bind the server-rendered screen if it is this one.
     */
    go(name, options) {
      leave?.();
      leave = null;
      const root = renderScreen(name, options);
      flow.current = name;
      signals.screen();
      leave = screens[name]?.(root, flow) ?? null;
      return root;
    },

    setState(state) {
      flow.state = state;
      if (!state.capture_open) document.querySelector("[data-handoff]")?.remove();
    },

    /** The screen `state` calls for, given what the applicant chose on this page. */
    screenFor(state) {
      return screenForState(state, { backSkipped: flow.backSkipped });
    },

    /** To the screen the server's state calls for. */
    proceed() {
      return flow.go(flow.screenFor(flow.state));
    },

    /** Re-reads the state and goes where it says. */
    refresh() {
      return flow.run(async () => {
        flow.setState(await api.state());
        flow.proceed();
      });
    },

    /**
     * Runs `work` (requests plus the navigation that follows them). Failures every screen treats
     * alike are handled here; any other refusal goes to `onRefused`, or is announced.
     * @param {() => Promise<void>} work
     * @param {(error: ApiError) => boolean | void} [onRefused] true when it handled the error
     */
    async run(work, onRefused) {
      const root = document.querySelector("[data-screen-host]");
      setBusy(root, true);
      try {
        await work();
      } catch (error) {
        setBusy(root, false); // Before any handler: a disabled control cannot take focus.
        if (error instanceof ConnectionError) {
          flow.retry = () => flow.run(work, onRefused);
          flow.go("error-connection");
        } else if (error instanceof ApiError && error.code === "token_expired") {
          await afterTokenRefused(error);
        } else if (error instanceof ApiError && RESYNC_CODES.has(error.code)) {
          await flow.refresh();
        } else if (error instanceof ApiError) {
          if (onRefused?.(error) !== true) announce(error.detail);
        } else {
          throw error;
        }
      } finally {
        setBusy(root, false);
      }
    },

    /** An error screen that ends the flow for the host page too. */
    fail(screen, code, message) {
      flow.go(screen);
      notify("error", { code, message });
    },
  };

  /**
   * `token_expired` also answers a change after capture closed (e.g. the session was decided
   * through the API meanwhile): while the state is still readable, follow it instead.
   */
  async function afterTokenRefused(error) {
    try {
      flow.setState(await api.state());
    } catch (again) {
      if (again instanceof ConnectionError) {
        flow.retry = () => afterTokenRefused(error);
        flow.go("error-connection");
      } else if (flow.state && !flow.state.capture_open && !flow.state.is_sandbox) {
        // Capture was accepted before the link ran out: the verification goes on without the page.
        flow.go("done");
      } else {
        flow.fail("error-expired", "token_expired", error.detail);
      }
      return;
    }
    flow.proceed();
  }

  return flow;
}
