/**
 * Face match moves from human's faceres (1024-d) to face-api's dlib ResNet (128-d, issue #14):
 * their embeddings are unrelated spaces, so every stored template not made by the new model is
 * tagged as the old one (those written so far already carry `@vladmandic/human@3.3.6`; any other
 * tag is folded in), and lookups by model get an index. `deno task rederive-faces` then re-computes
 * the templates whose selfie is still stored; the rest keep the old tag and never match a new one.
 */
import { type Kysely, sql } from "kysely";

// Literal copies, not imports: a migration never imports app code (core/engines/face_similarity.ts).
const NEW_MODEL = "@vladmandic/face-api@1.7.15/face_recognition_model";
const OLD_MODEL = "@vladmandic/human@3.3.6";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`UPDATE face_templates SET model = ${OLD_MODEL} WHERE model <> ${NEW_MODEL}`.execute(db);
  await sql`
    CREATE INDEX face_templates_model_idx ON face_templates (org_id, environment, model, created_at)
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX face_templates_model_idx`.execute(db);
  // Templates re-derived under the new model cannot be turned back into faceres ones.
  await sql`DELETE FROM face_templates WHERE model = ${NEW_MODEL}`.execute(db);
}
