/**
 * Owns the document_ocr check: the machine-readable zone or barcode must be read with valid check
 * digits, and the printed front must not show other values than it (document number, surname,
 * date of birth). A reading the engines cannot settle goes to a person, not to a rejection.
 */
import { type CheckModule, type CheckReason, reason } from "../check.ts";
import type { MrzCheckName } from "../../engines/mrz.ts";
import type { DocumentExtraction } from "../extraction.ts";
import { compareFront, type FrontVerdict } from "../visual_zone.ts";

interface OcrInputs {
  source: "mrz" | "pdf417" | null;
  mrz_valid: boolean | null;
  mrz_failed_checks: string[];
  /** Fields the MRZ repair guessed (weak evidence unless the front agrees). */
  mrz_inferred: MrzCheckName[];
  /** Fields with several readings that satisfy their check digit, which the front did not settle. */
  mrz_ambiguous?: MrzCheckName[];
  /** Failed checks the reading explains (repaired characters, a realigned line). */
  mrz_misread?: MrzCheckName[];
  /** MRZ field errors other than check digits (a state code of no known state, a letter in a date). */
  mrz_invalid_fields?: string[];
  fields_read: string[];
  /** Per compared field, what the printed front shows (visual_zone.ts); null when no front text. */
  front?: Record<string, FrontVerdict> | null;
  /** Compared fields whose machine-read value stands on its own, so a front showing another value is evidence. */
  vouched?: string[];
  /** The document is a specimen (ICAO's state UTO): reported to risk_assessment, not decided here. */
  specimen?: boolean;
  /** Attempts decided before version 4: whether the front contains each value (a missing value then counted). */
  front_agrees?: Record<string, boolean> | null;
  /** MRZ names whose reading looks unsettled (see doubtfulNames); absent in attempts decided before version 5. */
  mrz_doubtful_names?: string[];
}

/** A name part that is one filler look-alike: `<<` read as `<K<` (`LIN K KMEI`), a misread no check digit catches. */
const FILLER_LOOKALIKE_PART = /(^|\s)[KLC](\s|$)/;

/**
 * The MRZ name fields a person should confirm: names carry no check digit, so a filler read as a
 * letter survives every check. Flagged: a part that is a lone K, L or C, or a document with a
 * surname but no given names at all (the `<<` between them was misread), unless the printed front
 * shows that surname.
 */
function doubtfulNames(data: Record<string, unknown>, front: Record<string, FrontVerdict> | null): string[] {
  if (front?.last_name === "agrees") return [];
  const named = (field: string) => typeof data[field] === "string" && (data[field] as string).length > 0;
  const doubtful = ["last_name", "first_name", "middle_name"].filter((field) =>
    named(field) && FILLER_LOOKALIKE_PART.test(data[field] as string)
  );
  if (named("last_name") && !named("first_name") && !doubtful.includes("last_name")) doubtful.push("last_name");
  return doubtful;
}

/** The compared fields behind the MRZ checks a repair may have guessed. */
const INFERRED_FIELDS: Partial<Record<MrzCheckName, string[]>> = {
  documentNumber: ["document_number"],
  birthDate: ["date_of_birth"],
};

/** The check's inputs from a session's extraction: what was read, and what the front shows. */
export function ocrInputs(extraction: DocumentExtraction): OcrInputs {
  const data = extraction.data;
  const mrz = extraction.mrz;
  const front = extraction.front_text && extraction.source
    ? compareFront(extraction.front_text, data, extraction.source === "pdf417" ? "mdy" : "dmy")
    : null;
  return {
    source: extraction.source,
    mrz_valid: mrz ? mrz.valid : null,
    mrz_failed_checks: mrz ? Object.entries(mrz.checks).filter(([, ok]) => !ok).map(([name]) => name) : [],
    mrz_inferred: mrz?.inferred ?? [],
    mrz_ambiguous: mrz?.ambiguous ?? [],
    mrz_misread: mrz?.misread ?? [],
    mrz_invalid_fields: [
      ...new Set(
        (mrz?.errors ?? []).filter((e) => !e.field.endsWith("CheckDigit") && !e.error.startsWith("ambiguous"))
          .map((e) => e.field),
      ),
    ],
    fields_read: Object.keys(data),
    specimen: mrz?.specimen ?? false,
    front,
    mrz_doubtful_names: extraction.source === "mrz" ? doubtfulNames(data, front) : [],
    // A barcode is digital: what it encodes was not misread.
    vouched: extraction.source === "pdf417" ? ["document_number", "last_name", "date_of_birth"] : mrz?.vouched ?? [],
  };
}

/** Version 3's inputs as verdicts: a value found agrees; one not found was not evidence then either. */
function verdicts(inputs: OcrInputs): Record<string, FrontVerdict> | null {
  if (inputs.front !== undefined) return inputs.front;
  if (!inputs.front_agrees) return null;
  return Object.fromEntries(Object.entries(inputs.front_agrees).map(([k, ok]) => [k, ok ? "agrees" : "absent"]));
}

export const documentOcr: CheckModule<OcrInputs> = {
  policy: "document_ocr",
  version: 5,
  async gather({ evidence }) {
    const extraction = await evidence.extraction();
    return { inputs: ocrInputs(extraction), versions: extraction.versions };
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
    const front = verdicts(inputs);
    const vouched = new Set(inputs.vouched ?? Object.keys(front ?? {}));
    // Only a value the front demonstrably shows different is a mismatch, and only against a
    // machine reading that stands on its own: a field missing from the front's OCR, or an MRZ
    // misread, proves nothing about the document.
    const mismatched = Object.entries(front ?? {})
      .filter(([field, verdict]) => verdict === "differs" && vouched.has(field)).map(([field]) => field);
    const agreements = Object.values(front ?? {}).filter((v) => v === "agrees").length;
    if ((options.cross_check as boolean) && mismatched.length) {
      reasons.push(
        reason(
          "front_mismatch",
          `The printed front shows other values than the ${inputs.source} for: ${mismatched.join(", ")}.`,
        ),
      );
    }

    // Why a person should look instead: the reading is not settled enough to accept or to reject.
    const review: CheckReason[] = [];
    const misread = new Set(inputs.mrz_misread ?? []);
    const ambiguous = inputs.mrz_ambiguous ?? [];
    // Version 3 recorded no field errors: an invalid reading without a failed check had one.
    const invalid = inputs.mrz_invalid_fields ?? (inputs.mrz_failed_checks.length ? [] : ["unknown"]);
    if (inputs.source === "mrz" && !inputs.mrz_valid) {
      // A failed check digit on characters read as they stand is tampering; one on repaired or
      // realigned characters, or a field with two valid readings, is the OCR's doubt.
      // A field of the wrong form shows the reading is wrong somewhere, so its failures are doubt too.
      const tampered = invalid.length
        ? []
        : inputs.mrz_failed_checks.filter((c) =>
          !misread.has(c as MrzCheckName) && !ambiguous.includes(c as MrzCheckName)
        );
      if (tampered.length) {
        reasons.push(reason("mrz_checksum_failed", `The MRZ check digits do not match (${tampered.join(", ")}).`));
      } else if (ambiguous.length) {
        review.push(
          reason(
            "mrz_ambiguous",
            `The MRZ ${
              ambiguous.join(", ")
            } has several readings its check digit accepts, and the front does not show which.`,
          ),
        );
      }
      const doubted = inputs.mrz_failed_checks.filter((c) => !ambiguous.includes(c as MrzCheckName));
      if (!tampered.length && doubted.length) {
        review.push(
          reason("mrz_misread", `The MRZ check digits fail where the reading was repaired (${doubted.join(", ")}).`),
        );
      }
      if (invalid.length) {
        // An unknown state code or a letter in a date is, on a photo, far more often a misread glyph
        // than a forgery; a person can tell which.
        review.push(reason("mrz_invalid_field", `An MRZ field is not of its required form (${invalid.join(", ")}).`));
      }
    }
    // A field the MRZ repair had to guess is only trusted when the printed front shows the same value.
    const unconfirmed = inputs.source === "mrz"
      ? inputs.mrz_inferred.flatMap((name) => INFERRED_FIELDS[name] ?? []).filter((field) =>
        front?.[field] !== "agrees"
      )
      : [];
    if (unconfirmed.length) {
      review.push(
        reason(
          "mrz_unconfirmed_repair",
          `The MRZ ${
            unconfirmed.join(", ")
          } was read by guessing a character, and the printed front does not confirm it.`,
        ),
      );
    }
    const doubtfulNames = inputs.mrz_doubtful_names ?? [];
    if (doubtfulNames.length) {
      review.push(
        reason(
          "mrz_misread",
          `The MRZ ${
            doubtfulNames.join(", ")
          } looks misread (a filler read as a letter), and the front does not show it.`,
        ),
      );
    }
    const compared = Object.values(front ?? {}).filter((v) => v !== "absent").length;
    const outputs = {
      source: inputs.source,
      mrz_valid: inputs.source === "mrz" ? inputs.mrz_valid : null,
      barcode_valid: inputs.source === "pdf417" ? true : null,
      cross_check_passed: compared === 0 ? null : mismatched.length === 0,
      mismatched_fields: mismatched,
      // A sample document is a fraud signal, weighed by risk_assessment under the organisation's actions.
      specimen: inputs.specimen ?? false,
    };
    const score = compared ? agreements / compared : null;
    if (reasons.length) return { status: "failed", score, reasons, outputs };
    // Skipped routes like an error (graph.ts): to review in the default workflow.
    if (review.length) return { status: "skipped", score, reasons: review, outputs };
    return { status: "passed", score, reasons: [], outputs };
  },
};
