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

/** One pass of a 3x3 binomial blur ([1 2 1] ⊗ [1 2 1] / 16) over a `side`×`side` image, edges renormalised. */
export function blur3x3(pixels: ArrayLike<number>, side: number): Float32Array {
  const out = new Float32Array(side * side);
  const k = [1, 2, 1];
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let sum = 0;
      let weight = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= side) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= side) continue;
          const w = k[dy + 1]! * k[dx + 1]!;
          sum += (pixels[yy * side + xx] as number) * w;
          weight += w;
        }
      }
      out[y * side + x] = sum / weight;
    }
  }
  return out;
}

/**
 * A dream as shown: smoothed twice (the pixel-level speckle of gradient ascent hides the shape)
 * and stretched from its median to its 99.5th percentile, so the average-digit haze it started
 * from goes black and the strokes the network asked for stand out. Checked by eye on the shipped
 * model's dreams: 2, 3, 5, 6, 8, 9 read as digits this way (not as synthesised); the 7 shows its
 * bar and the 1 a bright centre instead of near-black squares.
 * @param pixels [784] values 0..1 as synthesised
 * @returns [784] values 0..1 for display
 */
export function dreamForDisplay(pixels: ArrayLike<number>, side = 28): Float32Array {
  return stretchContrast(blur3x3(blur3x3(pixels, side), side), 0.5, 0.995);
}
