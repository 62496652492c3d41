import { describe, expect, it } from 'vitest';
import { confusionFromPredictions, formatPercent, rowRates, summarizeConfusion } from './confusion';

/** A plausible 10-class matrix: `n` per class, with a few classic confusions. */
function plausible(): number[] {
  const m = new Array<number>(100).fill(0);
  const support = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
  support.forEach((n, d) => (m[d * 10 + d] = n));
  const move = (t: number, p: number, c: number) => {
    m[t * 10 + t]! -= c;
    m[t * 10 + p]! += c;
  };
  move(4, 9, 23);
  move(7, 2, 15);
  move(3, 5, 11);
  move(9, 4, 11);
  move(8, 3, 7);
  return m;
}

describe('summarizeConfusion', () => {
  it('counts add up to the test set and the diagonal is the accuracy', () => {
    const s = summarizeConfusion(plausible());
    expect(s.total).toBe(10000);
    expect(s.correct).toBe(10000 - 23 - 15 - 11 - 11 - 7);
    expect(s.accuracy).toBeCloseTo(s.correct / 10000, 12);
    expect(s.perClass.reduce((a, c) => a + c.support, 0)).toBe(10000);
    expect(s.perClass.reduce((a, c) => a + c.predictedCount, 0)).toBe(10000);
    expect(s.perClass.reduce((a, c) => a + c.correct, 0)).toBe(s.correct);
  });

  it('gives per-class recall (rows) and precision (columns)', () => {
    const s = summarizeConfusion(plausible());
    const four = s.perClass[4]!;
    expect(four.support).toBe(982);
    expect(four.recall).toBeCloseTo((982 - 23) / 982, 12);
    const nine = s.perClass[9]!;
    // column 9: 998 correct nines + 23 fours
    expect(nine.predictedCount).toBe(1009 - 11 + 23);
    expect(nine.precision).toBeCloseTo((1009 - 11) / (1009 - 11 + 23), 12);
  });

  it('lists the most-confused pairs, most frequent first, ties in row-major order', () => {
    const s = summarizeConfusion(plausible(), 10, 4);
    expect(s.topConfusions.map((c) => [c.label, c.predicted, c.count])).toEqual([
      [4, 9, 23],
      [7, 2, 15],
      [3, 5, 11],
      [9, 4, 11],
    ]);
    expect(s.topConfusions[0]!.rate).toBeCloseTo(23 / 982, 12);
    expect(s.maxErrorRate).toBeCloseTo(23 / 982, 12);
  });

  it('is NaN-safe for a class with no samples and an empty matrix', () => {
    const m = plausible();
    for (let p = 0; p < 10; p++) m[5 * 10 + p] = 0; // no fives at all
    for (let t = 0; t < 10; t++) m[t * 10 + 5] = 0; // and nothing predicted as 5
    const s = summarizeConfusion(m);
    expect(s.perClass[5]!.support).toBe(0);
    expect(s.perClass[5]!.recall).toBeNaN();
    expect(s.perClass[5]!.precision).toBeNaN();
    expect(formatPercent(s.perClass[5]!.recall)).toBe('—');
    expect(Number.isFinite(s.accuracy)).toBe(true);

    const empty = summarizeConfusion(new Array<number>(100).fill(0));
    expect(empty.total).toBe(0);
    expect(empty.accuracy).toBeNaN();
    expect(empty.topConfusions).toEqual([]);
    expect(empty.maxErrorRate).toBe(0);
  });

  it('a perfect classifier has no confusions', () => {
    const m = new Array<number>(100).fill(0);
    for (let d = 0; d < 10; d++) m[d * 10 + d] = 3;
    const s = summarizeConfusion(m);
    expect(s.accuracy).toBe(1);
    expect(s.topConfusions).toEqual([]);
    expect(s.perClass.every((c) => c.recall === 1 && c.precision === 1)).toBe(true);
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => summarizeConfusion([1, 2, 3])).toThrow(/100 counts/);
    expect(summarizeConfusion([5, 1, 2, 7], 2).accuracy).toBeCloseTo(12 / 15, 12);
  });
});

describe('rowRates', () => {
  it('normalises each row to 1 and leaves empty rows at 0', () => {
    const r = rowRates([3, 1, 0, 0], 2);
    expect(r).toEqual([0.75, 0.25, 0, 0]);
    const full = rowRates(plausible());
    for (let t = 0; t < 10; t++) {
      const sum = full.slice(t * 10, t * 10 + 10).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 12);
    }
  });
});

describe('confusionFromPredictions', () => {
  it('counts each (label, prediction) pair once', () => {
    const labels = [0, 1, 2, 2, 9, 9, 9];
    const preds = [0, 7, 2, 2, 9, 4, 4];
    const m = confusionFromPredictions(labels, preds);
    expect(m).toHaveLength(100);
    expect(m.reduce((a, b) => a + b, 0)).toBe(labels.length);
    expect(m[0]).toBe(1);
    expect(m[1 * 10 + 7]).toBe(1);
    expect(m[2 * 10 + 2]).toBe(2);
    expect(m[9 * 10 + 4]).toBe(2);
    expect(summarizeConfusion(m).accuracy).toBeCloseTo(4 / 7, 12);
  });

  it('accepts typed arrays and an empty set', () => {
    expect(confusionFromPredictions(new Uint8Array([3]), new Int32Array([5]))[35]).toBe(1);
    expect(confusionFromPredictions([], []).every((c) => c === 0)).toBe(true);
  });

  it('rejects mismatched lengths and out-of-range classes', () => {
    expect(() => confusionFromPredictions([1, 2], [1])).toThrow(/2 labels but 1/);
    expect(() => confusionFromPredictions([10], [1])).toThrow(RangeError);
    expect(() => confusionFromPredictions([1], [-1])).toThrow(RangeError);
    expect(() => confusionFromPredictions([1.5], [1])).toThrow(RangeError);
  });
});

describe('formatPercent', () => {
  it('formats ratios and hides non-finite ones', () => {
    expect(formatPercent(0.967)).toBe('96.7%');
    expect(formatPercent(1, 0)).toBe('100%');
    expect(formatPercent(NaN)).toBe('—');
    expect(formatPercent(Infinity)).toBe('—');
  });
});
