/**
 * Owns the webhook payload: the contract's flat shape built from the event and the session's
 * current result, with the org's `api_pii_fields` applied, the endpoint's attribute blocklist
 * removed, and keys in the endpoint's inflection.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { WebhookEndpointRow } from "../db/database.ts";
import type { Selectable } from "kysely";
import type { EventsTable } from "../db/database.ts";
import { type Inflection, inflectKeysDeep } from "../casing.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import { filterPii, sensitiveDataExpired } from "../sessions/dto.ts";
import { resultDataContext } from "../sessions/service.ts";

type EventRow = Selectable<EventsTable>;

/** Decision events report the decision, not the session status behind it. */
const DECISION_STATUS: Record<string, string> = {
  "session.approved": "approved",
  "session.declined": "declined",
  "session.requires-review": "needs_review",
  "session.resubmission-required": "resubmission_required",
};

export async function buildPayload(deps: CoreDeps, db: DbOrTx, event: EventRow): Promise<Record<string, unknown>> {
  const payload: Record<string, unknown> = {
    event: event.type,
    idempotency_key: event.idempotency_key,
    created_at: event.created_at.toISOString(),
    is_sandbox: event.environment === "sandbox",
  };
  if (!event.session_id) return { ...payload, identity_id: event.identity_id, ...event.payload };
  const session = await db.selectFrom("sessions").selectAll().where("id", "=", event.session_id)
    .where("org_id", "=", event.org_id).where("environment", "=", event.environment).executeTakeFirst();
  if (!session) return payload;
  payload.session_id = session.id;
  payload.external_ref = session.external_ref;
  payload.status = DECISION_STATUS[event.type] ?? (event.payload as { status?: string }).status ?? session.status;
  payload.identity_id = event.identity_id;
  // Case events report the case (their `status` is the case's, from the stored payload); the
  // stored payload holds ids, statuses and codes only, so it is copied as it is.
  if (event.type.startsWith("case.")) {
    const { status: _status, ...caseFields } = event.payload as Record<string, unknown>;
    Object.assign(payload, caseFields);
  }
  if (DECISION_STATUS[event.type]) {
    const result = await db.selectFrom("session_results").selectAll().where("session_id", "=", session.id)
      .executeTakeFirst();
    if (result) {
      const settings = await getOrgSettings(db, session.org_id);
      const expired = sensitiveDataExpired(session, settings, deps.clock());
      const extracted = !expired && result.extracted_data_enc
        ? deps.keyRing.decryptJson<Record<string, unknown>>(result.extracted_data_enc, resultDataContext(session.id))
        : {};
      payload.result = {
        status: result.status,
        face_match_passed: result.face_match_passed,
        face_match_score: result.face_match_score,
        age_check_passed: result.age_check_passed,
        extracted_age: result.extracted_age,
        extracted_data: filterPii(extracted, settings.api_pii_fields),
        rejection_reason: result.rejection_reason,
        rejection_reason_code: result.rejection_reason_code,
      };
    }
  }
  return payload;
}

/** Removes dotted attribute paths (e.g. "result.extracted_data.ssn") from a payload copy. */
export function stripAttributes(payload: Record<string, unknown>, blocklist: string[]): Record<string, unknown> {
  const copy = structuredClone(payload);
  for (const path of blocklist) {
    const parts = path.split(".");
    let node: unknown = copy;
    for (const part of parts.slice(0, -1)) {
      node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    }
    if (typeof node === "object" && node !== null) delete (node as Record<string, unknown>)[parts.at(-1)!];
  }
  return copy;
}

/** The exact body an endpoint receives: blocklist applied, keys in its inflection. */
export function endpointBody(payload: Record<string, unknown>, endpoint: WebhookEndpointRow): string {
  return JSON.stringify(
    inflectKeysDeep(stripAttributes(payload, endpoint.attribute_blocklist), endpoint.key_inflection as Inflection),
  );
}
