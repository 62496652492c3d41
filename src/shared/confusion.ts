/**
 * Arithmetic on a confusion matrix: row-major counts `counts[true * classes + predicted]`
 * (rows = true label, columns = prediction), as `TestReport.confusion` carries it.
 * Pure: no DOM, no tf. Ratios over an empty row or column are NaN; `formatPercent` shows them as "—".
 */
import { NUM_CLASSES } from './constants';

/** Recall, precision and counts of one class. */
export interface ClassStats {
  digit: number;
  /** Test images of this class (row sum). */
  support: number;
  /** Images predicted as this class (column sum). */
  predictedCount: number;
  /** Images of this class predicted correctly (the diagonal cell). */
  correct: number;
  /** correct / support, 0..1; NaN when the class has no samples. */
  recall: number;
  /** correct / predictedCount, 0..1; NaN when nothing was predicted as this class. */
  precision: number;
}

/** One off-diagonal cell: images of `label` taken for `predicted`. */
export interface Confusion {
  label: number;
  predicted: number;
  count: number;
  /** count / support of `label`, 0..1. */
  rate: number;
}

export interface ConfusionSummary {
  classes: number;
  /** Sum of all counts. */
  total: number;
  /** Sum of the diagonal. */
  correct: number;
  /** correct / total, 0..1; NaN when total is 0. */
  accuracy: number;
  perClass: ClassStats[];
  /** Off-diagonal cells with a non-zero count, most frequent first (ties: lower label, then lower prediction). */
  topConfusions: Confusion[];
  /** Largest off-diagonal row-normalised rate, 0 when there are no errors (the heat map's error scale). */
  maxErrorRate: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

function checkSquare(counts: ArrayLike<number>, classes: number): void {
  if (counts.length !== classes * classes) {
    throw new RangeError(`a ${classes}x${classes} confusion matrix needs ${classes * classes} counts, got ${counts.length}`);
  }
}

/**
 * Totals, accuracy, per-class recall and precision, and the most-confused pairs.
 * @param counts row-major [classes * classes] counts (rows = true label)
 * @param topN how many confused pairs to keep
 */
export function summarizeConfusion(counts: ArrayLike<number>, classes: number = NUM_CLASSES, topN = 5): ConfusionSummary {
  checkSquare(counts, classes);
  const rowSums = new Array<number>(classes).fill(0);
  const colSums = new Array<number>(classes).fill(0);
  let total = 0;
  let correct = 0;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) {
      const c = counts[t * classes + p] ?? 0;
      rowSums[t]! += c;
      colSums[p]! += c;
      total += c;
      if (t === p) correct += c;
    }
  }
  const perClass: ClassStats[] = [];
  for (let d = 0; d < classes; d++) {
    const diag = counts[d * classes + d] ?? 0;
    perClass.push({
      digit: d,
      support: rowSums[d]!,
      predictedCount: colSums[d]!,
      correct: diag,
      recall: ratio(diag, rowSums[d]!),
      precision: ratio(diag, colSums[d]!),
    });
  }
  const errors: Confusion[] = [];
  let maxErrorRate = 0;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) {
      const c = counts[t * classes + p] ?? 0;
      if (t === p || c <= 0) continue;
      const rate = c / rowSums[t]!;
      maxErrorRate = Math.max(maxErrorRate, rate);
      errors.push({ label: t, predicted: p, count: c, rate });
    }
  }
  // Stable sort keeps row-major order among equal counts.
  errors.sort((a, b) => b.count - a.count);
  return { classes, total, correct, accuracy: ratio(correct, total), perClass, topConfusions: errors.slice(0, topN), maxErrorRate };
}

/**
 * Each cell divided by its row sum (the share of a true class that went to each prediction), 0..1.
 * Rows without samples are all 0.
 */
export function rowRates(counts: ArrayLike<number>, classes: number = NUM_CLASSES): number[] {
  checkSquare(counts, classes);
  const out = new Array<number>(classes * classes).fill(0);
  for (let t = 0; t < classes; t++) {
    let sum = 0;
    for (let p = 0; p < classes; p++) sum += counts[t * classes + p] ?? 0;
    if (sum <= 0) continue;
    for (let p = 0; p < classes; p++) out[t * classes + p] = (counts[t * classes + p] ?? 0) / sum;
  }
  return out;
}

/**
 * Counts from parallel arrays of true labels and predictions.
 * @returns row-major [classes * classes] counts
 * @throws RangeError when the lengths differ or a value is not an integer in 0..classes-1
 */
export function confusionFromPredictions(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number = NUM_CLASSES): number[] {
  if (labels.length !== predicted.length) {
    throw new RangeError(`${labels.length} labels but ${predicted.length} predictions`);
  }
  const counts = new Array<number>(classes * classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i]!;
    const p = predicted[i]!;
    if (!Number.isInteger(t) || t < 0 || t >= classes || !Number.isInteger(p) || p < 0 || p >= classes) {
      throw new RangeError(`sample ${i}: label ${t} / prediction ${p} is not a class 0..${classes - 1}`);
    }
    counts[t * classes + p]! += 1;
  }
  return counts;
}

/** "96.7%" for 0.967; "—" for NaN or infinite values (a class with no samples). */
export function formatPercent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—';
}
