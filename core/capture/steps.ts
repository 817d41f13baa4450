/**
 * Owns what a session must capture: which sides each ID type needs (seed 003's rules), the steps
 * its workflow's data requirements call for, which of them are done, and what is still missing
 * before capture can complete.
 */
import type { DataRequirements, DocumentRow, SessionRow } from "../db/database.ts";
import type { IdDocumentType } from "../workflows/workflows.ts";

export type CaptureStep =
  | "consent"
  | "document_type"
  | "document_front"
  | "document_back"
  | "selfie"
  | "user_info"
  | "proof_of_address";

/** The order steps are listed (and taken) in; optional steps sit where the applicant would take them. */
const STEP_ORDER: readonly CaptureStep[] = [
  "consent",
  "document_type",
  "document_front",
  "document_back",
  "selfie",
  "user_info",
  "proof_of_address",
];

/**
 * Whether a type's back must be captured, may be, or does not exist. The tutorial (seed 003) is the
 * customer's word: driver's licence front and back, passport photo page only, state ID / national
 * ID front only. A national ID's back is still accepted, stored and read (a TD1 card carries its
 * MRZ there). The tutorial is silent on residence permits: they keep the contract's front and back.
 */
export type BackSide = "required" | "optional" | "none";

export const BACK_SIDES: Readonly<Record<IdDocumentType, BackSide>> = {
  drivers_license: "required",
  passport: "none",
  national_id: "optional",
  residence_permit: "required",
};

/** Null until a type is chosen, and for values that are not ID types (selfie, proof of address). */
export function backSide(documentType: string | null): BackSide | null {
  return documentType !== null && Object.hasOwn(BACK_SIDES, documentType)
    ? BACK_SIDES[documentType as IdDocumentType]
    : null;
}

export function backRequired(documentType: string | null): boolean {
  return backSide(documentType) === "required";
}

/** A back upload is accepted when the type has one, required or not. */
export function backAccepted(documentType: string | null): boolean {
  const side = backSide(documentType);
  return side === "required" || side === "optional";
}

export interface StepReport {
  required: CaptureStep[];
  /** Steps the applicant may take but need not (an optional back); never in `missing`. */
  optional: CaptureStep[];
  /** Required and optional steps done, in step order. */
  completed: CaptureStep[];
  missing: CaptureStep[];
  next: CaptureStep | null;
}

/**
 * `viaApi`: an integration uploading with its API key collected consent and applicant data
 * itself, so only the documents count.
 */
export function captureSteps(
  session: SessionRow,
  requirements: DataRequirements,
  documents: Pick<DocumentRow, "doc_type">[],
  options: { viaApi?: boolean } = {},
): StepReport {
  const has = (slot: string) => documents.some((d) => d.doc_type === slot);
  const required: CaptureStep[] = options.viaApi ? [] : ["consent", "document_type"];
  const optional: CaptureStep[] = [];
  required.push("document_front");
  const back = backSide(session.document_type);
  if (back === "required") required.push("document_back");
  if (back === "optional") optional.push("document_back");
  if (requirements.selfie) required.push("selfie");
  if (!options.viaApi && requirements.user_info_fields.length > 0) required.push("user_info");
  if (requirements.proof_of_address) required.push("proof_of_address");

  const done: Record<CaptureStep, boolean> = {
    consent: session.consent_at !== null,
    document_type: session.document_type !== null,
    document_front: has("id_front"),
    document_back: has("id_back"),
    selfie: has("selfie"),
    user_info: session.user_fields_enc !== null,
    proof_of_address: has("proof_of_address"),
  };
  const completed = STEP_ORDER.filter((step) => (required.includes(step) || optional.includes(step)) && done[step]);
  const missing = required.filter((step) => !done[step]);
  return { required, optional, completed, missing, next: missing[0] ?? null };
}
