/**
 * Owns plane-to-plane perspective maps (homographies) as 3×3 matrices in row order: the map taking
 * the unit square to any quadrilateral, its inverse, and resampling grey pixels through one — how a
 * band of text photographed at an angle is drawn straight, and how the evaluation lays a document
 * on a desk in perspective.
 */

export type Point = [number, number];
export type Matrix3 = number[];

/** The homography taking the unit square's corners (0,0),(1,0),(1,1),(0,1) to `quad`'s four corners. */
export function squareToQuad(quad: Point[]): Matrix3 {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad;
  const dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  const det = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / det;
  const h = (dx1 * dy3 - dx3 * dy1) / det;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

export function invert3(m: Matrix3): Matrix3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d]
    .map((v) => v / det);
}

export function multiply3(p: Matrix3, q: Matrix3): Matrix3 {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c] += p[r * 3 + k] * q[k * 3 + c];
  }
  return out;
}

/** The homography taking quadrilateral `from` onto quadrilateral `to` (corners in the same order). */
export function quadToQuad(from: Point[], to: Point[]): Matrix3 {
  return multiply3(squareToQuad(to), invert3(squareToQuad(from)));
}

export function apply3(m: Matrix3, [x, y]: Point): Point {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}

/**
 * Draws a width × height grey image whose pixel (x, y) is `source` at `toSource`(x, y), sampled
 * bilinearly; outside the source it is `background`.
 */
export function warpGrey(
  source: { data: Uint8Array; width: number; height: number },
  toSource: Matrix3,
  width: number,
  height: number,
  background: number,
): { data: Uint8Array; width: number; height: number } {
  const data = new Uint8Array(width * height);
  const { width: sw, height: sh } = source;
  const m = toSource;
  const p = source.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const w = m[6] * x + m[7] * y + m[8];
      const sx = (m[0] * x + m[1] * y + m[2]) / w;
      const sy = (m[3] * x + m[4] * y + m[5]) / w;
      if (!(sx >= 0 && sy >= 0 && sx <= sw - 1 && sy <= sh - 1)) {
        data[y * width + x] = background;
        continue;
      }
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const x1 = Math.min(sw - 1, x0 + 1), y1 = Math.min(sh - 1, y0 + 1);
      const fx = sx - x0, fy = sy - y0;
      const top = p[y0 * sw + x0] * (1 - fx) + p[y0 * sw + x1] * fx;
      const bottom = p[y1 * sw + x0] * (1 - fx) + p[y1 * sw + x1] * fx;
      data[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { data, width, height };
}
