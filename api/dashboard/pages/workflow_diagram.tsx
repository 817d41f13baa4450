/**
 * Owns drawing a workflow graph as server-side SVG: a pure layout (nodes in layers by their longest
 * path from the start node, each layer ordered to follow its parents; an edge to the next layer a
 * straight arrow, a longer or backward edge routed round the side in a lane of its own so it never
 * crosses a box) and the component that renders it. No script and no inline style: the page's CSP
 * allows neither, so colours are SVG presentation attributes.
 */
import { edgesOf, type GraphNode, type WorkflowGraph } from "../../../core/workflows/graph.ts";

export const BOX_WIDTH = 184;
export const BOX_HEIGHT = 52;
const COLUMN_GAP = 36;
const LAYER_GAP = 64;
const LANE_GAP = 14;
const MARGIN = 24;
/** How far above a target's layer a side-routed edge turns in towards it. */
const APPROACH = 18;
const CHAR_WIDTH = 6.6;

export type EdgeKind = "next" | "on_pass" | "on_fail" | "on_error" | "condition" | "default" | "on_continue";

export interface DiagramNode {
  id: string;
  type: GraphNode["type"];
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The policy name, the outcome, "Start", the condition label or "Wait". */
  title: string;
  /** A second line: the label, options, gate or number of conditions. */
  subtitle: string | null;
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** The graph field that names the target (on_pass, conditions.0.next, default …). */
  field: string;
  kind: EdgeKind;
  /** What the arrow says: the field, or the condition for a conditional's branch. */
  label: string;
  /** The polyline from the source box to the target box. */
  points: [number, number][];
  /** Where the label sits (its centre). */
  labelAt: [number, number];
  routed: "direct" | "side";
}

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

function edgeKind(field: string): EdgeKind {
  if (field.startsWith("conditions.")) return "condition";
  return field as EdgeKind;
}

function short(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? "" : text;
}

/** `checks.risk_assessment.risk_level == "critical"` reads as `risk_level == critical` on the arrow. */
export function conditionLabel(node: GraphNode, field: string): string {
  if (node.type !== "conditional" || !field.startsWith("conditions.")) return field;
  const condition = node.conditions[Number(field.split(".")[1])];
  if (!condition) return field;
  const path = typeof condition.field === "string" ? condition.field.split(".").pop() : "?";
  return condition.operator === "exists"
    ? `${path} exists`
    : `${path} ${condition.operator} ${
      Array.isArray(condition.value) ? condition.value.map(short).join(", ") : short(condition.value)
    }`;
}

function describe(node: GraphNode): { title: string; subtitle: string | null } {
  switch (node.type) {
    case "start":
      return { title: "Start", subtitle: node.label ?? null };
    case "policy": {
      const options = Object.entries(node.options ?? {}).map(([k, v]) => `${k}: ${short(v)}`).join(", ");
      return { title: node.policy, subtitle: node.label ?? (options || null) };
    }
    case "conditional":
      return {
        title: node.label ?? "Condition",
        subtitle: `${node.conditions.length} condition${node.conditions.length === 1 ? "" : "s"} + default`,
      };
    case "wait":
      return { title: "Wait", subtitle: node.gate ?? node.label ?? null };
    case "terminal":
      return { title: node.outcome, subtitle: node.label ?? null };
  }
}

/** A graph from the database or an editor may be malformed: keep only what can be drawn. */
function drawableEdges(graph: WorkflowGraph, id: string): [string, string][] {
  const node = graph.nodes[id];
  try {
    return edgesOf(node).filter(([, target]) => typeof target === "string" && Object.hasOwn(graph.nodes, target));
  } catch {
    return [];
  }
}

/**
 * Layer = the longest path from the entry (so every edge of an acyclic graph points down at least
 * one layer). Nodes the entry does not reach, or that sit on a cycle, go below the rest.
 */
export function assignLayers(graph: WorkflowGraph): Map<string, number> {
  const ids = Object.keys(graph.nodes);
  const reachable = new Set<string>();
  const stack = Object.hasOwn(graph.nodes, graph.entry) ? [graph.entry] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    for (const [, target] of drawableEdges(graph, id)) stack.push(target);
  }
  const indegree = new Map<string, number>([...reachable].map((id) => [id, 0]));
  for (const id of reachable) {
    for (const [, target] of drawableEdges(graph, id)) indegree.set(target, indegree.get(target)! + 1);
  }
  const layers = new Map<string, number>();
  const queue = [...reachable].filter((id) => indegree.get(id) === 0);
  for (const id of queue) layers.set(id, 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const [, target] of drawableEdges(graph, id)) {
      layers.set(target, Math.max(layers.get(target) ?? 0, layers.get(id)! + 1));
      indegree.set(target, indegree.get(target)! - 1);
      if (indegree.get(target) === 0) queue.push(target);
    }
  }
  const below = Math.max(-1, ...layers.values()) + 1;
  for (const id of ids) if (!layers.has(id) || (reachable.has(id) && indegree.get(id)! > 0)) layers.set(id, below);
  return layers;
}

/** Depth-first order from the entry, following each node's edges in field order: the tie-break for ordering a layer. */
function discoveryOrder(graph: WorkflowGraph): Map<string, number> {
  const order = new Map<string, number>();
  const visit = (id: string) => {
    if (order.has(id)) return;
    order.set(id, order.size);
    for (const [, target] of drawableEdges(graph, id)) visit(target);
  };
  if (Object.hasOwn(graph.nodes, graph.entry)) visit(graph.entry);
  for (const id of Object.keys(graph.nodes)) visit(id);
  return order;
}

export function layoutWorkflow(graph: WorkflowGraph): DiagramLayout {
  const layers = assignLayers(graph);
  const discovered = discoveryOrder(graph);
  const depth = Math.max(0, ...layers.values()) + 1;
  const rows: string[][] = Array.from({ length: depth }, () => []);
  for (const id of Object.keys(graph.nodes)) rows[layers.get(id)!].push(id);

  // Order each layer by the mean position of its parents in the layers above (barycentre), which
  // keeps a chain straight and fans a conditional's branches out under it.
  const parents = new Map<string, string[]>();
  for (const id of Object.keys(graph.nodes)) {
    for (const [, target] of drawableEdges(graph, id)) {
      if (layers.get(id)! < layers.get(target)!) parents.set(target, [...(parents.get(target) ?? []), id]);
    }
  }
  const slot = new Map<string, number>();
  const widest = Math.max(...rows.map((row) => row.length));
  for (const row of rows) {
    const key = (id: string) => {
      const ps = parents.get(id) ?? [];
      return ps.length ? ps.reduce((sum, p) => sum + slot.get(p)!, 0) / ps.length : -1;
    };
    row.sort((a, b) => key(a) - key(b) || discovered.get(a)! - discovered.get(b)!);
    // Slots are centred on the widest layer, so a lone node sits in the middle.
    const offset = (widest - row.length) / 2;
    row.forEach((id, i) => slot.set(id, offset + i));
  }

  const nodes = new Map<string, DiagramNode>();
  for (const [layer, row] of rows.entries()) {
    for (const id of row) {
      const node = graph.nodes[id];
      nodes.set(id, {
        id,
        type: node.type,
        layer,
        x: slot.get(id)! * (BOX_WIDTH + COLUMN_GAP),
        y: layer * (BOX_HEIGHT + LAYER_GAP),
        width: BOX_WIDTH,
        height: BOX_HEIGHT,
        ...describe(node),
      });
    }
  }

  const all = [...nodes.values()];
  const minX = Math.min(0, ...all.map((n) => n.x));
  const maxX = Math.max(0, ...all.map((n) => n.x + n.width));
  const centre = (n: DiagramNode) => n.x + n.width / 2;

  type Pending = { from: DiagramNode; to: DiagramNode; field: string; label: string };
  const direct: Pending[] = [];
  const side: { left: Pending[]; right: Pending[] } = { left: [], right: [] };
  for (const [id, node] of Object.entries(graph.nodes)) {
    for (const [field, target] of drawableEdges(graph, id)) {
      const edge = { from: nodes.get(id)!, to: nodes.get(target)!, field, label: conditionLabel(node, field) };
      if (edge.to.layer === edge.from.layer + 1) direct.push(edge);
      else side[centre(edge.to) < centre(edge.from) ? "left" : "right"].push(edge);
    }
  }

  const edges: DiagramEdge[] = [];
  const drawn = (
    e: Pending,
    points: DiagramEdge["points"],
    labelAt: DiagramEdge["labelAt"],
    routed: DiagramEdge["routed"],
  ) => ({
    from: e.from.id,
    to: e.to.id,
    field: e.field,
    kind: edgeKind(e.field),
    label: e.label,
    points,
    labelAt,
    routed,
  });
  // Direct edges leave the bottom of the box spread across its width, and enter the top centre.
  const outgoing = new Map<string, Pending[]>();
  for (const e of direct) outgoing.set(e.from.id, [...(outgoing.get(e.from.id) ?? []), e]);
  for (const group of outgoing.values()) {
    group.sort((a, b) => centre(a.to) - centre(b.to));
    group.forEach((e, i) => {
      const sx = e.from.x + (e.from.width * (i + 1)) / (group.length + 1);
      const start: [number, number] = [sx, e.from.y + e.from.height];
      const end: [number, number] = [centre(e.to), e.to.y];
      edges.push(drawn(e, [start, end], [(start[0] + end[0]) / 2, (start[1] + end[1]) / 2], "direct"));
    });
  }

  // Side edges each get a lane outside every box. Lanes nest: an edge leaving from lower down
  // takes an inner lane, so its exit never crosses the lane of one that started higher up.
  for (const dir of ["left", "right"] as const) {
    const group = side[dir].sort((a, b) => b.from.layer - a.from.layer || a.to.layer - b.to.layer);
    const exits = new Map<string, number>();
    group.forEach((e, k) => {
      const laneX = dir === "left" ? minX - LANE_GAP * (k + 1) : maxX + LANE_GAP * (k + 1);
      const nth = exits.get(e.from.id) ?? 0;
      exits.set(e.from.id, nth + 1);
      const turnY = e.to.y - APPROACH;
      const tail: [number, number][] = [[laneX, turnY], [centre(e.to), turnY], [centre(e.to), e.to.y]];
      let head: [number, number][];
      let exitX: number, exitY: number;
      let labelBelow = false;
      const row = rows[e.from.layer];
      if (row[dir === "left" ? 0 : row.length - 1] === e.from.id) {
        // The outermost box of its layer leaves from its side, straight out to the lane.
        // Several exits from one side spread 14 px apart; the inner lane takes the lowest exit so
        // they do not cross. The top one's label sits above its line, the others' below.
        const count = group.filter((g) => g.from === e.from).length;
        exitY = e.from.y + e.from.height / 2 + ((count - 1) / 2 - nth) * 14;
        exitX = dir === "left" ? e.from.x : e.from.x + e.from.width;
        head = [[exitX, exitY], [laneX, exitY]];
        labelBelow = nth < count - 1;
      } else {
        // A box with neighbours on that side leaves from its bottom and runs to the lane below the layer.
        exitX = e.from.x + e.from.width / 2 + (dir === "left" ? -1 : 1) * (12 + 6 * nth);
        exitY = e.from.y + e.from.height + 12 + 5 * (k % 6);
        head = [[exitX, e.from.y + e.from.height], [exitX, exitY], [laneX, exitY]];
      }
      edges.push(drawn(e, [...head, ...tail], [(exitX + laneX) / 2, exitY + (labelBelow ? 9 : -7)], "side"));
    });
  }

  // Shift everything right of the left lanes and the margin.
  const leftLanes = side.left.length * LANE_GAP;
  const dx = MARGIN + leftLanes - minX + labelOverhang(edges, minX - leftLanes);
  for (const n of all) n.x += dx;
  for (const e of edges) {
    e.points = e.points.map(([x, y]) => [x + dx, y + MARGIN]);
    e.labelAt = [e.labelAt[0] + dx, e.labelAt[1] + MARGIN];
  }
  for (const n of all) n.y += MARGIN;
  const right = Math.max(maxX + dx + side.right.length * LANE_GAP, ...edges.map((e) => labelRight(e)));
  return {
    width: Math.ceil(right + MARGIN),
    height: depth * (BOX_HEIGHT + LAYER_GAP) - LAYER_GAP + 2 * MARGIN,
    nodes: all,
    edges,
  };
}

function labelWidth(label: string): number {
  return Math.min(label.length, 32) * CHAR_WIDTH + 8;
}

function labelRight(edge: DiagramEdge): number {
  return edge.labelAt[0] + labelWidth(edge.label) / 2;
}

/** How far labels stick out left of the leftmost lane, so the shift keeps them inside the picture. */
function labelOverhang(edges: DiagramEdge[], leftEdge: number): number {
  return Math.max(0, ...edges.map((e) => leftEdge - (e.labelAt[0] - labelWidth(e.label) / 2)));
}

const EDGE_COLOURS: Record<EdgeKind, string> = {
  next: "#475569",
  on_pass: "#15803d",
  on_fail: "#b91c1c",
  on_error: "#b45309",
  condition: "#1d4ed8",
  default: "#475569",
  on_continue: "#15803d",
};

const NODE_COLOURS: Record<string, { fill: string; stroke: string }> = {
  start: { fill: "#e2e8f0", stroke: "#334155" },
  policy: { fill: "#ffffff", stroke: "#334155" },
  conditional: { fill: "#dbeafe", stroke: "#1d4ed8" },
  wait: { fill: "#f3e8ff", stroke: "#7e22ce" },
  approved: { fill: "#dcfce7", stroke: "#15803d" },
  rejected: { fill: "#fee2e2", stroke: "#b91c1c" },
  needs_review: { fill: "#fef3c7", stroke: "#b45309" },
};

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function NodeShape({ node }: { node: DiagramNode }) {
  const { x, y, width: w, height: h } = node;
  const colours = NODE_COLOURS[node.type === "terminal" ? node.title : node.type] ?? NODE_COLOURS.policy;
  const common = { fill: colours.fill, stroke: colours.stroke, "stroke-width": 1.5 };
  switch (node.type) {
    case "start":
    case "terminal":
      return <rect x={x} y={y} width={w} height={h} rx={h / 2} {...common} />;
    case "conditional": {
      const d = 14;
      const points = [[x + d, y], [x + w - d, y], [x + w, y + h / 2], [x + w - d, y + h], [x + d, y + h], [
        x,
        y + h / 2,
      ]].map(([px, py]) => `${px},${py}`).join(" ");
      return <polygon points={points} {...common} />;
    }
    case "wait":
      return <rect x={x} y={y} width={w} height={h} rx={4} stroke-dasharray="6 3" {...common} />;
    default:
      return <rect x={x} y={y} width={w} height={h} rx={4} {...common} />;
  }
}

/** The diagram of one graph. `title` names it for screen readers. */
export function WorkflowDiagram({ graph, title }: { graph: WorkflowGraph; title: string }) {
  const layout = layoutWorkflow(graph);
  const maxChars = Math.floor((BOX_WIDTH - 16) / CHAR_WIDTH);
  return (
    <svg
      class="workflow-diagram"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      role="img"
      aria-label={title}
      font-family="system-ui, sans-serif"
      font-size="12"
    >
      <defs>
        {(Object.keys(EDGE_COLOURS) as EdgeKind[]).map((kind) => (
          <marker
            id={`arrow-${kind}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={EDGE_COLOURS[kind]} />
          </marker>
        ))}
      </defs>
      {layout.edges.map((e) => (
        <g class="diagram-edge" data-from={e.from} data-to={e.to} data-field={e.field}>
          <title>{`${e.from} → ${e.to} (${e.label})`}</title>
          <polyline
            points={e.points.map(([x, y]) => `${x},${y}`).join(" ")}
            fill="none"
            stroke={EDGE_COLOURS[e.kind]}
            stroke-width={1.4}
            marker-end={`url(#arrow-${e.kind})`}
          />
          <rect
            x={e.labelAt[0] - labelWidth(e.label) / 2}
            y={e.labelAt[1] - 8}
            width={labelWidth(e.label)}
            height={15}
            rx={3}
            fill="#ffffff"
            opacity="0.9"
          />
          <text x={e.labelAt[0]} y={e.labelAt[1] + 3} text-anchor="middle" font-size="10.5" fill={EDGE_COLOURS[e.kind]}>
            {truncate(e.label, 32)}
          </text>
        </g>
      ))}
      {layout.nodes.map((n) => (
        <g class="diagram-node" data-node-id={n.id} data-node-type={n.type}>
          <title>{`${n.id}: ${n.title}${n.subtitle ? ` (${n.subtitle})` : ""}`}</title>
          <NodeShape node={n} />
          <text x={n.x + n.width / 2} y={n.y + (n.subtitle ? 21 : 30)} text-anchor="middle" font-weight="600">
            {truncate(n.title, maxChars)}
          </text>
          {n.subtitle
            ? (
              <text x={n.x + n.width / 2} y={n.y + 38} text-anchor="middle" font-size="10.5" fill="#475569">
                {truncate(n.subtitle, maxChars + 2)}
              </text>
            )
            : null}
        </g>
      ))}
    </svg>
  );
}
