/**
 * Owns the markup of the screens after capture: processing (submitting, then waiting on a live
 * verification), the sandbox outcome chooser and its confirmation, and done. The page shows the
 * last two only once the server has accepted `complete` (and, in sandbox, the outcome).
 */
import { Button, type PageModel, Screen } from "./screen.tsx";
import { PRESET_LABELS } from "./labels.ts";
import { isSandboxPreset } from "../core/sessions/sandbox_presets.ts";

export function ProcessingScreen() {
  return (
    <Screen name="processing" title="Verifying your identity">
      <div class="spinner" aria-hidden="true"></div>
      <p class="lead" data-processing-status>Submitting your photos…</p>
      <p>Keep this page open. It usually takes less than a minute.</p>
    </Screen>
  );
}

export function OutcomeScreen({ state }: PageModel) {
  const presets = (state.sandbox_presets ?? []).filter(isSandboxPreset);
  return (
    <Screen name="outcome" title="Choose Verification Outcome">
      <p class="lead">
        This is a sandbox session: no real checks run. Choose the result it should get; your webhooks and the result API
        then see exactly what a live verification with that outcome produces.
      </p>
      <ul class="choices">
        {presets.map((preset) => (
          <li key={preset}>
            <button
              type="button"
              class="choice"
              data-action="choose-outcome"
              data-preset={preset}
              aria-label={PRESET_LABELS[preset].label}
              aria-describedby={`preset-${preset}-hint`}
            >
              <span class="choice-title">{PRESET_LABELS[preset].label}</span>
              <span class="choice-hint" id={`preset-${preset}-hint`}>{PRESET_LABELS[preset].hint}</span>
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

/** Shared by the two last screens: where the applicant goes next, and Close inside an embed. */
function Leaving() {
  return (
    <>
      <p class="redirect" data-redirect hidden>
        Taking you back… <a data-redirect-link href="#">Continue</a>
      </p>
      <Button action="close" kind="secondary" data-embed-only hidden>Close</Button>
    </>
  );
}

export function ConfirmationScreen() {
  return (
    <Screen name="confirmation" title="Verification complete">
      <div class="done-mark" aria-hidden="true"></div>
      <p class="lead">
        Outcome recorded: <strong data-outcome-label>—</strong>
      </p>
      <p>You can now close this page.</p>
      <Leaving />
    </Screen>
  );
}

export function DoneScreen() {
  return (
    <Screen name="done" title="You're all set">
      <div class="done-mark" aria-hidden="true"></div>
      <p class="lead">Your verification has been submitted.</p>
      <p>You can now close this page.</p>
      <Leaving />
    </Screen>
  );
}
