/** Owns the identity-document types capture accepts and which of them have a back side. */

export const ID_DOCUMENT_TYPES = ["passport", "drivers_license", "national_id", "residence_permit"] as const;
export type IdDocumentType = typeof ID_DOCUMENT_TYPES[number];

/** Types whose back must be captured too (the contract: driver's licences, national IDs, residence permits). */
export const BACK_REQUIRED: readonly IdDocumentType[] = ["drivers_license", "national_id", "residence_permit"];
