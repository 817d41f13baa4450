/**
 * Reprints the face-match calibration of docs/face-calibration.md: human's `similarity` between the
 * largest face on each generated document front and the largest face on each selfie, and the
 * anti-spoof (`real`) and liveness (`live`) scores of the selfies and of screen replays of them.
 *
 *   deno run -A tests/engines/face_calibration.ts
 */
import { createFaceEngine, type FaceResult } from "../../core/engines/face.ts";
import {
  driversLicence,
  type FaceKey,
  idCard,
  passportPage,
  sampleApplicant,
  selfie,
} from "../helpers/identity_documents.ts";
import { FACES } from "./fixtures.ts";

const KEYS = Object.keys(FACES) as FaceKey[];
/** personA and personAOther are one man in two photographs. */
const person = (key: FaceKey) => key === "personAOther" ? "personA" : key;
const DOCUMENTS = {
  passport: async (face: FaceKey) => await passportPage(sampleApplicant({ face })),
  idCard: async (face: FaceKey) => (await idCard(sampleApplicant({ face }))).front,
  licence: async (face: FaceKey) => (await driversLicence(sampleApplicant({ face }))).front,
};

const engine = await createFaceEngine();
async function largestFace(image: Uint8Array, what: string): Promise<FaceResult> {
  const [face] = await engine.detect(image);
  if (!face) throw new Error(`no face found on ${what}`);
  return face;
}

const selfies = new Map<FaceKey, FaceResult>();
/** A replay may hide the face from the detector altogether: that is recorded too (undefined). */
const replays = new Map<FaceKey, FaceResult | undefined>();
for (const key of KEYS) {
  selfies.set(key, await largestFace(await selfie(key), `selfie ${key}`));
  replays.set(key, (await engine.detect(await selfie(key, { spoof: "screen" })))[0]);
}

const pad = (text: string, n = 13) => text.padEnd(n);
const genuine: { pair: string; score: number }[] = [];
const impostor: { pair: string; score: number }[] = [];
for (const [type, render] of Object.entries(DOCUMENTS)) {
  console.log(`\n${type} front (rows) × selfie (columns), human similarity`);
  console.log(pad("") + KEYS.map((k) => pad(k)).join(""));
  for (const docKey of KEYS) {
    const doc = await largestFace(await render(docKey), `${type} ${docKey}`);
    const row = KEYS.map((selfieKey) => {
      const score = engine.similarity(doc.embedding, selfies.get(selfieKey)!.embedding);
      const pair = `${type} ${docKey} / selfie ${selfieKey}`;
      (person(docKey) === person(selfieKey) ? genuine : impostor).push({ pair, score });
      return pad(score.toFixed(3) + (person(docKey) === person(selfieKey) ? " *" : ""));
    });
    console.log(pad(docKey) + row.join(""));
  }
}

const byScore = (a: { score: number }, b: { score: number }) => a.score - b.score;
genuine.sort(byScore);
impostor.sort(byScore);
const crossPhoto = genuine.filter((g) => /personA \/ selfie personAOther|personAOther \/ selfie personA$/.test(g.pair));
console.log(
  `\n* = same person. genuine ${genuine.length} pairs: ${genuine[0].score.toFixed(3)}–${
    genuine.at(-1)!.score.toFixed(3)
  } (lowest: ${genuine[0].pair})`,
);
console.log(`  same man, different photographs: ${crossPhoto.map((g) => g.score.toFixed(3)).join(", ")}`);
console.log(
  `impostor ${impostor.length} pairs: ${impostor[0].score.toFixed(3)}–${impostor.at(-1)!.score.toFixed(3)} (highest: ${
    impostor.at(-1)!.pair
  })`,
);

console.log(`\nanti-spoof / liveness (real, live)`);
console.log(pad("") + pad("selfie", 16) + "screen replay");
for (const key of KEYS) {
  const s = selfies.get(key)!;
  const r = replays.get(key);
  const replay = r ? `${r.real?.toFixed(2)}, ${r.live?.toFixed(2)}` : "no face detected";
  console.log(pad(key) + pad(`${s.real?.toFixed(2)}, ${s.live?.toFixed(2)}`, 16) + replay);
}
