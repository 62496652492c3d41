import { describe, expect, it } from 'vitest';
import { argmax } from './argmax';

describe('argmax', () => {
  it('finds the largest, the first on ties', () => {
    expect(argmax([0.1, 0.7, 0.2])).toBe(1);
    expect(argmax([3, 5, 5, 1])).toBe(1);
    expect(argmax(Float32Array.of(-2, -1, -3))).toBe(1);
  });
  it('reads one row of a flat [rows * 10] array, relative to the row', () => {
    const probs = new Float32Array(30);
    probs[4] = 1; // row 0 reads 4
    probs[10 + 9] = 1; // row 1 reads 9
    probs[20 + 0] = 0.6;
    probs[20 + 3] = 0.4;
    expect([0, 1, 2].map((r) => argmax(probs, r * 10, 10))).toEqual([4, 9, 0]);
  });
  it('is -1 for nothing, and a NaN never wins over a number', () => {
    expect(argmax([])).toBe(-1);
    expect(argmax([1, 2], 2)).toBe(-1);
    expect(argmax([NaN, 0.2, 0.1])).toBe(1);
    expect(argmax([0.2, NaN, 0.9])).toBe(2);
  });
});
