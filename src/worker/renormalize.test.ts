import { describe, expect, it } from 'vitest';
import { renormalizeFirstLayer } from './renormalize';
import { mulberry32 } from './split';

describe('renormalizeFirstLayer', () => {
  it('computes the same first-layer sums for the same pixels under the new normalisation', () => {
    const rng = mulberry32(3);
    const inputs = 6;
    const units = 3;
    const kernel = Float32Array.from({ length: inputs * units }, () => rng() * 2 - 1);
    const bias = Float32Array.from({ length: units }, () => rng());
    const raw = { mean: new Float32Array(inputs), invStd: new Float32Array(inputs).fill(1 / 255) };
    const std = {
      mean: Float32Array.from({ length: inputs }, () => rng() * 100),
      invStd: Float32Array.from({ length: inputs }, () => 1 / (1 + rng() * 80)),
    };
    const { kernel: k2, bias: b2 } = renormalizeFirstLayer(kernel, bias, units, raw, std);
    const pixels = Float32Array.from({ length: inputs }, () => rng() * 255);
    for (let u = 0; u < units; u++) {
      let before = bias[u]!;
      let after = b2[u]!;
      for (let i = 0; i < inputs; i++) {
        before += (pixels[i]! - raw.mean[i]!) * raw.invStd[i]! * kernel[i * units + u]!;
        after += (pixels[i]! - std.mean[i]!) * std.invStd[i]! * k2[i * units + u]!;
      }
      expect(after).toBeCloseTo(before, 3);
    }
  });
});
