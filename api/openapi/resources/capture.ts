/**
 * Owns the API document of the capture API under `/verify/{token}/…`: the calls an applicant's
 * browser makes (our hosted flow or the customer's own UI). The token in the path is the
 * credential; every bad file is a 400 with its own code.
 */
import { z } from "zod";
import {
  consentSchema,
  documentTypeSchema,
  sandboxOutcomeSchema,
  signalsSchema,
} from "../../../core/capture/service.ts";
import { applicantFieldsSchema } from "../../../core/sessions/create_input.ts";
import { nullableTimestamp, operations } from "../spec.ts";
import { documentQualitySchema } from "./sessions.ts";

export const captureStateSchema = z.object({
  session_id: z.string(),
  status: z.string(),
  is_sandbox: z.boolean(),
  capture_open: z.boolean(),
  expires_at: nullableTimestamp,
  redirect_url: z.string().nullable(),
  country: z.string().nullable(),
  document_type: z.string().nullable(),
  document_country: z.string().nullable(),
  document_state: z.string().nullable(),
  allowed_document_types: z.array(z.string()),
  requires_back: z.boolean(),
  back_optional: z.boolean(),
  selfie_required: z.boolean(),
  user_info_fields: z.array(z.string()),
  prefill: z.record(z.string(), z.unknown()),
  steps_required: z.array(z.string()),
  steps_optional: z.array(z.string()),
  steps_completed: z.array(z.string()),
  missing_steps: z.array(z.string()),
  next_step: z.string().nullable(),
  sandbox_presets: z.array(z.string()).nullable(),
});

const uploadResponse = z.object({
  document: z.object({
    id: z.string(),
    doc_type: z.string(),
    document_type: z.string().nullable(),
    side: z.string().nullable(),
    mime_type: z.string(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
  }),
  quality: documentQualitySchema,
  state: captureStateSchema,
});

const file = z.string().meta({ format: "binary" });
const tokenParam = { token: "The capture token from the session's capture_url." };
const tag = "Capture";
const fileErrors = [
  "bad_request",
  ["unsupported_media_type", 400],
  "file_too_large",
  "image_too_small",
  "image_unreadable",
  "consent_required",
  "step_out_of_order",
  // Every decode slot and queue place is taken: retry after Retry-After.
  "service_unavailable",
] as const;

function stateChange(
  action: string,
  operationId: string,
  summary: string,
  body: z.ZodType | undefined,
  errors: readonly ("consent_required" | "step_out_of_order" | "capture_incomplete")[],
) {
  return {
    method: "post" as const,
    path: `/verify/{token}/${action}`,
    operationId,
    summary,
    tag,
    auth: "capture_token" as const,
    pathParams: tokenParam,
    ...(body ? { body: { schema: body } } : {}),
    responses: { 200: { description: "The capture state after the step.", schema: captureStateSchema } },
    errors,
  };
}

export const captureSchemas = { CaptureState: captureStateSchema, CaptureUpload: uploadResponse };

export const captureOperations = operations({ tag, auth: "capture_token" }, [
  {
    method: "get",
    path: "/verify/{token}/state",
    operationId: "getCaptureState",
    summary: "The capture state: steps required and done, document types allowed",
    pathParams: tokenParam,
    responses: { 200: { description: "The state.", schema: captureStateSchema } },
  },
  stateChange("consent", "recordConsent", "Record the applicant's consent", consentSchema, []),
  stateChange("document-type", "chooseDocumentType", "Choose the document type and country", documentTypeSchema, [
    "consent_required",
    "step_out_of_order",
  ]),
  {
    method: "post",
    path: "/verify/{token}/documents",
    operationId: "uploadCaptureDocument",
    summary: "Upload the front or back of the document",
    description: "JPEG, PNG, WebP or HEIC, at most 10 MB.",
    pathParams: tokenParam,
    body: {
      contentType: "multipart/form-data",
      required: true,
      schema: z.object({ file, side: z.enum(["front", "back"]) }),
    },
    responses: { 200: { description: "The stored side, its quality, and the state.", schema: uploadResponse } },
    errors: fileErrors,
  },
  {
    method: "post",
    path: "/verify/{token}/selfie",
    operationId: "uploadCaptureSelfie",
    summary: "Upload the selfie (at least 480 px on its short side)",
    pathParams: tokenParam,
    body: { contentType: "multipart/form-data", required: true, schema: z.object({ file }) },
    responses: { 200: { description: "The stored selfie, its quality, and the state.", schema: uploadResponse } },
    errors: fileErrors,
  },
  stateChange(
    "fields",
    "submitCaptureFields",
    "Submit the user-info fields the workflow asks for",
    applicantFieldsSchema,
    [
      "consent_required",
      "step_out_of_order",
    ],
  ),
  {
    method: "post",
    path: "/verify/{token}/signals",
    operationId: "submitCaptureSignals",
    summary: "Send client fraud signals",
    pathParams: tokenParam,
    body: { schema: signalsSchema },
    responses: {
      200: { description: "Which signal groups were stored.", schema: z.object({ accepted: z.array(z.string()) }) },
    },
    errors: ["consent_required"],
  },
  stateChange("complete", "completeCapture", "Finish capture", undefined, ["consent_required", "capture_incomplete"]),
  {
    method: "post",
    path: "/verify/{token}/sandbox-outcome",
    operationId: "chooseSandboxOutcome",
    summary: "Choose the outcome of a sandbox session (after complete)",
    pathParams: tokenParam,
    body: { schema: sandboxOutcomeSchema },
    responses: {
      200: {
        description: "The session with the preset's result.",
        schema: z.object({
          session_id: z.string(),
          status: z.string(),
          preset: z.string(),
          redirect_url: z.string().nullable(),
        }),
      },
    },
    errors: [["sandbox_only", 400], "consent_required", "step_out_of_order"],
  },
]);
