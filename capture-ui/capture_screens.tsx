/**
 * Owns the markup of the capture screens, in the tutorial's order: consent, document type,
 * country, the front and back tips (and the offer of an optional back), the camera, the photo
 * review, the selfie and its review, and the user-information form. Behaviour lives in
 * static/capture/; the names and `data-action` hooks here are what it (and the browser tests)
 * bind to.
 */
import { Button, type PageModel, Screen, Tips, UploadButton } from "./screen.tsx";
import { COUNTRIES, type Option, US_STATES } from "./countries.ts";
import {
  ADDRESS_FIELDS,
  DOCUMENT_TYPE_LABELS,
  DOCUMENT_TYPE_ORDER,
  type FieldSpec,
  fieldSpec,
  NAME_FIELDS,
} from "./labels.ts";

export function ConsentScreen({ state }: PageModel) {
  return (
    <Screen name="consent" title="Verify your identity">
      <p class="lead">
        The company that sent you this link needs to confirm who you are. It takes a few minutes.
      </p>
      <h2>What we collect and why</h2>
      <ul class="collected">
        <li>
          <strong>Photos of a government-issued ID</strong>, to read your details and check that the document is real.
        </li>
        {state.selfie_required && (
          <li>
            <strong>A selfie</strong>, compared with the photo on your ID to confirm it is you. This uses biometric data
            from your face.
          </li>
        )}
        {state.user_info_fields.length > 0 && (
          <li>
            <strong>The details you type in</strong>, checked against your ID.
          </li>
        )}
        <li>
          <strong>Information about your device and how you use this page</strong>, to protect you against fraud.
        </li>
      </ul>
      <p>Everything is encrypted and kept only as long as the company's retention policy allows.</p>
      <form class="form" data-form="consent" novalidate>
        <div class="check">
          <input type="checkbox" id="consent-accept" name="accepted" aria-describedby="consent-accept-error" />
          <label for="consent-accept">
            I agree to the collection and processing of my ID and biometric data for identity verification.
          </label>
        </div>
        <p class="error" id="consent-accept-error" data-error-for="accepted" hidden></p>
        <button type="submit" class="button primary">Continue</button>
      </form>
    </Screen>
  );
}

export function DocumentTypeScreen({ state }: PageModel) {
  const allowed = DOCUMENT_TYPE_ORDER.filter((type) => state.allowed_document_types.includes(type));
  return (
    <Screen name="document-type" title="Choose your ID type">
      <p class="lead">Which government-issued ID will you use?</p>
      <ul class="choices">
        {allowed.map((type) => (
          <li key={type}>
            <button
              type="button"
              class="choice"
              data-action="choose-type"
              data-document-type={type}
              aria-label={DOCUMENT_TYPE_LABELS[type].label}
              aria-describedby={`type-${type}-hint`}
            >
              <span class="choice-title">{DOCUMENT_TYPE_LABELS[type].label}</span>
              <span class="choice-hint" id={`type-${type}-hint`}>{DOCUMENT_TYPE_LABELS[type].hint}</span>
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

function Select(
  { id, name, label, options, selected, placeholder, autocomplete = "off", required = true }: {
    id: string;
    name: string;
    label: string;
    options: readonly Option[];
    selected: string | null | undefined;
    placeholder: string;
    autocomplete?: string;
    required?: boolean;
  },
) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        name={name}
        autocomplete={autocomplete}
        aria-describedby={`${id}-error`}
        data-required={required ? "" : undefined}
      >
        <option value="">{placeholder}</option>
        {options.map((option) => (
          <option key={option.code} value={option.code} selected={option.code === selected}>{option.name}</option>
        ))}
      </select>
      <p class="error" id={`${id}-error`} data-error-for={name} hidden></p>
    </div>
  );
}

export function CountryScreen({ state }: PageModel) {
  const country = state.document_country ?? state.country;
  return (
    <Screen name="country" title="Where was your ID issued?">
      <form class="form" data-form="country" novalidate>
        <Select
          id="country-select"
          name="country"
          label="Country"
          options={COUNTRIES}
          selected={country}
          placeholder="Select a country"
        />
        <div data-us-state hidden={country !== "US"}>
          <Select
            id="state-select"
            name="state"
            label="State"
            options={US_STATES}
            selected={state.document_state}
            placeholder="Select a state"
          />
        </div>
        <button type="submit" class="button primary">Continue</button>
        <Button action="change-type" kind="link">Change ID type</Button>
      </form>
    </Screen>
  );
}

const CAPTURE_TIPS = [
  "Use good lighting",
  "Avoid glare: tilt the ID away from lamps and windows",
  "Place your ID on a dark, flat surface",
];

export function FrontTipsScreen() {
  return (
    <Screen name="front-tips" title="Scan the front of your ID">
      <p class="lead">For a passport, scan the page with your photo.</p>
      <div class="illustration card-front" aria-hidden="true"></div>
      <Tips items={CAPTURE_TIPS} />
      <Button action="ready">I'm ready</Button>
      <UploadButton label="Upload a photo instead" kind="link" />
    </Screen>
  );
}

/** `skip-back` shows only for a type whose back is optional (the page unhides it from the state). */
export function BackTipsScreen() {
  return (
    <Screen name="back-tips" title="Scan the back of your ID">
      <p class="lead">Turn your ID over.</p>
      <div class="illustration card-back" aria-hidden="true"></div>
      <Tips items={["Keep the barcode fully visible and in focus", ...CAPTURE_TIPS]} />
      <Button action="ready">I'm ready</Button>
      <UploadButton label="Upload a photo instead" kind="link" />
      <Button action="skip-back" kind="link" data-optional-back hidden>Skip the back</Button>
    </Screen>
  );
}

/**
 * After the front of an ID whose back is optional (seed 003: state ID / national ID, front only):
 * the applicant adds the back or skips it, both one press away and named for what they do.
 */
export function BackOfferScreen() {
  return (
    <Screen name="back-offer" title="Add the back of your ID?">
      <p class="lead" id="back-offer-why">
        Your ID type needs only the front. If the back has a barcode or printed lines of capital letters, a photo of it
        helps us read your details.
      </p>
      <div class="illustration card-back" aria-hidden="true"></div>
      <Button action="add-back" kind="secondary" aria-describedby="back-offer-why">Add the back (optional)</Button>
      <Button action="skip-back">Skip</Button>
    </Screen>
  );
}

/** One camera screen for both sides; the page sets the heading for the side it captures. */
export function CameraScreen() {
  return (
    <Screen name="camera" title="Front of your ID">
      <div class="viewfinder document" data-viewfinder>
        <video data-video playsinline muted autoplay aria-label="Camera preview"></video>
        <div class="frame" aria-hidden="true"></div>
      </div>
      <p class="camera-status" data-camera-status>Starting the camera…</p>
      <div class="modes" role="group" aria-label="Capture mode">
        <button type="button" class="mode" data-action="mode-auto" aria-pressed="true">Auto</button>
        <button type="button" class="mode" data-action="mode-manual" aria-pressed="false">Manual</button>
      </div>
      <div class="camera-actions">
        <button type="button" class="shutter" data-action="shutter" aria-label="Take photo" hidden>
          <span aria-hidden="true"></span>
        </button>
        <UploadButton />
      </div>
    </Screen>
  );
}

/** The review after a capture: the photo, the server's quality feedback, submit or retake. */
export function ReviewScreen({ name, changeType }: { name: "review" | "selfie-review"; changeType: boolean }) {
  return (
    <Screen name={name} title="Check your photo">
      <figure class="preview">
        <img data-preview alt="" />
      </figure>
      <p class="review-status" data-review-status>Checking your photo…</p>
      <ul class="warnings" data-warnings hidden></ul>
      <Button action="submit-photo" disabled>Submit photo</Button>
      <Button action="retake" kind="secondary">Retake photo</Button>
      {changeType && <Button action="change-type" kind="link">Change ID type</Button>}
    </Screen>
  );
}

export function SelfieScreen() {
  return (
    <Screen name="selfie" title="Take a selfie">
      <p class="lead">We compare it with the photo on your ID.</p>
      <div class="viewfinder selfie" data-viewfinder>
        <video data-video playsinline muted autoplay aria-label="Camera preview"></video>
        <div class="oval" aria-hidden="true"></div>
      </div>
      <p class="camera-status" data-camera-status>Starting the camera…</p>
      <Tips items={["Face the camera in good light", "Take off sunglasses, hats and masks"]} />
      <Button action="shutter">Take selfie</Button>
      <UploadButton label="Upload a photo instead" kind="link" />
    </Screen>
  );
}

function Input({ name, spec, value }: { name: string; spec: FieldSpec; value: unknown }) {
  const id = `field-${name.replace(".", "-")}`;
  const text = typeof value === "string" ? value : undefined;
  const describedBy = [spec.hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" ");
  const label = spec.optional ? `${spec.label} (optional)` : spec.label;
  if (spec.type === "country") {
    return (
      <Select
        id={id}
        name={name}
        label={label}
        options={COUNTRIES}
        selected={text?.toUpperCase()}
        placeholder="Select a country"
        autocomplete={spec.autocomplete}
        required={!spec.optional}
      />
    );
  }
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {spec.hint && <p class="hint" id={`${id}-hint`}>{spec.hint}</p>}
      <input
        id={id}
        name={name}
        type={spec.type}
        value={text}
        autocomplete={spec.autocomplete}
        inputmode={spec.inputMode}
        aria-describedby={describedBy}
        data-required={spec.optional ? undefined : ""}
        data-name-field={NAME_FIELDS.includes(name) ? "" : undefined}
      />
      <p class="error" id={`${id}-error`} data-error-for={name} hidden></p>
    </div>
  );
}

export function UserInfoScreen({ state }: PageModel) {
  const address = (state.prefill.address ?? {}) as Record<string, unknown>;
  return (
    <Screen name="user-info" title="Your information">
      <p class="lead">Enter your details as they appear on your ID.</p>
      <form class="form" data-form="user-info" novalidate>
        {state.user_info_fields.map((field) =>
          field === "address"
            ? (
              <fieldset key={field} class="address">
                <legend>Address</legend>
                {Object.entries(ADDRESS_FIELDS).map(([key, spec]) => (
                  <Input key={key} name={`address.${key}`} spec={spec} value={address[key]} />
                ))}
              </fieldset>
            )
            : <Input key={field} name={field} spec={fieldSpec(field)} value={state.prefill[field]} />
        )}
        <button type="submit" class="button primary">Continue</button>
      </form>
    </Screen>
  );
}
