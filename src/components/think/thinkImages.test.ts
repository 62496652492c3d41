import { describe, expect, it } from 'vitest';
import { AGAINST_RGB, litLevels, pixelPush, saliencyRgba, TOWARDS_RGB, towardsShare } from './thinkImages';

describe('see it think: pictures', () => {
  it('a pixel pushes by gradient × ink; no ink, no push', () => {
    const g = new Float32Array(784).fill(2);
    g[1] = -3;
    const p = new Float32Array(784);
    p[0] = 0.5;
    p[1] = 1;
    const push = pixelPush(g, p);
    expect([push[0], push[1], push[2]]).toEqual([1, -3, 0]);
    expect(towardsShare(push)).toBeCloseTo(0.25);
  });

  it('colours the strongest push fully (green towards, red against) and leaves no-push pixels grey', () => {
    const push = new Float32Array(784);
    push[0] = 1;
    push[1] = -2;
    const px = new Float32Array(784);
    const rgba = saliencyRgba(push, px);
    expect(Array.from(rgba.subarray(4, 7))).toEqual([...AGAINST_RGB]);
    const green = Array.from(rgba.subarray(0, 3));
    // |push| half of the largest: sqrt(0.5) of the way from grey to green.
    expect(green[1]).toBeGreaterThan(40 + (TOWARDS_RGB[1] - 40) * 0.7 - 1);
    expect(Array.from(rgba.subarray(8, 12))).toEqual([40, 40, 40, 255]);
  });

  it('lights units by their share of the layer’s largest activation', () => {
    expect(Array.from(litLevels([0, 2, 4, -1]))).toEqual([0, 0.5, 1, 0]);
    expect(Array.from(litLevels([-1, 0]))).toEqual([0, 0]);
  });
});
