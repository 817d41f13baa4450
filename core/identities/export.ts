/**
 * Owns the data-subject access export of an identity (GDPR Art. 15): the identity object with its
 * personal data decrypted, and the full export of each of its sessions (documents with 24-hour
 * links included). The organisation's `api_pii_fields` applies, as to every API response.
 */
import type { CoreDeps } from "../deps.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { getOrgSettings } from "../orgs/organizations.ts";
import { exportSession } from "../privacy/export.ts";
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
  const [settings, results, faces] = await Promise.all([
    getOrgSettings(deps.db, scope.orgId),
    resultsBySession(deps.db, scope, [...sessions.map((s) => s.id), identity.latest_session_id]),
    sessions.length === 0 ? { n: 0 } : deps.db.selectFrom("face_templates")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
      .where("session_id", "in", sessions.map((s) => s.id)).executeTakeFirstOrThrow(),
  ]);
  return {
    exported_at: now.toISOString(),
    identity: toIdentityDto(identity, { keyRing: deps.keyRing, settings, results }),
    // One at a time: each bundle reads several tables and signs its document links.
    sessions: await sequentially(sessions, (session) => exportSession(deps, scope, session.id)),
    identity_links: [],
    identity_relationships: [],
    face_embeddings_count: Number(faces.n),
  };
}

async function sequentially<T, R>(items: T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await map(item));
  return out;
}
