/**
 * Owns the workflow templates from the notes — Document Scan Only, Age Verification, ID & Selfie +
 * Age Verification (every organisation's default), ID & Selfie + Duplicate Prevention, Blank
 * Workflow — each a graph that passes validation, with the data requirements it needs.
 */
import type { DataRequirements } from "../db/database.ts";
import type { GraphNode, WorkflowGraph } from "./graph.ts";
import { ID_DOCUMENT_TYPES } from "./document_types.ts";

export const INDUSTRIES = ["marketplace", "fintech", "age_gated", "healthcare", "crypto"] as const;
export type Industry = typeof INDUSTRIES[number];

export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  industries: Industry[];
  graph: WorkflowGraph;
  data_requirements: DataRequirements;
}

/** Routes on the risk assessment's level: critical is rejected, high goes to review, the rest pass. */
const RISK_ROUTING: GraphNode = {
  type: "conditional",
  label: "Route on risk level",
  conditions: [
    { field: "checks.risk_assessment.risk_level", operator: "==", value: "critical", next: "rejected" },
    { field: "checks.risk_assessment.risk_level", operator: "==", value: "high", next: "needs_review" },
  ],
  default: "approved",
};

const TERMINALS: Record<string, GraphNode> = {
  approved: { type: "terminal", outcome: "approved" },
  needs_review: { type: "terminal", outcome: "needs_review" },
  rejected: { type: "terminal", outcome: "rejected" },
};

/**
 * The default graph, "ID & Selfie + Age Verification". A check that fails rejects, except where a
 * person should look (a possible duplicate); a check that errors after its retries goes to review.
 * Written out in full: the migration that backfilled version 1 holds the same literal.
 */
export const DEFAULT_GRAPH: WorkflowGraph = {
  entry: "start",
  nodes: {
    start: { type: "start", label: "Capture", next: "document_quality" },
    document_quality: {
      type: "policy",
      policy: "document_quality",
      on_pass: "document_ocr",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    document_ocr: {
      type: "policy",
      policy: "document_ocr",
      on_pass: "document_expiration",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    document_expiration: {
      type: "policy",
      policy: "document_expiration",
      on_pass: "face_match",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    face_match: {
      type: "policy",
      policy: "face_match",
      options: { security_level: "standard" },
      on_pass: "age_verification",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    age_verification: {
      type: "policy",
      policy: "age_verification",
      options: { minimum_age: 18 },
      on_pass: "risk_assessment",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    risk_assessment: {
      type: "policy",
      policy: "risk_assessment",
      on_pass: "risk_level",
      on_fail: "rejected",
      on_error: "needs_review",
    },
    risk_level: RISK_ROUTING,
    ...TERMINALS,
  },
};

interface ChainStep {
  policy: string;
  options?: Record<string, unknown>;
  on_fail?: "rejected" | "needs_review";
}

/** start → each check in order (failure to `on_fail`, error to review) → risk assessment → risk routing. */
function checkChain(steps: ChainStep[]): WorkflowGraph {
  const all: ChainStep[] = [...steps, { policy: "risk_assessment" }];
  const nodes: Record<string, GraphNode> = { start: { type: "start", label: "Capture", next: all[0].policy } };
  all.forEach((step, i) => {
    nodes[step.policy] = {
      type: "policy",
      policy: step.policy,
      ...(step.options ? { options: step.options } : {}),
      on_pass: all[i + 1]?.policy ?? "risk_level",
      on_fail: step.on_fail ?? "rejected",
      on_error: "needs_review",
    };
  });
  return { entry: "start", nodes: { ...nodes, risk_level: RISK_ROUTING, ...TERMINALS } };
}

const ANY_ID = [...ID_DOCUMENT_TYPES];

export const DEFAULT_DATA_REQUIREMENTS: DataRequirements = {
  document_types: ANY_ID,
  selfie: true,
  user_info_fields: [],
  proof_of_address: false,
};

export const TEMPLATES: readonly WorkflowTemplate[] = [
  {
    id: "document_scan_only",
    name: "Document Scan Only",
    description: "Government ID only: image quality, MRZ/barcode reading, expiry, risk. No selfie.",
    industries: ["marketplace", "healthcare"],
    graph: checkChain([{ policy: "document_quality" }, { policy: "document_ocr" }, { policy: "document_expiration" }]),
    data_requirements: { ...DEFAULT_DATA_REQUIREMENTS, selfie: false },
  },
  {
    id: "age_verification",
    name: "Age Verification",
    description: "Date of birth read from a government ID and checked against a minimum age (18). No selfie.",
    industries: ["age_gated", "marketplace"],
    graph: checkChain([
      { policy: "document_quality" },
      { policy: "document_ocr" },
      { policy: "document_expiration" },
      { policy: "age_verification", options: { minimum_age: 18 } },
    ]),
    data_requirements: { ...DEFAULT_DATA_REQUIREMENTS, selfie: false },
  },
  {
    id: "id_selfie_age_verification",
    name: "ID & Selfie + Age Verification",
    description: "Government ID, selfie and face match, age check. Every organisation's default workflow.",
    industries: ["age_gated", "marketplace", "fintech", "healthcare", "crypto"],
    graph: DEFAULT_GRAPH,
    data_requirements: DEFAULT_DATA_REQUIREMENTS,
  },
  {
    id: "id_selfie_duplicate_prevention",
    name: "ID & Selfie + Duplicate Prevention",
    description:
      "Government ID, selfie with face match and liveness, and a search for earlier sessions of the same person (to review).",
    industries: ["marketplace", "fintech", "crypto"],
    graph: checkChain([
      { policy: "document_quality" },
      { policy: "document_ocr" },
      { policy: "document_expiration" },
      { policy: "face_match", options: { security_level: "standard" } },
      { policy: "liveness", on_fail: "needs_review" },
      { policy: "duplicate_detection", on_fail: "needs_review" },
    ]),
    data_requirements: DEFAULT_DATA_REQUIREMENTS,
  },
  {
    id: "blank",
    name: "Blank Workflow",
    description: "Capture only: every session goes to manual review until you add checks.",
    industries: [...INDUSTRIES],
    graph: {
      entry: "start",
      nodes: {
        start: { type: "start", label: "Capture", next: "needs_review" },
        needs_review: { type: "terminal", outcome: "needs_review" },
      },
    },
    data_requirements: { ...DEFAULT_DATA_REQUIREMENTS, selfie: false },
  },
];

export function findTemplate(id: string): WorkflowTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
