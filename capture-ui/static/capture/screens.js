/**
 * Owns the page's DOM plumbing: putting a screen on the page from its server-rendered <template>,
 * moving focus to its heading, the live region that announces status and errors, busy state, and
 * inline field errors.
 */
import { embedded } from "./embed.js";

const host = () => document.querySelector("[data-screen-host]");

/**
 * Replaces the current screen with a fresh copy of `name`. Exactly one `[data-screen]` is ever in
 * the document: the templates' contents are inert and not part of it.
 * @param {string} name
 * @returns {HTMLElement}
 */
export function renderScreen(name, { adopt = false } = {}) {
  const template = document.querySelector(`template[data-screen-template="${name}"]`);
  const main = host();
  // The first screen is already on the page, rendered by the server: an applicant may have ticked
  // or typed into it before this script ran, so it is bound as it stands, never replaced.
  const rendered = adopt ? /** @type {HTMLElement | null} */ (main.querySelector(`[data-screen="${name}"]`)) : null;
  let screen;
  if (rendered) {
    screen = rendered;
  } else if (template instanceof HTMLTemplateElement) {
    screen = /** @type {HTMLElement} */ (template.content.firstElementChild.cloneNode(true));
    main.replaceChildren(screen);
  } else {
    // The expired-link page has no templates: its one screen is already on the page.
    screen = main.querySelector(`[data-screen="${name}"]`);
    if (!screen) throw new Error(`No screen named ${name}`);
  }
  document.body.dataset.currentScreen = name;
  if (embedded) { for (const el of screen.querySelectorAll("[data-embed-only]")) el.hidden = false; }
  const heading = screen.querySelector("h1");
  document.title = `${heading.textContent} · Verify your identity`;
  // Focus moves to a new screen's heading, but not away from a field of the adopted one.
  if (!rendered || !screen.contains(document.activeElement)) heading.focus();
  return screen;
}

let announceTimer;

/** Says `text` through the polite live region (cleared first, so a repeat is read again). */
export function announce(text) {
  const live = document.querySelector("[data-live]");
  if (!live) return;
  clearTimeout(announceTimer);
  live.textContent = "";
  announceTimer = setTimeout(() => (live.textContent = text), 50);
}

/** Disables the screen's controls while a request runs, and restores only those it disabled. */
export function setBusy(root, busy) {
  root.setAttribute("aria-busy", String(busy));
  if (busy) {
    for (const el of root.querySelectorAll("button:not([disabled]), input:not([disabled]), select:not([disabled])")) {
      el.disabled = true;
      el.dataset.busyDisabled = "";
    }
  } else {
    for (const el of root.querySelectorAll("[data-busy-disabled]")) {
      el.disabled = false;
      delete el.dataset.busyDisabled;
    }
  }
}

export function clearFieldErrors(root) {
  for (const el of root.querySelectorAll("[data-error-for]")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/**
 * Shows each message under its control (`data-error-for` = the control's name), marks the
 * controls invalid, focuses the first, and announces how many need fixing.
 * @param {HTMLElement} root
 * @param {Record<string, string>} errors
 * @returns {boolean} whether any error had a place on this screen
 */
export function showFieldErrors(root, errors) {
  clearFieldErrors(root);
  let first = null;
  for (const [name, message] of Object.entries(errors)) {
    const slot = root.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    const control = root.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!slot) continue;
    slot.textContent = message.charAt(0).toUpperCase() + message.slice(1);
    slot.hidden = false;
    control?.setAttribute("aria-invalid", "true");
    first ??= control;
  }
  if (!first) return false;
  first.focus();
  const count = Object.keys(errors).length;
  announce(count === 1 ? "One answer needs fixing." : `${count} answers need fixing.`);
  return true;
}
