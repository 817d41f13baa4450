/**
 * Owns the identity object of the API: row in, the notes' shape out, with the latest session's
 * decision alongside and `extracted_data` filtered by the organisation's `api_pii_fields`.
 */
import type { IdentityRow, SessionResultRow } from "../db/database.ts";
import type { KeyRing } from "../crypto/key_ring.ts";
import type { OrgSettings } from "../orgs/settings.ts";
import { filterPii } from "../sessions/dto.ts";
import { readPii } from "./pii.ts";

const iso = (date: Date | null) => date?.toISOString() ?? null;

export interface IdentityDtoContext {
  keyRing: KeyRing;
  settings: OrgSettings;
  /** The decisions of the identities' latest sessions, by session id. */
  results: Map<string, SessionResultRow>;
}

export function toIdentityDto(row: IdentityRow, context: IdentityDtoContext) {
  const latest = row.latest_session_id ? context.results.get(row.latest_session_id) : undefined;
  return {
    id: row.id,
    status: row.status,
    session_count: row.session_count,
    is_sandbox: row.environment === "sandbox",
    created_at: iso(row.created_at),
    external_ref: row.external_ref,
    latest_session_id: row.latest_session_id,
    // Results are keyed by their session (GET /results/{session_id}).
    latest_result_id: latest ? latest.session_id : null,
    face_match_passed: latest?.face_match_passed ?? null,
    age_check_passed: latest?.age_check_passed ?? null,
    extracted_age: latest?.extracted_age ?? null,
    rejection_reason: latest?.rejection_reason ?? null,
    country: row.country,
    extracted_data: filterPii(
      readPii(context.keyRing, row) as Record<string, unknown>,
      context.settings.api_pii_fields,
    ),
    first_verified_at: iso(row.first_verified_at),
    last_verified_at: iso(row.last_verified_at),
    archived_at: iso(row.archived_at),
    tags: row.tags,
    custom_fields: row.custom_fields,
    is_flagged: row.is_flagged,
    flag_reason: row.flag_reason,
    flagged_at: iso(row.flagged_at),
    flagged_by: row.flagged_by,
    legal_hold: row.legal_hold,
    merged_into: row.merged_into,
    merged_at: iso(row.merged_at),
    redacted_at: iso(row.redacted_at),
    updated_at: iso(row.updated_at),
  };
}

export type IdentityDto = ReturnType<typeof toIdentityDto>;
