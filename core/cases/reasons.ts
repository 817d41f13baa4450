/**
 * Owns the stable catalogue of reasons a reviewer rejects a case for. The code is what integrations
 * branch on (it becomes the result's `rejection_reason_code`); the text is what the result and its
 * webhook carry as `rejection_reason`, because the reviewer's own free text may quote the
 * applicant and so stays encrypted on the case.
 */

export const REJECTION_REASONS = {
  document_fraudulent: "The identity document appears forged or altered.",
  document_expired: "The identity document has expired.",
  document_unreadable: "The identity document could not be read.",
  face_mismatch: "The selfie does not match the document photo.",
  liveness_failed: "The selfie did not come from a live person.",
  underage: "The applicant is below the minimum age.",
  watchlist_match: "The applicant matches a sanctions or watchlist entry.",
  duplicate_identity: "The applicant already verified under another identity.",
  data_mismatch: "The data on the document does not match the data provided.",
  suspected_fraud: "The session shows signs of fraud.",
  other: "Rejected by a reviewer.",
} as const;

export type RejectionReasonCode = keyof typeof REJECTION_REASONS;
export const REJECTION_REASON_CODES = Object.keys(REJECTION_REASONS) as RejectionReasonCode[];
