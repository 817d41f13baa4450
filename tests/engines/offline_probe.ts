/**
 * Run by offline_test.ts in a child process without network permission: loads the three engines,
 * makes one cold and five warm calls each on production-sized images, and prints one JSON line
 * with what was loaded, every URL anything tried to fetch, the timings and the resident memory.
 */
import { createBarcodeEngine, parseAamva } from "../../core/engines/barcode.ts";
import { createFaceEngine } from "../../core/engines/face.ts";
import { parseMrz, repairMrz } from "../../core/engines/mrz.ts";
import { createOcrEngine } from "../../core/engines/ocr.ts";
import sharp from "sharp";
import {
  aamvaText,
  faceImage,
  renderLicenceBack,
  renderMrzDocument,
  SAMPLE_LICENCE,
  SAMPLE_PASSPORT,
  td3Lines,
} from "./fixtures.ts";

// human loads its models with fetch("file://…"); anything else would be a download.
const fetched: string[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  fetched.push(input instanceof Request ? input.url : String(input));
  return realFetch(input, init);
};

const WARM_CALLS = 5;

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await call();
  return { value, ms: Math.round(performance.now() - start) };
}

async function measure<T>(call: () => Promise<T>) {
  const cold = await timed(call);
  const warm: number[] = [];
  for (let i = 0; i < WARM_CALLS; i++) warm.push((await timed(call)).ms);
  warm.sort((a, b) => a - b);
  return {
    value: cold.value,
    coldMs: cold.ms,
    warmMedianMs: warm[Math.floor(warm.length / 2)],
    warmMaxMs: warm.at(-1),
  };
}

const rssStart = Deno.memoryUsage().rss;
const lines = td3Lines(SAMPLE_PASSPORT);
const passport = await renderMrzDocument(lines);
const aamva = aamvaText(SAMPLE_LICENCE);
const licenceBack = await renderLicenceBack(aamva);
// A selfie-sized frame (1280×960, face ~60 % of the height), as the capture flow stores them.
const selfie = new Uint8Array(
  await sharp({ create: { width: 1280, height: 960, channels: 3, background: "#9a9a96" } })
    .composite([{ input: await sharp(await faceImage("personA")).resize(600).toBuffer(), left: 340, top: 180 }])
    .jpeg({ quality: 88 })
    .toBuffer(),
);

const rss: Record<string, number> = { atStart: rssStart };
const faceLoad = await timed(() => createFaceEngine());
rss.faceLoaded = Deno.memoryUsage().rss;
const ocrLoad = await timed(() => createOcrEngine());
rss.ocrLoaded = Deno.memoryUsage().rss;
const barcodeLoad = await timed(() => createBarcodeEngine());
rss.barcodeLoaded = Deno.memoryUsage().rss;
const face = await measure(() => faceLoad.value.detect(selfie));
const ocr = await measure(() => ocrLoad.value.readMrz(passport));
const barcode = await measure(() => barcodeLoad.value.readPdf417(licenceBack));
rss.afterCalls = Deno.memoryUsage().rss;
await ocrLoad.value.close();

const repaired = repairMrz(ocr.value.lines);
console.log(JSON.stringify({
  permissions: {
    net: Deno.permissions.querySync({ name: "net" }).state,
    write: Deno.permissions.querySync({ name: "write" }).state,
    run: Deno.permissions.querySync({ name: "run" }).state,
  },
  fetched,
  versions: [faceLoad.value.versions, ocrLoad.value.versions, barcodeLoad.value.versions],
  results: {
    faces: face.value.length,
    embedding: face.value[0]?.embedding.length ?? 0,
    mrzExact: repaired?.lines.join("\n") === lines.join("\n"),
    mrzValid: repaired ? parseMrz(repaired).valid : false,
    pdf417Exact: barcode.value?.text === aamva,
    aamvaDocumentNumber: barcode.value ? parseAamva(barcode.value.text)?.documentNumber : null,
  },
  timings: {
    loadMs: { face: faceLoad.ms, ocr: ocrLoad.ms, barcode: barcodeLoad.ms },
    face: { coldMs: face.coldMs, warmMedianMs: face.warmMedianMs, warmMaxMs: face.warmMaxMs },
    ocr: { coldMs: ocr.coldMs, warmMedianMs: ocr.warmMedianMs, warmMaxMs: ocr.warmMaxMs },
    barcode: { coldMs: barcode.coldMs, warmMedianMs: barcode.warmMedianMs, warmMaxMs: barcode.warmMaxMs },
  },
  rssMb: Object.fromEntries(Object.entries(rss).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
}));
