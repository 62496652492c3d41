import { describe, expect, it } from 'vitest';
import { niceDomain, niceStep, niceTicks } from './ticks';

describe('ticks', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(0, 10, 10)).toBe(1);
    expect(niceStep(0, 200, 5)).toBe(50);
    expect(niceStep(0, 2.3, 4)).toBe(0.5);
    expect(niceStep(0, 0.07, 4)).toBe(0.02);
  });

  it('lists round ticks within the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.13, 1, 4)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 200, 5)).toEqual([0, 50, 100, 150, 200]);
  });

  it('widens a domain to ticks, and survives an empty or flat one', () => {
    expect(niceDomain(0.034, 2.31, 4)).toEqual([0, 2.5]);
    expect(niceDomain(1, 1, 4)).toEqual([0.5, 1.5]);
    expect(niceDomain(NaN, 1, 4)).toEqual([0, 1]);
  });
});
