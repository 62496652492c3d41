/**
 * The verdict on junk and on digits, measured the page's way (strokes -> strokesToInput ->
 * the shipped model -> verdict with the digit shapes) on seeds the rule was not tuned on:
 * junk seeds 100000.. (tuning used 0..199) and MNIST test digits 5000.. (tuning used
 * 0..1999). scripts/measureDrawing.ts prints the full table with 200 drawings per kind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceModel, mnistTest, type Classifier } from '../../scripts/referenceModel';
import { junkTallies, redrawnDigit, shippedShapes, tally, verdictsOf, type VerdictTally } from '../../scripts/verdictSets';
import type { DigitShapes } from './digitShapes';

const HELD_OUT_JUNK_SEED = 100000;
const HELD_OUT_DIGIT = 5000;
const PER_KIND = 30;
const DIGITS = 300;

/**
 * Kinds that still read as confident digits more than 5% of the time: the most this test
 * allows, the share measured on the held-out seeds (200 a kind) plus about 10 points for
 * the smaller sample here, so a weaker rule shows. A + or an H is an open 4 to this model
 * and to MNIST's own 4s, a leaning line a slanted 1, a zigzag or a walk often a 2, 3 or 4
 * (see the README's junk table).
 */
const KNOWN_MISSES: Record<string, number> = {
  'diagonal line': 0.25,
  'cross (x)': 0.2,
  'cross (+)': 0.95,
  zigzag: 0.55,
  'random polyline': 0.6,
  'random walk': 0.9,
  'letter A': 0.75,
  'letter H': 0.65,
  'letter X (tall)': 0.8,
  'letter X (square)': 0.4,
  smiley: 0.35,
};
/** An S is a 5 and a Z a 2 to this rule (95-100%): no bound here, they count in the overall share. */
const NOT_HELD = new Set(['letter S', 'letter Z']);
/** All junk together: 39.1% on the held-out seeds (40.2% on the tuning ones). */
const OVERALL = 0.45;

const share = (t: VerdictTally) => t.count.digit / t.n;

describe('verdicts on junk and on redrawn digits (held-out seeds)', () => {
  let classify: Classifier;
  let shapes: DigitShapes;
  let junk: Map<string, VerdictTally>;
  beforeAll(async () => {
    classify = (await loadReferenceModel()).classify;
    shapes = shippedShapes();
    junk = junkTallies(classify, shapes, PER_KIND, HELD_OUT_JUNK_SEED);
  });

  it('reads at least 97% of MNIST test digits redrawn as pad strokes as confident digits', () => {
    const test = mnistTest();
    const drawn = Array.from({ length: DIGITS }, (_, i) => redrawnDigit(test.pixels, HELD_OUT_DIGIT + i));
    const t = tally(verdictsOf(classify, shapes, drawn));
    expect(share(t)).toBeGreaterThanOrEqual(0.97);
  });

  it('reads at most 5% of dots, lines, circles with a cross, filled blobs and scribbles as confident digits, and holds the known misses where they are', () => {
    const over: string[] = [];
    for (const [kind, t] of junk) {
      if (NOT_HELD.has(kind)) continue;
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
