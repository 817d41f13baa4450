/**
 * Owns `GET /verify/{token}`: the hosted capture page. It renders, from the same state the capture
 * API returns, the screen the session is at (so a reload resumes there), every other screen as an
 * inert <template> the page's scripts clone, and the state itself as JSON for those scripts.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../api/http.ts";
import type { CoreDeps } from "../core/deps.ts";
import { AppError } from "../core/errors.ts";
import { getCaptureState } from "../core/capture/service.ts";
import { captureUrl, qrCodeDataUrl } from "../core/sessions/capture_token.ts";
import { type PageModel } from "./screen.tsx";
import {
  BackOfferScreen,
  BackTipsScreen,
  CameraScreen,
  ConsentScreen,
  CountryScreen,
  DocumentTypeScreen,
  FrontTipsScreen,
  ReviewScreen,
  SelfieScreen,
  UserInfoScreen,
} from "./capture_screens.tsx";
import { ConfirmationScreen, DoneScreen, OutcomeScreen, ProcessingScreen } from "./finish_screens.tsx";
import {
  CameraErrorScreen,
  ConnectionErrorScreen,
  ExpiredScreen,
  UnsupportedScreen,
  UploadErrorScreen,
} from "./error_screens.tsx";
import { setCapturePageHeaders } from "./page_headers.ts";
import { staticUrl } from "./static_files.ts";
import { screenForState } from "./static/capture/steps.js";

/** The consent text's version, recorded with the applicant's consent; bump it when the text changes. */
export const CONSENT_VERSION = "2026-01-01";

/** Every screen by its `data-screen` name (the browser tests' hooks). */
const SCREENS: Record<string, (model: PageModel) => Child> = {
  "consent": ConsentScreen,
  "document-type": DocumentTypeScreen,
  "country": CountryScreen,
  "front-tips": FrontTipsScreen,
  "camera": CameraScreen,
  "review": () => <ReviewScreen name="review" changeType />,
  "back-offer": BackOfferScreen,
  "back-tips": BackTipsScreen,
  "selfie": SelfieScreen,
  "selfie-review": () => <ReviewScreen name="selfie-review" changeType={false} />,
  "user-info": UserInfoScreen,
  "outcome": OutcomeScreen,
  "confirmation": ConfirmationScreen,
  "processing": ProcessingScreen,
  "done": DoneScreen,
  "error-expired": ExpiredScreen,
  "error-camera": CameraErrorScreen,
  "error-unsupported": UnsupportedScreen,
  "error-upload": UploadErrorScreen,
  "error-connection": ConnectionErrorScreen,
};

/** What the scripts read at boot; `<` is escaped so no value can close the <script> block. */
function configJson(config: Record<string, unknown>): string {
  return JSON.stringify(config).replace(/</g, "\\u003c");
}

function Document(
  { model, initial, qr, config }: {
    model: PageModel | null;
    initial: string;
    qr: string | null;
    config: Record<string, unknown>;
  },
) {
  const render = (name: string) => SCREENS[name](model as PageModel);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="robots" content="noindex, nofollow" />
        <title>Verify your identity</title>
        {/* An empty icon: browsers stop asking for /favicon.ico, which would be a 404 in the console. */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={staticUrl("capture/capture.css")} />
        <script type="module" src={staticUrl("capture/main.js")}></script>
        <script noModule src={staticUrl("capture/unsupported.js")}></script>
      </head>
      <body data-current-screen={initial}>
        <header class="topbar">
          <span class="brand">Verifa</span>
          {model?.state.is_sandbox && <span class="badge">Sandbox</span>}
        </header>
        <div class="layout">
          <main id="main" data-screen-host>{render(initial)}</main>
          {qr && (
            <aside class="handoff" data-handoff aria-labelledby="handoff-title">
              <h2 id="handoff-title">Continue on your phone</h2>
              <p>
                Scan this code with your phone's camera to carry on there: phone cameras take sharper photos of IDs.
              </p>
              <img src={qr} width={200} height={200} alt="QR code that opens this verification on your phone" />
            </aside>
          )}
        </div>
        <p class="visually-hidden" role="status" aria-live="polite" data-live></p>
        <noscript>
          <p class="noscript">This page needs JavaScript to take photos of your ID. Turn JavaScript on and reload.</p>
        </noscript>
        {model &&
          Object.keys(SCREENS).map((name) => <template key={name} data-screen-template={name}>{render(name)}
          </template>)}
        <script type="application/json" id="verifa-config" dangerouslySetInnerHTML={{ __html: configJson(config) }} />
      </body>
    </html>
  );
}

export function capturePageRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/verify/:token", async (c) => {
    const token = c.req.param("token");
    setCapturePageHeaders(c);
    let model: PageModel;
    try {
      model = { state: await getCaptureState(deps, token) };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "token_expired") throw error;
      // Unknown, replaced and timed-out tokens look alike: the applicant needs a new link either way.
      const config = { error: { code: error.code, message: error.detail } };
      return c.html(
        html`<!DOCTYPE html>${<Document model={null} initial="error-expired" qr={null} config={config} />}`,
        410,
      );
    }
    const qr = model.state.capture_open ? await qrCodeDataUrl(captureUrl(deps.publicUrl, token)) : null;
    const config = { token, consent_version: CONSENT_VERSION, state: model.state };
    return c.html(
      html`<!DOCTYPE html>${<Document model={model} initial={screenForState(model.state)} qr={qr} config={config} />}`,
    );
  });

  return app;
}
