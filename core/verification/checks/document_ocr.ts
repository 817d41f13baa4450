/**
 * Owns the document_ocr check: the machine-readable zone or barcode must be read with valid check
 * digits, and the printed front must agree with it (document number, surname, date of birth).
 */
import { type CheckModule, type CheckReason, reason } from "../check.ts";
import type { MrzCheckName } from "../../engines/mrz.ts";
import { containsApproximately } from "../text_match.ts";

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

/** The date of birth as fronts print it: ISO, US (MM/DD/YYYY), European (DD.MM.YYYY) or ICAO (12 AUG 1974). */
function printedDates(iso: string): string[] {
  const [y, m, d] = iso.split("-");
  const month = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"][Number(m) - 1];
  return [`${y}${m}${d}`, `${m}${d}${y}`, `${d}${m}${y}`, `${d}${month}${y}`, `${d}${month}${y.slice(2)}`];
}

export const documentOcr: CheckModule<OcrInputs> = {
  policy: "document_ocr",
  version: 2,
  async gather({ evidence }) {
    const extraction = await evidence.extraction();
    const data = extraction.data;
    let frontAgrees: Record<string, boolean> | null = null;
    if (extraction.front_text && extraction.source) {
      const text = extraction.front_text;
      frontAgrees = {};
      if (data.document_number) frontAgrees.document_number = containsApproximately(text, data.document_number);
      if (data.last_name) frontAgrees.last_name = containsApproximately(text, data.last_name);
      if (data.date_of_birth) {
        frontAgrees.date_of_birth = printedDates(data.date_of_birth).some((d) => containsApproximately(text, d));
      }
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
      reasons.push(
        reason("mrz_checksum_failed", `The MRZ check digits do not match (${inputs.mrz_failed_checks.join(", ")}).`),
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
    const mismatched = Object.entries(inputs.front_agrees ?? {}).filter(([, ok]) => !ok).map(([field]) => field);
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
        cross_check_passed: inputs.front_agrees === null ? null : mismatched.length === 0,
        mismatched_fields: mismatched,
      },
    };
  },
};
