import { describe, expect, it } from 'vitest';
import { column, extendCurve, lossFromLogits, maxAbs, softmax64 } from './stepMaths';

describe('the step maths', () => {
  it('the loss from logits is −log softmax(z)[label], and stays above 0 where p rounds to 1', () => {
    const z = [1, 2, 0.5];
    const e = z.map(Math.exp);
    const total = e.reduce((a, b) => a + b);
    expect(lossFromLogits(z, 1)).toBeCloseTo(-Math.log(e[1]! / total), 12);
    const sure = lossFromLogits([0, 30, 0], 1);
    expect(sure).toBeGreaterThan(0);
    expect(Math.abs(sure - 2 * Math.exp(-30)) / (2 * Math.exp(-30))).toBeLessThan(1e-12);
    expect(lossFromLogits([0, 800, 0], 0)).toBeCloseTo(800, 9);
    expect(Math.fround(1 - sure)).toBe(1);
    expect(() => lossFromLogits([0], 2)).toThrow(RangeError);
  });

  it('softmax in float64 sums to 1 and tells a near-certain probability from 1', () => {
    const p = softmax64([0, 20, 0]);
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 14);
    expect(p[1]).toBeLessThan(1);
    expect(Math.fround(p[1]!)).toBe(1);
    expect(-Math.log(p[0]!)).toBeCloseTo(lossFromLogits([0, 20, 0], 0), 9);
  });

  it('reads a column of a row-major matrix and the largest magnitude', () => {
    expect(Array.from(column([1, 2, 3, 4, 5, 6], 3, 1))).toEqual([2, 5]);
    expect(maxAbs([1, -4, 2])).toBe(4);
    expect(maxAbs([])).toBe(0);
  });

  it('joins the curves of successive requests at their shared point', () => {
    expect(extendCurve([], [3, 2])).toEqual([3, 2]);
    expect(extendCurve([3, 2], [2, 1.5, 1])).toEqual([3, 2, 1.5, 1]);
  });
});
