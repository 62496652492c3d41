import { describe, expect, it } from 'vitest';
import { BatchAugmenter, linearNorm, OUTSIDE, randomWarp, warpInto, type WarpMap } from './augment';
import { mulberry32 } from './split';

const unitNorm = { mean: new Float32Array(784), invStd: new Float32Array(784).fill(1 / 255) };
const unit = linearNorm(unitNorm);
/** A vertical bar 2 px wide in the middle, full ink. */
const bar = new Uint8Array(784);
for (let y = 6; y < 22; y++) bar[y * 28 + 13] = bar[y * 28 + 14] = 255;
const ink = (x: Float32Array) => x.reduce((s, v) => s + v, 0);
const identity: WarpMap = { source: Uint16Array.from({ length: 784 }, (_, i) => i), neighbour: null, stroke: 0 };

describe('augmentation', () => {
  it('at strength 0 the warp is the identity, then the normalisation', () => {
    const m = randomWarp(0, mulberry32(1));
    expect(m.stroke).toBe(0);
    expect(Array.from(m.source)).toEqual(Array.from(identity.source));
    const norm = { mean: new Float32Array(784).fill(10), invStd: new Float32Array(784).fill(0.5) };
    const out = new Float32Array(784);
    warpInto(bar, 0, m, linearNorm(norm), out, 0);
    expect(out[6 * 28 + 13]).toBe((255 - 10) * 0.5);
    expect(out[0]).toBe(-5);
  });

  it('reads blank outside the image', () => {
    const out = new Float32Array(784);
    warpInto(bar, 0, { source: new Uint16Array(784).fill(OUTSIDE), neighbour: null, stroke: 0 }, unit, out, 0);
    expect(ink(out)).toBe(0);
  });

  it('at strength 1 moves the ink but keeps about as much of it (without a stroke change)', () => {
    const rng = mulberry32(7);
    let moved = 0;
    for (let k = 0; k < 50; k++) {
      const m = { ...randomWarp(1, rng), neighbour: null, stroke: 0 as const };
      const out = new Float32Array(784);
      warpInto(bar, 0, m, unit, out, 0);
      // Area changes with scale² (±32%); nearest-neighbour sampling of a 2-px bar adds aliasing.
      expect(ink(out)).toBeGreaterThan(32 * 0.5);
      expect(ink(out)).toBeLessThan(32 * 2);
      if (out[6 * 28 + 13] !== 1 || out[21 * 28 + 14] !== 1) moved++;
    }
    expect(moved).toBeGreaterThan(40);
  });

  it('thickens and thins strokes by a pixel', () => {
    const right = Uint16Array.from({ length: 784 }, (_, i) => (i % 28 === 27 ? OUTSIDE : i + 1));
    const out = new Float32Array(784);
    warpInto(bar, 0, { source: identity.source, neighbour: right, stroke: 1 }, unit, out, 0);
    expect(ink(out)).toBe(48); // 3 px wide
    warpInto(bar, 0, { source: identity.source, neighbour: right, stroke: -1 }, unit, out, 0);
    expect(ink(out)).toBe(16); // 1 px wide
  });

  it('fills a batch with warped copies of the ordered rows and their labels, the same for the same seed', () => {
    const images = new Uint8Array(3 * 784);
    images.set(bar, 2 * 784);
    const labels = Uint8Array.from([5, 6, 7]);
    const make = () => new BatchAugmenter(images, Int32Array.from([2, 0]), labels, unitNorm, 0.5, 42);
    const x = new Float32Array(2 * 784);
    const y = new Int32Array(2);
    make().fill(Int32Array.from([1, 0]), 0, 2, x, y);
    expect(Array.from(y)).toEqual([5, 7]);
    expect(ink(x.subarray(0, 784))).toBe(0);
    expect(ink(x.subarray(784))).toBeGreaterThan(10);
    const x2 = new Float32Array(2 * 784);
    make().fill(Int32Array.from([1, 0]), 0, 2, x2, new Int32Array(2));
    expect(x2).toEqual(x);
  });
});
