import { describe, expect, it } from 'vitest';
import { fitNormalizer, mulberry32, normalizeRows, normalizeUnitPixels, permutation, splitIndices } from './split';

describe('seeded split', () => {
  it('splits 60,000 images 80/20 into 48,000 train and 12,000 validation, disjoint', () => {
    const s = splitIndices(60000, 48000, 42);
    expect(s.train.length).toBe(48000);
    expect(s.validation.length).toBe(12000);
    const seen = new Set<number>(s.train);
    expect(seen.size).toBe(48000);
    for (const i of s.validation) expect(seen.has(i)).toBe(false);
    expect(new Set(s.validation).size).toBe(12000);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = splitIndices(60000, 48000, 42);
    const b = splitIndices(60000, 48000, 42);
    const c = splitIndices(60000, 48000, 7);
    expect(Array.from(a.train.subarray(0, 20))).toEqual(Array.from(b.train.subarray(0, 20)));
    expect(Array.from(a.validation.subarray(0, 20))).toEqual(Array.from(b.validation.subarray(0, 20)));
    expect(Array.from(a.train.subarray(0, 20))).not.toEqual(Array.from(c.train.subarray(0, 20)));
  });

  it('trainSize takes a prefix of the training part and a quarter as many validation images of the held-out part', () => {
    const full = splitIndices(60000, 48000, 42);
    const small = splitIndices(60000, 6000, 42);
    expect(small.train.length).toBe(6000);
    expect(small.validation.length).toBe(1500);
    expect(Array.from(small.train)).toEqual(Array.from(full.train.subarray(0, 6000)));
    expect(Array.from(small.validation)).toEqual(Array.from(full.validation.subarray(0, 1500)));
  });

  it('permutation is a permutation and mulberry32 is in [0, 1)', () => {
    const rng = mulberry32(1);
    for (let i = 0; i < 1000; i++) {
      const x = rng();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const p = permutation(100, mulberry32(3));
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('normalisation', () => {
  // 4 images of 784 pixels: pixel 0 varies (0, 10, 20, 30) on rows 0..3; pixel 1 is always 5; the rest 0.
  const images = new Uint8Array(4 * 784);
  for (let r = 0; r < 4; r++) {
    images[r * 784] = r * 10;
    images[r * 784 + 1] = 5;
  }

  it('fits mean and population std on the given rows only; zero variance divides by 1', () => {
    const norm = fitNormalizer(images, Int32Array.from([0, 1]), 'standardize');
    expect(norm.mean[0]).toBeCloseTo(5);
    expect(1 / norm.invStd[0]!).toBeCloseTo(5); // std of (0, 10)
    expect(norm.mean[1]).toBeCloseTo(5);
    expect(norm.invStd[1]).toBe(1);
    expect(norm.invStd[2]).toBe(1);
    const x = normalizeRows(images, [3], norm);
    expect(x[0]).toBeCloseTo((30 - 5) / 5);
    expect(x[1]).toBeCloseTo(0);
  });

  it("'unit' is x / 255, and 0..1 pixels go through the same map", () => {
    const norm = fitNormalizer(images, Int32Array.from([0, 1, 2, 3]), 'unit');
    const x = normalizeRows(images, [2], norm);
    expect(x[0]).toBeCloseTo(20 / 255);
    const s = fitNormalizer(images, Int32Array.from([0, 1, 2, 3]), 'standardize');
    const pixels = new Float32Array(784);
    pixels[0] = 20 / 255;
    pixels[1] = 5 / 255;
    const a = normalizeUnitPixels(pixels, s);
    const b = normalizeRows(images, [2], s);
    expect(a[0]).toBeCloseTo(b[0]!, 4);
    expect(a[1]).toBeCloseTo(b[1]!, 4);
  });
});
