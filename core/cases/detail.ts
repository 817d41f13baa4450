/**
 * Owns the full view of one case a reviewer works from: the case, a summary of its session, the
 * documents as signed URLs, the verification result with its check results, and the case history.
 */
import type { CoreDeps } from "../deps.ts";
import type { ReviewCaseRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import { findResult, findSession } from "../sessions/repository.ts";
import { sensitiveDataExpired, toResultDto } from "../sessions/dto.ts";
import { listDocuments } from "../documents/service.ts";
import { toDocumentDto } from "../documents/dto.ts";
import { listActions } from "./repository.ts";
import { toActionDto, toCaseDto } from "./dto.ts";

export async function caseDetail(deps: CoreDeps, scope: Scope, reviewCase: ReviewCaseRow) {
  const now = deps.clock();
  const [session, result, settings, actions] = await Promise.all([
    findSession(deps.db, scope, reviewCase.session_id),
    findResult(deps.db, scope, reviewCase.session_id),
    getOrgSettings(deps.db, scope.orgId),
    listActions(deps.db, scope, reviewCase.id),
  ]);
  // Past the sensitive-data window the documents are gone from view (the sessions API answers 410).
  const documents = sensitiveDataExpired(session, settings, now) ? [] : await listDocuments(deps.db, scope, session.id);
  const resultDto = result ? toResultDto(session, result, deps.keyRing, settings, now) : null;
  return {
    ...toCaseDto(reviewCase, deps.keyRing, now),
    session: {
      id: session.id,
      status: session.status,
      external_ref: session.external_ref,
      country: session.country,
      document_type: session.document_type,
      workflow_id: session.workflow_id,
      metadata: session.metadata,
      tags: session.tags,
      created_at: session.created_at.toISOString(),
      completed_at: session.completed_at?.toISOString() ?? null,
    },
    documents: documents.map((row) =>
      toDocumentDto(row, deps.publicUrl, deps.signingKeys, now, settings.image_url_expiry_seconds)
    ),
    result: resultDto,
    check_results: resultDto?.check_results ?? {},
    risk_signals: result?.risk_signals ?? [],
    history: actions.map(toActionDto),
  };
}
