/** Owns the identity-document types capture accepts (which sides each needs: core/capture/steps.ts BACK_SIDES). */

export const ID_DOCUMENT_TYPES = ["passport", "drivers_license", "national_id", "residence_permit"] as const;
export type IdDocumentType = typeof ID_DOCUMENT_TYPES[number];
