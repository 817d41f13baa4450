/**
 * Owns the words the applicant sees for the capture API's values: ID document types, sandbox
 * presets, and the user-information fields a workflow can ask for (label, input type, autofill).
 */
import type { IdDocumentType } from "../core/workflows/workflows.ts";
import type { SandboxPreset } from "../core/sessions/sandbox_presets.ts";

/** The tutorial's names; `hint` says which sides the applicant will be asked for. */
export const DOCUMENT_TYPE_LABELS: Record<IdDocumentType, { label: string; hint: string }> = {
  drivers_license: { label: "Driver's License", hint: "Front and back" },
  passport: { label: "Passport", hint: "Photo page only" },
  national_id: { label: "State ID / National ID", hint: "Front only (back optional)" },
  residence_permit: { label: "Residence permit", hint: "Front and back" },
};

/** The order the chooser lists them in: the tutorial's, most common first. */
export const DOCUMENT_TYPE_ORDER: readonly IdDocumentType[] = [
  "drivers_license",
  "passport",
  "national_id",
  "residence_permit",
];

export const PRESET_LABELS: Record<SandboxPreset, { label: string; hint: string }> = {
  approve: { label: "Approved", hint: "Every check passes." },
  reject: { label: "Rejected", hint: "Declined: the selfie does not match the ID." },
  reject_face_mismatch: { label: "Rejected: face mismatch", hint: "Face match score 0.21." },
  reject_document_expired: { label: "Rejected: document expired", hint: "The ID expired 60 days ago." },
  reject_underage: { label: "Rejected: underage", hint: "The applicant is 16." },
  needs_review: { label: "Needs review", hint: "Sent to manual review." },
  needs_review_watchlist: { label: "Needs review: watchlist hit", hint: "Possible sanctions list match." },
  resubmission_required: { label: "Resubmission required", hint: "The photos were unreadable." },
  processing_error: { label: "Processing error", hint: "The verification fails without a decision." },
};

export interface FieldSpec {
  label: string;
  /** An <input> type, or "country" for the country <select>. */
  type: "text" | "email" | "tel" | "date" | "country";
  autocomplete: string;
  inputMode?: "numeric" | "text";
  /** Optional inputs may be left empty; they are then left out of the request. */
  optional?: boolean;
  hint?: string;
}

/** The applicant fields of core/sessions/create_input.ts, as form inputs. */
export const USER_FIELDS: Record<string, FieldSpec> = {
  first_name: { label: "First name", type: "text", autocomplete: "given-name" },
  middle_name: { label: "Middle name", type: "text", autocomplete: "additional-name" },
  last_name: { label: "Last name", type: "text", autocomplete: "family-name" },
  date_of_birth: { label: "Date of birth", type: "date", autocomplete: "bday" },
  email: { label: "Email", type: "email", autocomplete: "email" },
  phone: { label: "Phone number", type: "tel", autocomplete: "tel", hint: "With the country code, e.g. +1 555 0100" },
  document_number: { label: "ID document number", type: "text", autocomplete: "off" },
  nationality: { label: "Nationality", type: "country", autocomplete: "off" },
  gender: { label: "Gender", type: "text", autocomplete: "sex" },
  ssn: { label: "Social Security number", type: "text", autocomplete: "off", inputMode: "numeric", hint: "9 digits" },
};

/** `address` is one field of the API made of these inputs (named `address.<key>` in the form). */
export const ADDRESS_FIELDS: Record<string, FieldSpec> = {
  line1: { label: "Street address", type: "text", autocomplete: "address-line1" },
  line2: { label: "Apartment, suite, etc.", type: "text", autocomplete: "address-line2", optional: true },
  city: { label: "City", type: "text", autocomplete: "address-level2" },
  state: { label: "State, province or region", type: "text", autocomplete: "address-level1", optional: true },
  zip: { label: "Postal code", type: "text", autocomplete: "postal-code" },
  country: { label: "Country", type: "country", autocomplete: "country" },
};

/** Name inputs: pasting into one is a fraud signal (`copy_paste_name`). */
export const NAME_FIELDS = ["first_name", "middle_name", "last_name"];

/** A readable label for a field this page does not know (the server will refuse it anyway). */
export function fieldSpec(name: string): FieldSpec {
  return USER_FIELDS[name] ??
    { label: name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()), type: "text", autocomplete: "off" };
}
