/** Owns the map from a policy name of the catalogue to the check module that runs it. */
import type { CheckModule } from "../check.ts";
import { ageVerification } from "./age_verification.ts";
import { checkAgainstList } from "./check_against_list.ts";
import { documentExpiration } from "./document_expiration.ts";
import { documentOcr } from "./document_ocr.ts";
import { documentQuality } from "./document_quality.ts";
import { duplicateDetection } from "./duplicate_detection.ts";
import { faceMatch, liveness } from "./face_match.ts";
import { idDocumentFilter } from "./id_document_filter.ts";
import { identityCrossref } from "./identity_crossref.ts";
import { riskAssessment } from "./risk_assessment.ts";
import { watchlistScreening } from "./watchlist_screening.ts";

// deno-lint-ignore no-explicit-any
const MODULES: CheckModule<any>[] = [
  documentQuality,
  documentOcr,
  documentExpiration,
  idDocumentFilter,
  faceMatch,
  liveness,
  ageVerification,
  identityCrossref,
  riskAssessment,
  duplicateDetection,
  watchlistScreening,
  checkAgainstList,
];

// deno-lint-ignore no-explicit-any
export const CHECKS: ReadonlyMap<string, CheckModule<any>> = new Map(MODULES.map((m) => [m.policy, m]));
