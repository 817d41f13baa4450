/**
 * Owns the behaviour of the screens after capture: submitting (signals, then complete), waiting
 * on a live verification, the sandbox outcome chooser, the last screens (which tell the host page
 * and redirect), and the error screens that need no photo.
 */
import { ConnectionError } from "./api.js";
import { embedded, notify } from "./embed.js";
import { announce } from "./screens.js";
import { redirectTarget } from "./steps.js";

const POLL_MS = 2_000;
const SLOW_POLL_MS = 5_000;
/** After this long the applicant is told they need not wait. */
const PATIENCE_MS = 60_000;
/** Long enough to read the last screen before leaving for the customer's site. */
const REDIRECT_AFTER_MS = 3_000;

/** @type {import("./flow.js").EnterScreen} */
function processing(root, flow) {
  const status = root.querySelector("[data-processing-status]");
  const started = Date.now();
  let timer = 0;
  let left = false;

  const poll = () =>
    flow.run(async () => {
      const state = await flow.api.state();
      flow.setState(state);
      if (flow.current !== "processing" || flow.screenFor(state) !== "processing") return void flow.proceed();
      wait();
    });
  const wait = () => {
    if (left) return;
    const waited = Date.now() - started;
    if (waited > PATIENCE_MS) {
      status.textContent = "This is taking longer than usual. You can close this page: the result is sent on.";
    }
    timer = setTimeout(poll, waited > PATIENCE_MS ? SLOW_POLL_MS : POLL_MS);
  };

  if (flow.state.capture_open) {
    // Every step is done: report the signals, then complete. Done is shown only once the server
    // has accepted `complete`.
    flow.run(async () => {
      await flow.api.post("signals", flow.signals.collect()).catch((error) => {
        if (error instanceof ConnectionError) throw error;
        // A refused signal report must not keep the applicant from finishing.
      });
      const state = await flow.api.post("complete");
      flow.setState(state);
      if (flow.current !== "processing" || flow.screenFor(state) !== "processing") return void flow.proceed();
      status.textContent = "Checking your documents…";
      announce(status.textContent);
      wait();
    });
  } else {
    status.textContent = "Checking your documents…";
    wait();
  }
  return () => {
    left = true;
    clearTimeout(timer);
  };
}

/** @type {import("./flow.js").EnterScreen} */
function outcome(root, flow) {
  for (const button of root.querySelectorAll("[data-action=choose-outcome]")) {
    button.addEventListener("click", () =>
      flow.run(async () => {
        const answer = await flow.api.post("sandbox-outcome", { preset: button.dataset.preset });
        flow.outcome = { ...answer, label: button.getAttribute("aria-label") };
        flow.setState({ ...flow.state, status: answer.status, capture_open: false });
        flow.go("confirmation");
      }));
  }
}

/** What the last screens share: tell the host, then leave for the customer's site if it gave one. */
function finish(root, flow) {
  const state = flow.state;
  notify("complete", { sessionId: state.session_id, status: state.status });
  root.querySelector("[data-action=close]")?.addEventListener("click", () => notify("close"));
  // Inside a host page the host decides what comes next; only a full-page visit redirects.
  if (embedded) return;
  const target = flow.outcome?.redirect_url ?? redirectTarget(state);
  if (!target) return;
  const notice = /** @type {HTMLElement} */ (root.querySelector("[data-redirect]"));
  root.querySelector("[data-redirect-link]").setAttribute("href", target);
  notice.hidden = false;
  const timer = setTimeout(() => location.assign(target), REDIRECT_AFTER_MS);
  return () => clearTimeout(timer);
}

/** @type {import("./flow.js").EnterScreen} */
function confirmation(root, flow) {
  const label = root.querySelector("[data-outcome-label]");
  label.textContent = flow.outcome?.label ?? flow.state.status.replace(/_/g, " ");
  return finish(root, flow);
}

/** @type {import("./flow.js").EnterScreen} */
function connectionError(root, flow) {
  const retry = () => (flow.retry ? flow.retry() : flow.refresh());
  root.querySelector("[data-action=retry]").addEventListener("click", retry);
  // Back online: try once by itself; the button stays for when that fails too.
  addEventListener("online", retry, { once: true });
  return () => removeEventListener("online", retry);
}

/** @type {import("./flow.js").EnterScreen} */
function closeOnly(root) {
  root.querySelector("[data-action=close]")?.addEventListener("click", () => notify("close"));
}

export const finishScreens = {
  "processing": processing,
  "outcome": outcome,
  "confirmation": confirmation,
  "done": finish,
  "error-connection": connectionError,
  "error-expired": closeOnly,
  "error-unsupported": closeOnly,
};
