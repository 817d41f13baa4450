import assert from "node:assert/strict";
import { assignLayers, layoutWorkflow } from "../../api/dashboard/pages/workflow_diagram.tsx";
import { edgesOf, type WorkflowGraph } from "../../core/workflows/graph.ts";
import { DEFAULT_GRAPH, TEMPLATES } from "../../core/workflows/templates.ts";

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Does the axis-aligned or straight segment p→q pass through the inside of the box? */
function crossesBox(
  p: [number, number],
  q: [number, number],
  box: { x: number; y: number; width: number; height: number },
) {
  for (let t = 0.02; t < 1; t += 0.02) {
    const x = p[0] + (q[0] - p[0]) * t;
    const y = p[1] + (q[1] - p[1]) * t;
    if (x > box.x + 1 && x < box.x + box.width - 1 && y > box.y + 1 && y < box.y + box.height - 1) return true;
  }
  return false;
}

Deno.test("workflow diagram layout", async (t) => {
  await t.step("layers follow the longest path from the start", () => {
    const layers = assignLayers(DEFAULT_GRAPH);
    assert.equal(layers.get("start"), 0);
    assert.equal(layers.get("document_quality"), 1);
    assert.equal(layers.get("risk_assessment"), 6);
    assert.equal(layers.get("risk_level"), 7);
    // Reached both from the first check and from the conditional: the longer path wins.
    assert.equal(layers.get("rejected"), 8);
    assert.equal(layers.get("needs_review"), 8);
    assert.equal(layers.get("approved"), 8);
  });

  await t.step("every node is one box and every edge one arrow, labelled", () => {
    const layout = layoutWorkflow(DEFAULT_GRAPH);
    assert.deepEqual(layout.nodes.map((n) => n.id).sort(), Object.keys(DEFAULT_GRAPH.nodes).sort());
    const expected = Object.entries(DEFAULT_GRAPH.nodes).flatMap(([id, node]) =>
      edgesOf(node).map(([field, to]) => `${id}|${field}|${to}`)
    );
    assert.deepEqual(layout.edges.map((e) => `${e.from}|${e.field}|${e.to}`).sort(), expected.sort());
    const byField = (from: string, field: string) => layout.edges.find((e) => e.from === from && e.field === field)!;
    assert.equal(byField("face_match", "on_pass").label, "on_pass");
    assert.equal(byField("face_match", "on_error").label, "on_error");
    assert.equal(byField("risk_level", "conditions.0.next").label, "risk_level == critical");
    assert.equal(byField("risk_level", "default").label, "default");
    const policy = layout.nodes.find((n) => n.id === "face_match")!;
    assert.equal(policy.title, "face_match");
    assert.equal(policy.subtitle, "security_level: standard");
    assert.equal(layout.nodes.find((n) => n.id === "rejected")!.title, "rejected");
  });

  for (const template of TEMPLATES) {
    await t.step(`${template.id}: boxes do not overlap and no arrow crosses a box`, () => {
      const layout = layoutWorkflow(template.graph);
      for (const [i, a] of layout.nodes.entries()) {
        for (const b of layout.nodes.slice(i + 1)) assert.ok(!overlaps(a, b), `${a.id} overlaps ${b.id}`);
        assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= layout.width && a.y + a.height <= layout.height);
      }
      for (const edge of layout.edges) {
        for (const box of layout.nodes) {
          for (let i = 0; i + 1 < edge.points.length; i++) {
            assert.ok(
              !crossesBox(edge.points[i], edge.points[i + 1], box),
              `${edge.from}→${edge.to} crosses ${box.id}`,
            );
          }
        }
        const target = layout.nodes.find((n) => n.id === edge.to)!;
        const end = edge.points.at(-1)!;
        assert.equal(end[1], target.y, "arrows end on the target's top edge");
      }
    });
  }

  await t.step("a side-by-side layer and a long edge from a middle box still avoid every box", () => {
    const graph: WorkflowGraph = {
      entry: "s",
      nodes: {
        s: { type: "start", next: "c" },
        c: {
          type: "conditional",
          conditions: [
            { field: "extracted.age", operator: ">=", value: 18, next: "a" },
            { field: "extracted.age", operator: "<", value: 16, next: "b" },
          ],
          default: "m",
        },
        a: { type: "policy", policy: "document_ocr", on_pass: "x", on_fail: "no" },
        m: { type: "policy", policy: "document_quality", on_pass: "x", on_fail: "no" },
        b: { type: "wait", gate: "manual", on_continue: "x", on_fail: "no" },
        x: { type: "policy", policy: "face_match", on_pass: "yes", on_fail: "no" },
        yes: { type: "terminal", outcome: "approved" },
        no: { type: "terminal", outcome: "rejected" },
      },
    };
    const layout = layoutWorkflow(graph);
    assert.equal(layout.edges.length, 12);
    for (const edge of layout.edges) {
      for (const box of layout.nodes) {
        for (let i = 0; i + 1 < edge.points.length; i++) {
          assert.ok(!crossesBox(edge.points[i], edge.points[i + 1], box), `${edge.from}→${edge.to} crosses ${box.id}`);
        }
      }
    }
    assert.equal(layout.edges.find((e) => e.from === "c" && e.field === "conditions.1.next")!.label, "age < 16");
  });

  await t.step("a malformed graph (cycle, dangling reference) still lays out", () => {
    const graph = {
      entry: "s",
      nodes: {
        s: { type: "start", next: "p" },
        p: { type: "policy", policy: "document_ocr", on_pass: "q", on_fail: "missing" },
        q: { type: "policy", policy: "document_ocr", on_pass: "p", on_fail: "end" },
        end: { type: "terminal", outcome: "rejected" },
        orphan: { type: "terminal", outcome: "approved" },
      },
    } as WorkflowGraph;
    const layout = layoutWorkflow(graph);
    assert.equal(layout.nodes.length, 5);
    assert.ok(!layout.edges.some((e) => e.to === "missing"));
    assert.ok(layout.edges.some((e) => e.from === "q" && e.to === "p"));
  });
});
