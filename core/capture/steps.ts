/**
 * Owns what a session must capture: the steps its workflow's data requirements call for, which
 * of them are done, and what is still missing before capture can complete.
 */
import type { DataRequirements, DocumentRow, SessionRow } from "../db/database.ts";
import { BACK_REQUIRED, type IdDocumentType } from "../workflows/workflows.ts";

export type CaptureStep =
  | "consent"
  | "document_type"
  | "document_front"
  | "document_back"
  | "selfie"
  | "user_info"
  | "proof_of_address";

export interface StepReport {
  required: CaptureStep[];
  completed: CaptureStep[];
  missing: CaptureStep[];
  next: CaptureStep | null;
}

export function backRequired(documentType: string | null): boolean {
  return documentType !== null && BACK_REQUIRED.includes(documentType as IdDocumentType);
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
  required.push("document_front");
  if (backRequired(session.document_type)) required.push("document_back");
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
  const completed = required.filter((step) => done[step]);
  const missing = required.filter((step) => !done[step]);
  return { required, completed, missing, next: missing[0] ?? null };
}
