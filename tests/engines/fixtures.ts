/**
 * Draws the engine tests' inputs with sharp and bwip-js, so nothing is downloaded or checked in:
 * ICAO MRZs with correct check digits rendered in a monospace font, AAMVA PDF417s, and face crops
 * from the sample images that ship inside @vladmandic/human.
 */
import bwipjs from "bwip-js";
import sharp, { type Region } from "sharp";
import { installedPackage } from "../../core/engines/npm_package.ts";
import { mrzCheckDigit } from "../../core/engines/mrz.ts";

/** fontconfig names; Debian's fonts-dejavu-core (pulled in by chromium) provides the first. */
export const MRZ_FONT = "DejaVu Sans Mono, Liberation Mono, monospace";

export interface Td3Data {
  documentType?: string;
  issuingState: string;
  lastName: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  /** YYMMDD */
  birthDate: string;
  sex: "M" | "F" | "<";
  /** YYMMDD */
  expirationDate: string;
  personalNumber?: string;
}

const fill = (text: string, length: number) =>
  (text.toUpperCase().replace(/ /g, "<") + "<".repeat(length)).slice(0, length);

/** The two 44-character lines of a passport (TD3), every check digit computed. */
export function td3Lines(d: Td3Data): [string, string] {
  const line1 = fill(`${d.documentType ?? "P"}<`.slice(0, 2) + d.issuingState + `${d.lastName}<<${d.givenNames}`, 44);
  const doc = fill(d.documentNumber, 9);
  const personal = fill(d.personalNumber ?? "", 14);
  const docField = doc + mrzCheckDigit(doc);
  const birthField = d.birthDate + mrzCheckDigit(d.birthDate);
  const expiryField = d.expirationDate + mrzCheckDigit(d.expirationDate);
  const personalField = personal + (/^<*$/.test(personal) ? "<" : mrzCheckDigit(personal));
  const composite = mrzCheckDigit(docField + birthField + expiryField + personalField);
  return [line1, docField + fill(d.nationality, 3) + birthField + d.sex + expiryField + personalField + composite];
}

/** The three 30-character lines of an ID card (TD1). */
export function td1Lines(d: Td3Data & { documentType?: string }): [string, string, string] {
  const doc = fill(d.documentNumber, 9);
  const optional1 = fill(d.personalNumber ?? "", 15);
  const line1 = fill(`${d.documentType ?? "I"}<`.slice(0, 2) + d.issuingState, 5) + doc + mrzCheckDigit(doc) +
    optional1;
  const birthField = d.birthDate + mrzCheckDigit(d.birthDate);
  const expiryField = d.expirationDate + mrzCheckDigit(d.expirationDate);
  const optional2 = fill("", 11);
  const composite = mrzCheckDigit(line1.slice(5, 30) + birthField + expiryField + optional2);
  const line2 = birthField + d.sex + expiryField + fill(d.nationality, 3) + optional2 + composite;
  return [line1, line2, fill(`${d.lastName}<<${d.givenNames}`, 30)];
}

/** Replaces one character of an MRZ line (e.g. a check digit) to fake a tampered document. */
export function tamper(lines: readonly string[], line: number, column: number, ch: string): string[] {
  return lines.map((l, i) => (i === line ? l.slice(0, column) + ch + l.slice(column + 1) : l));
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface DocumentImageOptions {
  /** Pixel width of the whole document; the MRZ scales with it. */
  width?: number;
  /** Composited where the portrait goes (left of the data). */
  portrait?: Uint8Array;
  jpegQuality?: number;
}

/**
 * A passport data page (125 × 88 mm, TD3) or an ID card (85.6 × 54 mm, TD1) with its MRZ in the
 * ICAO position: lines stretched (textLength) to the MRZ width, on a tinted page with some
 * printed text above, as a JPEG.
 */
export async function renderMrzDocument(
  lines: readonly string[],
  options: DocumentImageOptions = {},
): Promise<Uint8Array> {
  const td1 = lines.length === 3;
  const width = options.width ?? (td1 ? 1000 : 1250);
  const height = Math.round(width * (td1 ? 54 / 85.6 : 88 / 125));
  const mm = width / (td1 ? 85.6 : 125);
  // Roughly ICAO 9303's geometry: ~2.6 mm character pitch, lines 4.4 mm apart, 5 mm margins.
  const left = 5 * mm;
  const mrzWidth = width - 10 * mm;
  const fontSize = 3.6 * mm;
  const lineGap = 4.4 * mm;
  const firstBaseline = height - 3 * mm - lineGap * (lines.length - 1);
  const text = lines.map((line, i) =>
    `<text x="${left}" y="${firstBaseline + i * lineGap}" font-family="${MRZ_FONT}" font-size="${fontSize}" ` +
    `fill="#151515" textLength="${mrzWidth}" lengthAdjust="spacingAndGlyphs">${escapeXml(line)}</text>`
  ).join("\n");
  const portrait = { x: 5 * mm, y: 14 * mm, w: (td1 ? 22 : 32) * mm, h: (td1 ? 28 : 40) * mm };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <rect width="100%" height="100%" fill="#ece6d6"/>
  <rect x="${portrait.x}" y="${portrait.y}" width="${portrait.w}" height="${portrait.h}" fill="#b8b0a4"/>
  <text x="${5 * mm}" y="${9 * mm}" font-family="DejaVu Sans" font-size="${4 * mm}" fill="#2a3550">${
    td1 ? "IDENTITY CARD" : "PASSPORT / PASSEPORT"
  }</text>
  <text x="${portrait.x + portrait.w + 5 * mm}" y="${20 * mm}" font-family="DejaVu Sans" font-size="${
    3 * mm
  }" fill="#2a3550">Surname / Nom</text>
  <text x="${portrait.x + portrait.w + 5 * mm}" y="${25 * mm}" font-family="DejaVu Sans" font-size="${
    3.6 * mm
  }" fill="#111">SPECIMEN</text>
  ${text}
</svg>`;
  let image = sharp(new TextEncoder().encode(svg));
  if (options.portrait) {
    const face = await sharp(options.portrait)
      .resize(Math.round(portrait.w), Math.round(portrait.h), { fit: "cover" })
      .toBuffer();
    image = sharp(await image.png().toBuffer()).composite([
      { input: face, left: Math.round(portrait.x), top: Math.round(portrait.y) },
    ]);
  }
  const jpeg = await image.jpeg({ quality: options.jpegQuality ?? 90 }).toBuffer();
  return new Uint8Array(jpeg);
}

/** Fraction of dark pixels: proves the font rendered (librsvg draws nothing for a missing font). */
export async function inkFraction(image: Uint8Array): Promise<number> {
  const { data } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (const p of data) if (p < 100) dark++;
  return dark / data.length;
}

export interface AamvaFields {
  iin: string;
  documentNumber: string;
  lastName: string;
  firstName: string;
  middleName: string;
  /** MMDDCCYY, as US cards write dates. */
  birthDate: string;
  expirationDate: string;
  issueDate: string;
  sex: "1" | "2" | "9";
  street: string;
  city: string;
  state: string;
  postalCode: string;
}

/**
 * An AAMVA DL/ID-2016 (version 08) file: compliance indicator, separators, the header with the DL
 * subfile's real offset and length, LF between elements and CR after the subfile.
 */
export function aamvaText(f: AamvaFields): string {
  const elements = [
    `DCA${"C"}`,
    "DCBNONE",
    "DCDNONE",
    `DBA${f.expirationDate}`,
    `DCS${f.lastName}`,
    `DAC${f.firstName}`,
    `DAD${f.middleName}`,
    `DBD${f.issueDate}`,
    `DBB${f.birthDate}`,
    `DBC${f.sex}`,
    "DAYBRO",
    "DAU069 IN",
    `DAG${f.street}`,
    `DAI${f.city}`,
    `DAJ${f.state}`,
    `DAK${f.postalCode.padEnd(11, " ")}`,
    `DAQ${f.documentNumber}`,
    "DCF00/00/0000NNNAN/ANFD/YY",
    "DCGUSA",
    "DDEN",
    "DDFN",
    "DDGN",
  ];
  const subfile = "DL" + elements.join("\n") + "\r";
  const headerLength = "@\n\x1e\rANSI ".length + 6 + 2 + 2 + 2 + 10;
  const header = `@\n\x1e\rANSI ${f.iin}080001DL${String(headerLength).padStart(4, "0")}${
    String(subfile.length).padStart(4, "0")
  }`;
  return header + subfile;
}

/** A PDF417 as PNG with a quiet zone (zxing needs the white margin to find the start pattern). */
export async function renderPdf417(text: string, options: { scale?: number } = {}): Promise<Uint8Array> {
  // BWIPP's pdf417 options (columns, eclevel) are not in bwip-js's typings.
  const params = {
    bcid: "pdf417",
    text,
    scale: options.scale ?? 3,
    columns: 8,
    eclevel: 5,
    paddingwidth: 10,
    paddingheight: 10,
    backgroundcolor: "FFFFFF",
  };
  const svg = bwipjs.toSVG(params);
  return new Uint8Array(await sharp(new TextEncoder().encode(svg)).png().toBuffer());
}

/** The back of a licence card: the PDF417 over most of the width, some printed text, as JPEG. */
export async function renderLicenceBack(text: string, options: { width?: number } = {}): Promise<Uint8Array> {
  const width = options.width ?? 1400;
  const height = Math.round(width * 54 / 85.6);
  const barcode = await sharp(await renderPdf417(text)).resize({ width: Math.round(width * 0.86) }).toBuffer();
  const meta = await sharp(barcode).metadata();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <rect width="100%" height="100%" fill="#e4ecf2"/>
  <text x="${width * 0.07}" y="${height * 0.1}" font-family="DejaVu Sans" font-size="${
    height * 0.04
  }" fill="#333">RESTRICTIONS: NONE   ENDORSEMENTS: NONE</text>
</svg>`;
  const jpeg = await sharp(new TextEncoder().encode(svg))
    // Multiplied onto the card: printed on the card stock like a real one, its white is the card's
    // tint, not pure white (which the document_quality check would count as glare).
    .composite([{
      input: barcode,
      left: Math.round(width * 0.07),
      top: Math.round((height - meta.height!) * 0.6),
      blend: "multiply",
    }])
    .jpeg({ quality: 90 })
    .toBuffer();
  return new Uint8Array(jpeg);
}

/** Bytes of an image shipped in @vladmandic/human's package (its README screenshots and samples). */
export function humanAsset(file: string): Promise<Uint8Array> {
  return Deno.readFile(`${installedPackage("@vladmandic/human").dir}/assets/${file}`);
}

export async function cropJpeg(image: Uint8Array, region: Region, upscale = 1): Promise<Uint8Array> {
  let pipeline = sharp(image).extract(region);
  if (upscale !== 1) pipeline = pipeline.resize(Math.round(region.width * upscale));
  return new Uint8Array(await pipeline.jpeg({ quality: 92 }).toBuffer());
}

/**
 * Faces in human's assets, in pixels of the original files. The same man (by all appearances the
 * library's author, who features throughout its demos) is in two different photographs, years
 * apart; the other crops are four different women. (@vladmandic/face-api's six 1920 px demo group
 * photos would add impostor faces, but no second photo of anyone.)
 */
export const FACES = {
  /** The man at his webcam, screenshot-faceid.jpg. */
  personA: { file: "screenshot-faceid.jpg", region: { left: 10, top: 138, width: 148, height: 148 } },
  /** The same man in another photo, first face tile of screenshot-facedetect.jpg. */
  personAOther: { file: "screenshot-facedetect.jpg", region: { left: 6, top: 345, width: 154, height: 153 } },
  personB: { file: "screenshot-facedetect.jpg", region: { left: 163, top: 345, width: 154, height: 153 } },
  personC: { file: "screenshot-facedetect.jpg", region: { left: 320, top: 345, width: 154, height: 153 } },
  personD: { file: "screenshot-facedetect.jpg", region: { left: 477, top: 345, width: 154, height: 153 } },
  personE: { file: "screenshot-facedetect.jpg", region: { left: 632, top: 343, width: 160, height: 160 } },
} as const;

export async function faceImage(name: keyof typeof FACES): Promise<Uint8Array> {
  const { file, region } = FACES[name];
  return cropJpeg(await humanAsset(file), region);
}

/** The sample passport holder the MRZ tests and the offline probe render (ICAO 9303's specimen data). */
export const SAMPLE_PASSPORT: Td3Data = {
  issuingState: "NLD",
  lastName: "DE VRIES",
  givenNames: "ANNA MARIA",
  documentNumber: "SPECI2014",
  nationality: "NLD",
  birthDate: "740812",
  sex: "F",
  expirationDate: "340415",
  personalNumber: "999999990",
};

/** The sample California licence the PDF417 tests and the offline probe encode (AAMVA's example data). */
export const SAMPLE_LICENCE: AamvaFields = {
  iin: "636014",
  documentNumber: "D1234567",
  lastName: "SAMPLE",
  firstName: "ALEXANDER",
  middleName: "JOSEPH",
  birthDate: "08311977",
  expirationDate: "08312030",
  issueDate: "08312022",
  sex: "1",
  street: "2570 24TH STREET",
  city: "SACRAMENTO",
  state: "CA",
  postalCode: "958180000",
};
