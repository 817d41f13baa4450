/**
 * Owns `GET /examples/embed`: an example customer page that opens a capture URL with verifa.js in
 * a modal (iframe) or a popup and shows what onComplete received. Its headers are the ones a host
 * page needs: it may frame the capture origin and delegates the camera to it. Because it does so
 * on our own origin, it takes only a capture URL this installation issued (anything else is a 400),
 * and it is mounted only where the example is enabled (VERIFA_EXAMPLES; capture-ui/routes.ts).
 */
import { Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../api/http.ts";
import type { CoreDeps } from "../core/deps.ts";
import { AppError } from "../core/errors.ts";
import { isOwnCaptureUrl } from "../core/sessions/capture_token.ts";
import { setHostPageHeaders } from "./page_headers.ts";
import { staticUrl } from "./static_files.ts";

/** The capture_url query parameter: absent (an empty form), or one of our own capture URLs. */
function parseCaptureUrl(publicUrl: string, raw: string | undefined): URL | null {
  if (!raw) return null;
  if (!isOwnCaptureUrl(publicUrl, raw)) {
    throw new AppError(
      "invalid_parameter",
      `capture_url must be a capture URL of this Verifa (${publicUrl}/verify/tok_…), as POST /api/v1/sessions returns it.`,
    );
  }
  return new URL(raw);
}

const SNIPPET = `<script src="${"{VERIFA_URL}"}/static/verifa.js"></script>
<script>
  Verifa.open({
    captureUrl,                 // from your backend: POST /api/v1/sessions → capture_url
    mode: "modal",              // or "popup" (default) or "redirect"
    onComplete: ({ sessionId, status }) => { /* fetch the result server-side */ },
    onClose: () => {},
    onError: ({ code, message }) => {},   // e.g. code "ready_timeout"
  });
</script>`;

export function embedExampleRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.get("/examples/embed", (c) => {
    const capture = parseCaptureUrl(deps.publicUrl, c.req.query("capture_url"));
    // Our capture URLs all live on the public origin: the only one framed and given the camera.
    setHostPageHeaders(c, [new URL(deps.publicUrl).origin]);
    return c.html(html`<!DOCTYPE html>${(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>verifa.js example</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href={staticUrl("examples/embed_example.css")} />
          <script src="/static/verifa.js" defer></script>
          <script src={staticUrl("examples/embed_example.js")} defer></script>
        </head>
        <body>
          <main>
            <h1>verifa.js example</h1>
            <p>
              A customer page embedding the hosted capture flow. Create a session with your secret key, paste its{" "}
              <code>capture_url</code>, then open it.
            </p>
            <form method="get" action="/examples/embed" class="url-form">
              <label for="capture-url">Capture URL</label>
              <input
                id="capture-url"
                name="capture_url"
                type="url"
                required
                value={capture?.toString()}
                placeholder={`${deps.publicUrl}/verify/tok_…`}
              />
              <button type="submit">Use this URL</button>
            </form>
            <div class="actions" data-capture-url={capture?.toString() ?? ""}>
              <button type="button" id="open-modal" disabled={!capture}>Open in a modal</button>
              <button type="button" id="open-popup" disabled={!capture}>Open in a popup</button>
              <button type="button" id="open-redirect" disabled={!capture}>Open with a redirect</button>
            </div>
            <h2>Result</h2>
            <output id="result" role="status" aria-live="polite" data-session-id="" data-status="">
              Nothing yet.
            </output>
            <h2>Events</h2>
            <ol id="events" class="events"></ol>
            <h2>The code</h2>
            <pre><code>{SNIPPET.replace("{VERIFA_URL}", deps.publicUrl)}</code></pre>
          </main>
        </body>
      </html>
    )}`);
  });

  return app;
}
