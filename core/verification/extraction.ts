/**
 * Owns reading a session's identity document: which side carries the machine-readable zone (the
 * MRZ of a passport page or an ID card's back, the PDF417 of a licence's back), decoding it with
 * the engines, turning it into the notes' `extracted_data`, and reading the printed front so the
 * document_ocr check can compare the two.
 */
import { parseAamva } from "../engines/barcode.ts";
import {
  isSpecimenState,
  MRZ_NAME_FIELD,
  type MrzCheckName,
  mrzDateToIso,
  parseMrz,
  type RepairedMrz,
  repairMrz,
} from "../engines/mrz.ts";
import type { EngineVersions } from "../engines/versions.ts";
import { alpha2Country } from "./countries.ts";
import type { VerificationEngines } from "./engines.ts";
import { settleNameFillers, settleNumberFromFront } from "./visual_zone.ts";

/** The notes' extracted_data keys; absent when not read. */
export type ExtractedData = {
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  date_of_birth?: string;
  document_number?: string;
  nationality?: string;
  gender?: "M" | "F" | "X";
  document_type?: string;
  document_expiration_date?: string;
  document_issuing_state?: string;
  document_issuing_country?: string;
  address?: {
    line1: string | null;
    line2: string | null;
    city: string | null;
    state: string | null;
    zip: string | null;
  };
};

export interface DocumentExtraction {
  source: "mrz" | "pdf417" | null;
  data: ExtractedData;
  mrz: {
    format: string;
    valid: boolean;
    checks: Partial<Record<MrzCheckName, boolean>>;
    errors: { field: string; error: string }[];
    inferred: MrzCheckName[];
    /** Fields left with several readings that satisfy their check digit (the front did not settle them). */
    ambiguous: MrzCheckName[];
    /** Failed checks the reading explains (repaired characters, a realigned line): see ParsedMrz.misread. */
    misread: MrzCheckName[];
    /**
     * Compared fields whose machine-read value stands on its own: the number and birth date when
     * their check digits hold, the surname when its line needed no repair. Only these can be
     * shown different by the front; a misread MRZ differing from the front proves nothing.
     */
    vouched: string[];
    /** Issued by ICAO's specimen state (Utopia): a sample document, not anyone's identity. */
    specimen: boolean;
    /** The repaired MRZ lines (PII: kept in memory and in encrypted inputs only). */
    lines: string[];
  } | null;
  barcode: { aamva_version: number | null; subfile: "DL" | "ID" | null } | null;
  /** The printed side's text as OCR read it (PII: kept in memory and in encrypted inputs only). */
  front_text: string | null;
  versions: EngineVersions[];
}

export interface DocumentImages {
  documentType: string | null;
  front: Uint8Array | null;
  back: Uint8Array | null;
}

const MRZ_ON_BACK = new Set(["national_id", "residence_permit"]);

export async function extractDocument(
  engines: VerificationEngines,
  images: DocumentImages,
  now: Date,
): Promise<DocumentExtraction> {
  const result: DocumentExtraction = {
    source: null,
    data: {},
    mrz: null,
    barcode: null,
    front_text: null,
    versions: [],
  };
  if (!images.front && !images.back) return result;
  let mrzRead: RepairedMrz | null = null;
  const ocr = await engines.ocr();
  result.versions.push(ocr.versions);
  const frontText = images.front ? ocr.readText(images.front) : Promise.resolve(null);
  // Marked handled now: if the barcode or MRZ read below throws first, nothing awaits this one, and
  // an unhandled rejection would end the worker process. Awaited later, it still throws.
  frontText.catch(() => {});

  if (images.documentType === "drivers_license") {
    const barcode = await engines.barcode();
    result.versions.push(barcode.versions);
    for (const side of [images.back, images.front]) {
      if (!side) continue;
      const read = await barcode.readPdf417(side);
      const parsed = read ? parseAamva(read.text) : null;
      if (!parsed) continue;
      result.source = "pdf417";
      result.barcode = { aamva_version: parsed.version, subfile: parsed.documentType };
      result.data = clean({
        first_name: parsed.firstName ?? undefined,
        middle_name: parsed.middleName ?? undefined,
        last_name: parsed.lastName ?? undefined,
        date_of_birth: parsed.dateOfBirth ?? undefined,
        document_number: parsed.documentNumber ?? undefined,
        gender: parsed.sex ?? undefined,
        nationality: alpha2Country(parsed.issuingCountry) ?? undefined,
        document_type: "drivers_license",
        document_expiration_date: parsed.expirationDate ?? undefined,
        document_issuing_state: parsed.issuingState ?? undefined,
        document_issuing_country: alpha2Country(parsed.issuingCountry) ?? undefined,
        address: {
          line1: parsed.address.street,
          line2: parsed.address.street2,
          city: parsed.address.city,
          state: parsed.address.state,
          zip: parsed.address.postalCode,
        },
      });
      break;
    }
  } else {
    const sides = MRZ_ON_BACK.has(images.documentType ?? "")
      ? [images.back, images.front]
      : [images.front, images.back];
    for (const side of sides) {
      if (!side) continue;
      const read = await ocr.readMrz(side);
      mrzRead = repairMrz(read.lines);
      if (mrzRead) break;
    }
  }
  const front = (await frontText)?.text ?? null;
  result.front_text = front === null ? null : visualZone(front);
  if (mrzRead) Object.assign(result, mrzExtraction(mrzRead, result.front_text, images.documentType, now));
  return result;
}

/**
 * The MRZ's part of an extraction, from the repaired lines and the front's printed text: what the
 * check digits left open and the front settles (a document number with two valid readings, a
 * filler read as a letter inside a name), then the parsed fields.
 */
export function mrzExtraction(
  read: RepairedMrz,
  frontText: string | null,
  documentType: string | null,
  now: Date,
): Pick<DocumentExtraction, "source" | "mrz" | "data"> {
  let lines = read.lines;
  let alternatives = read.alternatives;
  if (frontText) {
    lines = settleNameFillers(read.format, lines, frontText);
    alternatives = alternatives.filter((alternative) => {
      // A TD1 number longer than 9 characters continues elsewhere on the line: not settled here.
      if (alternative.field !== "documentNumber" || alternative.readings.some((r) => r.length !== 9)) return true;
      const span = read.format === "TD1" ? { line: 0, start: 5 } : { line: 1, start: 0 };
      const settled = settleNumberFromFront(lines, alternative, span, frontText);
      if (settled) lines = settled;
      return settled === null;
    });
  }
  const nameLine = MRZ_NAME_FIELD[read.format].line;
  const repaired = { ...read, lines, alternatives };
  const parsed = parseMrz(repaired);
  const f = parsed.fields;
  const country = alpha2Country(f.issuingState);
  // The MRZ holds all given names in one field; the first is the first name, as AAMVA's DAC is.
  const [first, ...middle] = (f.firstName ?? "").split(" ").filter(Boolean);
  const vouched = [
    ...(parsed.checks.documentNumber ? ["document_number"] : []),
    ...(parsed.checks.birthDate ? ["date_of_birth"] : []),
    ...(read.repairs.some((r) => r.line === nameLine) || lines[nameLine] !== read.lines[nameLine] ? [] : ["last_name"]),
  ];
  return {
    source: "mrz",
    mrz: {
      format: parsed.format,
      valid: parsed.valid,
      checks: parsed.checks,
      errors: parsed.errors,
      inferred: parsed.inferred,
      ambiguous: alternatives.map((a) => a.field),
      misread: parsed.misread,
      vouched,
      specimen: isSpecimenState(f.issuingState),
      lines,
    },
    data: clean({
      first_name: first,
      middle_name: middle.length ? middle.join(" ") : undefined,
      last_name: f.lastName ?? undefined,
      date_of_birth: (f.birthDate && mrzDateToIso(f.birthDate, "birth", now)) ?? undefined,
      document_number: parsed.documentNumber ?? undefined,
      nationality: alpha2Country(f.nationality) ?? undefined,
      gender: f.sex === "male" ? "M" : f.sex === "female" ? "F" : f.sex ? "X" : undefined,
      document_type: documentType ?? (parsed.format === "TD3" ? "passport" : "national_id"),
      document_expiration_date: (f.expirationDate && mrzDateToIso(f.expirationDate, "expiry", now)) ?? undefined,
      document_issuing_state: country ?? undefined,
      document_issuing_country: country ?? undefined,
    }),
  };
}

/**
 * The printed (visual) zone of a front's text: a passport page's front text includes its own MRZ,
 * and a value found there says nothing about the printed fields, so MRZ-like lines (fillers, or a
 * run of 25+ characters with no space, which no printed field has) are left out.
 */
export function visualZone(text: string): string {
  return text.split("\n").filter((line) => !line.includes("<") && !/[A-Z0-9]{25,}/.test(line)).join("\n");
}

/** Drops empty values, so `extracted_data` lists only what was read. */
function clean(data: ExtractedData): ExtractedData {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null || value === "") continue;
    if (typeof value === "object" && Object.values(value).every((v) => v === null || v === "")) continue;
    out[key] = value;
  }
  return out as ExtractedData;
}
