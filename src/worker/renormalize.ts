/**
 * Moving a model to another input normalisation without changing what it
 * computes. A loaded model takes raw pixels (its standardisation folded into
 * the first layer: weights up to hundreds of times larger on rarely inked
 * pixels); continued as is, Adam's steps of ~learning rate per weight barely
 * move those, so it cannot learn a new hand. Unfolded back to standardised
 * inputs, it trains like the model it was. Pure: typed arrays only.
 */
import type { Normalizer } from './split';

/**
 * First-layer kernel and bias for inputs normalised by `to` that compute what
 * (`kernel`, `bias`) computed for inputs normalised by `from`:
 * x_from = (p - m0) s0 and p = x_to / s1 + m1, so W'[i] = W[i] s0_i / s1_i and
 * b' = b + Σ_i (m1_i - m0_i) s0_i W[i].
 * @param kernel [inputs * units], input-major; @param bias [units].
 */
export function renormalizeFirstLayer(
  kernel: Float32Array,
  bias: Float32Array,
  units: number,
  from: Normalizer,
  to: Normalizer,
): { kernel: Float32Array; bias: Float32Array } {
  const inputs = kernel.length / units;
  const k2 = new Float32Array(kernel.length);
  const b2 = Float64Array.from(bias);
  for (let i = 0; i < inputs; i++) {
    const scale = from.invStd[i]! / to.invStd[i]!;
    const shift = (to.mean[i]! - from.mean[i]!) * from.invStd[i]!;
    for (let u = 0; u < units; u++) {
      const w = kernel[i * units + u]!;
      k2[i * units + u] = w * scale;
      b2[u]! += shift * w;
    }
  }
  return { kernel: k2, bias: Float32Array.from(b2) };
}
