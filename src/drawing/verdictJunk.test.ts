/**
 * The verdict on junk and on digits, measured the page's way (strokes -> strokesToInput ->
 * the shipped model -> verdict with the digit shapes and the ink check) on seeds the rule was
 * not tuned on (the ink check trained on junk seeds 1,000,000.. and was calibrated on 2,000,000..):
 * junk seeds 100000.. (tuning used 0..199) and MNIST test digits 5000.. (tuning used
 * 0..1999). scripts/measureDrawing.ts prints the full table with 200 drawings per kind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceModel, mnistTest, type Classifier } from '../../scripts/referenceModel';
import { junkTallies, redrawnDigit, shippedInkCheck, shippedShapes, tally, verdictsOf, type VerdictTally } from '../../scripts/verdictSets';
import type { InkCheck } from './inkCheck';
import type { DigitShapes } from './digitShapes';

const HELD_OUT_JUNK_SEED = 100000;
const HELD_OUT_DIGIT = 5000;
/** The README's junk table, exactly: 200 drawings a kind and 2,000 redrawn digits (about 15 s). */
const PER_KIND = 200;
const DIGITS = 2000;

/**
 * Kinds that still read as confident digits more than 5% of the time: the most this test
 * allows, the share measured on the held-out seeds (200 a kind, the README's junk table)
 * rounded up, so a weaker rule shows. A random walk or polyline is sometimes a fair digit;
 * a smiley's mouth and eyes are at times a 3 or a 5.
 */
const KNOWN_MISSES: Record<string, number> = {
  'random polyline': 0.22,
  'random walk': 0.4,
  smiley: 0.07,
};
/** All junk together: 4.5% on the held-out seeds with 200 a kind (39.1% before the ink check). */
const OVERALL = 0.05;

const share = (t: VerdictTally) => t.count.digit / t.n;

describe('verdicts on junk and on redrawn digits (held-out seeds)', () => {
  let classify: Classifier;
  let shapes: DigitShapes;
  let check: InkCheck;
  let junk: Map<string, VerdictTally>;
  beforeAll(async () => {
    classify = (await loadReferenceModel()).classify;
    shapes = shippedShapes();
    check = shippedInkCheck();
    junk = junkTallies(classify, shapes, PER_KIND, HELD_OUT_JUNK_SEED, check);
  }, 120_000);

  it('reads at least 97% of MNIST test digits redrawn as pad strokes as confident digits', () => {
    const test = mnistTest();
    const drawn = Array.from({ length: DIGITS }, (_, i) => redrawnDigit(test.pixels, HELD_OUT_DIGIT + i));
    const t = tally(verdictsOf(classify, shapes, drawn, check));
    expect(share(t)).toBeGreaterThanOrEqual(0.97);
  });

  it('reads at most 5% of each other kind of junk as confident digits, and holds the known misses where they are', () => {
    const over: string[] = [];
    for (const [kind, t] of junk) {
      const limit = KNOWN_MISSES[kind] ?? 0.05;
      if (share(t) > limit) over.push(`${kind}: ${(share(t) * 100).toFixed(1)}% > ${(limit * 100).toFixed(0)}%`);
    }
    expect(over).toEqual([]);
  });

  it(`reads at most ${OVERALL * 100}% of all junk together as confident digits`, () => {
    let digit = 0;
    let n = 0;
    for (const t of junk.values()) {
      digit += t.count.digit;
      n += t.n;
    }
    expect(digit / n).toBeLessThanOrEqual(OVERALL);
  });
});
