/**
 * Owns the catalogue of verification policies (the checks a workflow's policy nodes may run):
 * each check's name, category, what it needs captured, its options with their defaults and
 * limits, the outputs conditionals can read, and the validation of a node's `options`.
 */
import { isPlainObject } from "../validation.ts";
import { ID_DOCUMENT_TYPES } from "./document_types.ts";

export type OptionSpec =
  | { name: string; type: "integer" | "number"; min: number; max: number; default: number; description: string }
  | { name: string; type: "boolean"; default: boolean; description: string }
  | { name: string; type: "enum"; values: readonly string[]; default: string; description: string }
  | {
    name: string;
    type: "string_list";
    /** The allowed values; without it, any identifier-like string. */
    values?: readonly string[];
    pattern?: string;
    min_items?: number;
    max_items: number;
    default: string[] | null;
    required?: boolean;
    description: string;
  }
  | {
    name: string;
    type: "country_document_matrix";
    default: Record<string, string[]>;
    description: string;
  };

export type CaptureInput = "document" | "selfie" | "user_info";

export interface PolicySpec {
  name: string;
  category: "document" | "extraction" | "biometric" | "compliance" | "fraud" | "decisioning";
  description: string;
  /** What capture must collect for the check to have inputs. */
  requires: CaptureInput[];
  /** Verifa runs these on every session; here they run only where a graph names them. */
  auto_injected_in_verifa: boolean;
  /** Fields a conditional can read after the check ran, at `checks.<name>.<output>`. */
  outputs: string[];
  options: OptionSpec[];
}

const COMMON_OUTPUTS = ["status", "score", "reasons"];

export const POLICIES: readonly PolicySpec[] = [
  {
    name: "document_quality",
    category: "document",
    description:
      "Resolution, blur, glare and exposure of the stored document images. Fails when a side is unreadable; the engine then asks for a resubmission (session.resubmission-required).",
    requires: ["document"],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "sharpness", "glare_fraction", "exposure_mean", "short_side_px"],
    options: [
      {
        name: "min_sharpness",
        type: "number",
        min: 0,
        max: 10_000,
        default: 60,
        description: "Minimum variance of the Laplacian; below it the image is too blurry (capture warns at 60).",
      },
      {
        name: "max_glare_fraction",
        type: "number",
        min: 0,
        max: 1,
        default: 0.01,
        description:
          "Largest share of the document covered by specular highlights (a lamp's reflection: a clipped core fading into the paper). One real highlight covers about 1.5 %; white print and a white page count 0.",
      },
      {
        name: "min_short_side_px",
        type: "integer",
        min: 100,
        max: 4000,
        default: 640,
        description: "Smallest short side in pixels (an ID card at ~300 dpi is ~640 px).",
      },
    ],
  },
  {
    name: "document_ocr",
    category: "extraction",
    description:
      "Reads the MRZ of passports and ID cards (TD1, TD3) and the PDF417 barcode of US driver's licences, validates their check digits, and cross-checks the printed front against them. Fails on a check digit that fails on characters read as they stand (mrz_checksum_failed) or a front that shows another value (front_mismatch); a reading the engines cannot settle (a misread, an ambiguous or ill-formed field, an unconfirmed repair) is skipped, which routes to review.",
    requires: ["document"],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "mrz_valid", "barcode_valid", "cross_check_passed"],
    options: [
      {
        name: "cross_check",
        type: "boolean",
        default: true,
        description: "Compare the front's printed text with the MRZ or barcode.",
      },
      {
        name: "require_machine_readable",
        type: "boolean",
        default: false,
        description: "Fail when neither an MRZ nor a barcode could be read.",
      },
    ],
  },
  {
    name: "document_expiration",
    category: "document",
    description: "Fails when the document's expiry date has passed.",
    requires: ["document"],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "expired", "days_until_expiry"],
    options: [
      {
        name: "grace_days",
        type: "integer",
        min: 0,
        max: 365,
        default: 0,
        description: "Days after expiry the document is still accepted.",
      },
      {
        name: "allow_missing_expiry",
        type: "boolean",
        default: false,
        description: "Pass documents that carry no expiry date instead of failing them.",
      },
    ],
  },
  {
    name: "id_document_filter",
    category: "document",
    description:
      "Allow/reject matrix of issuing country × document type. Fails when the document is rejected or not allowed.",
    requires: ["document"],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "country", "document_type"],
    options: [
      {
        name: "allowed",
        type: "country_document_matrix",
        default: { "*": [...ID_DOCUMENT_TYPES] },
        description:
          'Country code (or "*" for any) → accepted document types, e.g. {"US": ["passport", "drivers_license"]}.',
      },
      {
        name: "rejected",
        type: "country_document_matrix",
        default: {},
        description: 'Country code (or "*") → refused document types; a rejection wins over an allowance.',
      },
    ],
  },
  {
    name: "face_match",
    category: "biometric",
    description:
      "Compares the document portrait with the selfie (dlib ResNet face embeddings; similarity 0–1 calibrated on real photographs). Thresholds per security level, as documented by Verifa and measured in docs/face-calibration.md: standard 0.35, strict 0.50, very_strict 0.60.",
    requires: ["document", "selfie"],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "similarity", "liveness_score"],
    options: [
      {
        name: "security_level",
        type: "enum",
        values: ["standard", "strict", "very_strict"],
        default: "standard",
        description: "Similarity threshold: standard 0.35, strict 0.50, very_strict 0.60.",
      },
      {
        name: "require_liveness",
        type: "boolean",
        default: false,
        description: "Also fail when the selfie's passive liveness score is below the liveness check's default.",
      },
    ],
  },
  {
    name: "liveness",
    category: "biometric",
    description: "Passive liveness and anti-spoof scores of the selfie (a photo of a photo or a screen fails).",
    requires: ["selfie"],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "liveness_score", "antispoof_score"],
    options: [
      {
        name: "min_score",
        type: "number",
        min: 0,
        max: 1,
        default: 0.5,
        description: "Minimum liveness and anti-spoof score.",
      },
    ],
  },
  {
    name: "age_verification",
    category: "decisioning",
    description: "Computes the age from the document's date of birth; fails below minimum_age.",
    requires: ["document"],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "age"],
    options: [
      {
        name: "minimum_age",
        type: "integer",
        min: 1,
        max: 125,
        default: 18,
        description: "The minimum age, set per workflow (e.g. 18, 21, 25).",
      },
    ],
  },
  {
    name: "identity_crossref",
    category: "fraud",
    description:
      "Compares what the applicant entered (or the session's pre-filled fields) with the data extracted from the document; fails on a mismatch.",
    requires: ["document"],
    auto_injected_in_verifa: true,
    outputs: [...COMMON_OUTPUTS, "mismatched_fields"],
    options: [
      {
        name: "fields",
        type: "string_list",
        values: ["first_name", "last_name", "date_of_birth", "document_number", "address"],
        min_items: 1,
        max_items: 5,
        default: ["first_name", "last_name", "date_of_birth"],
        description: "Fields compared.",
      },
      {
        name: "name_similarity_threshold",
        type: "number",
        min: 0,
        max: 1,
        default: 0.85,
        description: "Minimum similarity for names to count as the same.",
      },
    ],
  },
  {
    name: "risk_assessment",
    category: "fraud",
    description:
      "Scores client, server and verification signals into risk_score 0–100 and risk_level (low, medium, high, critical). Fails when a signal the organisation set to block is present; route on risk_level with a conditional.",
    requires: [],
    auto_injected_in_verifa: true,
    outputs: [...COMMON_OUTPUTS, "risk_score", "risk_level", "signals"],
    options: [
      {
        name: "block_on_hard_signals",
        type: "boolean",
        default: true,
        description:
          "Fail on bot_detected, virtual_camera, camera_injection_detected and integrity_checksum_mismatch whatever the score.",
      },
    ],
  },
  {
    name: "duplicate_detection",
    category: "fraud",
    description:
      "Looks for earlier sessions of the organisation with the same document number, email, phone, name and date of birth (blind indexes) or a similar face; fails on a match.",
    requires: ["document"],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "matches", "matched_on"],
    options: [
      {
        name: "match_on",
        type: "string_list",
        values: ["document_number", "email", "phone", "name_dob", "face"],
        min_items: 1,
        max_items: 5,
        default: ["document_number", "email", "phone", "name_dob", "face"],
        description: "Attributes compared with earlier sessions.",
      },
      {
        name: "face_similarity_threshold",
        type: "number",
        min: 0,
        max: 1,
        default: 0.6,
        description:
          "Similarity at which two faces count as the same person (above every impostor pair measured in docs/face-calibration.md).",
      },
    ],
  },
  {
    name: "watchlist_screening",
    category: "compliance",
    description:
      "Fuzzy-matches the document name against the sanctions lists loaded on this installation (OFAC SDN, UN consolidated); fails on a hit.",
    requires: ["document"],
    auto_injected_in_verifa: true,
    outputs: [...COMMON_OUTPUTS, "hits", "best_match_score"],
    options: [
      {
        name: "threshold",
        type: "number",
        min: 0,
        max: 1,
        default: 0.6,
        description: "Trigram similarity at which a name counts as a hit.",
      },
      {
        name: "lists",
        type: "string_list",
        pattern: "^[a-z0-9_]{1,64}$",
        max_items: 20,
        default: null,
        description: "Sources screened (e.g. ofac_sdn, un_consolidated); null screens every loaded list.",
      },
    ],
  },
  {
    name: "check_against_list",
    category: "compliance",
    description:
      "Matches the applicant (document number, name and date of birth, email, phone, IP, country, device and browser fingerprints, location, face) against the organisation's own lists. Fails on a block-list match; flag-list matches pass and are recorded for review; an allow-list match passes with allowed: true.",
    requires: [],
    auto_injected_in_verifa: false,
    outputs: [...COMMON_OUTPUTS, "matches", "match_count", "block_count", "flag_count", "allow_count", "allowed"],
    options: [
      {
        name: "list_ids",
        type: "string_list",
        pattern: "^list_[0-9a-z_]{1,64}$",
        min_items: 1,
        max_items: 20,
        default: null,
        description: "The lists (list_…) to check against; null checks every active list of the organisation.",
      },
    ],
  },
];

export const POLICY_NAMES: readonly string[] = POLICIES.map((p) => p.name);

export function policySpec(name: string): PolicySpec | undefined {
  return POLICIES.find((p) => p.name === name);
}

const COUNTRY_KEY = /^([A-Z]{2}|\*)$/;

function optionProblem(spec: OptionSpec, value: unknown): string | null {
  switch (spec.type) {
    case "integer":
    case "number":
      if (
        typeof value !== "number" || !Number.isFinite(value) || (spec.type === "integer" && !Number.isInteger(value))
      ) {
        return `must be ${spec.type === "integer" ? "an integer" : "a number"}`;
      }
      return value < spec.min || value > spec.max ? `must be from ${spec.min} to ${spec.max}` : null;
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "enum":
      return spec.values.includes(value as string) ? null : `must be one of ${spec.values.join(", ")}`;
    case "string_list": {
      if (value === null && !spec.required) return null;
      if (!Array.isArray(value)) return "must be a list";
      if (value.length < (spec.min_items ?? 0)) return `must have at least ${spec.min_items} item(s)`;
      if (value.length > spec.max_items) return `must have at most ${spec.max_items} items`;
      const pattern = spec.pattern ? new RegExp(spec.pattern) : null;
      for (const item of value) {
        if (typeof item !== "string") return "must be a list of strings";
        if (spec.values && !spec.values.includes(item)) return `"${item}" is not one of ${spec.values.join(", ")}`;
        if (pattern && !pattern.test(item)) return `"${item}" is not a valid value`;
      }
      return new Set(value).size === value.length ? null : "must not repeat a value";
    }
    case "country_document_matrix": {
      if (!isPlainObject(value)) return 'must be an object of country code (or "*") → document types';
      if (Object.keys(value).length > 300) return "must have at most 300 countries";
      for (const [country, types] of Object.entries(value)) {
        if (!COUNTRY_KEY.test(country)) return `"${country}" is not an upper-case 2-letter country code or "*"`;
        if (!Array.isArray(types) || types.some((t) => !(ID_DOCUMENT_TYPES as readonly string[]).includes(t))) {
          return `${country} must list document types among ${ID_DOCUMENT_TYPES.join(", ")}`;
        }
      }
      return null;
    }
  }
}

/** Field-level problems with a policy node's options, keyed by option name (unknown names included). */
export function validatePolicyOptions(policy: string, options: unknown): Record<string, string> {
  const spec = policySpec(policy);
  if (!spec) return {};
  if (options === undefined) {
    const missing = spec.options.filter((o) => o.type === "string_list" && o.required);
    return Object.fromEntries(missing.map((o) => [o.name, "is required"]));
  }
  if (!isPlainObject(options)) return { "": "must be an object of option values" };
  const errors: Record<string, string> = {};
  for (const [name, value] of Object.entries(options)) {
    const option = spec.options.find((o) => o.name === name);
    if (!option) {
      errors[name] = spec.options.length
        ? `is not an option of ${policy} (options: ${spec.options.map((o) => o.name).join(", ")})`
        : `is not an option: ${policy} takes none`;
      continue;
    }
    const problem = optionProblem(option, value);
    if (problem) errors[name] = problem;
  }
  for (const option of spec.options) {
    if (option.type === "string_list" && option.required && !(option.name in options)) {
      errors[option.name] = "is required";
    }
  }
  return errors;
}

/** A node's options with the catalogue's defaults filled in: what the engine runs the check with. */
export function resolvedOptions(policy: string, options: Record<string, unknown> | undefined): Record<string, unknown> {
  const spec = policySpec(policy);
  if (!spec) return { ...options };
  return { ...Object.fromEntries(spec.options.map((o) => [o.name, structuredClone(o.default)])), ...options };
}
