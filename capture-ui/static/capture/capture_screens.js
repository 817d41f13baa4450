/**
 * Owns the behaviour of the photo screens: the tips before each side, the offer of an optional
 * back, the document camera (Auto and Manual), the selfie camera, picking a file instead, the
 * review of what the server said about the photo, and the two error screens a photo can lead to
 * (camera, rejected upload).
 */
import { ApiError } from "./api.js";
import { autoCapture, CameraError, startCamera, stopCamera } from "./camera.js";
import { fileToJpeg, frameToJpeg } from "./images.js";
import { announce } from "./screens.js";

/** Refusals of the photo itself: the applicant can fix these with another photo. */
const PHOTO_REFUSALS = new Set([
  "unsupported_media_type",
  "file_too_large",
  "image_too_small",
  "image_unreadable",
  "validation_error",
]);

const ANNOUNCE_EVERY_MS = 3_000;

const reviewScreen = (flow) => (flow.side === "selfie" ? "selfie-review" : "review");
const cameraScreen = (flow) => (flow.side === "selfie" ? "selfie" : "camera");

/** Shows the photo for review at once, then uploads it and paints the server's feedback. */
async function sendPhoto(flow, blob) {
  if (flow.photo) URL.revokeObjectURL(flow.photo.url);
  flow.photo = { blob, url: URL.createObjectURL(blob) };
  flow.upload = null;
  flow.go(reviewScreen(flow));
  const side = flow.side;
  await flow.run(async () => {
    const answer = side === "selfie"
      ? await flow.api.upload("selfie", blob)
      : await flow.api.upload("documents", blob, { side });
    flow.upload = answer;
    flow.setState(answer.state);
    if (flow.repaint) flow.repaint();
    else flow.go(reviewScreen(flow));
  }, (error) => {
    if (!PHOTO_REFUSALS.has(error.code)) return false;
    flow.uploadError = error;
    flow.go("error-upload");
    return true;
  });
}

/** Wires a screen's "Upload a photo" button to its hidden file input. */
function bindUpload(root, flow) {
  const input = /** @type {HTMLInputElement | null} */ (root.querySelector("input[data-file]"));
  const button = root.querySelector("[data-action=upload]");
  if (!input || !button) return;
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    announce("Preparing your photo…");
    await sendPhoto(flow, await fileToJpeg(file));
  });
}

/** "Skip" on an optional back: remembered for this page, then on to the next required step. */
function skipBack(flow) {
  flow.backSkipped = true;
  flow.proceed();
}

function tips(side) {
  /** @type {import("./flow.js").EnterScreen} */
  return (root, flow) => {
    flow.side = side;
    root.querySelector("[data-action=ready]").addEventListener("click", () => flow.go("camera"));
    bindUpload(root, flow);
    const skip = /** @type {HTMLButtonElement | null} */ (root.querySelector("[data-action=skip-back]"));
    if (skip && flow.state.back_optional) {
      skip.hidden = false;
      skip.addEventListener("click", () => skipBack(flow));
    }
  };
}

/** @type {import("./flow.js").EnterScreen} */
function backOffer(root, flow) {
  root.querySelector("[data-action=add-back]").addEventListener("click", () => flow.go("back-tips"));
  root.querySelector("[data-action=skip-back]").addEventListener("click", () => skipBack(flow));
}

/**
 * Opens the camera into the screen's video; a refusal goes to error-camera, except a missing
 * camera where `stayWhenMissing` (the caller then offers the upload in place).
 */
async function openCamera(root, flow, facing, isCurrent, { stayWhenMissing = false } = {}) {
  const video = /** @type {HTMLVideoElement} */ (root.querySelector("[data-video]"));
  try {
    const stream = await startCamera(video, facing);
    if (!isCurrent()) {
      stopCamera(stream); // The applicant moved on while the permission prompt was up.
      return null;
    }
    flow.signals.cameraOpened(stream);
    return stream;
  } catch (error) {
    if (!isCurrent()) return null;
    flow.cameraProblem = error instanceof CameraError ? error.kind : "missing";
    if (!(stayWhenMissing && flow.cameraProblem === "missing")) flow.go("error-camera");
    return null;
  }
}

/** @type {import("./flow.js").EnterScreen} */
function camera(root, flow) {
  let stream = null;
  let auto = null;
  let left = false;
  const video = /** @type {HTMLVideoElement} */ (root.querySelector("[data-video]"));
  const status = root.querySelector("[data-camera-status]");
  const shutter = /** @type {HTMLButtonElement} */ (root.querySelector("[data-action=shutter]"));
  const heading = root.querySelector("h1");
  heading.textContent = flow.side === "back" ? "Back of your ID" : "Front of your ID";
  document.title = `${heading.textContent} · Verify your identity`;
  // Auto mode's hints change several times a second: a screen reader hears one every few seconds.
  let lastSaid = "";
  let lastSaidAt = 0;
  const say = (text) => {
    status.textContent = text;
    if (text === lastSaid || Date.now() - lastSaidAt < ANNOUNCE_EVERY_MS) return;
    announce(text);
    lastSaid = text;
    lastSaidAt = Date.now();
  };

  let capturing = false;
  const capture = async () => {
    if (!stream || left || capturing) return;
    capturing = true;
    auto?.stop();
    const blob = await frameToJpeg(video);
    await sendPhoto(flow, blob);
  };
  const setMode = (mode) => {
    flow.cameraMode = mode;
    for (const button of root.querySelectorAll("[data-action^=mode-]")) {
      button.setAttribute("aria-pressed", String(button.dataset.action === `mode-${mode}`));
    }
    shutter.hidden = mode !== "manual";
    auto?.stop();
    auto = null;
    if (!stream) return;
    if (mode === "auto") auto = autoCapture(video, { onStatus: say, onReady: capture });
    else say("Fit your ID in the frame, then take the photo.");
  };
  root.querySelector("[data-action=mode-auto]").addEventListener("click", () => setMode("auto"));
  root.querySelector("[data-action=mode-manual]").addEventListener("click", () => setMode("manual"));
  shutter.addEventListener("click", capture);
  bindUpload(root, flow);
  setMode(flow.cameraMode);

  openCamera(root, flow, "environment", () => !left).then((opened) => {
    if (!opened) return;
    stream = opened;
    setMode(flow.cameraMode);
  });
  return () => {
    left = true;
    auto?.stop();
    stopCamera(stream);
  };
}

/** @type {import("./flow.js").EnterScreen} */
function selfie(root, flow) {
  flow.side = "selfie";
  let stream = null;
  let left = false;
  const video = /** @type {HTMLVideoElement} */ (root.querySelector("[data-video]"));
  const status = root.querySelector("[data-camera-status]");
  const shutter = /** @type {HTMLButtonElement} */ (root.querySelector("[data-action=shutter]"));
  shutter.disabled = true;
  shutter.addEventListener("click", async () => {
    if (!stream || shutter.disabled) return;
    shutter.disabled = true;
    await sendPhoto(flow, await frameToJpeg(video));
  });
  bindUpload(root, flow);
  // The selfie camera opens by itself as the screen appears, not at the applicant's request: on
  // a computer with no camera, leaving for error-camera then pulled "Upload a photo instead" away
  // from under the applicant's pointer (or from an open file chooser). A missing camera is said
  // here instead, with the upload; a blocked one still goes to error-camera, which says how to allow it.
  openCamera(root, flow, "user", () => !left, { stayWhenMissing: true }).then((opened) => {
    if (!opened) {
      if (!left) noCameraHere(root); // Still here: the camera is missing (a blocked one left for error-camera).
      return;
    }
    stream = opened;
    shutter.disabled = false;
    status.textContent = "Fit your face in the oval, then take the selfie.";
    announce(status.textContent);
  });
  return () => {
    left = true;
    stopCamera(stream);
  };
}

/** The selfie screen without a camera: no shutter, the upload made the main action, and said so. */
function noCameraHere(root) {
  const shutter = /** @type {HTMLButtonElement} */ (root.querySelector("[data-action=shutter]"));
  shutter.hidden = true;
  root.querySelector("[data-viewfinder]")?.setAttribute("hidden", "");
  root.querySelector("[data-action=upload]")?.classList.replace("link", "primary");
  const status = root.querySelector("[data-camera-status]");
  status.textContent = "We couldn't find a camera on this device. Upload a photo of your face instead.";
  announce(status.textContent);
}

/** @type {import("./flow.js").EnterScreen} */
function review(root, flow) {
  if (!flow.photo) return void flow.proceed();
  const image = /** @type {HTMLImageElement} */ (root.querySelector("[data-preview]"));
  const status = root.querySelector("[data-review-status]");
  const warnings = /** @type {HTMLElement} */ (root.querySelector("[data-warnings]"));
  const submit = /** @type {HTMLButtonElement} */ (root.querySelector("[data-action=submit-photo]"));
  image.src = flow.photo.url;
  image.alt = flow.side === "selfie"
    ? "Your selfie"
    : `Your photo of the ${flow.side === "back" ? "back" : "front"} of your ID`;

  const paint = () => {
    const quality = flow.upload?.quality;
    if (!flow.upload) {
      status.textContent = "Checking your photo…";
      return;
    }
    submit.disabled = false;
    warnings.replaceChildren(
      ...(quality?.warnings ?? []).map((text) => Object.assign(document.createElement("li"), { textContent: text })),
    );
    warnings.hidden = warnings.childElementCount === 0;
    status.textContent = warnings.hidden
      ? "Your photo looks good."
      : "You can submit this photo, or retake it for a better result:";
    announce(warnings.hidden ? status.textContent : `${status.textContent} ${quality.warnings.join(" ")}`);
  };
  paint();
  flow.repaint = paint;

  submit.addEventListener("click", () => flow.proceed());
  root.querySelector("[data-action=retake]").addEventListener("click", () => flow.go(cameraScreen(flow)));
  root.querySelector("[data-action=change-type]")?.addEventListener("click", () => flow.go("document-type"));
  return () => (flow.repaint = null);
}

/** @type {import("./flow.js").EnterScreen} */
function cameraError(root, flow) {
  root.querySelector(`[data-camera-problem="${flow.cameraProblem}"]`).hidden = false;
  root.querySelector("[data-action=retry-camera]").addEventListener("click", () => flow.go(cameraScreen(flow)));
  bindUpload(root, flow);
}

/** @type {import("./flow.js").EnterScreen} */
function uploadError(root, flow) {
  const error = flow.uploadError;
  root.querySelector("[data-upload-detail]").textContent = error instanceof ApiError
    ? error.detail
    : "The photo was rejected.";
  root.querySelector("[data-action=retake]").addEventListener("click", () => flow.go(cameraScreen(flow)));
  bindUpload(root, flow);
}

export const captureScreens = {
  "front-tips": tips("front"),
  "back-offer": backOffer,
  "back-tips": tips("back"),
  "camera": camera,
  "review": review,
  "selfie": selfie,
  "selfie-review": review,
  "error-camera": cameraError,
  "error-upload": uploadError,
};
