/**
 * The index (relative to `offset`) of the largest of `length` values starting at `offset`:
 * the first one on ties, -1 when there are none; a NaN never wins over a number.
 * E.g. the digit read from one row of probabilities: `argmax(probs, row * 10, 10)`.
 */
export function argmax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  if (length <= 0) return -1;
  let best = 0;
  let bestValue = values[offset]!;
  for (let i = 1; i < length; i++) {
    const v = values[offset + i]!;
    // `bestValue !== bestValue`: the best so far is NaN, so any number replaces it.
    if (v > bestValue || (bestValue !== bestValue && v === v)) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}
