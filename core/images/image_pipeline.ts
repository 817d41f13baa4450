/**
 * Owns every decode of an uploaded image (only core/engines/ also imports sharp, to feed stored
 * images to the models): type sniffing from magic bytes, pixel and time limits, EXIF orientation,
 * metadata stripping, normalisation to one JPEG plus a thumbnail, size rules per purpose, and the
 * cheap quality report shown to applicants. Every upload decode runs through the process's
 * decode gate (a concurrency cap with a bounded queue).
 */
import sharp, { type Metadata, type Sharp } from "sharp";
import { AppError } from "../errors.ts";
import { DecodeGate } from "./decode_gate.ts";

/** Upload cap the capture routes enforce while reading the body; checked here again as a backstop. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Largest accepted image, in pixels. Covers 50 MP phone modes (8160×6120 ≈ 49.9 MP) while bounding
 * a decode to ≈200 MB of RGBA; a compressed "pixel bomb" is refused from its header alone.
 */
export const MAX_PIXELS = 50_000_000;

/** Normalised images fit inside this box: enough for OCR and face matching, and it caps storage. */
export const MAX_OUTPUT_SIDE = 4000;
export const THUMBNAIL_SIDE = 320;
/** Hard limits on the short side (after orientation and resize), below which checks cannot work. */
export const MIN_SHORT_SIDE = { document: 200, selfie: 480 } as const;
/** Time budget per sharp pipeline: a crafted file must not hold a libuv worker thread for long. */
const DECODE_TIMEOUT_SECONDS = 5;
const JPEG_QUALITY = 88;
const THUMBNAIL_QUALITY = 80;
/** Quality metrics run on a greyscale copy at most this long, so they cost a few ms at any input size. */
const ANALYSIS_SIDE = 1000;
/**
 * Sharpness is judged on a copy at most this long: about the detail a document needs to be read
 * (a card's short side near the 640 px document_quality asks for). A photo with more pixels than
 * detail — a small specimen upscaled 3× (the Dutch one of eval/: 30 at 1000 px, 64–314 here over
 * the phone-photo conditions) — is not called blurry for its empty pixels, while smeared text
 * stays below the threshold (the synthetic document blurred σ=8: 11 at 1000 px, 27 here; a
 * generated 1600 px passport σ=8: 2 and 5).
 */
const SHARPNESS_SIDE = 680;

/**
 * Quality thresholds, calibrated in tests/core/image_pipeline_test.ts on a synthetic 1600×1000
 * document (dark text bars on grey): crisp ≈ 3,800, `.blur(2)` ≈ 290, `.blur(4)` ≈ 54,
 * `.blur(8)` ≈ 11. 60 sits between "soft but legible" and "text smeared". Known limit: sensor
 * noise raises the score (pure σ=10 noise scores ≈ 300), so a noisy blurred photo can pass.
 * Glare tolerates 10 % near-white pixels: paper in a photo rarely reaches 250, specular highlights
 * do, and a scan on a white background is only warned about, never refused.
 */
export const QUALITY_THRESHOLDS = {
  /** Recommended (not required) short side: an ID-1 card's 54 mm at ~300 dpi is ~640 px. */
  recommendedShortSide: { document: 720, selfie: 480 },
  minSharpness: 60,
  glareLevel: 250,
  maxGlareFraction: 0.1,
  exposure: { min: 40, max: 220 },
} as const;

export type ImageType = "image/jpeg" | "image/png" | "image/webp" | "image/heic" | "application/pdf";
export type ImagePurpose = "document" | "selfie";

export interface QualityReport {
  resolution: { width: number; height: number; megapixels: number; ok: boolean };
  /** Variance of the Laplacian on the analysis copy: low means few edges, i.e. blur. */
  sharpness: { score: number; ok: boolean };
  /** Share of near-white pixels (≥ 250 of 255). */
  glare: { fraction: number; ok: boolean };
  /** Mean grey level, 0–255. */
  exposure: { mean: number; ok: boolean };
  ok: boolean;
  /** Human sentences for the capture client, empty when everything passed. */
  warnings: string[];
}

export interface ProcessedImage {
  /** JPEG, oriented, resized to fit MAX_OUTPUT_SIDE, with no metadata at all. */
  normalized: Uint8Array;
  /** JPEG, long side at most THUMBNAIL_SIDE. */
  thumbnail: Uint8Array;
  mimeType: "image/jpeg";
  /** Of `normalized`, i.e. after orientation and resize. */
  width: number;
  height: number;
  /** As stored in the file, before orientation. */
  originalWidth: number;
  originalHeight: number;
  sourceType: Exclude<ImageType, "application/pdf">;
  quality: QualityReport;
}

/** HEIF brands that imply HEVC coding, so the file is HEIC rather than AVIF. */
const HEIC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]);
/** Generic HEIF brands: HEIC unless an AVIF brand says the image is AV1 coded. */
const GENERIC_HEIF_BRANDS = new Set(["mif1", "msf1"]);
const AVIF_BRANDS = new Set(["avif", "avis"]);

/**
 * The file type from magic bytes only: the client's Content-Type and file name are never trusted.
 * PDF is recognised so callers can name it in errors, but processImage refuses it.
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const startsWith = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (startsWith([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(ascii("RIFF")) && startsWith(ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(ascii("%PDF-"))) return "application/pdf";
  if (bytes.length >= 16 && startsWith(ascii("ftyp"), 4)) {
    // ISO-BMFF: u32 box size, "ftyp", major brand, minor version, then compatible brands.
    const boxSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
    const end = Math.min(boxSize, bytes.length, 4096);
    const brands = [latin1(bytes.subarray(8, 12))];
    for (let at = 16; at + 4 <= end; at += 4) brands.push(latin1(bytes.subarray(at, at + 4)));
    if (brands.some((b) => HEIC_BRANDS.has(b))) return "image/heic";
    // AVIF files also list mif1; they are not an accepted upload type.
    if (brands.some((b) => GENERIC_HEIF_BRANDS.has(b)) && !brands.some((b) => AVIF_BRANDS.has(b))) {
      return "image/heic";
    }
  }
  return null;
}

/** Whether this server's libvips can decode HEVC-coded HEIF; sharp's prebuilt binaries only read AVIF. */
export function heicSupported(): boolean {
  return (sharp.format.heif?.input?.fileSuffix ?? []).includes(".heic");
}

const HEIC_UNSUPPORTED = "HEIC is not supported by this server's image library; send JPEG, PNG or WebP";

/** sharp's decoder name for each accepted type: the decoder must agree with the magic bytes. */
const DECODER_FORMAT: Record<ProcessedImage["sourceType"], string> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/webp": "webp",
  "image/heic": "heif",
};

/**
 * The cap on upload decodes in this process. One per process, not per app or request, because
 * what it protects (memory, libuv threads) is the process's; the composition roots set the
 * configured limits at boot (VERIFA_IMAGE_DECODE_CONCURRENCY / _QUEUE).
 */
export const uploadDecodes = new DecodeGate();

/**
 * Validates, normalises and analyses one upload. Throws AppError with `file_too_large`,
 * `unsupported_media_type`, `image_unreadable` (corrupt, truncated, too many pixels, too slow) or
 * `image_too_small`, and 503 `service_unavailable` when the decode gate's slots and queue are all
 * taken. No byte of the input's metadata (EXIF, GPS, XMP, ICC) reaches the outputs.
 */
export function processImage(bytes: Uint8Array, options: { purpose: ImagePurpose }): Promise<ProcessedImage> {
  return uploadDecodes.run(() => decodeUpload(bytes, options));
}

async function decodeUpload(bytes: Uint8Array, options: { purpose: ImagePurpose }): Promise<ProcessedImage> {
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new AppError("file_too_large", `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }
  const sniffed = sniffImageType(bytes);
  if (sniffed === null || sniffed === "application/pdf") {
    const accepted = heicSupported() ? "JPEG, PNG, WebP or HEIC" : "JPEG, PNG or WebP";
    const what = sniffed === "application/pdf" ? "PDF files are" : "This file type is";
    throw new AppError("unsupported_media_type", `${what} not accepted; send a ${accepted} image.`);
  }
  if (sniffed === "image/heic" && !heicSupported()) throw new AppError("unsupported_media_type", HEIC_UNSUPPORTED);
  const sourceType = sniffed;

  // Header only: no pixel is decoded before the dimensions pass the limit. failOn "error" rather
  // than the stricter default "warning" because ordinary phone JPEGs raise libjpeg warnings.
  const input = { limitInputPixels: MAX_PIXELS, failOn: "error" } as const;
  let meta: Metadata;
  try {
    meta = await sharp(bytes, input).metadata();
  } catch (error) {
    throw decodeError(error, sourceType);
  }
  if (meta.format !== DECODER_FORMAT[sourceType] || (sourceType === "image/heic" && meta.compression !== "hevc")) {
    throw new AppError("unsupported_media_type", "The file's content does not match a JPEG, PNG, WebP or HEIC image.");
  }
  if (meta.width * meta.height > MAX_PIXELS) throw tooManyPixels();

  // Size rules apply to what is stored, so compute the dimensions after orientation and resize now,
  // from the header, and refuse before paying for a decode.
  const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
  const expected = fitInside(oriented.width, oriented.height, MAX_OUTPUT_SIDE);
  const minShort = MIN_SHORT_SIDE[options.purpose];
  if (Math.min(expected.width, expected.height) < minShort) {
    throw new AppError(
      "image_too_small",
      `The ${options.purpose} image is ${expected.width}×${expected.height} pixels; ` +
        `its short side must be at least ${minShort} pixels.`,
    );
  }

  let normalized: Uint8Array;
  let width: number;
  let height: number;
  let thumbnail: Uint8Array;
  let grey: { data: Uint8Array; width: number; height: number };
  let detail: { data: Uint8Array; width: number; height: number };
  try {
    // sharp writes no EXIF, XMP, IPTC or ICC unless asked (keepMetadata/withMetadata), and the
    // default JPEG output converts to sRGB first, so only pixels survive. White flatten: a
    // transparent PNG would otherwise turn black where it is transparent.
    let pipeline = sharp(bytes, input)
      .rotate()
      .resize({ width: MAX_OUTPUT_SIDE, height: MAX_OUTPUT_SIDE, fit: "inside", withoutEnlargement: true });
    if (meta.hasAlpha) pipeline = pipeline.flatten({ background: "#ffffff" });
    const out = await pipeline
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .toBuffer({ resolveWithObject: true });
    normalized = toUint8Array(out.data);
    width = out.info.width;
    height = out.info.height;
    // Derived from the normalised JPEG, not the upload: JPEG shrink-on-load makes these two decodes
    // cheap whatever the source format, and the report describes the image that is stored.
    const [thumb, raw, rawDetail] = await Promise.all([
      sharp(normalized, input)
        .resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: "inside", withoutEnlargement: true })
        .jpeg({ quality: THUMBNAIL_QUALITY, mozjpeg: false })
        .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
        .toBuffer(),
      greyCopy(sharp(normalized, input), ANALYSIS_SIDE),
      greyCopy(sharp(normalized, input), SHARPNESS_SIDE),
    ]);
    thumbnail = toUint8Array(thumb);
    grey = { data: toUint8Array(raw.data), width: raw.info.width, height: raw.info.height };
    detail = { data: toUint8Array(rawDetail.data), width: rawDetail.info.width, height: rawDetail.info.height };
    if (raw.info.channels !== 1) throw new Error(`expected 1 channel, got ${raw.info.channels}`);
  } catch (error) {
    throw decodeError(error, sourceType);
  }

  return {
    normalized,
    thumbnail,
    mimeType: "image/jpeg",
    width,
    height,
    originalWidth: meta.width,
    originalHeight: meta.height,
    sourceType,
    quality: assessQuality(grey, { width, height }, options.purpose, detail),
  };
}

/**
 * All metrics from one greyscale buffer of at most ANALYSIS_SIDE px, in a single pass plus the
 * Laplacian pass. Exported for tests and for re-scoring stored images.
 */
export function assessQuality(
  grey: { data: Uint8Array; width: number; height: number },
  size: { width: number; height: number },
  purpose: ImagePurpose,
  /** The copy sharpness is judged on (at most SHARPNESS_SIDE long); `grey` when not given. */
  detail: { data: Uint8Array; width: number; height: number } = grey,
): QualityReport {
  const t = QUALITY_THRESHOLDS;
  const { data } = grey;
  let sum = 0;
  let bright = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    sum += v;
    if (v >= t.glareLevel) bright++;
  }
  const mean = data.length ? sum / data.length : 0;
  const glareFraction = data.length ? bright / data.length : 0;
  const sharpness = laplacianVariance(detail.data, detail.width, detail.height);

  const resolutionOk = Math.min(size.width, size.height) >= t.recommendedShortSide[purpose];
  const sharpnessOk = sharpness >= t.minSharpness;
  const glareOk = glareFraction <= t.maxGlareFraction;
  const exposureOk = mean >= t.exposure.min && mean <= t.exposure.max;
  const ok = resolutionOk && sharpnessOk && glareOk && exposureOk;

  const warnings: string[] = [];
  if (!ok) warnings.push("Photo quality is low");
  if (!sharpnessOk) warnings.push("The photo is blurry: hold the camera steady and let it focus.");
  if (!glareOk) warnings.push("There is glare on the photo: tilt it away from the light.");
  if (!exposureOk) {
    warnings.push(
      mean < t.exposure.min
        ? "The photo is too dark: move somewhere brighter."
        : "The photo is too bright: avoid direct light.",
    );
  }
  if (!resolutionOk) warnings.push("The photo's resolution is low: move closer or use the rear camera.");

  return {
    resolution: {
      width: size.width,
      height: size.height,
      megapixels: round(size.width * size.height / 1e6, 2),
      ok: resolutionOk,
    },
    sharpness: { score: round(sharpness, 1), ok: sharpnessOk },
    glare: { fraction: round(glareFraction, 4), ok: glareOk },
    exposure: { mean: round(mean, 1), ok: exposureOk },
    ok,
    warnings,
  };
}

/** Variance of the 4-neighbour Laplacian over interior pixels (the usual focus measure). */
export function laplacianVariance(data: Uint8Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const l = data[i - width] + data[i + width] + data[i - 1] + data[i + 1] - 4 * data[i];
      sum += l;
      sumSq += l * l;
    }
  }
  const n = (width - 2) * (height - 2);
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Maps a sharp failure to the contract's codes; the libvips message stays out of the response. */
function decodeError(error: unknown, sourceType: ProcessedImage["sourceType"]): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return tooManyPixels();
  // A libvips whose libheif lacks an HEVC decoder but still claims ".heic" fails only here.
  if (sourceType === "image/heic" && /unsupported|plugin|decoder/i.test(message)) {
    return new AppError("unsupported_media_type", HEIC_UNSUPPORTED);
  }
  if (/timeout/i.test(message)) {
    return new AppError("image_unreadable", "The image took too long to decode; send a smaller photo.");
  }
  return new AppError("image_unreadable", "The image could not be read; it may be corrupt or incomplete.");
}

function tooManyPixels(): AppError {
  return new AppError(
    "image_unreadable",
    `The image has more than ${MAX_PIXELS / 1e6} megapixels, the most this server decodes; send a smaller photo.`,
  );
}

function fitInside(width: number, height: number, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(width, height));
  // sharp rounds the same way for fit "inside".
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** sharp returns Buffers; callers and tests compare plain Uint8Arrays. */
function toUint8Array(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A greyscale copy at most `side` long, as raw bytes: what the quality metrics read. */
function greyCopy(image: Sharp, side: number) {
  return image
    .resize({ width: side, height: side, fit: "inside", withoutEnlargement: true })
    .greyscale()
    .raw()
    .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
    .toBuffer({ resolveWithObject: true });
}

/**
 * Re-scores a stored (normalised) image, as the live document_quality check does: the same
 * metrics as at upload, from the bytes that will be verified.
 */
export async function measureStoredQuality(stored: Uint8Array, purpose: ImagePurpose): Promise<QualityReport> {
  const image = sharp(stored, { limitInputPixels: MAX_PIXELS });
  const [meta, raw, rawDetail] = await Promise.all([
    image.metadata(),
    greyCopy(image.clone(), ANALYSIS_SIDE),
    greyCopy(image.clone(), SHARPNESS_SIDE),
  ])
    .catch((error) => {
      throw decodeError(error, "image/jpeg");
    });
  if (raw.info.channels !== 1) throw new Error(`expected 1 channel, got ${raw.info.channels}`);
  return assessQuality(
    { data: toUint8Array(raw.data), width: raw.info.width, height: raw.info.height },
    { width: meta.width ?? raw.info.width, height: meta.height ?? raw.info.height },
    purpose,
    { data: toUint8Array(rawDetail.data), width: rawDetail.info.width, height: rawDetail.info.height },
  );
}
