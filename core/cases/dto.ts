/** Owns the response shapes of cases, their notes and their history: rows in, contract objects out, SLA colour computed. */
import type { CaseActionRow, CaseNoteRow, ReviewCaseRow } from "../db/database.ts";
import type { KeyRing } from "../crypto/key_ring.ts";
import { caseFieldContext } from "./change.ts";
import { noteTextContext } from "./annotations.ts";
import { CLAIM_TIMEOUT_MINUTES } from "./queue.ts";
import { isFinalCaseStatus } from "./status.ts";

const HOUR_MS = 3_600_000;
const iso = (date: Date | null) => date?.toISOString() ?? null;

export type SlaStatus = "green" | "yellow" | "red";

/**
 * Measured from entered_review_at: green under 4 h, yellow under 24 h, red (overdue) from 24 h.
 * A decided case keeps the colour it was decided in.
 */
export function slaOf(reviewCase: ReviewCaseRow, now: Date): { status: SlaStatus; elapsedSeconds: number } {
  const end = reviewCase.decided_at ?? now;
  const elapsedMs = Math.max(0, end.getTime() - reviewCase.entered_review_at.getTime());
  const status = elapsedMs < 4 * HOUR_MS ? "green" : elapsedMs < 24 * HOUR_MS ? "yellow" : "red";
  return { status, elapsedSeconds: Math.floor(elapsedMs / 1000) };
}

function decryptText(keyRing: KeyRing, envelope: string | null, caseId: string, column: string): string | null {
  return envelope ? keyRing.decryptJson<string>(envelope, caseFieldContext(caseId, column)) : null;
}

export function toCaseDto(row: ReviewCaseRow, keyRing: KeyRing, now: Date) {
  const sla = slaOf(row, now);
  const claimExpires = row.status === "in_review"
    ? new Date(row.last_activity_at.getTime() + CLAIM_TIMEOUT_MINUTES * 60_000)
    : null;
  return {
    id: row.id,
    session_id: row.session_id,
    identity_id: row.identity_id,
    status: row.status,
    is_final: isFinalCaseStatus(row.status),
    is_sandbox: row.environment === "sandbox",
    source: row.source,
    priority: row.priority,
    decision: row.decision,
    reason_code: row.reason_code,
    reason: decryptText(keyRing, row.reason_enc, row.id, "reason_enc"),
    assigned_to: row.assigned_to,
    claimed_at: iso(row.claimed_at),
    claim_expires_at: iso(claimExpires),
    last_activity_at: iso(row.last_activity_at),
    entered_review_at: iso(row.entered_review_at),
    sla_status: sla.status,
    sla_elapsed_seconds: sla.elapsedSeconds,
    escalated_to: row.escalated_to,
    escalated_by: row.escalated_by,
    escalated_at: iso(row.escalated_at),
    escalation_reason: decryptText(keyRing, row.escalation_reason_enc, row.id, "escalation_reason_enc"),
    first_decision: row.first_decision,
    first_reason_code: row.first_reason_code,
    first_reviewer: row.first_reviewer,
    first_decided_at: iso(row.first_decided_at),
    decided_by: row.decided_by,
    decided_at: iso(row.decided_at),
    metadata: row.metadata,
    custom_fields: row.custom_fields,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function toNoteDto(row: CaseNoteRow, keyRing: KeyRing) {
  return {
    id: row.id,
    case_id: row.case_id,
    author: row.author,
    text: keyRing.decryptJson<string>(row.text_enc, noteTextContext(row.id)),
    created_at: iso(row.created_at),
  };
}

/** The history shows what happened and who did it; sealed details (PII) stay in the record only. */
export function toActionDto(row: CaseActionRow) {
  return {
    action: row.action,
    actor: row.actor,
    from_status: row.from_status,
    to_status: row.to_status,
    details: row.details,
    created_at: iso(row.created_at),
  };
}
