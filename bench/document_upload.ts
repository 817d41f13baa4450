/**
 * The document-upload benchmark: `POST /api/v1/sessions/{id}/documents` (multipart, a 1.5 MB
 * 12 MP phone-camera JPEG, 8 uploads in flight) on the real API in its own process, against
 * sharp decoding and re-encoding the same image in this process the way the pipeline's main step
 * does (orient, fit inside 4000 px, JPEG q88), measured alternately in one run.
 */
import sharp from "sharp";
import type { Benchmark, BenchResult, BenchSettings } from "./benchmark.ts";
import { runLoad, runLoops } from "./load.ts";
import { withBenchStack } from "./stack.ts";
import {
  cpuHeader,
  cpuRecord,
  cpuRow,
  machineNote,
  measureAlternately,
  round2,
  roundRecord,
  type Side,
  statsHeader,
  statsRow,
  summarise,
} from "./report.ts";
import { makePhonePhoto, PHOTO_HEIGHT, PHOTO_WIDTH } from "./phone_photo.ts";
import { sessionBody } from "./create_session.ts";
import { ALL_SCOPES } from "../core/orgs/scopes.ts";

const NAME = "document-upload";
/**
 * Sessions uploaded to in turn. The id_front slot replaces, so each is uploaded to many times,
 * as a retaken photo would be; enough of them that two uploads in flight rarely share a session
 * (and so rarely wait on its row lock).
 */
const SESSION_POOL = 64;
/** The baseline's pipeline, as the product's main step: orient, fit inside 4000 px, JPEG q88. */
const MAX_SIDE = 4000;
const JPEG_QUALITY = 88;
/** Orientation 6 turns the stored 4032×3024 upright (3024×4032); fitting inside 4000 gives this. */
const EXPECTED = { width: 3000, height: 4000 };

/** One in-process decode and re-encode of the photo; the copy stands in for the server's freshly parsed upload. */
async function reencode(photo: Uint8Array): Promise<{ width: number; height: number; bytes: number }> {
  const { data, info } = await sharp(photo.slice())
    .rotate()
    .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: JPEG_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, bytes: data.length };
}

/** The multipart body every upload sends, encoded once so the load generator only writes bytes. */
async function multipartUpload(photo: Uint8Array): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const form = new FormData();
  form.append("document_type", "passport");
  form.append("file", new Blob([photo.slice()], { type: "image/jpeg" }), "IMG_4032.jpg");
  const encoded = new Response(form);
  const contentType = encoded.headers.get("content-type");
  if (!contentType) throw new Error("FormData encoding gave no content type");
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType };
}

async function createSessions(url: string, apiKey: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/api/v1/sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-Key": apiKey },
      body: sessionBody(i),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`creating a bench session: HTTP ${response.status}: ${text}`);
    ids.push(JSON.parse(text).id);
  }
  return ids;
}

function assertOutput(what: string, got: { width: number; height: number }): void {
  if (got.width !== EXPECTED.width || got.height !== EXPECTED.height) {
    throw new Error(`${what}: expected ${EXPECTED.width}×${EXPECTED.height}, got ${got.width}×${got.height}`);
  }
}

function run(settings: BenchSettings): Promise<BenchResult> {
  // documents:write is opt-in: the bench key holds every scope, as the provisioned starter keys do.
  return withBenchStack({ bench: NAME, scopes: ALL_SCOPES }, async (stack) => {
    console.error(`${NAME}: drawing the phone photo and starting the API server`);
    const [photo, apiServer] = await Promise.all([
      makePhonePhoto(),
      stack.startServer("api", new URL("./servers/api_server.ts", import.meta.url)),
    ]);
    const photoMeta = await sharp(photo).metadata();
    const sessions = await createSessions(apiServer.url, stack.apiKey, SESSION_POOL);
    const upload = await multipartUpload(photo);
    const uploadUrl = (i: number) => `${apiServer.url}/api/v1/sessions/${sessions[i % sessions.length]}/documents`;
    const headers = { "Content-Type": upload.contentType, "X-API-Key": stack.apiKey };

    // Both sides must do the work claimed before either is timed: one of each, checked.
    assertOutput("baseline re-encode", await reencode(photo));
    const first = await fetch(uploadUrl(0), { method: "POST", headers, body: upload.body });
    const firstText = await first.text();
    if (first.status !== 201) throw new Error(`first upload: HTTP ${first.status}: ${firstText}`);
    const firstDoc = JSON.parse(firstText);
    if (firstDoc.document_type !== "passport" || firstDoc.mime_type !== "image/jpeg") {
      throw new Error(`first upload: unexpected response ${firstText}`);
    }
    assertOutput("api upload", firstDoc.quality?.resolution ?? {});

    const window = {
      concurrency: settings.uploadConcurrency,
      warmupMs: settings.warmupSeconds * 1000,
      durationMs: settings.seconds * 1000,
    };
    const baseline: Side = {
      label: "baseline",
      rounds: [],
      measure: () =>
        runLoops({
          ...window,
          what: "in-process sharp re-encodes",
          cpuCounters: stack.cpuCounters(null),
          operation: async () => {
            const out = await reencode(photo);
            if (out.bytes === 0) throw new Error("sharp returned an empty JPEG");
          },
        }),
    };
    const api: Side = {
      label: "api",
      rounds: [],
      measure: () =>
        runLoad({
          ...window,
          url: uploadUrl,
          headers,
          body: () => upload.body,
          expectStatus: 201,
          cpuCounters: stack.cpuCounters(apiServer),
        }),
    };
    console.error(
      `${NAME}: ${settings.rounds} rounds each of ${settings.warmupSeconds} s warm-up + ` +
        `${settings.seconds} s measured, ${settings.uploadConcurrency} in flight`,
    );
    await measureAlternately(NAME, settings.rounds, [[baseline, "img"], [api, "img"]]);
    const profileLines = await stack.profileSummary(apiServer);

    const b = summarise(baseline);
    const a = summarise(api);
    const ratio = a.rps / b.rps;
    const cpuTotal = (s: typeof a) =>
      Object.values(s.cpu.perOp).reduce<number | null>((sum, v) => v === null || sum === null ? null : sum + v, 0);
    const bCpu = cpuTotal(b);
    const aCpu = cpuTotal(a);
    const cpuRatio = bCpu !== null && aCpu ? bCpu / aCpu : null;
    const megabytes = (photo.length / 1e6).toFixed(2);
    const lines = [
      `${NAME} — ${settings.uploadConcurrency} in flight, median of ${settings.rounds} × ${settings.seconds} s per side`,
      `  photo: ${photoMeta.width}×${photoMeta.height} JPEG q85, EXIF orientation ${photoMeta.orientation}, ` +
      `${megabytes} MB (${photo.length} bytes); multipart body ${upload.body.length} bytes`,
      `  sharp.concurrency() ${sharp.concurrency()} (libvips threads per image; library default, set on neither ` +
      `side), so images run in parallel across the ${navigator.hardwareConcurrency || 1} cores`,
      statsHeader("img"),
      statsRow("baseline (sharp)", b),
      statsRow("api document upload", a),
      `  ratio api/baseline   ${ratio.toFixed(3)}   (no target set; informational)`,
      `  (percentiles rest on ~${Math.round(b.ops)} baseline and ~${Math.round(a.ops)} api images per round: ` +
      `p99 is about the slowest one)`,
      cpuHeader("image"),
      cpuRow("baseline", b, 1),
      cpuRow("api", a, 1),
      `  CPU ms per image, all parties: baseline ${bCpu?.toFixed(1) ?? "n/a"}, api ${aCpu?.toFixed(1) ?? "n/a"}; ` +
      `baseline/api ${cpuRatio?.toFixed(3) ?? "n/a"} (the ratio by CPU cost, which load from others shifts less)`,
      machineNote("img"),
      ...profileLines,
    ];
    const record = {
      bench: NAME,
      concurrency: settings.uploadConcurrency,
      seconds: settings.seconds,
      rounds: settings.rounds,
      photo_bytes: photo.length,
      photo_width: PHOTO_WIDTH,
      photo_height: PHOTO_HEIGHT,
      sharp_concurrency: sharp.concurrency(),
      baseline_images_per_s: round2(b.rps),
      baseline_p50_ms: round2(b.p50Ms),
      baseline_p99_ms: round2(b.p99Ms),
      api_images_per_s: round2(a.rps),
      api_p50_ms: round2(a.p50Ms),
      api_p99_ms: round2(a.p99Ms),
      ratio: Math.round(ratio * 1000) / 1000,
      cpu_ratio: cpuRatio === null ? null : Math.round(cpuRatio * 1000) / 1000,
      pass: true,
      baseline_cpu_ms_per_image: cpuRecord(b),
      api_cpu_ms_per_image: cpuRecord(a),
      baseline_rounds: baseline.rounds.map(roundRecord),
      api_rounds: api.rounds.map(roundRecord),
    };
    return { name: NAME, lines, record, pass: true };
  });
}

export const documentUploadBench: Benchmark = { name: NAME, run };
