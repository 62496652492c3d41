import { describe, expect, it } from 'vitest';
import { blur3x3, dreamForDisplay, percentile, stretchContrast } from './contrast';

describe('stretchContrast', () => {
  it('maps a faint image to the full black..white range', () => {
    // A faint stroke (0.1..0.2) on a dim background (0.02): nearly black as drawn.
    const img = new Float32Array(784).fill(0.02);
    for (let i = 300; i < 340; i++) img[i] = 0.1 + (i - 300) * 0.0025;
    const out = stretchContrast(img);
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(1);
    expect(out[0]).toBe(0);
    expect(out[339]).toBe(1);
  });

  it('clips the brightest outliers instead of letting one pixel darken the rest', () => {
    const img = new Float32Array(1000).map((_, i) => (i % 100) / 200); // 0..0.495
    img[0] = 1; // one hot pixel
    const out = stretchContrast(img, 0, 0.99);
    expect(out[99]).toBeGreaterThan(0.99); // 0.495, the top of the real range, is white
    expect(out[0]).toBe(1);
  });

  it('returns black for a flat image', () => {
    expect(Array.from(stretchContrast(new Float32Array(10).fill(0.4)))).toEqual(new Array(10).fill(0));
  });

  it('percentile by nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 0)).toBe(1);
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 1)).toBe(5);
  });
});

describe('dreamForDisplay', () => {
  it('keeps a stroke, drops the haze around it', () => {
    const side = 28;
    const img = new Float32Array(side * side).map(() => 0.2); // haze: the average digit it started from
    for (let y = 4; y < 24; y++) img[y * side + 14] = 0.35; // a faint vertical stroke, like a dreamt 1
    const out = dreamForDisplay(img);
    expect(out[14 * side + 14]).toBe(1);
    expect(out[14 * side + 3]).toBe(0);
    expect(out[2 * side + 2]).toBe(0);
  });

  it('blur3x3 keeps a flat image flat, edges included', () => {
    const out = blur3x3(new Float32Array(16).fill(0.5), 4);
    for (const v of out) expect(v).toBeCloseTo(0.5, 6);
  });
});
