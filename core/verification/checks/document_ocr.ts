/**
 * Owns the document_ocr check: the machine-readable zone or barcode must be read with valid check
 * digits, and the printed front must agree with it (document number, surname, date of birth).
 */
import { type CheckModule, type CheckReason, reason } from "../check.ts";
import type { MrzCheckName } from "../../engines/mrz.ts";
import { containsApproximately, normalizeText } from "../text_match.ts";

interface OcrInputs {
  source: "mrz" | "pdf417" | null;
  mrz_valid: boolean | null;
  mrz_failed_checks: string[];
  /** Fields the MRZ repair guessed (weak evidence unless the front agrees). */
  mrz_inferred: MrzCheckName[];
  fields_read: string[];
  /** Per compared field, whether the printed front shows the machine-read value; null when no front text. */
  front_agrees: Record<string, boolean> | null;
}

/** The compared fields behind the MRZ checks a repair may have guessed. */
const INFERRED_FIELDS: Partial<Record<MrzCheckName, string[]>> = {
  documentNumber: ["document_number"],
  birthDate: ["date_of_birth"],
};

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/**
 * Whether the front prints the date of birth: ISO, US (MM/DD/YYYY), European (DD.MM.YYYY or
 * DD.MM.YY) or ICAO's month names, which passports often give in two languages with a short year
 * ("12 AUG/AOUT 74", "12 AUGUST 1974"). Numeric forms allow one misread glyph, like every value.
 */
export function printsDate(text: string, iso: string): boolean {
  const [y, m, d] = iso.split("-");
  const numeric = [`${y}${m}${d}`, `${m}${d}${y}`, `${d}${m}${y}`, `${d}${m}${y.slice(2)}`];
  if (numeric.some((n) => containsApproximately(text, n))) return true;
  const compact = normalizeText(text).replace(/ /g, "");
  // Day, month name (and whatever second-language name follows), then the 2- or 4-digit year.
  return new RegExp(`${d}${MONTHS[Number(m) - 1]}[A-Z]{0,12}(${y}|${y.slice(2)})(?![0-9])`).test(compact);
}

export const documentOcr: CheckModule<OcrInputs> = {
  policy: "document_ocr",
  version: 3,
  async gather({ evidence }) {
    const extraction = await evidence.extraction();
    const data = extraction.data;
    let frontAgrees: Record<string, boolean> | null = null;
    if (extraction.front_text && extraction.source) {
      const text = extraction.front_text;
      frontAgrees = {};
      if (data.document_number) frontAgrees.document_number = containsApproximately(text, data.document_number);
      if (data.last_name) frontAgrees.last_name = containsApproximately(text, data.last_name);
      if (data.date_of_birth) frontAgrees.date_of_birth = printsDate(text, data.date_of_birth);
    }
    return {
      inputs: {
        source: extraction.source,
        mrz_valid: extraction.mrz ? extraction.mrz.valid : null,
        mrz_failed_checks: extraction.mrz
          ? Object.entries(extraction.mrz.checks).filter(([, ok]) => !ok).map(([name]) => name)
          : [],
        mrz_inferred: extraction.mrz?.inferred ?? [],
        fields_read: Object.keys(data),
        front_agrees: frontAgrees,
      },
      versions: extraction.versions,
    };
  },
  decide(inputs, options) {
    const reasons: CheckReason[] = [];
    if (!inputs.source) {
      if (options.require_machine_readable) {
        reasons.push(reason("machine_readable_unread", "Neither an MRZ nor a barcode could be read."));
      }
      return {
        status: reasons.length ? "failed" : "skipped",
        score: null,
        reasons: reasons.length
          ? reasons
          : [reason("machine_readable_unread", "Neither an MRZ nor a barcode could be read; nothing was extracted.")],
        outputs: { mrz_valid: null, barcode_valid: null, cross_check_passed: null, source: null },
      };
    }
    if (inputs.source === "mrz" && !inputs.mrz_valid) {
      // A failed check digit is tampering or a misread; a field of the wrong form (an unknown state
      // code, a letter in a date) is a different finding and must not be reported as a checksum.
      reasons.push(
        inputs.mrz_failed_checks.length
          ? reason("mrz_checksum_failed", `The MRZ check digits do not match (${inputs.mrz_failed_checks.join(", ")}).`)
          : reason("mrz_invalid_field", "An MRZ field is not of its required form (e.g. an unknown state code)."),
      );
    }
    // A field the MRZ repair had to guess is only trusted when the printed front shows the same value.
    const unconfirmed = inputs.source === "mrz"
      ? inputs.mrz_inferred.flatMap((name) => INFERRED_FIELDS[name] ?? [])
        .filter((field) => inputs.front_agrees?.[field] !== true)
      : [];
    if (unconfirmed.length) {
      reasons.push(
        reason(
          "mrz_unconfirmed_repair",
          `The MRZ ${
            unconfirmed.join(", ")
          } was read by guessing a character, and the printed front does not confirm it.`,
        ),
      );
    }
    // A value missing from the OCR of the front is only a mismatch when the front was demonstrably
    // read, i.e. some other compared value was found in it: a glossy or busy page that OCR reads
    // poorly is inconclusive, not evidence against a genuine document.
    const agreements = Object.values(inputs.front_agrees ?? {}).filter(Boolean).length;
    const mismatched = agreements === 0
      ? []
      : Object.entries(inputs.front_agrees ?? {}).filter(([, ok]) => !ok).map(([field]) => field);
    const crossCheck = options.cross_check as boolean;
    if (crossCheck && mismatched.length) {
      reasons.push(
        reason("front_mismatch", `The printed front does not match the ${inputs.source} on: ${mismatched.join(", ")}.`),
      );
    }
    const compared = Object.keys(inputs.front_agrees ?? {}).length;
    return {
      status: reasons.length ? "failed" : "passed",
      score: compared ? (compared - mismatched.length) / compared : null,
      reasons,
      outputs: {
        source: inputs.source,
        mrz_valid: inputs.source === "mrz" ? inputs.mrz_valid : null,
        barcode_valid: inputs.source === "pdf417" ? true : null,
        cross_check_passed: inputs.front_agrees === null || agreements === 0 ? null : mismatched.length === 0,
        mismatched_fields: mismatched,
      },
    };
  },
};
