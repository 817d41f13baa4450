/**
 * verifa.js: opens a Verifa capture URL from a customer's page, in a popup (the default), a modal
 * with an iframe, or by redirecting, and reports back through callbacks. A plain script (no
 * module, no dependencies) that defines `Verifa.open(options)` and `new Verifa.Client(options)`.
 *
 * It listens only to messages from the capture URL's origin, from the window it opened, with
 * `source: "verifa"`; they carry `ready`, `complete` ({ sessionId, status }: never field-level
 * results; fetch those server-side), `close` and `error` ({ code, message }).
 */
(() => {
  "use strict";

  const DEFAULT_READY_TIMEOUT_MS = 8000;
  const MODES = ["popup", "modal", "redirect"];
  const POPUP_WIDTH = 480;
  const POPUP_HEIGHT = 760;
  const noop = () => {};

  /** Inline styles through the CSSOM, which a host page's strict CSP (no 'unsafe-inline') allows. */
  function styled(tag, styles, attributes = {}) {
    const element = document.createElement(tag);
    Object.assign(element.style, styles);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  }

  class Client {
    /**
     * @param {{ captureUrl: string, sessionId?: string, mode?: "popup" | "modal" | "redirect",
     *   onComplete?: (data: { sessionId: string, status: string }) => void, onClose?: () => void,
     *   onError?: (error: { code: string, message: string }) => void, readyTimeoutMs?: number }} options
     */
    constructor(options) {
      if (!options || typeof options.captureUrl !== "string") {
        throw new TypeError("Verifa: captureUrl is required (the capture_url your backend received).");
      }
      const mode = options.mode ?? "popup";
      if (!MODES.includes(mode)) throw new TypeError(`Verifa: mode must be one of ${MODES.join(", ")}.`);
      this.url = new URL(options.captureUrl, location.href);
      this.origin = this.url.origin;
      this.mode = mode;
      this.sessionId = options.sessionId ?? null;
      this.onComplete = options.onComplete ?? noop;
      this.onClose = options.onClose ?? noop;
      this.onError = options.onError ?? noop;
      this.readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
      this.target = null;
      this.overlay = null;
      this.timers = [];
      this.onMessage = this.onMessage.bind(this);
      this.onKey = this.onKey.bind(this);
    }

    /** Opens the flow. Call it from a click handler: browsers block popups opened any other way. */
    open() {
      if (this.target) return this;
      if (this.mode === "redirect") {
        location.assign(this.url.toString());
        return this;
      }
      const url = new URL(this.url);
      url.searchParams.set("embed", "1");
      addEventListener("message", this.onMessage);
      if (this.mode === "modal") this.openModal(url);
      else if (!this.openPopup(url)) return this;
      this.timers.push(setTimeout(() => {
        if (this.ready || !this.target) return;
        // Only reported: on a slow phone network the page may still arrive, and closing it here
        // would end a flow the applicant could finish. The host decides (client.close()).
        this.fail("ready_timeout", `The verification page did not load within ${this.readyTimeoutMs} ms.`, {
          keepOpen: true,
        });
      }, this.readyTimeoutMs));
      return this;
    }

    /** Closes the flow from the host's side; no callback fires. */
    close() {
      this.teardown();
    }

    openModal(url) {
      this.returnFocus = document.activeElement;
      this.overflow = document.documentElement.style.overflow;
      document.documentElement.style.overflow = "hidden";
      const overlay = styled("div", {
        position: "fixed",
        inset: "0",
        zIndex: "2147483000",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: "rgba(17, 24, 39, 0.6)",
      }, { role: "dialog", "aria-modal": "true", "aria-label": "Identity verification" });
      const panel = styled("div", {
        position: "relative",
        width: "min(480px, 100vw)",
        height: "min(760px, 100dvh)",
        background: "#ffffff",
        borderRadius: "12px",
        overflow: "hidden",
        boxShadow: "0 10px 40px rgba(0, 0, 0, 0.35)",
      });
      const close = styled("button", {
        position: "absolute",
        top: "8px",
        right: "8px",
        width: "40px",
        height: "40px",
        border: "0",
        borderRadius: "50%",
        background: "rgba(17, 24, 39, 0.75)",
        color: "#ffffff",
        font: "24px/40px system-ui, sans-serif",
        cursor: "pointer",
      }, { type: "button", "aria-label": "Close verification" });
      close.textContent = "×";
      close.addEventListener("click", () => this.closedByApplicant());
      // The host's own Permissions-Policy must also allow camera for this origin: allow= alone is not enough.
      const frame = styled("iframe", { width: "100%", height: "100%", border: "0", display: "block" }, {
        src: url.toString(),
        title: "Identity verification",
        allow: "camera; microphone",
      });
      panel.append(frame, close);
      overlay.append(panel);
      document.body.append(overlay);
      document.addEventListener("keydown", this.onKey);
      this.overlay = overlay;
      this.target = frame.contentWindow;
      frame.focus();
    }

    openPopup(url) {
      const left = Math.max(0, globalThis.screenX + (globalThis.outerWidth - POPUP_WIDTH) / 2);
      const top = Math.max(0, globalThis.screenY + (globalThis.outerHeight - POPUP_HEIGHT) / 2);
      const popup = globalThis.open(
        url.toString(),
        "verifa-capture",
        `popup,width=${POPUP_WIDTH},height=${POPUP_HEIGHT},left=${Math.round(left)},top=${Math.round(top)}`,
      );
      if (!popup) {
        this.fail("popup_blocked", "The browser blocked the verification popup; open it from a click.");
        return false;
      }
      this.target = popup;
      // A popup closed with its own window controls sends nothing: notice it.
      this.timers.push(setInterval(() => popup.closed && this.closedByApplicant(), 500));
      return true;
    }

    onMessage(event) {
      if (event.origin !== this.origin || !this.target || event.source !== this.target) return;
      const data = event.data;
      if (!data || typeof data !== "object" || data.source !== "verifa") return;
      if (data.type === "ready") {
        this.ready = true;
      } else if (data.type === "complete") {
        if (this.sessionId && data.sessionId !== this.sessionId) return;
        const result = { sessionId: String(data.sessionId), status: String(data.status) };
        this.teardown();
        this.onComplete(result);
      } else if (data.type === "close") {
        this.closedByApplicant();
      } else if (data.type === "error") {
        this.fail(String(data.code ?? "error"), String(data.message ?? ""), { keepOpen: true });
      }
    }

    onKey(event) {
      if (event.key === "Escape") this.closedByApplicant();
    }

    closedByApplicant() {
      if (!this.target) return;
      this.teardown();
      this.onClose();
    }

    /** Errors from the page leave it open (it shows the applicant what to do); ours close it. */
    fail(code, message, { keepOpen = false } = {}) {
      if (!keepOpen) this.teardown();
      this.onError({ code, message });
    }

    teardown() {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers = [];
      removeEventListener("message", this.onMessage);
      document.removeEventListener("keydown", this.onKey);
      if (this.overlay) {
        this.overlay.remove();
        this.overlay = null;
        document.documentElement.style.overflow = this.overflow ?? "";
        this.returnFocus?.focus?.();
      } else if (this.target && !this.target.closed) {
        this.target.close();
      }
      this.target = null;
      this.ready = false;
    }
  }

  /** The flat form: builds a Client and opens it. */
  function openVerifa(options) {
    return new Client(options).open();
  }

  globalThis.Verifa = Object.freeze({ open: openVerifa, Client, version: "1.0.0" });
})();
