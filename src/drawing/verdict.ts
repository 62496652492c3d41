/**
 * An honest answer for a prediction: the model always picks one of ten digits, even for a
 * dot or a scribble, and its softmax is confident about many of them (an x reads "8,
 * score 1.00"). The verdict looks at the drawing as well as the scores:
 *
 * - `not-a-digit` when the 28x28 input is unlike any MNIST digit: a solid blob (a dot),
 *   far more ink than any digit (a scribble), flat and wide (a horizontal line), far from
 *   every way of writing the predicted digit (digitShapes.ts: crosses, many zigzags), or
 *   when the scores are flat (no digit reaches {@link FLAT_SCORE}); or when its ink has a
 *   shape no digit has (inkTopology.ts): three or more loops (a circle with a cross), ink
 *   inside a loop (a smiley's eyes), one straight stroke leaning further than any 1 (a
 *   diagonal line), or more stroke ends than the predicted digit ever has (an x read as 8);
 *   or, last, when the ink check (inkCheck.ts, a tiny network trained on junk against
 *   digits) calls it junk for the digit the model read: a + or an H read as 4, an S as 5.
 * - `unsure` when the top score is below {@link SURE_SCORE}: "4, or maybe 9".
 * - `digit` otherwise.
 *
 * Every threshold sits beyond what MNIST's own digits do (percentiles measured with the
 * shipped model by scripts/measureDrawing.ts). With the ink check, 96.8% of the 10,000 test
 * images and 97.2% of them redrawn as pad strokes are `digit`, and 4.5% of held-out junk
 * drawings (scripts/junkStrokes.ts) are; the README's junk table has every kind.
 */
import { NUM_CLASSES } from '../shared/constants';
import { shapeDistance, type DigitShapes } from './digitShapes';
import { looksLikeJunk, type InkCheck } from './inkCheck';
import { inkTopology } from './inkTopology';
import { inkBoundingBox } from './preprocess';

export type VerdictKind = 'digit' | 'unsure' | 'not-a-digit';

/** Why a drawing is not read as a digit. */
export type NotDigitReason = 'blob' | 'scribble' | 'flat-line' | 'unlike-digit' | 'flat-scores';

export interface Verdict {
  kind: VerdictKind;
  /** The model's pick. */
  digit: number;
  /** Its softmax score, 0..1 (a score, not a probability of being right). */
  score: number;
  /** The second pick and its score. */
  runnerUp: number;
  runnerUpScore: number;
  /** For `not-a-digit`. */
  reason?: NotDigitReason;
}

/** Measurements of a 28x28 input (white ink 0..1 on black). */
export interface InkFeatures {
  /** Total ink, px of full ink (MNIST test digits: median 101, 99.5th percentile 212). */
  ink: number;
  /** Ink box (pixels > 0.1): width, height, px. */
  boxWidth: number;
  boxHeight: number;
  /** Ink / box area (MNIST: median 0.34, 99th percentile 0.61). */
  fill: number;
}

/** Scores below this: flat, the model sees no digit. (0.2% of MNIST test digits.) */
export const FLAT_SCORE = 0.5;
/** Scores below this (and at least FLAT_SCORE): unsure, show the top two. (1.0% of MNIST test digits.) */
export const SURE_SCORE = 0.7;
/** More ink than this: a scribble (0.2% of MNIST test digits have more). */
export const MAX_INK = 220;
/** A box at least this wide and tall (px) and fuller than MAX_FILL: a solid blob, e.g. a dot. */
export const BLOB_MIN_SIDE = 8;
export const MAX_FILL = 0.6;
/** Height / width below this: flat and wide, e.g. a horizontal line (no MNIST test digit). */
export const MIN_HEIGHT_RATIO = 0.45;
/** More closed loops than this: a circle with a cross has four, an 8 two (7 of 1,000 training 8s have three). */
export const MAX_LOOPS = 2;
/** One straight stroke (spread across / along below STRAIGHT) leaning more than MAX_TILT degrees from vertical (1% of training 1s). */
export const STRAIGHT = 0.15;
export const MAX_TILT = 40;
/**
 * Most stroke ends (skeleton ends, spurs pruned) each digit has: per class, the larger of
 * the 99.5th percentiles of 1,000 MNIST training digits as they are and redrawn as pad
 * strokes (`npx tsx scripts/measureDrawing.ts --verdicts-only --topology --per-class 1000`).
 */
export const MAX_ENDS: readonly number[] = [2, 4, 3, 4, 4, 4, 3, 4, 3, 3];

/** Ink amount and box of a 28x28 input. */
export function inkFeatures(pixels: Float32Array, size = 28): InkFeatures {
  let ink = 0;
  for (let i = 0; i < pixels.length; i++) ink += pixels[i] as number;
  const box = inkBoundingBox({ width: size, height: size, data: pixels }, 0.1);
  const boxWidth = box ? box.x1 - box.x0 : 0;
  const boxHeight = box ? box.y1 - box.y0 : 0;
  return { ink, boxWidth, boxHeight, fill: box ? ink / (boxWidth * boxHeight) : 0 };
}

/** The two best digits and their scores. */
export function topTwo(probs: ArrayLike<number>): { digit: number; score: number; runnerUp: number; runnerUpScore: number } {
  let a = 0;
  let b = -1;
  for (let d = 1; d < Math.min(NUM_CLASSES, probs.length); d++) {
    const p = probs[d] as number;
    if (p > (probs[a] as number)) {
      b = a;
      a = d;
    } else if (b < 0 || p > (probs[b] as number)) b = d;
  }
  if (b < 0) b = a === 0 ? 1 : 0;
  return { digit: a, score: probs[a] as number, runnerUp: b, runnerUpScore: (probs[b] as number) ?? 0 };
}

/**
 * The verdict for `probs` [10] on input `pixels` [784]. `shapes` (digitShapes.ts) adds the
 * shape check; without it (not loaded yet) the other checks still apply.
 */
export function verdict(probs: ArrayLike<number>, pixels: Float32Array, shapes?: DigitShapes | null, check?: InkCheck | null): Verdict {
  const top = topTwo(probs);
  const f = inkFeatures(pixels);
  const not = (reason: NotDigitReason): Verdict => ({ kind: 'not-a-digit', reason, ...top });
  if (f.boxWidth >= BLOB_MIN_SIDE && f.boxHeight >= BLOB_MIN_SIDE && f.fill > MAX_FILL) return not('blob');
  if (f.ink > MAX_INK) return not('scribble');
  if (f.boxWidth > 0 && f.boxHeight / f.boxWidth < MIN_HEIGHT_RATIO) return not('flat-line');
  if (top.score < FLAT_SCORE) return not('flat-scores');
  if (shapes && shapeDistance(shapes, pixels, top.digit) > (shapes.limits[top.digit] as number)) return not('unlike-digit');
  const t = inkTopology(pixels);
  if (t.loops > MAX_LOOPS || t.islands > 0) return not('unlike-digit');
  if (t.straightness < STRAIGHT && t.tilt > MAX_TILT) return not('unlike-digit');
  if (t.ends > (MAX_ENDS[top.digit] as number)) return not('unlike-digit');
  if (check && looksLikeJunk(check, pixels, top.digit)) return not('unlike-digit');
  if (top.score < SURE_SCORE) return { kind: 'unsure', ...top };
  return { kind: 'digit', ...top };
}

/** "score 0.94" (two decimals; "score <0.01" for tiny scores). */
export function formatScore(score: number): string {
  return score > 0 && score < 0.005 ? 'score <0.01' : `score ${score.toFixed(2)}`; // i18n-ignore: a measurement label for scripts
}
