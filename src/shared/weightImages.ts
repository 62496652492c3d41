/**
 * First-layer weights as pictures: each hidden unit's 784 input weights drawn as a
 * 28x28 image with a diverging colour map symmetric around zero
 * (blue = negative, white = zero, red = positive). Pure: builds RGBA bytes for ImageData.
 */
import { IMAGE_PIXELS } from './constants';

/** RGB of +1 (red); -1 is the same colour with red and blue swapped, so the map is exactly symmetric. */
export const POSITIVE_RGB: readonly [number, number, number] = [214, 40, 40];
/** RGB of -1 (blue). */
export const NEGATIVE_RGB: readonly [number, number, number] = [POSITIVE_RGB[2], POSITIVE_RGB[1], POSITIVE_RGB[0]];
/** RGB of 0. */
export const ZERO_RGB: readonly [number, number, number] = [255, 255, 255];

/**
 * Colour of a value already divided by its scale: -1 → blue, 0 → white, +1 → red, linear in between,
 * clamped outside [-1, 1]. NaN is drawn as zero (white).
 */
export function divergingColor(v: number): [number, number, number] {
  const t = Number.isNaN(v) ? 0 : Math.max(-1, Math.min(1, v));
  const end = t >= 0 ? POSITIVE_RGB : NEGATIVE_RGB;
  const a = Math.abs(t);
  return [
    Math.round(ZERO_RGB[0] + (end[0] - ZERO_RGB[0]) * a),
    Math.round(ZERO_RGB[1] + (end[1] - ZERO_RGB[1]) * a),
    Math.round(ZERO_RGB[2] + (end[2] - ZERO_RGB[2]) * a),
  ];
}

/** Largest |w| of `weights[start, end)`; 0 for an empty range. NaNs are skipped. */
export function maxAbs(weights: ArrayLike<number>, start = 0, end = weights.length): number {
  let m = 0;
  for (let i = start; i < end; i++) {
    const a = Math.abs(weights[i]!);
    if (a > m) m = a;
  }
  return m;
}

/**
 * The q-quantile of |w| over weights[start, end), or the largest |w| where that quantile is 0.
 * A robust colour scale: a few huge weights on pixels that are almost never inked
 * (common once the normalisation is folded into a loaded model's first layer) would
 * otherwise wash every other weight out to white.
 */
export function robustScale(weights: ArrayLike<number>, start = 0, end = weights.length, q = SCALE_QUANTILE): number {
  const n = end - start;
  if (n <= 0) return 0;
  const abs = new Float32Array(n);
  for (let i = 0; i < n; i++) abs[i] = Math.abs(weights[start + i]!);
  abs.sort();
  const v = abs[Math.min(n - 1, Math.floor(q * n))]!;
  return v > 0 ? v : abs[n - 1]!;
}

/** Quantile of |w| that maps to full colour; larger weights are clamped. */
export const SCALE_QUANTILE = 0.99;

/** Colour scale of one unit's 784 weights: the 99th percentile of |w| (see robustScale). */
export function unitScale(weights: ArrayLike<number>, unitIndex: number): number {
  return robustScale(weights, unitIndex * IMAGE_PIXELS, (unitIndex + 1) * IMAGE_PIXELS);
}

/**
 * RGBA bytes (784 * 4, opaque) of unit `unitIndex` of unit-major weights [units * 784]:
 * pixel i is `divergingColor(w[i] / scale)`. A scale <= 0 (all-zero weights) draws white.
 * Pass `out` to reuse a buffer (e.g. an ImageData's data) instead of allocating one.
 */
export function weightsToRgba(
  weights: ArrayLike<number>,
  unitIndex: number,
  scale: number,
  out: Uint8ClampedArray = new Uint8ClampedArray(IMAGE_PIXELS * 4),
): Uint8ClampedArray {
  const base = unitIndex * IMAGE_PIXELS;
  if (base < 0 || base + IMAGE_PIXELS > weights.length) {
    throw new RangeError(`unit ${unitIndex} is outside weights of ${weights.length / IMAGE_PIXELS} units`);
  }
  const inv = scale > 0 && Number.isFinite(scale) ? 1 / scale : 0;
  // Inlined divergingColor: this runs for every pixel of every unit ~2 times a second.
  const [pr, pg, pb] = POSITIVE_RGB;
  const [nr, ng, nb] = NEGATIVE_RGB;
  const [zr, zg, zb] = ZERO_RGB;
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    let t = weights[base + i]! * inv;
    if (!(t === t)) t = 0; // NaN
    const j = i * 4;
    if (t >= 0) {
      const a = t > 1 ? 1 : t;
      out[j] = zr + (pr - zr) * a;
      out[j + 1] = zg + (pg - zg) * a;
      out[j + 2] = zb + (pb - zb) * a;
    } else {
      const a = t < -1 ? 1 : -t;
      out[j] = zr + (nr - zr) * a;
      out[j + 1] = zg + (ng - zg) * a;
      out[j + 2] = zb + (nb - zb) * a;
    }
    out[j + 3] = 255;
  }
  return out;
}
