/**
 * Owns the behaviour of the screens where the applicant answers rather than photographs:
 * consent, document type, country (and US state), and the user-information form.
 */
import { clearFieldErrors, showFieldErrors } from "./screens.js";

/** @param {HTMLElement} root */
function form(root) {
  return /** @type {HTMLFormElement} */ (root.querySelector("form"));
}

/** @type {import("./flow.js").EnterScreen} */
function consent(root, flow) {
  form(root).addEventListener("submit", (event) => {
    event.preventDefault();
    const box = /** @type {HTMLInputElement} */ (root.querySelector("input[name=accepted]"));
    if (!box.checked) {
      showFieldErrors(root, { accepted: "Check the box to give your consent, then continue." });
      return;
    }
    clearFieldErrors(root);
    flow.run(async () => {
      flow.setState(await flow.api.post("consent", { consent_version: flow.consentVersion, accepted: true }));
      flow.proceed();
    });
  });
}

/** @type {import("./flow.js").EnterScreen} */
function documentType(root, flow) {
  for (const button of root.querySelectorAll("[data-action=choose-type]")) {
    button.addEventListener("click", () => {
      flow.documentType = button.dataset.documentType;
      flow.backSkipped = false;
      flow.go("country");
    });
  }
}

/** The region of the browser's language (en-US → US), as a first guess at the issuing country. */
function browserCountry() {
  for (const language of navigator.languages ?? [navigator.language]) {
    const region = /-([A-Z]{2})$/i.exec(language ?? "")?.[1];
    if (region) return region.toUpperCase();
  }
  return "";
}

/** @type {import("./flow.js").EnterScreen} */
function country(root, flow) {
  if (!flow.documentType) return void flow.go("document-type");
  const countrySelect = /** @type {HTMLSelectElement} */ (root.querySelector("select[name=country]"));
  const stateSelect = /** @type {HTMLSelectElement} */ (root.querySelector("select[name=state]"));
  const stateField = /** @type {HTMLElement} */ (root.querySelector("[data-us-state]"));
  // The template holds the choice at page load; a choice made since (then "Change ID type") wins.
  if (flow.state.document_country) countrySelect.value = flow.state.document_country;
  if (flow.state.document_state) stateSelect.value = flow.state.document_state;
  if (!countrySelect.value) countrySelect.value = browserCountry();
  const syncState = () => (stateField.hidden = countrySelect.value !== "US");
  syncState();
  countrySelect.addEventListener("change", syncState);
  root.querySelector("[data-action=change-type]").addEventListener("click", () => flow.go("document-type"));

  form(root).addEventListener("submit", (event) => {
    event.preventDefault();
    const us = countrySelect.value === "US";
    const errors = {};
    if (!countrySelect.value) errors.country = "Select the country that issued your ID.";
    if (us && !stateSelect.value) errors.state = "Select the state that issued your ID.";
    if (Object.keys(errors).length) return void showFieldErrors(root, errors);
    clearFieldErrors(root);
    const body = {
      document_type: flow.documentType,
      country: countrySelect.value,
      state: us ? stateSelect.value : null,
    };
    flow.run(async () => {
      flow.setState(await flow.api.post("document-type", body));
      flow.proceed();
    }, (error) => showFieldErrors(root, error.fields));
  });
}

/**
 * The form's values as the fields endpoint takes them: `address.*` inputs nested under
 * `address`, empty optional inputs left out.
 */
function userFields(formElement) {
  const body = {};
  for (const control of formElement.querySelectorAll("input[name], select[name]")) {
    const value = control.value.trim();
    if (!value) continue;
    const [name, part] = control.name.split(".");
    if (part) (body[name] ??= {})[part] = value;
    else body[name] = value;
  }
  return body;
}

/** @type {import("./flow.js").EnterScreen} */
function userInfo(root, flow) {
  for (const input of root.querySelectorAll("[data-name-field]")) {
    input.addEventListener("paste", () => flow.signals.namePasted());
  }
  form(root).addEventListener("submit", (event) => {
    event.preventDefault();
    const errors = {};
    for (const control of root.querySelectorAll("[data-required]")) {
      if (!control.value.trim()) errors[control.name] = "This is required.";
    }
    if (Object.keys(errors).length) return void showFieldErrors(root, errors);
    clearFieldErrors(root);
    flow.run(async () => {
      flow.setState(await flow.api.post("fields", userFields(form(root))));
      flow.proceed();
    }, (error) => showFieldErrors(root, error.fields));
  });
}

export const formScreens = {
  "consent": consent,
  "document-type": documentType,
  "country": country,
  "user-info": userInfo,
};
