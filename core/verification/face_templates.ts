/**
 * Owns moving stored face templates to the current descriptor (FACE_DESCRIPTOR_MODEL): each
 * template of another model is re-derived from its session's stored selfie (else the document
 * front, as the decision took it) and replaced; where neither image is left (retention, redaction)
 * the template keeps its old model tag, which no comparison ever matches against the new one.
 */
import type { CoreDeps } from "../deps.ts";
import { findDocument, readDocument } from "../documents/service.ts";
import { FACE_DESCRIPTOR_MODEL } from "../engines/face_similarity.ts";
import { ON_PREMISES_ENGINES } from "./engines.ts";
import { sealEmbedding } from "./identifiers.ts";

export interface RederiveReport {
  rederived: number;
  /** No stored image, or no face found in it: the template stays under its old model. */
  kept_old_model: number;
  remaining: number;
  interrupted: boolean;
}

export interface RederiveOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number }) => void;
}

/**
 * Resumable and safe to run twice: a re-derived template carries the new model and is not picked
 * again; one that could not be re-derived is skipped by id within the run (keyset pagination).
 */
export async function rederiveFaceTemplates(deps: CoreDeps, options: RederiveOptions = {}): Promise<RederiveReport> {
  const batchSize = options.batchSize ?? 50;
  const pending = () => deps.db.selectFrom("face_templates").where("model", "!=", FACE_DESCRIPTOR_MODEL);
  const { n: total } = await pending().select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  const report: RederiveReport = { rederived: 0, kept_old_model: 0, remaining: 0, interrupted: false };
  const engine = await (deps.engines ?? ON_PREMISES_ENGINES).face();
  let after = "";
  for (;;) {
    if (options.signal?.aborted) {
      report.interrupted = true;
      break;
    }
    const batch = await pending().select(["session_id"]).where("session_id", ">", after)
      .orderBy("session_id").limit(batchSize).execute();
    if (batch.length === 0) break;
    for (const { session_id } of batch) {
      after = session_id;
      const embedding = await faceOfSession(deps, engine, session_id);
      if (!embedding) {
        report.kept_old_model++;
        continue;
      }
      // The model in the WHERE keeps a concurrent decision's fresh template from being overwritten.
      await deps.db.updateTable("face_templates")
        .set({ embedding_enc: sealEmbedding(deps, session_id, embedding), model: FACE_DESCRIPTOR_MODEL })
        .where("session_id", "=", session_id).where("model", "!=", FACE_DESCRIPTOR_MODEL).execute();
      report.rederived++;
    }
    options.onProgress?.({ done: report.rederived + report.kept_old_model, total: Number(total) });
  }
  const { n } = await pending().select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  report.remaining = Number(n);
  return report;
}

async function faceOfSession(
  deps: CoreDeps,
  engine: Awaited<ReturnType<typeof ON_PREMISES_ENGINES.face>>,
  sessionId: string,
): Promise<number[] | null> {
  const session = await deps.db.selectFrom("sessions").selectAll().where("id", "=", sessionId).executeTakeFirst();
  if (!session) return null;
  for (const slot of ["selfie", "id_front"]) {
    const row = await findDocument(deps.db, session, slot);
    const bytes = row ? await readDocument(deps, row, "full") : null;
    if (!bytes) continue;
    const [face] = await engine.detect(bytes);
    if (face) return face.embedding;
  }
  return null;
}
