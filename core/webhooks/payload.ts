/**
 * Owns the webhook payload: the contract's flat shape built from the event and the session's
 * current result, with the org's `api_pii_fields` applied, the endpoint's attribute blocklist
 * removed, and keys in the endpoint's inflection.
 */
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { EventsTable, SessionResultRow, SessionRow, WebhookEndpointRow } from "../db/database.ts";
import type { Selectable } from "kysely";
import { type Inflection, inflectKeysDeep } from "../casing.ts";
import { type OrgSettings, resolveOrgSettings } from "../orgs/settings.ts";
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

/** An event's payload, or why it could not be built (the relay isolates that event). */
export type PayloadOutcome = { payload: Record<string, unknown> } | { error: unknown };

/**
 * The payloads of many events with one read per table (sessions, results, organisations) instead
 * of one per event: the relay builds a batch at a time. A failure specific to one event (its
 * result no longer decrypts) is that event's outcome; a database error throws for the batch.
 */
export async function buildPayloads(deps: CoreDeps, db: DbOrTx, events: EventRow[]): Promise<PayloadOutcome[]> {
  const sessions = await loadSessions(db, events);
  const decided = [
    ...new Set(events.filter((e) => DECISION_STATUS[e.type]).map((e) => sessions.get(e.session_id ?? ""))),
  ]
    .filter((s) => s !== undefined);
  const results = decided.length === 0 ? new Map<string, SessionResultRow>() : new Map(
    (await db.selectFrom("session_results").selectAll().where("session_id", "in", decided.map((s) => s.id)).execute())
      .map((r) => [r.session_id, r]),
  );
  const orgIds = [...new Set(decided.filter((s) => results.has(s.id)).map((s) => s.org_id))];
  const settings = orgIds.length === 0 ? new Map<string, OrgSettings>() : new Map(
    (await db.selectFrom("organizations").select(["id", "settings"]).where("id", "in", orgIds).execute())
      .map((o) => [o.id, resolveOrgSettings(o.settings)]),
  );
  return events.map((event) => {
    try {
      return { payload: assemblePayload(deps, event, sessions.get(event.session_id ?? ""), results, settings) };
    } catch (error) {
      return { error };
    }
  });
}

/** One event's payload (buildPayloads for a batch of one). */
export async function buildPayload(deps: CoreDeps, db: DbOrTx, event: EventRow): Promise<Record<string, unknown>> {
  const [outcome] = await buildPayloads(deps, db, [event]);
  if ("error" in outcome) throw outcome.error;
  return outcome.payload;
}

/** The events' sessions, read within each event's own org and environment. */
async function loadSessions(db: DbOrTx, events: EventRow[]): Promise<Map<string, SessionRow>> {
  const byScope = new Map<string, { orgId: string; environment: string; ids: Set<string> }>();
  for (const event of events) {
    if (!event.session_id) continue;
    const key = `${event.org_id}/${event.environment}`;
    const scope = byScope.get(key) ?? { orgId: event.org_id, environment: event.environment, ids: new Set() };
    scope.ids.add(event.session_id);
    byScope.set(key, scope);
  }
  if (byScope.size === 0) return new Map();
  const rows = await db.selectFrom("sessions").selectAll().where((eb) =>
    eb.or([...byScope.values()].map((scope) =>
      eb.and([
        eb("org_id", "=", scope.orgId),
        eb("environment", "=", scope.environment as SessionRow["environment"]),
        eb("id", "in", [...scope.ids]),
      ])
    ))
  ).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

function assemblePayload(
  deps: CoreDeps,
  event: EventRow,
  session: SessionRow | undefined,
  results: Map<string, SessionResultRow>,
  settingsByOrg: Map<string, OrgSettings>,
): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    event: event.type,
    idempotency_key: event.idempotency_key,
    created_at: event.created_at.toISOString(),
    is_sandbox: event.environment === "sandbox",
  };
  if (!event.session_id) return { ...payload, identity_id: event.identity_id, ...event.payload };
  // The scoped read guarantees it, and the check keeps the guarantee next to its use.
  if (!session || session.org_id !== event.org_id || session.environment !== event.environment) return payload;
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
  const result = DECISION_STATUS[event.type] ? results.get(session.id) : undefined;
  if (result) {
    const settings = settingsByOrg.get(session.org_id) ?? resolveOrgSettings(undefined);
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
  return payload;
}

/** Removes dotted attribute paths (e.g. "result.extracted_data.ssn") from a copy of the payload (never from the payload itself). */
export function stripAttributes(payload: Record<string, unknown>, blocklist: string[]): Record<string, unknown> {
  // Nothing to remove, nothing to copy: the relay builds every delivery's body through here.
  if (blocklist.length === 0) return payload;
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
