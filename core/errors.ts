/**
 * Owns the one error type the product throws and the table from error code to HTTP status,
 * so every failure renders as the contract's `{error, detail, status_code}` body.
 */

const STATUS_BY_CODE = {
  bad_request: 400,
  invalid_json: 400,
  invalid_parameter: 400,
  invalid_session_state: 400,
  invalid_idempotency_key: 400,
  invalid_key_inflection: 400,
  unsupported_version: 400,
  sandbox_only: 403,
  // Org-wide settings govern live data: only a live secret key changes them (issue #15).
  live_key_required: 403,
  // Capture-flow failures: the contract makes each a 400 with its own precise code.
  token_expired: 400,
  consent_required: 400,
  step_out_of_order: 400,
  capture_incomplete: 400,
  file_too_large: 400,
  image_too_small: 400,
  image_unreadable: 400,
  sensitive_data_expired: 410,
  unauthorized: 401,
  // A dashboard operator's destructive action needs a fresh passkey assertion first (step-up).
  step_up_required: 403,
  insufficient_scope: 403,
  forbidden: 403,
  origin_not_allowed: 403,
  ip_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_in_progress: 409,
  // A legal hold refuses every redaction until it is released.
  legal_hold: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  idempotency_mismatch: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
    status?: number,
  ) {
    super(detail);
    this.name = "AppError";
    this.status = status ?? STATUS_BY_CODE[code];
  }

  /** The same error under another status, where the contract fixes one (capture endpoints answer 400). */
  withStatus(status: number): AppError {
    return new AppError(this.code, this.detail, this.fields, this.headers, status);
  }
}

export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} not found.`);
}

export function validationError(fields: Record<string, string>): AppError {
  const first = Object.entries(fields)[0];
  const detail = first ? `Invalid request: ${first[0] || "body"} ${first[1]}` : "Invalid request.";
  return new AppError("validation_error", detail, fields);
}

export interface ErrorBody {
  error: string;
  detail: string;
  status_code: number;
  fields?: Record<string, string>;
}

/** The contract's error body; 5xx never carry internal messages. */
export function errorBody(error: AppError): ErrorBody {
  const body: ErrorBody = { error: error.code, detail: error.detail, status_code: error.status };
  if (error.fields) body.fields = error.fields;
  return body;
}

export const INTERNAL_ERROR_BODY: ErrorBody = {
  error: "internal_error",
  detail: "An internal error occurred. Quote the X-Request-Id header when reporting it.",
  status_code: 500,
};
