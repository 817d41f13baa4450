/**
 * Entry point of the hosted capture page: reads the state the server embedded, checks the browser
 * can do the job, tells a host page it is ready, and starts the flow on the screen the server
 * rendered (the same one screenForState picks, so a reload resumes where the applicant was).
 */
import { createApi } from "./api.js";
import { notify } from "./embed.js";
import { createFlow } from "./flow.js";
import { createSignals } from "./signals.js";
import { screenForState } from "./steps.js";
import { formScreens } from "./form_screens.js";
import { captureScreens } from "./capture_screens.js";
import { finishScreens } from "./finish_screens.js";

/** What this page cannot work without; the camera is optional (uploading is the fallback). */
function missingFeature() {
  if (!("content" in document.createElement("template"))) return "templates";
  if (typeof fetch !== "function" || typeof FormData !== "function") return "fetch";
  if (typeof HTMLCanvasElement.prototype.toBlob !== "function") return "canvas";
  if (typeof createImageBitmap !== "function") return "createImageBitmap";
  return null;
}

const config = JSON.parse(document.getElementById("verifa-config").textContent);
const screens = { ...formScreens, ...captureScreens, ...finishScreens };

notify("ready");
if (config.error) {
  // The expired-link page: the server rendered its only screen.
  const flow = createFlow({ api: null, config: { state: null }, signals: { screen() {} }, screens });
  flow.fail("error-expired", config.error.code, config.error.message);
} else {
  const signals = createSignals(config.state.session_id);
  const flow = createFlow({ api: createApi(config.token), config, signals, screens });
  const missing = missingFeature();
  if (missing) flow.fail("error-unsupported", "unsupported_browser", `This browser lacks ${missing}.`);
  else flow.go(screenForState(config.state), { adopt: true });
}
