/**
 * Owns the token-authenticated capture API under /verify/{token}: the endpoints an applicant's
 * browser (our hosted flow, or the customer's own UI) calls. No API key: the token is the credential.
 */
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../http.ts";
import { readJson, readUpload } from "../http.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { AppError } from "../../core/errors.ts";
import { MAX_UPLOAD_BYTES } from "../../core/images/image_pipeline.ts";
import {
  chooseDocumentType,
  chooseSandboxOutcome,
  completeCapture,
  getCaptureState,
  recordConsent,
  submitSignals,
  submitUserFields,
  uploadDocumentSide,
  uploadSelfie,
} from "../../core/capture/service.ts";
import type { StoredDocument } from "../../core/documents/service.ts";
import { qualityFeedback } from "../../core/documents/dto.ts";

/** Every bad file is a 400 on the capture API, whatever status the code has elsewhere. */
async function capture400<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && ["unsupported_media_type", "payload_too_large"].includes(error.code)) {
      throw (error.code === "payload_too_large"
        ? new AppError("file_too_large", `Files are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`)
        : error).withStatus(400);
    }
    throw error;
  }
}

function uploadResponse(stored: StoredDocument) {
  return {
    document: {
      id: stored.row.id,
      doc_type: stored.row.doc_type,
      document_type: stored.row.document_type,
      side: stored.row.side,
      mime_type: stored.row.mime_type,
      width: stored.row.width,
      height: stored.row.height,
    },
    quality: qualityFeedback(stored.quality),
  };
}

export function captureRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  const token = (c: AppContext) => c.req.param("token") ?? "";
  const json = (c: AppContext, body: unknown) => {
    // Capture responses describe one applicant's progress: never cache them anywhere.
    c.header("Cache-Control", "no-store");
    return c.json(body as Record<string, unknown>);
  };

  app.get("/:token/state", async (c) => json(c, await getCaptureState(deps, token(c))));

  app.post("/:token/consent", async (c) => {
    const meta = { ip: c.get("clientIp"), userAgent: c.req.header("user-agent") ?? null };
    return json(c, await recordConsent(deps, token(c), await readJson(c), meta));
  });

  app.post("/:token/document-type", async (c) => json(c, await chooseDocumentType(deps, token(c), await readJson(c))));

  app.post("/:token/documents", async (c) =>
    await capture400(async () => {
      const upload = await readUpload(c, MAX_UPLOAD_BYTES, 400);
      const { stored, state } = await uploadDocumentSide(deps, token(c), upload.fields.side ?? "", upload.bytes);
      return json(c, { ...uploadResponse(stored), state });
    }));

  app.post("/:token/selfie", async (c) =>
    await capture400(async () => {
      const upload = await readUpload(c, MAX_UPLOAD_BYTES, 400);
      const { stored, state } = await uploadSelfie(deps, token(c), upload.bytes);
      return json(c, { ...uploadResponse(stored), state });
    }));

  app.post("/:token/fields", async (c) => json(c, await submitUserFields(deps, token(c), await readJson(c))));
  app.post("/:token/signals", async (c) => json(c, await submitSignals(deps, token(c), await readJson(c))));
  app.post("/:token/complete", async (c) => json(c, await completeCapture(deps, token(c))));
  app.post(
    "/:token/sandbox-outcome",
    async (c) => json(c, await chooseSandboxOutcome(deps, token(c), await readJson(c))),
  );

  return app;
}
