import assert from "node:assert/strict";
import {
  type CheckOutcome,
  conditionHolds,
  validateGraph,
  walkGraph,
  type WorkflowGraph,
} from "../../core/workflows/graph.ts";

const POLICIES = ["document_ocr", "face_match", "age_verification"];

const GRAPH: WorkflowGraph = {
  entry: "start",
  nodes: {
    start: { type: "start", next: "ocr" },
    ocr: { type: "policy", policy: "document_ocr", on_pass: "face", on_fail: "reject", on_error: "review" },
    face: { type: "policy", policy: "face_match", on_pass: "age", on_fail: "reject" },
    age: {
      type: "conditional",
      conditions: [
        { field: "extracted.age", operator: "<", value: 18, next: "reject" },
        { field: "extracted.country", operator: "in", value: ["US", "CA"], next: "gate" },
      ],
      default: "approve",
    },
    gate: { type: "wait", on_continue: "approve", on_fail: "review" },
    approve: { type: "terminal", outcome: "approved" },
    reject: { type: "terminal", outcome: "rejected" },
    review: { type: "terminal", outcome: "needs_review" },
  },
};

Deno.test("workflow graph validation", async (t) => {
  await t.step("a well-formed graph has no errors", () => assert.deepEqual(validateGraph(GRAPH, POLICIES), {}));
  await t.step("no start node", () => {
    const { start: _, ...nodes } = GRAPH.nodes;
    const errors = validateGraph({ entry: "start", nodes }, POLICIES);
    assert.match(errors["graph.nodes"], /exactly one start/);
  });
  await t.step("unknown check and unknown node reference are field-level errors", () => {
    const errors = validateGraph({
      entry: "start",
      nodes: { ...GRAPH.nodes, ocr: { type: "policy", policy: "palm_reading", on_pass: "face", on_fail: "reject" } },
    }, POLICIES);
    assert.deepEqual(Object.keys(errors), ["graph.nodes.ocr.policy"]);
    const dangling = validateGraph({
      entry: "start",
      nodes: { ...GRAPH.nodes, face: { type: "policy", policy: "face_match", on_pass: "nowhere", on_fail: "reject" } },
    }, POLICIES);
    assert.match(dangling["graph.nodes.face.on_pass"], /unknown node "nowhere"/);
  });
  await t.step("cycles are refused", () => {
    const errors = validateGraph({
      entry: "start",
      nodes: { ...GRAPH.nodes, face: { type: "policy", policy: "face_match", on_pass: "ocr", on_fail: "reject" } },
    }, POLICIES);
    assert.match(errors.graph, /cycles \(ocr → face → ocr\)/);
  });
  await t.step("unreachable nodes and bad operators are named", () => {
    const errors = validateGraph({
      entry: "start",
      nodes: { ...GRAPH.nodes, orphan: { type: "terminal", outcome: "approved" } },
    }, POLICIES);
    assert.match(errors["graph.nodes.orphan"], /not reachable/);
    const bad = validateGraph({
      entry: "start",
      nodes: {
        ...GRAPH.nodes,
        age: { type: "conditional", conditions: [{ field: "x", operator: "~=", next: "approve" }], default: "approve" },
      },
    }, POLICIES);
    assert.ok(bad["graph.nodes.age.conditions.0.operator"]);
  });
});

Deno.test("walking a workflow graph", async (t) => {
  const runner = (outcomes: Record<string, CheckOutcome>) => (policy: string) => Promise.resolve(outcomes[policy]);
  await t.step("all checks pass, an adult outside US/CA: approved", async () => {
    const { end, path } = await walkGraph(
      GRAPH,
      { extracted: { age: 30, country: "GB" } },
      runner({ document_ocr: "passed", face_match: "passed" }),
    );
    assert.deepEqual(end, { kind: "terminal", outcome: "approved", node: "approve" });
    assert.deepEqual(path.map((n) => n.node), ["start", "ocr", "face", "age", "approve"]);
  });
  await t.step("a minor is rejected by the first matching condition", async () => {
    const { end } = await walkGraph(
      GRAPH,
      { extracted: { age: 16, country: "US" } },
      runner({ document_ocr: "passed", face_match: "passed" }),
    );
    assert.equal(end.kind === "terminal" && end.outcome, "rejected");
  });
  await t.step("a check error follows on_error", async () => {
    const { end } = await walkGraph(GRAPH, {}, runner({ document_ocr: "error" }));
    assert.equal(end.kind === "terminal" && end.outcome, "needs_review");
  });
  await t.step("a wait node pauses, and resumes by the external decision", async () => {
    const context = { extracted: { age: 30, country: "US" } };
    const first = await walkGraph(GRAPH, context, runner({ document_ocr: "passed", face_match: "passed" }));
    assert.deepEqual(first.end, { kind: "paused", node: "gate" });
    const resumed = await walkGraph(GRAPH, context, runner({}), { from: "gate", resume: "continue" });
    assert.equal(resumed.end.kind === "terminal" && resumed.end.outcome, "approved");
    const failed = await walkGraph(GRAPH, context, runner({}), { from: "gate", resume: "fail" });
    assert.equal(failed.end.kind === "terminal" && failed.end.outcome, "needs_review");
  });
  await t.step("the ten operators", () => {
    const ctx = { n: 5, s: "abc", list: ["x"], nil: null };
    const holds = (field: string, operator: string, value?: unknown) =>
      conditionHolds({ field, operator: operator as never, value, next: "" }, ctx);
    assert.ok(holds("n", ">=", 5) && holds("n", "<=", 5) && holds("n", ">", 4) && holds("n", "<", 6));
    assert.ok(holds("n", "==", 5) && holds("n", "!=", 4) && holds("n", "in", [5]) && holds("n", "not_in", [1]));
    assert.ok(holds("s", "contains", "b") && holds("list", "contains", "x") && holds("s", "exists"));
    assert.ok(!holds("nil", "exists") && !holds("missing", "exists") && !holds("s", ">", 1));
  });
});
