import assert from "node:assert/strict";
import sharp from "sharp";
import { createFaceEngine } from "../../core/engines/face.ts";
import {
  FACE_DESCRIPTOR_MODEL,
  faceSimilarity,
  LEGACY_FACE_DESCRIPTOR_MODEL,
} from "../../core/engines/face_similarity.ts";
import { FACE_MATCH_THRESHOLDS } from "../../core/verification/checks/face_match.ts";
import { IN_PROCESS_ENGINES } from "../../core/verification/engines.ts";
import { rederiveFaceTemplates } from "../../core/verification/face_templates.ts";
import { findSimilarFaces, openEmbedding, sealEmbedding } from "../../core/verification/identifiers.ts";
import { loadFaceManifest, readCorpusImage } from "../../eval/corpus/faces/manifest.ts";
import { multipart, SESSIONS } from "../helpers/capture.ts";
import { call, createSession } from "../helpers/sessions.ts";
import { createTestWorld } from "../helpers/test_app.ts";

Deno.test("face templates move to the dlib descriptor", async (t) => {
  const world = await createTestWorld();
  const deps = { ...world.deps, engines: IN_PROCESS_ENGINES };
  try {
    const key = world.org.sandbox_secret_key;
    const scope = { orgId: world.org.org_id, environment: "sandbox" as const };
    const manifest = await loadFaceManifest();
    const crop = (await readCorpusImage(manifest, manifest.images.find((i) => i.id === "human/personA")!))!;
    // The upload pipeline wants a short side of 480 px: the real 148 px crop, enlarged.
    const photo = new Uint8Array(await sharp(crop).resize(600).jpeg({ quality: 92 }).toBuffer());
    const withSelfie = (await createSession(world, key)).id as string;
    const withoutImages = (await createSession(world, key)).id as string;
    const res = await call(world, "POST", `${SESSIONS}/${withSelfie}/documents`, {
      key,
      body: multipart({ bytes: photo, name: "selfie.jpg", type: "image/jpeg" }, { document_type: "selfie" }),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    // Templates as human's faceres wrote them before issue #14: 1,024 floats under the old tag.
    const legacy = Array.from({ length: 1024 }, (_, i) => Math.sin(i) / 32);
    for (const sessionId of [withSelfie, withoutImages]) {
      await world.db.insertInto("face_templates").values({
        session_id: sessionId,
        org_id: scope.orgId,
        environment: scope.environment,
        embedding_enc: sealEmbedding(deps, sessionId, legacy),
        model: LEGACY_FACE_DESCRIPTOR_MODEL,
        created_at: new Date(),
      }).execute();
    }
    const template = (id: string) =>
      world.db.selectFrom("face_templates").selectAll().where("session_id", "=", id).executeTakeFirstOrThrow();

    await t.step("an old model's template is never compared with a new face", async () => {
      const [face] = await (await createFaceEngine()).detect(photo);
      const found = await findSimilarFaces(
        deps,
        scope,
        "ses_other",
        { embedding: face.embedding, model: FACE_DESCRIPTOR_MODEL },
        faceSimilarity,
        0,
      );
      assert.deepEqual(found, []);
      assert.equal(faceSimilarity(face.embedding, legacy), 0);
    });

    await t.step("re-derived from the stored selfie; without images the old tag stays", async () => {
      const report = await rederiveFaceTemplates(deps, { batchSize: 1 });
      assert.deepEqual(report, { rederived: 1, kept_old_model: 1, remaining: 1, interrupted: false });
      const moved = await template(withSelfie);
      assert.equal(moved.model, FACE_DESCRIPTOR_MODEL);
      const embedding = Array.from(openEmbedding(deps, withSelfie, moved.embedding_enc));
      assert.equal(embedding.length, 128);
      const [face] = await (await createFaceEngine()).detect(photo);
      assert.ok(faceSimilarity(embedding, face.embedding) >= FACE_MATCH_THRESHOLDS.very_strict);
      assert.equal((await template(withoutImages)).model, LEGACY_FACE_DESCRIPTOR_MODEL);
    });

    await t.step("running it again changes nothing", async () => {
      const before = await template(withSelfie);
      const report = await rederiveFaceTemplates(deps);
      assert.deepEqual(report, { rederived: 0, kept_old_model: 1, remaining: 1, interrupted: false });
      assert.equal((await template(withSelfie)).embedding_enc, before.embedding_enc);
    });
  } finally {
    await world.close();
  }
});
