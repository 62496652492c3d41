import { describe, expect, it } from 'vitest';
import { argmax, curvePath, largest, signedBars, signedRgb, unitOfLargestChange } from './stepFormat';

describe('the step view helpers', () => {
  it('colour signed values: white at zero, blue for positive, red for negative, clipped at the scale', () => {
    expect(signedRgb(0, 1)).toEqual([247, 247, 247]);
    expect(signedRgb(1, 1)).toEqual([33, 102, 172]);
    expect(signedRgb(-2, 1)).toEqual([178, 24, 43]);
    expect(signedRgb(0.5, 0)).toEqual([247, 247, 247]);
    expect(signedRgb(Number.NaN, 1)).toEqual([247, 247, 247]);
    const half = signedRgb(-0.5, 1);
    expect(half[0]).toBeGreaterThan(178);
    expect(half[0]).toBeLessThan(247);
  });

  it('draw bars up from the middle for positive values and down for negative ones', () => {
    const [a, b, c] = signedBars([2, -1, 0], 100);
    expect(a).toMatchObject({ y: 0, h: 50, sign: 'pos' });
    expect(b).toMatchObject({ y: 50, h: 25, sign: 'neg' });
    expect(c).toMatchObject({ h: 0, sign: 'zero' });
    expect(signedBars([1], 100, 4)[0]!.h).toBe(12.5);
    expect(signedBars([0, 0], 10).every((x) => x.h === 0)).toBe(true);
  });

  it('trace a falling curve from the top left to lower right', () => {
    expect(curvePath([2, 1, 0.5], 100, 50)).toBe('M0.0,0.0 L50.0,25.0 L100.0,37.5');
    expect(curvePath([], 10, 10)).toBe('');
    expect(curvePath([1], 10, 10)).toBe('M0.0,0.0');
  });

  it('find the largest entries and the unit that changed most', () => {
    expect(largest([0.1, -3, 2, 0], 2)).toEqual([1, 2]);
    // Two inputs, three units (Keras layout: w[input * units + unit]); unit 2 changed most.
    expect(unitOfLargestChange([0, 0.1, -0.5, 0.2, 0, 0.4], 3)).toBe(2);
    expect(argmax([0.1, 0.7, 0.2])).toBe(1);
  });
});
