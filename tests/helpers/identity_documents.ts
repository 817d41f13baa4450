/**
 * Owns the synthetic identity documents the live verification tests submit: a passport data page,
 * an ID card (front and back) and a US driver's licence (front and back), each printed with one
 * applicant's data in the visual zone and encoded in its MRZ or PDF417, plus selfies of the same
 * or another person. Built on tests/engines/fixtures.ts (MRZ lines, MRZ rendering, AAMVA text,
 * PDF417, the face crops shipped in @vladmandic/human), drawn with sharp: nothing is downloaded
 * or checked in. Images are cropped documents at phone-photo resolution (1600 px wide).
 */
import { Buffer } from "node:buffer";
import sharp, { type OverlayOptions, type Sharp } from "sharp";
import {
  type AamvaFields,
  aamvaText,
  faceImage,
  FACES,
  renderLicenceBack,
  renderMrzDocument,
  tamper,
  td1Lines,
  type Td3Data,
  td3Lines,
} from "../engines/fixtures.ts";
import { prng } from "./images.ts";

export type FaceKey = keyof typeof FACES;

export interface Address {
  street: string;
  city: string;
  /** Two-letter US state. */
  state: string;
  /** Five or nine digits. */
  postalCode: string;
}

export interface Applicant {
  firstName: string;
  lastName: string;
  middleName?: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  /** Up to 9 characters A-Z 0-9 for MRZ documents. */
  documentNumber: string;
  /** YYYY-MM-DD */
  expirationDate: string;
  /** YYYY-MM-DD; defaults to ten years before expiry (less a day), as passports are issued. */
  issueDate?: string;
  sex: "M" | "F";
  /** ISO 3166 alpha-3 (ICAO code). */
  nationality: string;
  /** ICAO code for passports and ID cards; two-letter US state for licences (see driversLicence). */
  issuingState: string;
  /** Whose photo is printed on the document. */
  face: FaceKey;
  address?: Address;
}

/** An ISO date `years` and `days` from today (UTC): keeps sample documents valid whenever tests run. */
export function isoDateFromToday(years: number, days = 0): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), now.getUTCDate() + days));
  return date.toISOString().slice(0, 10);
}

export const SAMPLE_ADDRESS: Address = {
  street: "2570 24TH STREET",
  city: "SACRAMENTO",
  state: "CA",
  postalCode: "95818",
};

/**
 * A 30-year-old Dutch man whose documents expire in five years. Under-age, expired or other
 * applicants are overrides, e.g. `{ dateOfBirth: isoDateFromToday(-16) }`,
 * `{ expirationDate: isoDateFromToday(0, -1) }`.
 */
export function sampleApplicant(overrides: Partial<Applicant> = {}): Applicant {
  return {
    firstName: "JAN",
    middleName: "PIETER",
    lastName: "VAN DAM",
    // 30 years and ~4 months: never a birthday-today edge case for age checks.
    dateOfBirth: isoDateFromToday(-30, -123),
    documentNumber: "XK4821937",
    expirationDate: isoDateFromToday(5, 17),
    sex: "M",
    nationality: "NLD",
    issuingState: "NLD",
    face: "personA",
    address: SAMPLE_ADDRESS,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Data as each document encodes it

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

const ymd = (iso: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${iso}`);
  return { yyyy: m[1], mm: m[2], dd: m[3] };
};
/** "1974-08-12" → "740812" (MRZ). */
export const mrzDate = (iso: string) => {
  const { yyyy, mm, dd } = ymd(iso);
  return yyyy.slice(2) + mm + dd;
};
/** "1974-08-12" → "12 AUG 1974", as passports print dates. */
export const passportDate = (iso: string) => {
  const { yyyy, mm, dd } = ymd(iso);
  return `${dd} ${MONTHS[Number(mm) - 1]} ${yyyy}`;
};
/** "1974-08-12" → "08/12/1974", as US licences print dates. */
export const usDate = (iso: string) => {
  const { yyyy, mm, dd } = ymd(iso);
  return `${mm}/${dd}/${yyyy}`;
};

const givenNames = (a: Applicant) => [a.firstName, a.middleName].filter(Boolean).join(" ");
const issueDateOf = (a: Applicant) => {
  if (a.issueDate) return a.issueDate;
  const { yyyy, mm, dd } = ymd(a.expirationDate);
  const date = new Date(Date.UTC(Number(yyyy) - 10, Number(mm) - 1, Number(dd) + 1));
  return date.toISOString().slice(0, 10);
};

export type MrzCheckField = "documentNumber" | "birthDate" | "expirationDate" | "composite";

/** Column of each check digit: [line, column] in ICAO 9303's TD3 and TD1 layouts. */
const CHECK_DIGIT_AT: Record<"TD3" | "TD1", Record<MrzCheckField, [number, number]>> = {
  TD3: { documentNumber: [1, 9], birthDate: [1, 19], expirationDate: [1, 27], composite: [1, 43] },
  TD1: { documentNumber: [0, 14], birthDate: [1, 6], expirationDate: [1, 14], composite: [1, 29] },
};

export interface MrzOptions {
  /** Print this check digit wrong (a forged or altered document); the rest stays correct. */
  tamperCheckDigit?: MrzCheckField;
  /**
   * Print the MRZ with these values instead of the applicant's, check digits recomputed (an MRZ
   * re-printed with another identity); the visual zone keeps the applicant's.
   */
  mrzValues?: Partial<Applicant>;
}

/** The MRZ lines printed on the applicant's passport (TD3) or ID card (TD1). */
export function applicantMrz(applicant: Applicant, format: "TD3" | "TD1", options: MrzOptions = {}): string[] {
  const a = { ...applicant, ...options.mrzValues };
  const data: Td3Data = {
    issuingState: a.issuingState,
    lastName: a.lastName,
    givenNames: givenNames(a),
    documentNumber: a.documentNumber,
    nationality: a.nationality,
    birthDate: mrzDate(a.dateOfBirth),
    sex: a.sex,
    expirationDate: mrzDate(a.expirationDate),
  };
  const lines = format === "TD3" ? td3Lines(data) : td1Lines(data);
  if (!options.tamperCheckDigit) return lines;
  const [line, column] = CHECK_DIGIT_AT[format][options.tamperCheckDigit];
  // +5 rather than +1: no OCR confusion (and no repair) maps a digit to the one five away.
  const wrong = String((Number(lines[line][column]) + 5) % 10);
  return tamper(lines, line, column, wrong);
}

/** A few states: AAMVA issuer identification number (aamva.org IIN list; it names the issuer) and name. */
const STATES: Record<string, { iin: string; name: string }> = {
  CA: { iin: "636014", name: "CALIFORNIA" },
  NY: { iin: "636001", name: "NEW YORK" },
  TX: { iin: "636015", name: "TEXAS" },
  FL: { iin: "636010", name: "FLORIDA" },
  WA: { iin: "636045", name: "WASHINGTON" },
  IL: { iin: "636035", name: "ILLINOIS" },
};

/**
 * The licence's issuing state: `issuingState` when it is a two-letter state, else the state of
 * the address (so one sample applicant can hold a passport and a licence).
 */
const licenceState = (a: Applicant) =>
  /^[A-Z]{2}$/.test(a.issuingState) ? a.issuingState : (a.address ?? SAMPLE_ADDRESS).state;

const aamvaDate = (iso: string) => usDate(iso).replace(/\//g, "");

/** The AAMVA fields the licence's PDF417 encodes. */
export function applicantAamva(a: Applicant): AamvaFields {
  const state = licenceState(a);
  const iin = STATES[state]?.iin;
  if (!iin) throw new Error(`no IIN for ${state}: add the state to STATES`);
  const address = a.address ?? SAMPLE_ADDRESS;
  return {
    iin,
    documentNumber: a.documentNumber,
    lastName: a.lastName,
    firstName: a.firstName,
    middleName: a.middleName ?? "NONE",
    birthDate: aamvaDate(a.dateOfBirth),
    expirationDate: aamvaDate(a.expirationDate),
    issueDate: aamvaDate(issueDateOf(a)),
    sex: a.sex === "M" ? "1" : "2",
    street: address.street,
    city: address.city,
    state: address.state,
    postalCode: address.postalCode,
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing

/** Every document is drawn this wide: a cropped phone photo of the document. */
export const DOCUMENT_WIDTH = 1600;
const PAGE_COLOUR = "#ece6d6"; // renderMrzDocument's page tint, to paint over its placeholder text
const INK = "#141414";
const LABEL_INK = "#2a3550";
const SANS = "DejaVu Sans, Liberation Sans, sans-serif";

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A printed field: small label, value below it. Positions in mm from the document's top left. */
interface Field {
  label: string;
  value: string;
  x: number;
  /** Baseline of the value. */
  y: number;
  size?: number;
}

function fieldsSvg(fields: Field[], mm: number): string {
  return fields.map(({ label, value, x, y, size = 3.4 }) =>
    `<text x="${x * mm}" y="${(y - size - 0.8) * mm}" font-family="${SANS}" font-size="${2.1 * mm}" ` +
    `fill="${LABEL_INK}">${escapeXml(label)}</text>` +
    `<text x="${x * mm}" y="${y * mm}" font-family="${SANS}" font-weight="bold" font-size="${size * mm}" ` +
    `fill="${INK}">${escapeXml(value)}</text>`
  ).join("\n");
}

const svgBytes = (width: number, height: number, body: string) =>
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`);

const toJpeg = async (image: Sharp, quality = 90) => new Uint8Array(await image.jpeg({ quality }).toBuffer());

async function portraitOf(face: FaceKey, width: number, height: number): Promise<Buffer> {
  return await sharp(await faceImage(face)).resize(Math.round(width), Math.round(height), { fit: "cover" })
    .toBuffer();
}

/** Fields printed on the passport's visual zone (ICAO 9303 zones I–IV, right of the portrait). */
function passportFields(a: Applicant): Field[] {
  const x = 42;
  return [
    { label: "Type / Type", value: "P", x: 62, y: 12.5, size: 3 },
    { label: "Code / Code", value: a.issuingState, x: 75, y: 12.5, size: 3 },
    { label: "Passport No. / No. du passeport", value: a.documentNumber, x: 90, y: 12.5, size: 3.4 },
    { label: "Surname / Nom", value: a.lastName, x, y: 21.5 },
    { label: "Given names / Prenoms", value: givenNames(a), x, y: 30.5 },
    { label: "Nationality / Nationalite", value: a.nationality, x, y: 39.5 },
    { label: "Date of birth / Date de naissance", value: passportDate(a.dateOfBirth), x, y: 48.5 },
    { label: "Sex / Sexe", value: a.sex, x: 98, y: 48.5 },
    { label: "Date of issue / Date de delivrance", value: passportDate(issueDateOf(a)), x, y: 57.5 },
    { label: "Date of expiry / Date d'expiration", value: passportDate(a.expirationDate), x, y: 66.5 },
    { label: "Authority / Autorite", value: `${a.issuingState} MINISTRY OF INTERIOR`, x, y: 73.5, size: 2.6 },
  ];
}

export interface PassportOptions extends MrzOptions {
  width?: number;
}

/**
 * A TD3 passport data page: the applicant's portrait on the left, the visual zone printed as
 * passports print it ("12 AUG 1974"), the MRZ at the bottom in ICAO geometry.
 */
export async function passportPage(a: Applicant, options: PassportOptions = {}): Promise<Uint8Array> {
  const width = options.width ?? DOCUMENT_WIDTH;
  const mm = width / 125;
  const height = Math.round(88 * mm);
  // renderMrzDocument draws the MRZ (geometry the OCR is calibrated on) and the portrait; its
  // placeholder "SPECIMEN" and label are painted over before the fields are printed.
  const base = await renderMrzDocument(applicantMrz(a, "TD3", options), {
    width,
    portrait: await faceImage(a.face),
    jpegQuality: 95,
  });
  const overlay = svgBytes(
    width,
    height,
    `<rect x="${40 * mm}" y="${11 * mm}" width="${82 * mm}" height="${63 * mm}" fill="${PAGE_COLOUR}"/>` +
      fieldsSvg(passportFields(a), mm),
  );
  return await toJpeg(sharp(base).composite([{ input: overlay }]));
}

/** A card front (ID-1, 85.6 × 54 mm): header band, portrait left, fields right. */
async function cardFront(
  a: Applicant,
  title: [string, string],
  colours: { card: string; band: string },
  fields: Field[],
): Promise<Uint8Array> {
  const width = DOCUMENT_WIDTH;
  const mm = width / 85.6;
  const height = Math.round(54 * mm);
  const portrait = { x: 4, y: 13, w: 25, h: 32 };
  const svg = svgBytes(
    width,
    height,
    `<rect width="100%" height="100%" fill="${colours.card}"/>
    <rect width="100%" height="${10.5 * mm}" fill="${colours.band}"/>
    <text x="${4 * mm}" y="${5.2 * mm}" font-family="${SANS}" font-weight="bold" font-size="${4 * mm}" fill="#fff">${
      escapeXml(title[0])
    }</text>
    <text x="${4 * mm}" y="${9 * mm}" font-family="${SANS}" font-size="${2.6 * mm}" fill="#fff">${
      escapeXml(title[1])
    }</text>
    ${fieldsSvg(fields, mm)}`,
  );
  const face = await portraitOf(a.face, portrait.w * mm, portrait.h * mm);
  return await toJpeg(
    sharp(svg).composite([{ input: face, left: Math.round(portrait.x * mm), top: Math.round(portrait.y * mm) }]),
  );
}

export interface CardImages {
  front: Uint8Array;
  back: Uint8Array;
}

/** A TD1 identity card: front with portrait and printed fields, back with the three-line MRZ. */
export async function idCard(a: Applicant, options: MrzOptions = {}): Promise<CardImages> {
  const x = 33;
  const [front, back] = await Promise.all([
    cardFront(a, ["IDENTITY CARD", `${a.issuingState} / CARTE D'IDENTITE`], { card: "#e3ebe4", band: "#2f5d50" }, [
      { label: "Surname / Nom", value: a.lastName, x, y: 17 },
      { label: "Given names / Prenoms", value: givenNames(a), x, y: 24 },
      { label: "Sex / Sexe", value: a.sex, x, y: 31 },
      { label: "Nationality / Nationalite", value: a.nationality, x: 47, y: 31 },
      { label: "Date of birth / Date de naissance", value: passportDate(a.dateOfBirth), x, y: 38 },
      { label: "Document No. / No. du document", value: a.documentNumber, x, y: 45 },
      { label: "Expiry date / Date d'expiration", value: passportDate(a.expirationDate), x, y: 52 },
    ]),
    renderMrzDocument(applicantMrz(a, "TD1", options), { width: DOCUMENT_WIDTH }),
  ]);
  return { front, back };
}

/**
 * A US driver's licence: the front prints DL number, names, dates (MM/DD/YYYY) and address next
 * to the portrait; the back carries the AAMVA PDF417 of the same data.
 */
export async function driversLicence(a: Applicant): Promise<CardImages> {
  const state = licenceState(a);
  const address = a.address ?? SAMPLE_ADDRESS;
  const zip = address.postalCode.length === 9
    ? `${address.postalCode.slice(0, 5)}-${address.postalCode.slice(5)}`
    : address.postalCode;
  const x = 33;
  const [front, back] = await Promise.all([
    cardFront(a, [STATES[state]?.name ?? state, "DRIVER LICENSE   USA"], { card: "#e6edf3", band: "#1f4e79" }, [
      { label: "DL", value: a.documentNumber, x, y: 17, size: 3.8 },
      { label: "EXP", value: usDate(a.expirationDate), x: 62, y: 17, size: 3.4 },
      { label: "LN", value: a.lastName, x, y: 23.5 },
      { label: "FN", value: givenNames(a), x, y: 30 },
      { label: "ADDRESS", value: address.street, x, y: 36.5, size: 2.8 },
      { label: "", value: `${address.city}, ${address.state} ${zip}`, x, y: 40, size: 2.8 },
      { label: "DOB", value: usDate(a.dateOfBirth), x, y: 46.5 },
      { label: "SEX", value: a.sex, x: 62, y: 46.5 },
      { label: "ISS", value: usDate(issueDateOf(a)), x, y: 52, size: 2.8 },
      { label: "CLASS", value: "C", x: 62, y: 52, size: 2.8 },
    ]),
    renderLicenceBack(aamvaText(applicantAamva(a)), { width: DOCUMENT_WIDTH }),
  ]);
  return { front, back };
}

// ---------------------------------------------------------------------------------------------
// Selfies and degraded captures

/** The same person in a different photograph, where the assets have one (only personA). */
export const OTHER_PHOTO: Partial<Record<FaceKey, FaceKey>> = { personA: "personAOther", personAOther: "personA" };

export interface SelfieOptions {
  /** Short side in px (portrait orientation, 3:4). Default 768; the capture pipeline needs ≥ 480. */
  width?: number;
  /** sharp `modulate` brightness: the selfie's light differs from the document photo's. Default 1.05. */
  brightness?: number;
  /**
   * Standard deviation of the sensor grain, in grey levels. Default 4: a 4× upscaled 150 px face
   * has almost no edges (Laplacian variance ≈ 3), so without grain every selfie would be refused
   * as blurry (QUALITY_THRESHOLDS.minSharpness 60); with it the six faces score 115–165 at 768 px.
   */
  grain?: number;
  /**
   * "screen": the selfie re-photographed off a monitor (scan lines, washed-out contrast, blue
   * cast, bezel), a presentation attack for the anti-spoof scores.
   */
  spoof?: "screen";
}

/**
 * A front-camera selfie made from a face crop: the face upscaled to ~80 % of the width, its edges
 * feathered into a smooth background of its own colours (so no hard photo border shows), re-lit.
 */
export async function selfie(face: FaceKey, options: SelfieOptions = {}): Promise<Uint8Array> {
  const width = options.width ?? 768;
  const height = Math.round(width * 4 / 3);
  const crop = await faceImage(face);
  const side = Math.round(width * 0.8);
  // A smooth field of the photo's own colours (no structure: a blown-up copy would be a ghost face).
  const tiny = await sharp(crop).resize(3, 4, { fit: "fill" }).png().toBuffer();
  const background = await sharp(tiny).resize(width, height, { kernel: "cubic" }).toBuffer();
  const mask = svgBytes(
    side,
    side,
    `<defs><radialGradient id="g"><stop offset="0.72" stop-color="#fff" stop-opacity="1"/>` +
      `<stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>` +
      `<rect width="100%" height="100%" fill="url(#g)"/>`,
  );
  const feathered = await sharp(crop).resize(side, side, { kernel: "lanczos3" }).sharpen({ sigma: 1 }).ensureAlpha()
    // PNG, not raw: raw output of a dest-in composite comes back premultiplied and the feather turns into a halo.
    .composite([{ input: mask, blend: "dest-in" }]).png({ compressionLevel: 1 }).toBuffer();
  // sharp composites last in a pipeline, so each step that must follow a composite is a new pipeline.
  const scene = await sharp(background)
    .composite([{ input: feathered, left: Math.round((width - side) / 2), top: Math.round(height * 0.18) }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  const photo = sharp(scene.data, { raw: scene.info })
    .modulate({ brightness: options.brightness ?? 1.05 })
    .composite([grain(width, height, options.grain ?? 4)]);
  if (options.spoof !== "screen") return await toJpeg(photo, 92);
  return await toJpeg(
    sharp(await screenReplay(await photo.png({ compressionLevel: 1 }).toBuffer(), width, height)),
    92,
  );
}

/** The selfie of an applicant who is who the document says: by default a different photo of them. */
export function genuineSelfie(a: Applicant, options: SelfieOptions & { samePhoto?: boolean } = {}) {
  return selfie(options.samePhoto ? a.face : OTHER_PHOTO[a.face] ?? a.face, options);
}

/** Zero-mean Gaussian grey noise as an RGB layer (seeded: the same selfie every run), added by overlay. */
function grain(width: number, height: number, sigma: number): OverlayOptions {
  const random = prng(7);
  const pixels = new Uint8ClampedArray(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    // Sum of four uniforms: close enough to Gaussian, variance 4/12. Overlay on mid-grey adds the deviation as is.
    const n = (random() + random() + random() + random() - 2) / Math.sqrt(4 / 12);
    pixels[i * 3] = pixels[i * 3 + 1] = pixels[i * 3 + 2] = 128 + n * sigma; // clamped and rounded
  }
  return { raw: { width, height, channels: 3 }, input: Buffer.from(pixels.buffer), blend: "overlay" };
}

async function screenReplay(image: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const bezel = Math.round(width * 0.06);
  const lines = svgBytes(
    width,
    height,
    `<defs><pattern id="p" width="4" height="4" patternUnits="userSpaceOnUse">` +
      `<rect width="4" height="1.4" fill="#000" fill-opacity="0.2"/></pattern></defs>` +
      `<rect width="100%" height="100%" fill="url(#p)"/>` +
      `<rect width="100%" height="100%" fill="#4060ff" fill-opacity="0.08"/>`,
  );
  // sharp resizes before it composites, hence two pipelines.
  const lit = await sharp(image).linear(0.75, 40).composite([{ input: lines }]).png().toBuffer();
  const screen = await sharp(lit).resize(width - 2 * bezel, height - 2 * bezel).toBuffer();
  return await sharp({ create: { width, height, channels: 3, background: "#111" } })
    .composite([{ input: screen, left: bezel, top: bezel }]).png().toBuffer();
}

/** A Gaussian blur of `sigma` px: an out-of-focus capture the pipeline must refuse. */
export async function blurred(image: Uint8Array, sigma: number): Promise<Uint8Array> {
  return await toJpeg(sharp(image).blur(sigma), 85);
}
