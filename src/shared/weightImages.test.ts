import { describe, expect, it } from 'vitest';
import { IMAGE_PIXELS } from './constants';
import { divergingColor, maxAbs, NEGATIVE_RGB, POSITIVE_RGB, robustScale, unitScale, weightsToRgba } from './weightImages';

describe('divergingColor', () => {
  it('maps 0 to white, +1 to red and -1 to blue', () => {
    expect(divergingColor(0)).toEqual([255, 255, 255]);
    const [r, g, b] = divergingColor(1);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    const [r2, g2, b2] = divergingColor(-1);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(80);
    expect(g2).toBeLessThan(80);
  });

  it('is symmetric: -v is v with red and blue swapped', () => {
    for (const v of [0.01, 0.1, 0.33, 0.5, 0.9, 1, 3]) {
      const [r, g, b] = divergingColor(v);
      expect(divergingColor(-v)).toEqual([b, g, r]);
    }
  });

  it('clamps beyond the scale and draws NaN as zero', () => {
    expect(divergingColor(5)).toEqual(divergingColor(1));
    expect(divergingColor(-Infinity)).toEqual(divergingColor(-1));
    expect(divergingColor(NaN)).toEqual([255, 255, 255]);
  });

  it('gets more saturated as |v| grows', () => {
    let lastG = 256;
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      const g = divergingColor(v)[1];
      expect(g).toBeLessThan(lastG);
      lastG = g;
    }
  });
});

describe('weightsToRgba', () => {
  const units = 3;
  const weights = new Float32Array(units * IMAGE_PIXELS);
  // unit 1: a ramp from -0.5 to +0.5 with a 0 and the extremes at known pixels
  for (let i = 0; i < IMAGE_PIXELS; i++) weights[IMAGE_PIXELS + i] = -0.5 + i / (IMAGE_PIXELS - 1);
  weights[IMAGE_PIXELS + 100] = 0;
  weights[2 * IMAGE_PIXELS + 7] = NaN;

  it('returns 784 opaque RGBA pixels', () => {
    const px = weightsToRgba(weights, 1, 0.5);
    expect(px).toHaveLength(IMAGE_PIXELS * 4);
    for (let i = 0; i < IMAGE_PIXELS; i++) expect(px[i * 4 + 3]).toBe(255);
  });

  it('draws -scale blue, 0 white and +scale red, matching divergingColor', () => {
    const px = weightsToRgba(weights, 1, 0.5);
    const at = (i: number) => [px[i * 4], px[i * 4 + 1], px[i * 4 + 2]];
    expect(at(0)).toEqual([...NEGATIVE_RGB]);
    expect(at(IMAGE_PIXELS - 1)).toEqual([...POSITIVE_RGB]);
    expect(at(100)).toEqual([255, 255, 255]);
    for (const i of [1, 200, 391, 392, 600, 783]) {
      const want = divergingColor(weights[IMAGE_PIXELS + i]! / 0.5);
      at(i).forEach((c, k) => expect(Math.abs(c! - want[k]!)).toBeLessThanOrEqual(1));
    }
  });

  it('clamps values beyond the scale (a global scale smaller than a unit\u2019s max)', () => {
    const px = weightsToRgba(weights, 1, 0.1);
    expect([px[0], px[1], px[2]]).toEqual([...NEGATIVE_RGB]);
  });

  it('draws all-zero weights, a zero scale and NaN as white', () => {
    const zero = weightsToRgba(weights, 0, 0);
    expect(zero.every((v) => v === 255)).toBe(true);
    const nan = weightsToRgba(weights, 2, 1);
    expect([nan[28], nan[29], nan[30]]).toEqual([255, 255, 255]);
  });

  it('fills a buffer it is given and rejects a unit out of range', () => {
    const buf = new Uint8ClampedArray(IMAGE_PIXELS * 4);
    expect(weightsToRgba(weights, 1, 0.5, buf)).toBe(buf);
    expect(() => weightsToRgba(weights, 3, 1)).toThrow(RangeError);
    expect(() => weightsToRgba(weights, -1, 1)).toThrow(RangeError);
  });
});

describe('scales', () => {
  it('finds the largest |w| per unit and overall', () => {
    const w = new Float32Array(2 * IMAGE_PIXELS);
    w[5] = -0.75;
    w[IMAGE_PIXELS + 3] = 0.25;
    expect(unitScale(w, 0)).toBe(0.75);
    expect(unitScale(w, 1)).toBe(0.25);
    expect(maxAbs(w)).toBe(0.75);
    expect(maxAbs([])).toBe(0);
  });

  it('ignores a few outliers: the scale is the 99th percentile of |w|', () => {
    const w = new Float32Array(IMAGE_PIXELS).map((_, i) => (i % 2 ? 1 : -1) * ((i % 100) / 100));
    for (let i = 0; i < 5; i++) w[i * 7] = 500; // a few huge weights on never-inked pixels
    const s = unitScale(w, 0);
    expect(s).toBeGreaterThan(0.9);
    expect(s).toBeLessThan(1);
    expect(robustScale(w, 0, w.length, 1)).toBe(500);
  });
});
