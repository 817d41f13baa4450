/** Owns the response shapes of sessions and results: rows in, contract objects out, PII filtered. */
import type { SessionResultRow, SessionRow } from "../db/database.ts";
import type { KeyRing } from "../crypto/key_ring.ts";
import type { SessionDtoRow } from "./repository.ts";
import type { OrgSettings } from "../orgs/settings.ts";
import { captureTokenContext, captureUrl } from "./capture_token.ts";
import { resultDataContext, sessionFieldContext } from "./service.ts";

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The session's review case, if it has one (core/cases/repository.ts caseLinksOfSessions). */
export interface SessionCaseLink {
  id: string;
  status: string;
}

export function toSessionDto(
  row: SessionDtoRow,
  keyRing: KeyRing,
  publicUrl: string,
  now: Date,
  reviewCase: SessionCaseLink | null = null,
) {
  const captureOpen = (row.status === "pending" || row.status === "capturing") && row.capture_token_enc &&
    row.token_expires_at && row.token_expires_at > now;
  const token = captureOpen
    ? new TextDecoder().decode(keyRing.decrypt(row.capture_token_enc!, captureTokenContext(row.id)))
    : null;
  return {
    id: row.id,
    status: row.status,
    is_sandbox: row.environment === "sandbox",
    environment: row.environment,
    external_ref: row.external_ref,
    identity_id: row.identity_id,
    country: row.country,
    workflow_id: row.workflow_id,
    redirect_url: row.redirect_url,
    checks: row.checks,
    metadata: row.metadata,
    tags: row.tags,
    document_type: row.document_type,
    retention_status: row.retention_status,
    legal_hold: row.legal_hold,
    legal_hold_reason: row.legal_hold_reason,
    legal_hold_set_at: iso(row.legal_hold_set_at),
    processing_attempts: row.processing_attempts,
    consent_ip: row.consent_ip_enc
      ? keyRing.decryptJson<string>(row.consent_ip_enc, sessionFieldContext(row.id, "consent_ip_enc"))
      : null,
    capture_url: token ? captureUrl(publicUrl, token) : null,
    send_email: row.send_email,
    case_id: reviewCase?.id ?? null,
    case_status: reviewCase?.status ?? null,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    expires_at: iso(row.token_expires_at),
    token_expires_at: iso(row.token_expires_at),
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
    expired_at: iso(row.expired_at),
    links: {
      result: `/api/v1/sessions/${row.id}/result`,
      documents: `/api/v1/sessions/${row.id}/documents`,
      risk: `/api/v1/sessions/${row.id}/risk`,
      webhook_deliveries: `/api/v1/webhooks/deliveries?session_id=${row.id}`,
    },
  };
}

/** The sensitive-data window runs from the moment the session reached its outcome. */
export function sensitiveDataExpired(session: SessionRow, settings: OrgSettings, now: Date): boolean {
  const days = settings.sensitive_data_retention_days;
  if (days === null || !session.completed_at) return false;
  return session.completed_at.getTime() + days * 86_400_000 <= now.getTime();
}

export function filterPii(data: Record<string, unknown>, allowlist: string[] | null): Record<string, unknown> {
  if (allowlist === null) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => allowlist.includes(key)));
}

function extractedData(result: SessionResultRow, keyRing: KeyRing, settings: OrgSettings, expired: boolean) {
  if (expired || !result.extracted_data_enc) return {};
  const data = keyRing.decryptJson<Record<string, unknown>>(
    result.extracted_data_enc,
    resultDataContext(result.session_id),
  );
  return filterPii(data, settings.api_pii_fields);
}

export function toResultDto(
  session: SessionRow,
  result: SessionResultRow,
  keyRing: KeyRing,
  settings: OrgSettings,
  now: Date,
) {
  const expired = sensitiveDataExpired(session, settings, now);
  return {
    session_id: session.id,
    status: result.status,
    is_sandbox: session.environment === "sandbox",
    created_at: iso(result.created_at),
    face_match_passed: result.face_match_passed,
    face_match_score: result.face_match_score,
    age_check_passed: result.age_check_passed,
    extracted_age: result.extracted_age,
    extracted_data: extractedData(result, keyRing, settings, expired),
    rejection_reason: result.rejection_reason,
    rejection_reason_code: result.rejection_reason_code,
    processing_mode: result.processing_mode,
    country_used: result.country_used,
    check_results: result.check_results,
    sensitive_data_expired: expired,
  };
}

/** `/results/{id}`: the same data with the outcome details nested under `result`. */
export function toNestedResultDto(
  session: SessionRow,
  result: SessionResultRow,
  keyRing: KeyRing,
  settings: OrgSettings,
  now: Date,
) {
  const flat = toResultDto(session, result, keyRing, settings, now);
  return {
    session_id: flat.session_id,
    external_ref: session.external_ref,
    status: flat.status,
    is_sandbox: flat.is_sandbox,
    created_at: flat.created_at,
    result: {
      face_match_passed: flat.face_match_passed,
      face_match_score: flat.face_match_score,
      age_check_passed: flat.age_check_passed,
      extracted_age: flat.extracted_age,
      extracted_data: flat.extracted_data,
      check_results: flat.check_results,
    },
    rejection_reason: flat.rejection_reason,
    rejection_reason_code: flat.rejection_reason_code,
    processing_mode: flat.processing_mode,
    country_used: flat.country_used,
    sensitive_data_expired: flat.sensitive_data_expired,
  };
}

/** List items carry no PII at all. */
export function toResultSummaryDto(result: SessionResultRow & { external_ref: string | null }) {
  return {
    session_id: result.session_id,
    external_ref: result.external_ref,
    status: result.status,
    is_sandbox: result.environment === "sandbox",
    created_at: iso(result.created_at),
    face_match_passed: result.face_match_passed,
    face_match_score: result.face_match_score,
    age_check_passed: result.age_check_passed,
    rejection_reason: result.rejection_reason,
    rejection_reason_code: result.rejection_reason_code,
    processing_mode: result.processing_mode,
    country_used: result.country_used,
  };
}
