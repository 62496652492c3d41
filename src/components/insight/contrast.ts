/** Display-only contrast for synthesised images. Pure. */

/** The value below which `q` (0..1) of `values` lie, by nearest rank on a sorted copy. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i]!;
}

/**
 * Percentile contrast stretch: maps the `low` percentile of the image to black and the `high`
 * one to white, clipping outside, so a dream whose ink is faint (the 1 and the 7 barely leave
 * black) reads like a digit. An image without spread (all one value) comes back black.
 * @param pixels [n] grey levels (any range)
 * @returns [n] values 0..1
 */
export function stretchContrast(pixels: ArrayLike<number>, low = 0.01, high = 0.995): Float32Array {
  const lo = percentile(pixels, low);
  const hi = percentile(pixels, high);
  const out = new Float32Array(pixels.length);
  const span = hi - lo;
  if (!(span > 1e-6)) return out;
  for (let i = 0; i < pixels.length; i++) out[i] = Math.min(1, Math.max(0, ((pixels[i] as number) - lo) / span));
  return out;
}
