/**
 * Owns the data-subject access export of a session (GDPR Art. 15; issue #9): one JSON document
 * with everything the product holds about the session, personal data decrypted.
 *
 * Decisions: the organisation's `api_pii_fields` allowlist applies to `extracted_data` as it does
 * to results and webhooks (issue #9: an organisation that keeps some fields out of every API
 * response keeps them out of this one; with no allowlist everything is exported), and so does the
 * sensitive-data window: past it the API no longer reads the session's
 * personal data or documents for anyone, so the export carries `sensitive_data_expired: true`
 * with those parts empty. Document links last 24 hours (the notes' DSAR TTL), not the org's
 * `image_url_expiry_seconds`, so the person can actually download them.
 */
import type { CoreDeps } from "../deps.ts";
import type { SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import { findResult, findSession } from "../sessions/repository.ts";
import { sensitiveDataExpired, toResultDto, toSessionDto } from "../sessions/dto.ts";
import { sessionFieldContext } from "../sessions/service.ts";
import { listDocuments } from "../documents/service.ts";
import { signedDocumentUrl } from "../documents/dto.ts";
import { findCaseOfSession, listNoteRows } from "../cases/repository.ts";
import { toCaseDto, toNoteDto } from "../cases/dto.ts";
import { assessRisk } from "../risk/assessment.ts";
import { findLatestRun } from "../verification/runs.ts";
import { listAttempts, listDeliveries } from "../webhooks/deliveries.ts";

export const EXPORT_URL_TTL_SECONDS = 24 * 3600;

/** A session has a handful of deliveries and notes; these bound a pathological one. */
const MAX_EXPORTED_ROWS = 1000;

const PII_COLUMNS = [
  ["fields", "fields_enc"],
  ["user_fields", "user_fields_enc"],
  ["applicant_email", "applicant_email_enc"],
  ["applicant_name", "applicant_name_enc"],
  ["consent_ip", "consent_ip_enc"],
  ["consent_user_agent", "consent_user_agent_enc"],
] as const;

function sessionPii(deps: CoreDeps, session: SessionRow, hidden: boolean): Record<string, unknown> {
  return Object.fromEntries(PII_COLUMNS.map(([name, column]) => {
    const envelope = session[column];
    return [
      name,
      hidden || !envelope ? null : deps.keyRing.decryptJson(envelope, sessionFieldContext(session.id, column)),
    ];
  }));
}

export async function exportSession(deps: CoreDeps, scope: Scope, sessionId: string) {
  const now = deps.clock();
  const session = await findSession(deps.db, scope, sessionId);
  const settings = await getOrgSettings(deps.db, scope.orgId);
  const expired = sensitiveDataExpired(session, settings, now);
  const [result, documents, reviewCase, run, deliveries, risk] = await Promise.all([
    findResult(deps.db, scope, session.id),
    expired ? [] : listDocuments(deps.db, scope, session.id),
    findCaseOfSession(deps.db, scope, session.id),
    findLatestRun(deps.db, scope, session.id),
    listDeliveries(deps.db, scope, { sessionId: session.id }, { limit: MAX_EXPORTED_ROWS, offset: 0 }),
    assessRisk(deps, scope, session),
  ]);
  const notes = reviewCase
    ? (await listNoteRows(deps.db, scope, reviewCase.id, { limit: MAX_EXPORTED_ROWS, offset: 0 })).rows
    : [];
  const attempts = await listAttempts(deps.db, deliveries.rows.map((d) => d.id));
  const expiresUnix = Math.floor(now.getTime() / 1000) + EXPORT_URL_TTL_SECONDS;
  const resultDto = result ? toResultDto(session, result, deps.keyRing, settings, now) : null;
  const checks = (result?.check_results ?? {}) as Record<string, { hits?: unknown[] } | undefined>;
  const { capture_url: _captureUrl, links: _links, ...sessionDto } = toSessionDto(
    session,
    deps.keyRing,
    deps.publicUrl,
    now,
    reviewCase ? { id: reviewCase.id, status: reviewCase.status } : null,
  );
  return {
    exported_at: now.toISOString(),
    sensitive_data_expired: expired,
    session: { ...sessionDto, ...sessionPii(deps, session, expired) },
    result: resultDto,
    documents: documents.map((row) => ({
      id: row.id,
      doc_type: row.doc_type,
      document_type: row.document_type,
      side: row.side,
      mime_type: row.mime_type,
      file_size_bytes: row.size_bytes,
      created_at: row.created_at.toISOString(),
      download_url: signedDocumentUrl(deps.publicUrl, deps.signingKeys, row, "full", expiresUnix),
      expires_at: new Date(expiresUnix * 1000).toISOString(),
      expires_in: EXPORT_URL_TTL_SECONDS,
    })),
    screening: {
      checks: result?.check_results ?? {},
      watchlist_hits: checks.watchlist_screening?.hits ?? [],
    },
    review_case: reviewCase ? toCaseDto(reviewCase, deps.keyRing, now) : null,
    case_notes: notes.map((row) => toNoteDto(row, deps.keyRing)),
    fraud_signals: {
      risk_score: risk.risk_score,
      risk_level: risk.risk_level,
      signals: risk.signals,
      blocked_by: risk.blocked_by,
      ip_address: expired ? null : risk.ip_address,
      client_signals: risk.client_signals,
    },
    webhook_deliveries: deliveries.rows.map((d) => ({
      id: d.id,
      event: d.event_type,
      url: d.url,
      status: d.status,
      attempts: d.attempt_count,
      last_status_code: d.last_status_code,
      created_at: d.created_at.toISOString(),
      completed_at: d.completed_at?.toISOString() ?? null,
      attempt_log: attempts.filter((a) => a.delivery_id === d.id).map((a) => ({
        attempt_number: a.attempt_number,
        started_at: a.started_at.toISOString(),
        status_code: a.status_code,
        duration_ms: a.duration_ms,
      })),
    })),
    workflow_run: run
      ? {
        id: run.id,
        workflow_id: run.workflow_id,
        workflow_version: run.workflow_version,
        trigger: run.trigger,
        status: run.status,
        final_status: run.final_status,
        started_at: run.started_at.toISOString(),
        completed_at: run.completed_at?.toISOString() ?? null,
        duration_ms: run.duration_ms,
      }
      : null,
  };
}
