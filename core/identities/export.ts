/**
 * Owns the data-subject access export of an identity (GDPR Art. 15): the identity object with all
 * of its personal data decrypted, and each of its sessions with its decision. The organisation's
 * `api_pii_fields` does not apply: the export is the person's own data, handed over whole.
 */
import type { CoreDeps } from "../deps.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import { toResultDto } from "../sessions/dto.ts";
import { toIdentityDto } from "./dto.ts";
import { findIdentity, resultsBySession } from "./repository.ts";

/** An identity has at most a few sessions per verification; this bounds a pathological one. */
const MAX_EXPORTED_SESSIONS = 1000;

export async function exportIdentity(deps: CoreDeps, scope: Scope, idOrRef: string) {
  const now = deps.clock();
  const identity = await findIdentity(deps.db, scope, idOrRef);
  const sessions = await deps.db.selectFrom("sessions").selectAll()
    .where("identity_id", "=", identity.id).where("org_id", "=", scope.orgId).where(
      "environment",
      "=",
      scope.environment,
    )
    .orderBy("created_at").orderBy("id").limit(MAX_EXPORTED_SESSIONS).execute();
  const [orgSettings, results, faces] = await Promise.all([
    getOrgSettings(deps.db, scope.orgId),
    resultsBySession(deps.db, scope, [...sessions.map((s) => s.id), identity.latest_session_id]),
    sessions.length === 0 ? { n: 0 } : deps.db.selectFrom("face_templates")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .where("session_id", "in", sessions.map((s) => s.id)).executeTakeFirstOrThrow(),
  ]);
  const settings = { ...orgSettings, api_pii_fields: null };
  return {
    exported_at: now.toISOString(),
    identity: toIdentityDto(identity, { keyRing: deps.keyRing, settings, results }),
    sessions: sessions.map((session) => {
      const result = results.get(session.id);
      return {
        id: session.id,
        status: session.status,
        external_ref: session.external_ref,
        country: session.country,
        document_type: session.document_type,
        created_at: session.created_at.toISOString(),
        completed_at: session.completed_at?.toISOString() ?? null,
        result: result ? toResultDto(session, result, deps.keyRing, settings, now) : null,
      };
    }),
    identity_links: [],
    identity_relationships: [],
    face_embeddings_count: Number(faces.n),
  };
}
