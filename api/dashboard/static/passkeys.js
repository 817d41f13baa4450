// The passkey ceremonies in the browser: sign-in, enrolment through a link, adding a passkey, and
// the step-up before a destructive action.
// The WebAuthn calls go through SimpleWebAuthnBrowser (served from our origin); every POST sends
// the page's CSRF token as X-CSRF-Token; the server keeps the challenge (its id in a cookie).
const { startAuthentication, startRegistration, browserSupportsWebAuthn } = globalThis.SimpleWebAuthnBrowser;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const alertBox = document.querySelector("[data-passkey-error]");

function showError(message) {
  if (!alertBox) return;
  alertBox.textContent = message;
  alertBox.hidden = false;
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(body ?? {}),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.detail || `The server answered ${response.status}.`);
  return data;
}

async function run(button, work) {
  if (alertBox) alertBox.hidden = true;
  button.disabled = true;
  try {
    await work();
  } catch (error) {
    const cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
    showError(cancelled ? "The passkey request was cancelled or timed out. Try again." : error.message);
  } finally {
    button.disabled = false;
  }
}

if (!browserSupportsWebAuthn()) showError("This browser does not support passkeys.");

const signIn = document.querySelector("[data-passkey-sign-in]");
signIn?.addEventListener("click", () =>
  run(signIn, async () => {
    const { options } = await post("/dashboard/auth/sign-in/options");
    const response = await startAuthentication({ optionsJSON: options });
    const { redirect } = await post("/dashboard/auth/sign-in/verify", { response, next: signIn.dataset.next });
    location.assign(redirect);
  }));

const enrol = document.querySelector("form[data-passkey-enrol]");
enrol?.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(enrol);
  run(enrol.querySelector("button"), async () => {
    const { options } = await post("/dashboard/auth/enrol/options", {
      token: enrol.dataset.token,
      email: form.get("email"),
      display_name: form.get("display_name"),
    });
    const response = await startRegistration({ optionsJSON: options });
    const { redirect } = await post("/dashboard/auth/enrol/verify", {
      response,
      passkey_name: form.get("passkey_name"),
    });
    location.assign(redirect);
  });
});

const add = document.querySelector("form[data-passkey-add]");
add?.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(add);
  run(add.querySelector("button"), async () => {
    const { options } = await post("/dashboard/account/passkeys/options");
    const response = await startRegistration({ optionsJSON: options });
    await post("/dashboard/account/passkeys/verify", { response, passkey_name: form.get("passkey_name") });
    location.assign("/dashboard/account?added=1");
  });
});

// Step-up: a destructive action was refused for want of a recent passkey; prove it, then send the
// same form again (its fields are on the page, hidden).
const stepUp = document.querySelector("[data-passkey-step-up]");
stepUp?.addEventListener("click", () =>
  run(stepUp, async () => {
    const { options } = await post("/dashboard/auth/step-up/options");
    const response = await startAuthentication({ optionsJSON: options });
    await post("/dashboard/auth/step-up/verify", { response });
    stepUp.form.submit();
  }));
