/**
 * Pure helpers of the step view: the signed colour scale of its pictures, the geometry of its
 * sign-coloured bars and of the loss curve, and which units to point at. No DOM.
 */

/** RGB of a signed value on a diverging scale: white at 0, blue (positive) or red (negative) at ±scale and beyond. */
export function signedRgb(value: number, scale: number): [number, number, number] {
  const t = scale > 0 && Number.isFinite(value) ? Math.max(-1, Math.min(1, value / scale)) : 0;
  // Ends: blue #2166ac, red #b2182b; zero: #f7f7f7.
  const [r, g, b] = t >= 0 ? [33, 102, 172] : [178, 24, 43];
  const a = Math.abs(t);
  return [Math.round(247 + (r - 247) * a), Math.round(247 + (g - 247) * a), Math.round(247 + (b - 247) * a)];
}

/** One bar of a signed vector, in a box `height` high with zero in the middle: y and h in the same units. */
export interface Bar {
  index: number;
  value: number;
  y: number;
  h: number;
  sign: 'pos' | 'neg' | 'zero';
}

/** Bars of `values` on a symmetric scale (`scale`, default the largest |value|), zero at height / 2. */
export function signedBars(values: ArrayLike<number>, height: number, scale?: number): Bar[] {
  let s = scale ?? 0;
  if (scale === undefined) for (let i = 0; i < values.length; i++) s = Math.max(s, Math.abs(values[i]!));
  const mid = height / 2;
  return Array.from({ length: values.length }, (_, index) => {
    const value = values[index]!;
    const h = s > 0 ? (Math.min(1, Math.abs(value) / s) * height) / 2 : 0;
    return { index, value, y: value >= 0 ? mid - h : mid, h, sign: value > 0 ? 'pos' : value < 0 ? 'neg' : 'zero' };
  });
}

/** An SVG path through `points` (a curve of losses) in a `width` × `height` box, 0 at the bottom, the largest point at the top. */
export function curvePath(points: readonly number[], width: number, height: number): string {
  if (!points.length) return '';
  const top = Math.max(...points.filter(Number.isFinite), 1e-9);
  const dx = points.length > 1 ? width / (points.length - 1) : 0;
  return points
    .map((p, i) => {
      const y = height - (Math.max(0, Math.min(top, Number.isFinite(p) ? p : top)) / top) * height;
      return `${i ? 'L' : 'M'}${(i * dx).toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** The `k` indices of the largest |values|, largest first. */
export function largest(values: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!))
    .slice(0, k);
}

/** The unit whose weights changed most (sum of |change| over its inputs) in a [inputs * units] Keras-layout matrix. */
export function unitOfLargestChange(change: ArrayLike<number>, units: number): number {
  const total = new Float64Array(units);
  for (let i = 0; i < change.length; i++) total[i % units]! += Math.abs(change[i]!);
  let best = 0;
  for (let u = 1; u < units; u++) if (total[u]! > total[best]!) best = u;
  return best;
}

/** The digit a row of probabilities reads (the first of equal ones). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
