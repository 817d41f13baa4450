/**
 * Owns what a run knows about a session: the applicant's claims (pre-filled and entered fields,
 * decrypted), the stored images, and the measurements the checks decide from — quality, the
 * document reading, the faces — each made once per run however many checks use it. A measurement
 * that throws is forgotten, so the check's retry measures again.
 */
import type { CoreDeps } from "../deps.ts";
import type { SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { type DocSlot, findDocument, readDocument } from "../documents/service.ts";
import { measureStoredQuality, type QualityReport } from "../images/image_pipeline.ts";
import type { FaceResult } from "../engines/face.ts";
import type { EngineVersions } from "../engines/versions.ts";
import { sessionFieldContext } from "../sessions/service.ts";
import { type DocumentExtraction, extractDocument } from "./extraction.ts";
import { ON_PREMISES_ENGINES, type VerificationEngines } from "./engines.ts";

/** What the applicant (or the customer, pre-filling `fields`) says about themselves. */
export interface ApplicantClaims {
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  date_of_birth?: string;
  email?: string;
  phone?: string;
  document_number?: string;
  nationality?: string;
  address?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface SideQuality {
  side: "front" | "back";
  report: QualityReport;
}

export interface FaceEvidence {
  /** The portrait found on the document's front (the largest face). */
  document: FaceResult | null;
  /** The selfie's face (the largest). */
  selfie: FaceResult | null;
  /** Faces found on the selfie: more than one is reported as a signal. */
  selfie_face_count: number;
  similarity: number | null;
  versions: EngineVersions | null;
}

export interface SessionEvidence {
  session: SessionRow;
  scope: Scope;
  /** The run's clock: ages and expiry are computed at this instant. */
  now: Date;
  engines: VerificationEngines;
  claims(): ApplicantClaims;
  image(slot: DocSlot): Promise<Uint8Array | null>;
  quality(): Promise<SideQuality[]>;
  extraction(): Promise<DocumentExtraction>;
  faces(): Promise<FaceEvidence>;
  /** The measurements some check asked for, without starting any (what the result and duplicates record). */
  measured(): { extraction: Promise<DocumentExtraction> | undefined; faces: Promise<FaceEvidence> | undefined };
}

/** Caches a measurement's promise, dropping it when it rejects so the next call measures again. */
function once<T>(measure: () => Promise<T>): (() => Promise<T>) & { peek(): Promise<T> | undefined } {
  let cached: Promise<T> | undefined;
  const get = () => {
    cached ??= measure().catch((error) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
  return Object.assign(get, { peek: () => cached });
}

export function gatherEvidence(deps: CoreDeps, session: SessionRow, scope: Scope, now: Date): SessionEvidence {
  const engines: VerificationEngines = deps.engines ?? ON_PREMISES_ENGINES;
  const images = new Map<DocSlot, () => Promise<Uint8Array | null>>();
  const image = (slot: DocSlot) => {
    if (!images.has(slot)) {
      images.set(
        slot,
        once(async () => {
          const row = await findDocument(deps.db, session, slot);
          return row ? await readDocument(deps, row, "full") : null;
        }),
      );
    }
    return images.get(slot)!();
  };

  let claims: ApplicantClaims | undefined;
  const decrypt = (column: "fields_enc" | "user_fields_enc") => {
    const value = session[column];
    return value
      ? deps.keyRing.decryptJson<Record<string, unknown>>(value, sessionFieldContext(session.id, column))
      : {};
  };

  const faces = once(async (): Promise<FaceEvidence> => {
    const [front, selfie] = await Promise.all([image("id_front"), image("selfie")]);
    if (!front && !selfie) {
      return { document: null, selfie: null, selfie_face_count: 0, similarity: null, versions: null };
    }
    const engine = await engines.face();
    const documentFaces = front ? await engine.detect(front) : [];
    const selfieFaces = selfie ? await engine.detect(selfie) : [];
    const document = documentFaces[0] ?? null;
    const person = selfieFaces[0] ?? null;
    return {
      document,
      selfie: person,
      selfie_face_count: selfieFaces.length,
      similarity: document && person ? engine.similarity(document.embedding, person.embedding) : null,
      versions: engine.versions,
    };
  });

  const extraction = once(async () => {
    const [front, back] = await Promise.all([image("id_front"), image("id_back")]);
    return await extractDocument(engines, { documentType: session.document_type, front, back }, now);
  });

  return {
    session,
    scope,
    now,
    engines,
    claims() {
      if (!claims) {
        const applicantEmail = session.applicant_email_enc
          ? deps.keyRing.decryptJson<string | null>(
            session.applicant_email_enc,
            sessionFieldContext(session.id, "applicant_email_enc"),
          )
          : null;
        // What the applicant entered wins over what the customer pre-filled.
        claims = {
          ...(applicantEmail ? { email: applicantEmail } : {}),
          ...decrypt("fields_enc"),
          ...decrypt("user_fields_enc"),
        };
      }
      return claims;
    },
    image,
    quality: once(async () => {
      const sides: SideQuality[] = [];
      for (const [side, slot] of [["front", "id_front"], ["back", "id_back"]] as const) {
        const bytes = await image(slot);
        if (bytes) sides.push({ side, report: await measureStoredQuality(bytes, "document") });
      }
      return sides;
    }),
    extraction,
    faces,
    measured: () => ({ extraction: extraction.peek(), faces: faces.peek() }),
  };
}
