/**
 * Strokes (vectors) to ink, without a canvas: the same smooth path the pad draws on
 * screen (quadratic curves through the midpoints of successive points, round caps and
 * joins), flattened to segments and rasterised with analytic anti-aliasing.
 *
 * Pure functions, no DOM, so the model's input can be rendered at any scale and pen
 * width, and measured in Node exactly as the page computes it.
 */
import type { InkImage } from './preprocess';
import type { Stroke, StrokePoint } from './strokes';

/** Maps a stroke point (0..1 of the pad) to raster pixels: (x * scale + tx, y * scale + ty). */
export interface RasterTransform {
  scale: number;
  tx: number;
  ty: number;
}

/** The smallest box around the strokes' points (their centre line, without pen width), in pad units 0..1. */
export interface StrokeExtent {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Bounding box of every point of every stroke, or null when there is none. */
export function strokeExtent(strokes: readonly Stroke[]): StrokeExtent | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const stroke of strokes) {
    for (const p of stroke) {
      if (p.x < x0) x0 = p.x;
      if (p.x > x1) x1 = p.x;
      if (p.y < y0) y0 = p.y;
      if (p.y > y1) y1 = p.y;
    }
  }
  return x1 < x0 ? null : { x0, y0, x1, y1 };
}

/**
 * The polyline `renderStrokes` draws for one stroke, in raster pixels: moveTo the first
 * point, a quadratic curve with control point p[i] ending at the midpoint of p[i] and
 * p[i+1] for every inner point, lineTo the last point. Curves are cut into pieces of at
 * most `maxPiece` px (the curve's speed never exceeds twice its longer control leg).
 */
export function flattenStroke(stroke: readonly StrokePoint[], t: RasterTransform, maxPiece = 1): StrokePoint[] {
  const at = (p: StrokePoint): StrokePoint => ({ x: p.x * t.scale + t.tx, y: p.y * t.scale + t.ty });
  const first = stroke[0];
  if (!first) return [];
  const out: StrokePoint[] = [at(first)];
  let cur = out[0] as StrokePoint;
  for (let i = 1; i < stroke.length - 1; i++) {
    const c = at(stroke[i] as StrokePoint);
    const n = at(stroke[i + 1] as StrokePoint);
    const e = { x: (c.x + n.x) / 2, y: (c.y + n.y) / 2 };
    const leg = Math.max(Math.hypot(c.x - cur.x, c.y - cur.y), Math.hypot(e.x - c.x, e.y - c.y));
    const k = Math.max(1, Math.ceil((2 * leg) / maxPiece));
    for (let j = 1; j <= k; j++) {
      const s = j / k;
      const a = (1 - s) * (1 - s);
      const b = 2 * s * (1 - s);
      const d = s * s;
      out.push({ x: a * cur.x + b * c.x + d * e.x, y: a * cur.y + b * c.y + d * e.y });
    }
    cur = e;
  }
  if (stroke.length > 1) out.push(at(stroke[stroke.length - 1] as StrokePoint));
  return out;
}

/**
 * Adds a round-capped segment from a to b of width `width` px to `img` (union: each
 * pixel keeps the larger coverage). A pixel's coverage is clamp(width / 2 + 0.5 - d, 0, 1),
 * d = distance from its centre to the segment: exact for straight edges, and the ink
 * summed across a stroke equals its width.
 */
export function addSegment(img: InkImage, a: StrokePoint, b: StrokePoint, width: number): void {
  const r = width / 2;
  const reach = r + 0.5;
  const { width: w, height: h, data } = img;
  const xMin = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach));
  const xMax = Math.min(w - 1, Math.ceil(Math.max(a.x, b.x) + reach));
  const yMin = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach));
  const yMax = Math.min(h - 1, Math.ceil(Math.max(a.y, b.y) + reach));
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  for (let y = yMin; y <= yMax; y++) {
    const py = y + 0.5 - a.y;
    for (let x = xMin; x <= xMax; x++) {
      const px = x + 0.5 - a.x;
      const s = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / len2)) : 0;
      const d = Math.hypot(px - s * dx, py - s * dy);
      const cov = reach - d;
      if (cov <= 0) continue;
      const i = y * w + x;
      const v = cov >= 1 ? 1 : cov;
      if (v > (data[i] as number)) data[i] = v;
    }
  }
}

/**
 * Rasterises strokes onto a new `size.width` x `size.height` ink image: every stroke's
 * smooth path (see {@link flattenStroke}) with a round pen `penWidth` px wide; a stroke
 * of one point is a round dot.
 */
export function rasterizeStrokes(
  strokes: readonly Stroke[],
  t: RasterTransform,
  penWidth: number,
  size: { width: number; height: number },
): InkImage {
  const img: InkImage = { width: size.width, height: size.height, data: new Float32Array(size.width * size.height) };
  for (const stroke of strokes) {
    const line = flattenStroke(stroke, t, Math.max(0.5, penWidth / 4));
    const first = line[0];
    if (!first) continue;
    if (line.length === 1) addSegment(img, first, first, penWidth);
    for (let i = 1; i < line.length; i++) addSegment(img, line[i - 1] as StrokePoint, line[i] as StrokePoint, penWidth);
  }
  return img;
}
