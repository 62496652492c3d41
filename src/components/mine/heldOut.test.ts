import { describe, expect, it } from 'vitest';
import { heldOutMask, MIN_HELD_OUT, splitAccuracy } from './heldOut';

describe('heldOutMask', () => {
  it('holds out every fifth of each digit, from the third on', () => {
    const sevens = Array.from({ length: 13 }, () => 7);
    expect(heldOutMask(sevens).flatMap((h, i) => (h ? [i] : []))).toEqual([2, 7, 12]);
  });

  it('counts each digit on its own, whatever the order', () => {
    // 0,1,2,0,1,2,0,1,2: the third 0, 1 and 2 are held out
    const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    expect(heldOutMask(labels)).toEqual([false, false, false, false, false, false, true, true, true]);
  });

  it('holds none out with two of each digit, and about a fifth of a long list', () => {
    expect(heldOutMask([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).some(Boolean)).toBe(false);
    const long = Array.from({ length: 500 }, (_, i) => i % 10);
    expect(heldOutMask(long).filter(Boolean).length).toBe(100);
  });
});

describe('splitAccuracy', () => {
  it('measures the held-out part and the rest apart', () => {
    const labels = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3];
    const mask = heldOutMask(labels); // 2, 7, 12, 17, 22
    const predicted = labels.map((l, i) => (i === 7 || i === 0 ? 5 : l));
    const s = splitAccuracy(labels, predicted, mask);
    expect(s.heldOutCount).toBe(MIN_HELD_OUT);
    expect(s.heldOutRight).toBe(4);
    expect(s.heldOut).toBeCloseTo(0.8);
    expect(s.learnedCount).toBe(18);
    expect(s.learned).toBeCloseTo(17 / 18);
  });

  it('gives no held-out figure with too few held out', () => {
    const labels = [1, 1, 1, 2, 2, 2];
    const s = splitAccuracy(labels, labels, heldOutMask(labels));
    expect(s.heldOutCount).toBe(2);
    expect(s.heldOut).toBeNull();
    expect(s.learned).toBe(1);
  });
});
