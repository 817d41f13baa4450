/**
 * Owns the camera: opening it (rear for documents, front for selfies) with errors sorted into
 * "denied" and "missing", stopping it, and Auto mode, which captures a document once it is steady
 * and sharp inside the frame.
 *
 * Auto mode samples the frame area every 200 ms into a small greyscale canvas and measures:
 * contrast (standard deviation: is anything there?), motion (mean absolute difference from the
 * previous sample: is it steady?) and sharpness (variance of the Laplacian, as the server's
 * quality check computes it: is it in focus?). Four steady, sharp samples in a row trigger it,
 * but not in the first 1.5 s, which leave time to frame the document or switch to Manual.
 */

export class CameraError extends Error {
  /** @param {"denied" | "missing"} kind @param {string} message */
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

/**
 * @param {HTMLVideoElement} video
 * @param {"environment" | "user"} facing
 * @returns {Promise<MediaStream>}
 */
export async function startCamera(video, facing) {
  const devices = navigator.mediaDevices;
  // Absent outside a secure context (plain http on a LAN address) and in old browsers.
  if (!devices?.getUserMedia) throw new CameraError("missing", "This browser offers no camera to this page.");
  let stream;
  try {
    stream = await devices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: facing }, width: { ideal: 1920 }, height: { ideal: 1080 } },
    });
  } catch (error) {
    const denied = error?.name === "NotAllowedError" || error?.name === "SecurityError";
    throw new CameraError(denied ? "denied" : "missing", String(error?.message ?? error));
  }
  video.srcObject = stream;
  await video.play().catch(() => {});
  if (video.readyState < 2) {
    await new Promise((resolve) => video.addEventListener("loadeddata", resolve, { once: true }));
  }
  return stream;
}

/** @param {MediaStream | null | undefined} stream */
export function stopCamera(stream) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

const SAMPLE_EVERY_MS = 200;
const SAMPLE_WIDTH = 320;
/** The on-screen frame: centred, 84 % of the width, an ID-1 card's 85.6 × 54 mm. */
const FRAME_WIDTH = 0.84;
const ID1_ASPECT = 85.6 / 54;
/** Below this grey-level spread the frame holds a wall or a hand, not a document. */
const MIN_CONTRAST = 25;
/** Mean grey-level change between samples above which the picture is moving. */
const MAX_MOTION = 6;
/** Laplacian variance on the 320 px sample; printed text on a card in focus scores far above. */
const MIN_SHARPNESS = 150;
const STEADY_SAMPLES = 4;
/** Time to frame the document (or switch to Manual) before Auto may fire. */
const MIN_AIM_MS = 1500;

function greyFrame(video, canvas, context) {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  const fw = vw * FRAME_WIDTH;
  const fh = Math.min(vh * 0.9, fw / ID1_ASPECT);
  const w = SAMPLE_WIDTH;
  const h = Math.max(3, Math.round((SAMPLE_WIDTH * fh) / fw));
  canvas.width = w;
  canvas.height = h;
  context.drawImage(video, (vw - fw) / 2, (vh - fh) / 2, fw, fh, 0, 0, w, h);
  const rgba = context.getImageData(0, 0, w, h).data;
  const grey = new Uint8ClampedArray(w * h);
  for (let i = 0; i < grey.length; i++) {
    grey[i] = (rgba[i * 4] * 77 + rgba[i * 4 + 1] * 150 + rgba[i * 4 + 2] * 29) >> 8;
  }
  return { grey, w, h };
}

function standardDeviation(grey) {
  let sum = 0;
  let sumSq = 0;
  for (const v of grey) {
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / grey.length;
  return Math.sqrt(Math.max(0, sumSq / grey.length - mean * mean));
}

function meanAbsoluteDifference(a, b) {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i] - b[i]);
  return total / a.length;
}

function laplacianVariance(grey, w, h) {
  let sum = 0;
  let sumSq = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const l = grey[i - w] + grey[i + w] + grey[i - 1] + grey[i + 1] - 4 * grey[i];
      sum += l;
      sumSq += l * l;
    }
  }
  const n = (w - 2) * (h - 2);
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/**
 * @param {HTMLVideoElement} video
 * @param {{ onStatus: (text: string) => void, onReady: () => void }} handlers
 * @returns {{ stop: () => void }}
 */
export function autoCapture(video, { onStatus, onReady }) {
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let previous = null;
  let steady = 0;
  let timer = 0;
  let stopped = false;
  const started = Date.now();

  const tick = () => {
    if (stopped) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      const { grey, w, h } = greyFrame(video, canvas, context);
      const first = !previous || previous.length !== grey.length;
      const motion = first ? Infinity : meanAbsoluteDifference(grey, previous);
      previous = grey;
      if (first) {
        onStatus("Looking for your ID…");
      } else if (standardDeviation(grey) < MIN_CONTRAST) {
        steady = 0;
        onStatus("Place your ID inside the frame.");
      } else if (motion > MAX_MOTION) {
        steady = 0;
        onStatus("Hold still…");
      } else if (laplacianVariance(grey, w, h) < MIN_SHARPNESS) {
        steady = 0;
        onStatus("Hold steady while the camera focuses…");
      } else if (++steady >= STEADY_SAMPLES && Date.now() - started >= MIN_AIM_MS) {
        stopped = true;
        onStatus("Got it.");
        onReady();
        return;
      } else {
        onStatus("Hold still, capturing…");
      }
    }
    timer = setTimeout(tick, SAMPLE_EVERY_MS);
  };
  timer = setTimeout(tick, SAMPLE_EVERY_MS);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
