/**
 * The step view's small maths, shared by the worker (the numbers it answers) and the page (what it
 * draws): the loss of one example, the layer's activation as a formula name. Pure.
 */

/** Probabilities are clipped here before the log, as Keras' cross-entropy clips them (epsilon 1e-7). */
export const PROB_EPSILON = 1e-7;

/** Cross-entropy of one example: −log p(label), p clipped to [1e-7, 1 − 1e-7]. */
export function exampleLoss(probs: ArrayLike<number>, label: number): number {
  const p = probs[label];
  if (p === undefined) throw new RangeError(`no probability for label ${label}`);
  return -Math.log(Math.min(1 - PROB_EPSILON, Math.max(PROB_EPSILON, p)));
}

/** The largest |value| of `values` (0 for none), for a symmetric colour scale. */
export function maxAbs(values: ArrayLike<number>, from = 0, to = values.length): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}

/** Column `unit` of a [rows * units] row-major matrix (e.g. one unit's 784 weights from Keras' kernel layout). */
export function column(matrix: ArrayLike<number>, units: number, unit: number): Float32Array {
  const rows = Math.floor(matrix.length / units);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = matrix[r * units + unit]!;
  return out;
}

/** Adds the new curve points of a request to a session's curve: the first point of `next` is the last of `curve`. */
export function extendCurve(curve: readonly number[], next: readonly number[]): number[] {
  return curve.length ? [...curve.slice(0, -1), ...next] : [...next];
}
