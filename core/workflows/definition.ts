/**
 * Owns what a workflow version is made of and its validation: the graph (structure from graph.ts,
 * plus node fields, condition values and check options against the policy catalogue), the data
 * requirements (and their agreement with the checks), and the mapping of Verifa's legacy `steps`
 * list onto a linear graph. Every problem is a field-level error under `graph…`, `steps…` or
 * `data_requirements…`.
 */
import { isPlainObject } from "../validation.ts";
import type { DataRequirements } from "../db/database.ts";
import { edgesOf, type GraphNode, OPERATORS, validateGraph, type WorkflowGraph } from "./graph.ts";
import { POLICY_NAMES, policySpec, validatePolicyOptions } from "./policies.ts";
import { ID_DOCUMENT_TYPES } from "./document_types.ts";
import { DEFAULT_DATA_REQUIREMENTS } from "./templates.ts";
import { canonicalJson } from "../canonical_json.ts";

export type WorkflowFormat = "graph" | "steps";
export type FieldErrors = Record<string, string>;

/** The applicant fields capture can collect (the capture API's `fields` keys). */
export const USER_INFO_FIELDS = [
  "first_name",
  "middle_name",
  "last_name",
  "date_of_birth",
  "email",
  "phone",
  "address",
  "ssn",
  "document_number",
  "nationality",
  "gender",
] as const;

const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;

const NODE_FIELDS: Record<GraphNode["type"], readonly string[]> = {
  start: ["type", "label", "next"],
  policy: ["type", "label", "policy", "options", "on_pass", "on_fail", "on_error"],
  conditional: ["type", "label", "conditions", "default"],
  wait: ["type", "label", "gate", "on_continue", "on_fail"],
  terminal: ["type", "label", "outcome"],
};
const CONDITION_FIELDS = ["field", "operator", "value", "next"];
const COMPARISONS = new Set([">=", "<=", ">", "<"]);

/**
 * Everything wrong with a graph, field by field: validateGraph's structure (one start, known
 * checks, existing targets, no cycles, no dead ends, everything reachable) first, then what it
 * leaves open — unknown fields, node ids, labels, condition values, `checks.<name>` paths and
 * each check's options.
 */
export function validateWorkflowGraph(raw: unknown): FieldErrors {
  const errors = validateGraph(raw, POLICY_NAMES);
  if (!isPlainObject(raw)) return errors;
  const add = (path: string, message: string) => (errors[path] ??= message);
  for (const key of Object.keys(raw)) {
    if (key !== "entry" && key !== "nodes") add(`graph.${key}`, "is not a recognised field");
  }
  if (!isPlainObject(raw.nodes)) return errors;
  for (const [id, node] of Object.entries(raw.nodes)) {
    const at = `graph.nodes.${id}`;
    if (!NODE_ID.test(id)) add(at, "node ids must be 1–64 letters, digits, _ or -");
    if (!isPlainObject(node) || !(typeof node.type === "string" && node.type in NODE_FIELDS)) continue;
    const type = node.type as GraphNode["type"];
    for (const key of Object.keys(node)) {
      if (!NODE_FIELDS[type].includes(key)) add(`${at}.${key}`, `is not a field of a ${type} node`);
    }
    if (node.label !== undefined && (typeof node.label !== "string" || node.label.length > 200)) {
      add(`${at}.label`, "must be a string of at most 200 characters");
    }
    if (type === "wait" && node.gate !== undefined && (typeof node.gate !== "string" || node.gate.length > 200)) {
      add(`${at}.gate`, "must be a string of at most 200 characters");
    }
    if (type === "policy" && typeof node.policy === "string" && POLICY_NAMES.includes(node.policy)) {
      for (const [name, message] of Object.entries(validatePolicyOptions(node.policy, node.options))) {
        add(name ? `${at}.options.${name}` : `${at}.options`, message);
      }
    }
    if (type === "conditional" && Array.isArray(node.conditions)) {
      node.conditions.forEach((condition, i) => {
        if (!isPlainObject(condition)) return;
        const cat = `${at}.conditions.${i}`;
        for (const key of Object.keys(condition)) {
          if (!CONDITION_FIELDS.includes(key)) add(`${cat}.${key}`, "is not a field of a condition");
        }
        const operator = condition.operator as string;
        if (!(OPERATORS as readonly string[]).includes(operator)) return;
        if (COMPARISONS.has(operator) && typeof condition.value !== "number") {
          add(`${cat}.value`, `must be a number for ${operator}`);
        } else if (operator !== "exists" && condition.value === undefined) {
          add(`${cat}.value`, `is required for ${operator}`);
        }
        const field = typeof condition.field === "string" ? condition.field.split(".") : [];
        if (field[0] === "checks" && field[1] !== undefined && !POLICY_NAMES.includes(field[1])) {
          add(`${cat}.field`, `names an unknown check "${field[1]}"`);
        }
      });
    }
  }
  return errors;
}

/** The checks a (valid) graph can run. */
export function graphPolicies(graph: WorkflowGraph): string[] {
  const names = new Set<string>();
  for (const node of Object.values(graph.nodes)) if (node.type === "policy") names.add(node.policy);
  return [...names];
}

/** Verifa's `step_count`: the checks (policy nodes) in the graph. */
export function stepCount(graph: WorkflowGraph): number {
  return Object.values(graph.nodes).filter((n) => n.type === "policy").length;
}

/**
 * Data requirements as sent (any key may be left out: `base` supplies it — the current version's
 * on an edit, the template's or the defaults on a create), validated field by field.
 */
export function resolveDataRequirements(
  raw: unknown,
  base: DataRequirements,
): { value: DataRequirements; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (raw === undefined || raw === null) return { value: structuredClone(base), errors };
  if (!isPlainObject(raw)) return { value: base, errors: { data_requirements: "must be an object" } };
  const value = structuredClone(base);
  const known = ["document_types", "selfie", "user_info_fields", "proof_of_address"];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) errors[`data_requirements.${key}`] = "is not a recognised field";
  }
  const list = (key: "document_types" | "user_info_fields", allowed: readonly string[], min: number) => {
    const v = raw[key];
    if (v === undefined) return;
    if (!Array.isArray(v) || v.some((item) => typeof item !== "string" || !allowed.includes(item))) {
      errors[`data_requirements.${key}`] = `must be a list drawn from ${allowed.join(", ")}`;
    } else if (v.length < min) errors[`data_requirements.${key}`] = `must name at least ${min}`;
    else if (new Set(v).size !== v.length) errors[`data_requirements.${key}`] = "must not repeat a value";
    else value[key] = [...v] as string[];
  };
  list("document_types", ID_DOCUMENT_TYPES, 1);
  list("user_info_fields", USER_INFO_FIELDS, 0);
  for (const key of ["selfie", "proof_of_address"] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== "boolean") errors[`data_requirements.${key}`] = "must be true or false";
    else value[key] = raw[key] as boolean;
  }
  return { value, errors };
}

/** The checks need their inputs captured: a selfie for face_match and liveness. */
export function requirementsAgreeWithGraph(requirements: DataRequirements, graph: WorkflowGraph): FieldErrors {
  const needsSelfie = graphPolicies(graph).filter((name) => policySpec(name)?.requires.includes("selfie"));
  if (needsSelfie.length && !requirements.selfie) {
    return { "data_requirements.selfie": `must be true: the graph runs ${needsSelfie.join(", ")}` };
  }
  return {};
}

/** Requirements for a graph when none are given: every ID type, a selfie only if a check needs one. */
export function defaultRequirementsFor(graph: WorkflowGraph | null): DataRequirements {
  const selfie = graph
    ? graphPolicies(graph).some((name) => policySpec(name)?.requires.includes("selfie"))
    : DEFAULT_DATA_REQUIREMENTS.selfie;
  return { ...structuredClone(DEFAULT_DATA_REQUIREMENTS), selfie };
}

/** One entry of Verifa's legacy ordered `steps` list, in the form accepted here. */
export interface LegacyStep {
  policy: string;
  options?: Record<string, unknown>;
  label?: string;
  on_fail?: "reject" | "review";
  on_error?: "reject" | "review";
}

const STEP_FIELDS = ["policy", "options", "label", "on_fail", "on_error"];
const STEP_ROUTES = ["reject", "review"];

/**
 * Maps a legacy `steps` list onto a linear graph: start → step 1 → … → approved, each step's
 * failure to rejected (or review) and its error to review (or rejected). Anything a straight line
 * cannot express (jumping to another step, conditions, waits) is refused: send a graph instead.
 */
export function stepsToGraph(raw: unknown): { graph: WorkflowGraph | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!Array.isArray(raw) || raw.length === 0) {
    return { graph: null, errors: { steps: "must be a non-empty list of steps (or send graph instead)" } };
  }
  if (raw.length > 50) return { graph: null, errors: { steps: "must have at most 50 steps" } };
  const steps: LegacyStep[] = [];
  raw.forEach((step, i) => {
    const at = `steps.${i}`;
    if (!isPlainObject(step)) return void (errors[at] = 'must be an object such as {"policy": "face_match"}');
    for (const key of Object.keys(step)) {
      if (!STEP_FIELDS.includes(key)) {
        errors[`${at}.${key}`] = "is not supported in steps (policy, options, label, on_fail, on_error); " +
          "for routing beyond a straight line send graph instead";
      }
    }
    if (typeof step.policy !== "string" || !POLICY_NAMES.includes(step.policy)) {
      errors[`${at}.policy`] = "is not a known check";
    } else {
      for (const [name, message] of Object.entries(validatePolicyOptions(step.policy, step.options))) {
        errors[name ? `${at}.options.${name}` : `${at}.options`] = message;
      }
    }
    for (const key of ["on_fail", "on_error"]) {
      if (step[key] !== undefined && !STEP_ROUTES.includes(step[key] as string)) {
        errors[`${at}.${key}`] = "must be reject or review; to jump to another step send graph instead";
      }
    }
    if (step.label !== undefined && (typeof step.label !== "string" || step.label.length > 200)) {
      errors[`${at}.label`] = "must be a string of at most 200 characters";
    }
    steps.push(step as unknown as LegacyStep);
  });
  if (Object.keys(errors).length > 0) return { graph: null, errors };

  const terminal = (route: "reject" | "review") => route === "reject" ? "rejected" : "needs_review";
  const ids = steps.map((_, i) => `step_${i + 1}`);
  const nodes: Record<string, GraphNode> = { start: { type: "start", next: ids[0] } };
  steps.forEach((step, i) => {
    nodes[ids[i]] = {
      type: "policy",
      policy: step.policy,
      ...(step.label !== undefined ? { label: step.label } : {}),
      ...(step.options !== undefined ? { options: step.options } : {}),
      on_pass: ids[i + 1] ?? "approved",
      on_fail: terminal(step.on_fail ?? "reject"),
      on_error: terminal(step.on_error ?? "review"),
    };
  });
  nodes.approved = { type: "terminal", outcome: "approved" };
  const used = new Set(Object.values(nodes).flatMap((n) => edgesOf(n).map(([, target]) => target)));
  if (used.has("rejected")) nodes.rejected = { type: "terminal", outcome: "rejected" };
  if (used.has("needs_review")) nodes.needs_review = { type: "terminal", outcome: "needs_review" };
  return { graph: { entry: "start", nodes }, errors };
}

/** Order-insensitive JSON equality (jsonb does not keep key order), to tell a real edit from a resend. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
