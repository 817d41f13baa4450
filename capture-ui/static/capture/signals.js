/**
 * Owns the client fraud signals the page reports to POST /verify/{token}/signals before it
 * completes capture, in the keys core/risk/assessment.ts scores: behaviour (completion time,
 * idle ratio, tab switches, a pasted name) and device (webdriver, headless hints, devtools,
 * virtual camera, a virtual-machine GPU). Counters live in sessionStorage, so a reload neither
 * resets the clock nor forgets a tab switch.
 *
 * Not collected (yet): mouse and keystroke bot patterns, screen sharing, autofill-then-edit,
 * private browsing. No value the applicant typed is ever recorded, only that a paste happened.
 */

/** Gaps between interactions longer than this count as idle time, beyond this allowance. */
const IDLE_AFTER_MS = 10_000;
const ACTIVITY_THROTTLE_MS = 1_000;
/** Docked developer tools take at least this much of the window (the usual heuristic). */
const DEVTOOLS_GAP_PX = 160;
const VIRTUAL_CAMERA =
  /\b(obs|manycam|virtual|snap camera|xsplit|droidcam|epoccam|camtwist|e2esoft|splitcam|youcam|ivcam|mmhmm|vcam|fake)/i;
const VM_RENDERER = /swiftshader|llvmpipe|softpipe|virtualbox|vmware|parallels|hyper-v|microsoft basic render/i;

function load(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? "null");
  } catch {
    return null; // Storage blocked (some third-party iframes): count from this page load.
  }
}

function save(key, data) {
  try {
    sessionStorage.setItem(key, JSON.stringify(data));
  } catch {
    // As above: the counters still work for this page's lifetime.
  }
}

/** The outer window is the host's when framed, so the size gap says nothing there. */
function devtoolsLikelyOpen() {
  if (globalThis.self !== globalThis.top || !globalThis.outerWidth) return false;
  return globalThis.outerWidth - globalThis.innerWidth > DEVTOOLS_GAP_PX ||
    globalThis.outerHeight - globalThis.innerHeight > DEVTOOLS_GAP_PX;
}

function webglRenderer() {
  try {
    const gl = document.createElement("canvas").getContext("webgl");
    if (!gl) return null;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

function headlessHints() {
  const hints = [];
  if (/HeadlessChrome|PhantomJS/.test(navigator.userAgent)) hints.push("headless_user_agent");
  if (!navigator.languages || navigator.languages.length === 0) hints.push("no_languages");
  // Phones have no plugins either, so this one only counts without touch.
  if (navigator.plugins?.length === 0 && !navigator.maxTouchPoints) hints.push("no_plugins");
  if ("callPhantom" in globalThis || "_phantom" in globalThis || "__nightmare" in globalThis) hints.push("phantom");
  return hints;
}

/** @param {string} sessionId */
export function createSignals(sessionId) {
  const key = `verifa.signals.${sessionId}`;
  const now = Date.now();
  const data = load(key) ?? {
    started_at: now,
    last_activity: now,
    idle_ms: 0,
    tab_switches: 0,
    copy_paste_name: false,
    devtools_open: false,
    virtual_camera: false,
    virtual_camera_present: false,
  };
  let lastSaved = 0;

  const activity = () => {
    const at = Date.now();
    const gap = at - data.last_activity;
    if (gap > IDLE_AFTER_MS) data.idle_ms += gap - IDLE_AFTER_MS;
    data.last_activity = at;
    if (at - lastSaved > ACTIVITY_THROTTLE_MS) {
      lastSaved = at;
      save(key, data);
    }
  };
  let lastMove = 0;
  for (const type of ["pointerdown", "keydown", "touchstart", "input", "scroll"]) {
    addEventListener(type, activity, { capture: true, passive: true });
  }
  addEventListener("pointermove", () => {
    if (Date.now() - lastMove > ACTIVITY_THROTTLE_MS) {
      lastMove = Date.now();
      activity();
    }
  }, { passive: true });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") data.tab_switches++;
    activity();
    save(key, data);
  });
  const checkDevtools = () => {
    if (!data.devtools_open && devtoolsLikelyOpen()) {
      data.devtools_open = true;
      save(key, data);
    }
  };
  addEventListener("resize", checkDevtools);
  checkDevtools();

  return {
    /** A new screen counts as activity: waiting on the page is not the applicant hesitating. */
    screen: activity,

    namePasted() {
      data.copy_paste_name = true;
      save(key, data);
    },

    /**
     * `virtual_camera` (a hard block) only when the camera in use is one; a virtual camera that is
     * merely installed (OBS is common) is reported as present.
     * @param {MediaStream} stream
     */
    async cameraOpened(stream) {
      const inUse = stream.getVideoTracks().map((track) => track.label);
      let installed = [];
      try {
        installed = (await navigator.mediaDevices.enumerateDevices())
          .filter((device) => device.kind === "videoinput").map((device) => device.label);
      } catch {
        // Listing devices is optional evidence.
      }
      if (inUse.some((label) => VIRTUAL_CAMERA.test(label))) data.virtual_camera = true;
      if ([...inUse, ...installed].some((label) => VIRTUAL_CAMERA.test(label))) data.virtual_camera_present = true;
      save(key, data);
    },

    /** The body of POST …/signals. */
    collect() {
      const at = Date.now();
      const gap = at - data.last_activity;
      const idle = data.idle_ms + Math.max(0, gap - IDLE_AFTER_MS);
      const total = Math.max(1, at - data.started_at);
      const hints = headlessHints();
      const webdriver = navigator.webdriver === true;
      const renderer = webglRenderer();
      checkDevtools();
      return {
        behavioral: {
          completion_seconds: Math.round(total / 1000),
          idle_ratio: Math.round((idle / total) * 100) / 100,
          tab_switches: data.tab_switches,
          copy_paste_name: data.copy_paste_name,
        },
        device: {
          webdriver,
          bot_detected: webdriver || hints.some((hint) => hint !== "no_plugins"),
          headless_hints: hints,
          devtools_open: data.devtools_open,
          virtual_camera: data.virtual_camera,
          virtual_camera_present: data.virtual_camera_present,
          webgl_vm: renderer !== null && VM_RENDERER.test(renderer),
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
          touch_points: navigator.maxTouchPoints ?? 0,
        },
      };
    },
  };
}
