/**
 * Owns the risk_assessment check: client signals, server signals (velocity) and what this run's
 * earlier checks found, scored under the organisation's per-signal actions. Fails when a signal
 * set to `block` is present; routing on risk_level is the graph's job.
 */
import { type CheckModule, type EarlierDecisions, reason } from "../check.ts";
import { getOrgSettings } from "../../orgs/organizations.ts";
import {
  clientRiskSignals,
  type RiskSignal,
  scoreSignals,
  type SignalAction,
  velocitySignals,
} from "../../risk/assessment.ts";
import { LIVENESS_THRESHOLD } from "./face_match.ts";

interface RiskInputs {
  signals: RiskSignal[];
  actions: Record<string, SignalAction>;
}

/** The names verificationSignals can raise, so an organisation's risk_signal_actions can be checked. */
export const VERIFICATION_SIGNALS: readonly string[] = [
  "duplicate_identity",
  "watchlist_hit",
  "mrz_checksum_mismatch",
  "document_data_mismatch",
  "specimen_document",
  "identity_mismatch",
  "liveness_low",
];

/** Signals the verification itself raises, from the decisions taken before risk_assessment ran. */
export function verificationSignals(earlier: EarlierDecisions): RiskSignal[] {
  const found: RiskSignal[] = [];
  const failedWith = (policy: string, code: string) => earlier[policy]?.reasons.some((r) => r.code === code) ?? false;
  if (earlier.duplicate_detection?.status === "failed") {
    found.push({
      signal: "duplicate_identity",
      category: "identity",
      weight: 30,
      detail: "Matches an earlier session",
    });
  }
  if (earlier.watchlist_screening?.status === "failed") {
    found.push({ signal: "watchlist_hit", category: "identity", weight: 40, detail: "Name on a sanctions list" });
  }
  if (failedWith("document_ocr", "mrz_checksum_failed")) {
    found.push({ signal: "mrz_checksum_mismatch", category: "document", weight: 40, detail: "MRZ check digits fail" });
  }
  if (failedWith("document_ocr", "front_mismatch")) {
    found.push({
      signal: "document_data_mismatch",
      category: "document",
      weight: 25,
      detail: "Front and MRZ/barcode differ",
    });
  }
  if (earlier.document_ocr?.outputs.specimen === true) {
    // A published sample presented as an identity document: high on its own (review by default),
    // an organisation can set it to block.
    found.push({
      signal: "specimen_document",
      category: "document",
      weight: 60,
      detail: "The document is a specimen (issuing state UTO)",
    });
  }
  if (earlier.identity_crossref?.status === "failed") {
    found.push({
      signal: "identity_mismatch",
      category: "identity",
      weight: 20,
      detail: "Entered data differs from the document",
    });
  }
  const live = [earlier.face_match?.outputs.liveness_score, earlier.liveness?.outputs.liveness_score]
    .filter((v): v is number => typeof v === "number");
  if (live.some((v) => v < LIVENESS_THRESHOLD)) {
    found.push({ signal: "liveness_low", category: "biometric", weight: 30, detail: "Selfie may not be live" });
  }
  return found;
}

export const riskAssessment: CheckModule<RiskInputs> = {
  policy: "risk_assessment",
  version: 1,
  async gather({ deps, evidence, earlier }) {
    const [velocity, settings] = await Promise.all([
      velocitySignals(deps, evidence.scope, evidence.session),
      getOrgSettings(deps.db, evidence.scope.orgId),
    ]);
    return {
      inputs: {
        signals: [...clientRiskSignals(evidence.session.client_signals), ...velocity, ...verificationSignals(earlier)],
        actions: settings.risk_signal_actions,
      },
      versions: [],
    };
  },
  decide({ signals, actions }, options) {
    const scored = scoreSignals(signals, actions, options.block_on_hard_signals as boolean);
    return {
      status: scored.blocked_by.length ? "failed" : "passed",
      score: scored.risk_score / 100,
      reasons: scored.blocked_by.map((signal) => reason("blocked_signal", `Signal ${signal} is set to block.`)),
      outputs: {
        risk_score: scored.risk_score,
        risk_level: scored.risk_level,
        signals: scored.signals,
        blocked_by: scored.blocked_by,
      },
    };
  },
};
