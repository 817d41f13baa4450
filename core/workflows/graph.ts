/**
 * Owns workflow graphs: their shape (start, policy, conditional, wait and terminal nodes), the
 * validation that refuses graphs with no start, cycles, dead ends or unknown checks (with
 * field-level errors), and the walk that runs a graph with an injected check runner.
 */

export type Outcome = "approved" | "rejected" | "needs_review";
export const OUTCOMES: readonly Outcome[] = ["approved", "rejected", "needs_review"];

export const OPERATORS = [">=", "<=", ">", "<", "==", "!=", "in", "not_in", "contains", "exists"] as const;
export type Operator = typeof OPERATORS[number];

export interface Condition {
  /** Dotted path into the run context, e.g. "checks.face_match.score" or "extracted.age". */
  field: string;
  operator: Operator;
  value?: unknown;
  next: string;
}

/**
 * `label` is a display name for builders; a policy's `options` are its check's parameters (the
 * catalogue in policies.ts names and validates them, e.g. `minimum_age`).
 */
export type GraphNode =
  | { type: "start"; next: string; label?: string }
  | {
    type: "policy";
    policy: string;
    options?: Record<string, unknown>;
    on_pass: string;
    on_fail: string;
    on_error?: string;
    label?: string;
  }
  | { type: "conditional"; conditions: Condition[]; default: string; label?: string }
  | { type: "wait"; gate?: string; on_continue: string; on_fail: string; label?: string }
  | { type: "terminal"; outcome: Outcome; label?: string };

export interface WorkflowGraph {
  entry: string;
  nodes: Record<string, GraphNode>;
}

/** The node ids a node can route to, keyed by the field that names them. */
export function edgesOf(node: GraphNode): [string, string][] {
  switch (node.type) {
    case "start":
      return [["next", node.next]];
    case "policy":
      return [
        ["on_pass", node.on_pass],
        ["on_fail", node.on_fail],
        ...(node.on_error ? [["on_error", node.on_error] as [string, string]] : []),
      ];
    case "conditional":
      return [...node.conditions.map((c, i) => [`conditions.${i}.next`, c.next] as [string, string]), [
        "default",
        node.default,
      ]];
    case "wait":
      return [["on_continue", node.on_continue], ["on_fail", node.on_fail]];
    case "terminal":
      return [];
  }
}

/**
 * Field-level problems with a graph (empty when valid): shape, exactly one start which is the
 * entry, known policies, references to existing nodes, no cycles, and every node reachable from
 * the start and able to reach a terminal.
 */
export function validateGraph(raw: unknown, knownPolicies: readonly string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { graph: "must be an object" };
  const graph = raw as { entry?: unknown; nodes?: unknown };
  if (typeof graph.nodes !== "object" || graph.nodes === null || Array.isArray(graph.nodes)) {
    return { "graph.nodes": "must be an object of nodes keyed by id" };
  }
  const nodes = graph.nodes as Record<string, unknown>;
  const ids = Object.keys(nodes);
  if (ids.length > 200) errors["graph.nodes"] = "must have at most 200 nodes";
  for (const [id, value] of Object.entries(nodes)) {
    const problem = nodeProblem(value, knownPolicies);
    if (problem) errors[`graph.nodes.${id}${problem[0] ? `.${problem[0]}` : ""}`] = problem[1];
  }
  const starts = ids.filter((id) => (nodes[id] as { type?: unknown })?.type === "start");
  if (starts.length !== 1) errors["graph.nodes"] ??= `must have exactly one start node (found ${starts.length})`;
  // Object.hasOwn, never `in`: a reference to "toString" must not find Object.prototype's.
  if (typeof graph.entry !== "string" || !Object.hasOwn(nodes, graph.entry)) {
    errors["graph.entry"] = "must name the start node";
  } else if (starts.length === 1 && graph.entry !== starts[0]) errors["graph.entry"] = "must be the start node";
  if (Object.keys(errors).length > 0) return errors;

  const typed = nodes as Record<string, GraphNode>;
  for (const [id, node] of Object.entries(typed)) {
    for (const [field, target] of edgesOf(node)) {
      if (!Object.hasOwn(typed, target)) errors[`graph.nodes.${id}.${field}`] = `references unknown node "${target}"`;
      else if (typed[target].type === "start") {
        errors[`graph.nodes.${id}.${field}`] = "must not route back to the start";
      }
    }
  }
  if (Object.keys(errors).length > 0) return errors;

  const cycle = findCycle(typed, graph.entry as string);
  if (cycle) errors["graph"] = `must not contain cycles (${cycle.join(" → ")})`;
  const reachable = reachableFrom(typed, graph.entry as string);
  for (const id of ids) {
    if (!reachable.has(id)) errors[`graph.nodes.${id}`] ??= "is not reachable from the start";
    else if (!cycle && !reachesTerminal(typed, id)) {
      errors[`graph.nodes.${id}`] ??= "is a dead end: no path to a terminal";
    }
  }
  return errors;
}

function nodeProblem(value: unknown, knownPolicies: readonly string[]): [string, string] | null {
  if (typeof value !== "object" || value === null) return ["", "must be an object"];
  const node = value as Record<string, unknown>;
  const isId = (v: unknown) => typeof v === "string" && v.length > 0;
  switch (node.type) {
    case "start":
      return isId(node.next) ? null : ["next", "is required"];
    case "policy":
      if (!knownPolicies.includes(node.policy as string)) return ["policy", `is not a known check`];
      for (const key of ["on_pass", "on_fail"]) if (!isId(node[key])) return [key, "is required"];
      if (node.on_error !== undefined && !isId(node.on_error)) return ["on_error", "must be a node id"];
      return null;
    case "conditional": {
      if (!Array.isArray(node.conditions) || node.conditions.length === 0) {
        return ["conditions", "must be a non-empty list"];
      }
      for (const [i, c] of (node.conditions as Record<string, unknown>[]).entries()) {
        if (typeof c !== "object" || c === null) return [`conditions.${i}`, "must be an object"];
        if (typeof c.field !== "string" || !/^[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(c.field)) {
          return [`conditions.${i}.field`, "must be a dotted field path"];
        }
        if (!(OPERATORS as readonly string[]).includes(c.operator as string)) {
          return [`conditions.${i}.operator`, `must be one of ${OPERATORS.join(" ")}`];
        }
        if ((c.operator === "in" || c.operator === "not_in") && !Array.isArray(c.value)) {
          return [`conditions.${i}.value`, "must be a list for in / not_in"];
        }
        if (!isId(c.next)) return [`conditions.${i}.next`, "is required"];
      }
      return isId(node.default) ? null : ["default", "is required"];
    }
    case "wait":
      for (const key of ["on_continue", "on_fail"]) if (!isId(node[key])) return [key, "is required"];
      return null;
    case "terminal":
      return (OUTCOMES as readonly string[]).includes(node.outcome as string)
        ? null
        : ["outcome", `must be one of ${OUTCOMES.join(", ")}`];
    default:
      return ["type", "must be start, policy, conditional, wait or terminal"];
  }
}

function findCycle(nodes: Record<string, GraphNode>, entry: string): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === "done") return null;
    if (state.get(id) === "open") return [...path.slice(path.indexOf(id)), id];
    state.set(id, "open");
    path.push(id);
    for (const [, next] of edgesOf(nodes[id])) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, "done");
    return null;
  };
  for (const id of [entry, ...Object.keys(nodes)]) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return null;
}

function reachableFrom(nodes: Record<string, GraphNode>, entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length) {
    for (const [, next] of edgesOf(nodes[queue.shift()!])) if (!seen.has(next)) seen.add(next), queue.push(next);
  }
  return seen;
}

/** Every route out of the node must eventually end at a terminal (the graph is acyclic here). */
function reachesTerminal(nodes: Record<string, GraphNode>, id: string, memo = new Map<string, boolean>()): boolean {
  if (memo.has(id)) return memo.get(id)!;
  const node = nodes[id];
  const edges = edgesOf(node);
  const ok = node.type === "terminal" ||
    (edges.length > 0 && edges.every(([, next]) => reachesTerminal(nodes, next, memo)));
  memo.set(id, ok);
  return ok;
}

/** Reads a dotted path from the run context. */
export function valueAt(context: Record<string, unknown>, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split(".")) {
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

export function conditionHolds(condition: Condition, context: Record<string, unknown>): boolean {
  const actual = valueAt(context, condition.field);
  const expected = condition.value;
  switch (condition.operator) {
    case "exists":
      return actual !== undefined && actual !== null;
    case "==":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case ">=":
    case "<=":
    case ">":
    case "<": {
      if (typeof actual !== "number" || typeof expected !== "number") return false;
      return condition.operator === ">="
        ? actual >= expected
        : condition.operator === "<="
        ? actual <= expected
        : condition.operator === ">"
        ? actual > expected
        : actual < expected;
    }
    case "in":
      return Array.isArray(expected) && expected.includes(actual);
    case "not_in":
      return Array.isArray(expected) && !expected.includes(actual);
    case "contains":
      return (typeof actual === "string" && typeof expected === "string" && actual.includes(expected)) ||
        (Array.isArray(actual) && actual.includes(expected));
  }
}

/** `skipped` (a prerequisite was missing) routes like `error`: nobody decided, so a person should look. */
export type CheckOutcome = "passed" | "failed" | "error" | "skipped";

export interface NodeResult {
  node: string;
  type: GraphNode["type"];
  policy?: string;
  result?: CheckOutcome | string;
  routed_to: string | null;
  duration_ms: number;
}

export type WalkEnd =
  | { kind: "terminal"; outcome: Outcome; node: string }
  | { kind: "paused"; node: string };

/**
 * Walks the graph from `from` (the start, or a wait node being resumed with `resume`), calling
 * `runCheck` for each policy node. `context` gathers what conditions read; the check runner adds
 * to it. The walk is bounded by the node count, so even an unvalidated graph cannot loop forever.
 */
export async function walkGraph(
  graph: WorkflowGraph,
  context: Record<string, unknown>,
  runCheck: (policy: string, node: string) => Promise<CheckOutcome>,
  options: { from?: string; resume?: "continue" | "fail" } = {},
): Promise<{ end: WalkEnd; path: NodeResult[] }> {
  const path: NodeResult[] = [];
  let current = options.from ?? graph.entry;
  let resume = options.resume;
  for (let steps = 0; steps <= Object.keys(graph.nodes).length; steps++) {
    const node = graph.nodes[current];
    const started = performance.now();
    const record = (routedTo: string | null, extra: Partial<NodeResult> = {}) =>
      path.push({
        node: current,
        type: node.type,
        routed_to: routedTo,
        duration_ms: Math.round(performance.now() - started),
        ...extra,
      });
    switch (node.type) {
      case "terminal":
        record(null, { result: node.outcome });
        return { end: { kind: "terminal", outcome: node.outcome, node: current }, path };
      case "start":
        record(node.next);
        current = node.next;
        break;
      case "policy": {
        const outcome = await runCheck(node.policy, current);
        const next = outcome === "passed"
          ? node.on_pass
          : (outcome === "error" || outcome === "skipped") && node.on_error
          ? node.on_error
          : node.on_fail;
        record(next, { policy: node.policy, result: outcome });
        current = next;
        break;
      }
      case "conditional": {
        const match = node.conditions.find((c) => conditionHolds(c, context));
        const next = match ? match.next : node.default;
        record(next, { result: match ? `${match.field} ${match.operator}` : "default" });
        current = next;
        break;
      }
      case "wait": {
        if (!resume) {
          record(null, { result: "paused" });
          return { end: { kind: "paused", node: current }, path };
        }
        const next = resume === "continue" ? node.on_continue : node.on_fail;
        record(next, { result: resume });
        resume = undefined;
        current = next;
        break;
      }
    }
  }
  throw new Error("workflow walk did not end: the graph has a cycle");
}
