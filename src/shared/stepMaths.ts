/**
 * The step view's small maths, shared by the worker (the numbers it answers) and the page (what it
 * draws): the loss of one example from its logits, a column of a weight matrix, the curve. Pure.
 */

/**
 * Cross-entropy of one example from its logits, in float64: log Σ_k exp(z_k − z_label), as
 * log1p of the other classes' terms, so a loss far below float32's resolution (p rounds to 1) stays exact.
 */
export function lossFromLogits(logits: ArrayLike<number>, label: number): number {
  const zy = logits[label];
  if (zy === undefined) throw new RangeError(`no logit for label ${label}`);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  // Far behind the largest logit, exp(z_k − z_label) would overflow: shift by the largest instead.
  if (max - zy > 700) {
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
    return max + Math.log(sum) - zy;
  }
  let others = 0;
  for (let i = 0; i < logits.length; i++) if (i !== label) others += Math.exp(logits[i]! - zy);
  return Math.log1p(others);
}

/** Softmax of logits in float64 (probabilities that can read 0.99999999 where float32 says 1). */
export function softmax64(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const e = Array.from(logits, (z) => Math.exp(z - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
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
