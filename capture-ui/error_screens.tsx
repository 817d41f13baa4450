/**
 * Owns the markup of the error screens: each says what happened and what the applicant can do,
 * in plain words, with the action that gets them going again.
 */
import { Button, Screen, UploadButton } from "./screen.tsx";

export function ExpiredScreen() {
  return (
    <Screen name="error-expired" title="This link has expired">
      <p class="lead">For your security, verification links only work for a limited time, and only once.</p>
      <h2>What to do</h2>
      <p>
        If you already finished your verification, there is nothing more to do. Otherwise, ask the company that sent you
        this link for a new one: anything you already uploaded is kept, so you will not have to start over.
      </p>
      <Button action="close" kind="secondary" data-embed-only hidden>Close</Button>
    </Screen>
  );
}

export function CameraErrorScreen() {
  return (
    <Screen name="error-camera" title="We can't use your camera">
      <div data-camera-problem="denied" hidden>
        <p class="lead">Camera access is blocked for this page.</p>
        <h2>To allow the camera</h2>
        <ul class="tips">
          <li>Tap the camera or lock icon next to the web address, set Camera to Allow, then try again.</li>
          <li>On iPhone: Settings › Safari › Camera › Allow.</li>
          <li>If this page is inside another website, that website must allow camera access.</li>
        </ul>
      </div>
      <div data-camera-problem="missing" hidden>
        <p class="lead">We couldn't find a camera we can use on this device, or another app is using it.</p>
      </div>
      <p>You can upload a photo you already have instead.</p>
      <UploadButton kind="primary" />
      <Button action="retry-camera" kind="secondary">Try camera again</Button>
    </Screen>
  );
}

export function UnsupportedScreen() {
  return (
    <Screen name="error-unsupported" title="This browser isn't supported">
      <p class="lead" data-unsupported-reason>
        This page needs a more recent browser.
      </p>
      <p>Open this link in an up-to-date Chrome, Safari, Firefox or Edge. Your progress is kept.</p>
      <Button action="close" kind="secondary" data-embed-only hidden>Close</Button>
    </Screen>
  );
}

export function UploadErrorScreen() {
  return (
    <Screen name="error-upload" title="We couldn't use that photo">
      <p class="lead" data-upload-detail>The photo was rejected.</p>
      <p>Take a new photo, or upload a different one: a clear, well-lit JPEG or PNG of at most 10 MB.</p>
      <Button action="retake">Try again</Button>
      <UploadButton label="Upload a different photo" />
    </Screen>
  );
}

export function ConnectionErrorScreen() {
  return (
    <Screen name="error-connection" title="Connection lost">
      <p class="lead">We couldn't reach the server. Check your internet connection.</p>
      <p>Your progress is saved: trying again picks up where you left off.</p>
      <Button action="retry">Try again</Button>
    </Screen>
  );
}
