/**
 * Owns finding lines of printed glyphs in an ink mask, whatever their direction: the ink's
 * connected components, those the size of a glyph, the text direction they vote for (the angle from
 * each glyph to its nearest like-sized neighbour), and chains of glyphs along it — lines, with
 * their glyphs' centres, height and pitch (centre-to-centre spacing). Nothing here knows what an
 * MRZ is; mrz_band.ts picks its lines among these.
 */

export interface Glyph {
  /** Centre of the component's pixels. */
  x: number;
  y: number;
  /** Bounding box size in the mask. */
  width: number;
  height: number;
  area: number;
}

export interface GlyphLine {
  /** Glyphs along the line, in the text direction. */
  glyphs: Glyph[];
  /** Median spacing of neighbouring glyphs' centres along the line (a monospaced font's cell width). */
  pitch: number;
  /** Median glyph height (bounding box) across the line. */
  height: number;
  /** Position across the text direction (larger is lower on the page) of the fitted centre line at its middle. */
  offset: number;
  /** Along the text direction: first and last glyph centres. */
  start: number;
  end: number;
}

export interface TextLines {
  /** Text direction in degrees (positive: falling to the right, y grows downwards). */
  degrees: number;
  lines: GlyphLine[];
}

/** Connected components of a 0/1 mask (8-connected), by runs of ink per row and union-find. */
export function components(mask: Uint8Array, width: number, height: number): Glyph[] {
  const parent: number[] = [];
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  let previous: number[] = []; // x0, x1 (exclusive), label per run of the previous row
  const runs: number[] = []; // y, x0, x1, label
  for (let y = 0; y < height; y++) {
    const current: number[] = [];
    const row = y * width;
    let p = 0;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      const x0 = x;
      while (x < width && mask[row + x]) x++;
      let label = -1;
      // 8-connected: a run touches a previous one when their spans overlap after widening by one.
      while (p < previous.length && previous[p + 1] < x0) p += 3;
      for (let q = p; q < previous.length && previous[q] <= x; q += 3) {
        const other = find(previous[q + 2]);
        if (label < 0) label = other;
        else if (other !== label) parent[other] = label;
      }
      if (label < 0) {
        label = parent.length;
        parent.push(label);
      }
      current.push(x0, x, label);
      runs.push(y, x0, x, label);
    }
    previous = current;
  }
  type Stats = { x0: number; x1: number; y0: number; y1: number; area: number; sx: number; sy: number };
  const stats = new Map<number, Stats>();
  for (let i = 0; i < runs.length; i += 4) {
    const [y, x0, x1] = [runs[i], runs[i + 1], runs[i + 2]];
    const label = find(runs[i + 3]);
    const n = x1 - x0;
    const s = stats.get(label);
    if (!s) {
      stats.set(label, { x0, x1, y0: y, y1: y + 1, area: n, sx: n * (x0 + x1 - 1) / 2, sy: n * y });
    } else {
      s.x0 = Math.min(s.x0, x0);
      s.x1 = Math.max(s.x1, x1);
      s.y1 = y + 1;
      s.area += n;
      s.sx += n * (x0 + x1 - 1) / 2;
      s.sy += n * y;
    }
  }
  return [...stats.values()].map((s) => ({
    x: s.sx / s.area,
    y: s.sy / s.area,
    width: s.x1 - s.x0,
    height: s.y1 - s.y0,
    area: s.area,
  }));
}

/** Components that could be one printed glyph: not a speck, not a rule, a photo or a page edge. */
function glyphSized(c: Glyph, imageHeight: number): boolean {
  const long = Math.max(c.width, c.height);
  const short = Math.min(c.width, c.height);
  return long >= 5 && long <= imageHeight / 6 && c.area >= 10 && long <= 8 * Math.max(1, short) &&
    c.area >= 0.08 * c.width * c.height;
}

const size = (g: Glyph) => Math.max(g.width, g.height);

/** Buckets glyphs on a grid so neighbours are found without comparing every pair. */
function grid(glyphs: Glyph[], cell: number) {
  const buckets = new Map<number, number[]>();
  const key = (cx: number, cy: number) => cx * 100_003 + cy;
  glyphs.forEach((g, i) => {
    const k = key(Math.floor(g.x / cell), Math.floor(g.y / cell));
    const list = buckets.get(k);
    if (list) list.push(i);
    else buckets.set(k, [i]);
  });
  return (g: Glyph, radius: number): number[] => {
    const out: number[] = [];
    const r = Math.ceil(radius / cell);
    const cx = Math.floor(g.x / cell), cy = Math.floor(g.y / cell);
    for (let dx = -r; dx <= r; dx++) {
      for (let dy = -r; dy <= r; dy++) out.push(...(buckets.get(key(cx + dx, cy + dy)) ?? []));
    }
    return out;
  };
}

/** Like-sized glyphs: a `<` is about half a capital's height, so the bound is loose. */
const alikeSize = (a: Glyph, b: Glyph) => size(a) <= 2.6 * size(b) && size(b) <= 2.6 * size(a);

/**
 * The text direction: each glyph votes with the angle to its nearest like-sized neighbour (within
 * two and a half glyph sizes); along a line of print that neighbour is the next glyph, so the votes
 * pile up at the lines' angle. Searched within ±maxDegrees (folded: left or right neighbour alike).
 */
function textDirection(glyphs: Glyph[], near: (g: Glyph, r: number) => number[], maxDegrees: number): number {
  const votes = new Float64Array(2 * maxDegrees + 1);
  for (const [i, g] of glyphs.entries()) {
    let best = -1;
    let bestDistance = Infinity;
    for (const j of near(g, 2.5 * size(g))) {
      if (j === i || !alikeSize(g, glyphs[j])) continue;
      const d = Math.hypot(glyphs[j].x - g.x, glyphs[j].y - g.y);
      if (d > 0.2 * size(g) && d < bestDistance && d <= 2.5 * Math.max(size(g), size(glyphs[j]))) {
        [best, bestDistance] = [j, d];
      }
    }
    if (best < 0) continue;
    let degrees = Math.atan2(glyphs[best].y - g.y, glyphs[best].x - g.x) * 180 / Math.PI;
    if (degrees > 90) degrees -= 180;
    if (degrees < -90) degrees += 180;
    const bin = Math.round(degrees);
    if (Math.abs(bin) <= maxDegrees) votes[bin + maxDegrees]++;
  }
  let best = 0;
  let bestScore = -1;
  for (let b = 0; b < votes.length; b++) {
    // Smoothed over ±2°: a line's glyph centres scatter by a degree or two.
    let s = 0;
    for (let k = -2; k <= 2; k++) s += (votes[b + k] ?? 0) * (3 - Math.abs(k));
    if (s > bestScore) [best, bestScore] = [b - maxDegrees, s];
  }
  return best;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Lines of glyphs in `mask`: glyph-sized components chained along the text direction — each to
 * the nearest glyph ahead of it (up to 2.2 sizes on, a third of a size off the line) — and chains
 * that continue one another across a gap of a few glyphs (merged or lost glyphs) joined. Only
 * lines of at least `minGlyphs` are returned, top to bottom.
 */
export function findTextLines(
  mask: Uint8Array,
  width: number,
  height: number,
  options: { maxDegrees?: number; minGlyphs?: number } = {},
): TextLines {
  const maxDegrees = options.maxDegrees ?? 45;
  const minGlyphs = options.minGlyphs ?? 8;
  const glyphs = components(mask, width, height).filter((c) => glyphSized(c, height));
  if (glyphs.length < minGlyphs) return { degrees: 0, lines: [] };
  const near = grid(glyphs, 32);
  const degrees = textDirection(glyphs, near, maxDegrees);
  const t = degrees * Math.PI / 180;
  const cos = Math.cos(t), sin = Math.sin(t);
  const along = (g: Glyph) => g.x * cos + g.y * sin;
  const across = (g: Glyph) => -g.x * sin + g.y * cos;

  // Candidate links, cheapest first; each glyph takes one successor and one predecessor.
  const links: [cost: number, from: number, to: number][] = [];
  for (const [i, g] of glyphs.entries()) {
    const s = size(g);
    for (const j of near(g, 2.4 * s)) {
      const h = glyphs[j];
      if (j === i || !alikeSize(g, h)) continue;
      const du = along(h) - along(g);
      const dv = Math.abs(across(h) - across(g));
      const ref = Math.max(s, size(h));
      if (du <= 0.15 * ref || du > 2.2 * ref || dv > 0.34 * ref) continue;
      links.push([du + 3 * dv, i, j]);
    }
  }
  links.sort((a, b) => a[0] - b[0]);
  const next = new Int32Array(glyphs.length).fill(-1);
  const prev = new Int32Array(glyphs.length).fill(-1);
  for (const [, i, j] of links) {
    if (next[i] < 0 && prev[j] < 0) [next[i], prev[j]] = [j, i];
  }
  const chains: Glyph[][] = [];
  for (let i = 0; i < glyphs.length; i++) {
    if (prev[i] >= 0) continue;
    const chain: Glyph[] = [];
    for (let k = i; k >= 0; k = next[k]) chain.push(glyphs[k]);
    if (chain.length >= 3) chains.push(chain);
  }
  const lines = joinChains(chains, along, across).filter((c) => c.length >= minGlyphs)
    .map((chain) => describe(chain, along, across));
  return { degrees, lines: lines.sort((a, b) => a.offset - b.offset) };
}

/**
 * Chains that lie on one line with a short gap between them are one line: a few glyphs merged by
 * blur or JPEG (too wide to be a glyph) or lost in a highlight break a chain, not the line.
 */
function joinChains(chains: Glyph[][], along: (g: Glyph) => number, across: (g: Glyph) => number): Glyph[][] {
  const sorted = [...chains].sort((a, b) => along(a[0]) - along(b[0]));
  const used = new Set<number>();
  const out: Glyph[][] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (used.has(i)) continue;
    let chain = sorted[i];
    for (let j = i + 1; j < sorted.length; j++) {
      if (used.has(j)) continue;
      const a = describe(chain, along, across);
      const b = sorted[j];
      const gap = along(b[0]) - a.end;
      const bHeight = median(b.map(size));
      const h = Math.max(a.height, bHeight);
      if (gap <= 0 || gap > 6 * Math.max(a.pitch, h)) continue;
      if (bHeight > 2 * a.height || a.height > 2 * bHeight) continue;
      // b's first glyph must sit on a's line, extrapolated.
      const fit = lineFit(chain, along, across);
      if (Math.abs(across(b[0]) - (fit.intercept + fit.slope * along(b[0]))) > 0.4 * h) continue;
      chain = [...chain, ...b];
      used.add(j);
    }
    out.push(chain);
  }
  return out;
}

/** Least-squares line across = intercept + slope · along through the glyphs' centres. */
export function lineFit(chain: Glyph[], along: (g: Glyph) => number, across: (g: Glyph) => number) {
  const n = chain.length;
  let su = 0, sv = 0, suu = 0, suv = 0;
  for (const g of chain) {
    const u = along(g), v = across(g);
    su += u;
    sv += v;
    suu += u * u;
    suv += u * v;
  }
  const denominator = n * suu - su * su;
  const slope = denominator > 1e-9 ? (n * suv - su * sv) / denominator : 0;
  return { slope, intercept: (sv - slope * su) / n, meanU: su / n };
}

function describe(chain: Glyph[], along: (g: Glyph) => number, across: (g: Glyph) => number): GlyphLine {
  const steps: number[] = [];
  for (let i = 1; i < chain.length; i++) steps.push(along(chain[i]) - along(chain[i - 1]));
  const fit = lineFit(chain, along, across);
  return {
    glyphs: chain,
    pitch: median(steps),
    height: median(chain.map((g) => g.height)),
    offset: fit.intercept + fit.slope * fit.meanU,
    start: along(chain[0]),
    end: along(chain.at(-1)!),
  };
}
