import assert from "node:assert/strict";
import sharp from "sharp";
import { createFaceEngine, type FaceResult } from "../../core/engines/face.ts";
import { AppError } from "../../core/errors.ts";
import { faceImage, FACES, humanAsset, renderMrzDocument, td3Lines } from "./fixtures.ts";

const ms = (start: number) => Math.round(performance.now() - start);

Deno.test("face engine", async (t) => {
  let start = performance.now();
  const engine = await createFaceEngine();
  const loadMs = ms(start);
  const detected: Partial<Record<keyof typeof FACES, FaceResult>> = {};

  await t.step("loads human on the wasm backend from the installed package", () => {
    assert.equal(engine.versions.library, "@vladmandic/human@3.3.6");
    assert.equal(engine.versions.runtime.tfjs, "4.22.0");
    assert.match(engine.versions.runtime.backend, /^wasm/);
    assert.deepEqual(engine.versions.models, [
      "blazeface.json",
      "facemesh.json",
      "faceres.json",
      "antispoof.json",
      "liveness.json",
    ]);
  });

  await t.step("one face per crop: box, score, 1024-d embedding, age, real/live scores", async () => {
    const timings: number[] = [];
    for (const name of Object.keys(FACES) as (keyof typeof FACES)[]) {
      const image = await faceImage(name);
      start = performance.now();
      const faces = await engine.detect(image);
      timings.push(ms(start));
      assert.equal(faces.length, 1, name);
      const [face] = faces;
      assert.equal(face.embedding.length, 1024);
      assert.ok(face.score > 0.5, `${name} score ${face.score}`);
      const { width, height } = FACES[name].region;
      assert.ok(face.box.x >= 0 && face.box.x + face.box.width <= width + 2, JSON.stringify(face.box));
      assert.ok(face.box.width > width * 0.6 && face.box.height > height * 0.6, JSON.stringify(face.box));
      for (const value of [face.real, face.live]) assert.ok(value !== null && value >= 0 && value <= 1);
      assert.ok(face.age !== null && face.age > 15 && face.age < 60, `${name} age ${face.age}`);
      detected[name] = face;
    }
    console.log(`  face: load ${loadMs} ms, first detect ${timings[0]} ms, next ${timings.slice(1).join(", ")} ms`);
  });

  await t.step("same image ≈ 1; the same man in another photo scores above every other person", () => {
    const { personA, personAOther, ...others } = detected as Record<keyof typeof FACES, FaceResult>;
    const sim = (a: FaceResult, b: FaceResult) => engine.similarity(a.embedding, b.embedding);
    assert.ok(sim(personA, personA) > 0.999);
    const same = sim(personA, personAOther);
    const different = Object.values(others).flatMap((o) => [sim(personA, o), sim(personAOther, o)]);
    console.log(
      `  similarity: same image ${sim(personA, personA).toFixed(3)}, same man other photo ${same.toFixed(3)}, ` +
        `different people ${Math.min(...different).toFixed(3)}–${Math.max(...different).toFixed(3)}`,
    );
    assert.ok(same > Math.max(...different), `${same} vs ${different}`);
    assert.ok(similarityIsSymmetric(sim(personA, personAOther), sim(personAOther, personA)));
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
      { portrait: await faceImage("personAOther"), width: 1600 },
    );
    // The portrait area of a TD3 page (see renderMrzDocument): left third, upper middle.
    const faces = await engine.detect(passport, { region: { left: 0, top: 0.1, width: 0.4, height: 0.55 } });
    assert.equal(faces.length, 1);
    // Box in page pixels: its centre lies in the portrait, 5–37 mm × 14–54 mm (12.8 px/mm at 1600 px).
    const { x, y, width, height } = faces[0].box;
    const [cx, cy] = [(x + width / 2) / 12.8, (y + height / 2) / 12.8];
    assert.ok(cx > 5 && cx < 37 && cy > 14 && cy < 54, JSON.stringify(faces[0].box));
    const toPortrait = engine.similarity(faces[0].embedding, detected.personAOther!.embedding);
    const toSelfie = engine.similarity(faces[0].embedding, detected.personA!.embedding);
    const toOther = engine.similarity(faces[0].embedding, detected.personB!.embedding);
    console.log(
      `  document portrait vs its source ${toPortrait.toFixed(3)}, vs other photo of him ${
        toSelfie.toFixed(3)
      }, vs another person ${toOther.toFixed(3)}`,
    );
    assert.ok(toPortrait > 0.8);
    assert.ok(toSelfie > toOther);
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
    const [a, b] = await Promise.all([faceImage("personA"), faceImage("personB")]);
    const [ra, rb] = await Promise.all([engine.detect(a), engine.detect(b)]);
    assert.ok(engine.similarity(ra[0].embedding, detected.personA!.embedding) > 0.999);
    assert.ok(engine.similarity(rb[0].embedding, detected.personB!.embedding) > 0.999);
  });
});

function similarityIsSymmetric(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-9;
}
