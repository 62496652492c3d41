/**
 * The test-set report: loss, accuracy, confusion counts and the most confident mistakes,
 * computed on the host from the model's probabilities.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { CellImages, Mistake, TestReport } from '../shared/protocol';
import type { SplitData } from './dataset';

/** Mistakes kept in a TestReport. */
export const MISTAKES_KEPT = 30;

/**
 * Builds a TestReport from the model's probabilities.
 * @param probs [count * 10] probabilities, row per image.
 * @param version the version of the model that produced them.
 */
export function reportFromProbs(probs: Float32Array, test: SplitData, version = 0): TestReport {
  const confusion = new Array<number>(NUM_CLASSES * NUM_CLASSES).fill(0);
  const wrong: { index: number; label: number; predicted: number; confidence: number }[] = [];
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    const row = probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    let pred = 0;
    for (let c = 1; c < NUM_CLASSES; c++) if (row[c]! > row[pred]!) pred = c;
    const label = test.labels[i]!;
    lossSum -= Math.log(Math.max(row[label]!, 1e-30));
    confusion[label * NUM_CLASSES + pred]!++;
    if (pred === label) correct++;
    else wrong.push({ index: i, label, predicted: pred, confidence: row[pred]! });
  }
  wrong.sort((a, b) => b.confidence - a.confidence);
  const mistakes: Mistake[] = wrong.slice(0, MISTAKES_KEPT).map((w) => ({
    ...w,
    pixels: test.images.slice(w.index * IMAGE_PIXELS, (w.index + 1) * IMAGE_PIXELS),
    probs: probs.slice(w.index * NUM_CLASSES, (w.index + 1) * NUM_CLASSES),
  }));
  return { version, testLoss: lossSum / Math.max(1, test.count), testAccuracy: correct / Math.max(1, test.count), confusion, mistakes };
}

/**
 * The test images an evaluation put in cell (label, predicted): the first `limit` of them with their pixels.
 * @param readings the digit read for each test image at that evaluation; @param version the model version it read with.
 */
export function cellImagesOf(
  test: SplitData,
  readings: Uint8Array,
  version: number,
  label: number,
  predicted: number,
  limit: number,
): CellImages {
  const all: number[] = [];
  for (let i = 0; i < test.count; i++) if (test.labels[i] === label && readings[i] === predicted) all.push(i);
  const indices = Int32Array.from(all.slice(0, Math.max(0, limit)));
  const pixels = new Uint8Array(indices.length * IMAGE_PIXELS);
  indices.forEach((src, r) => pixels.set(test.images.subarray(src * IMAGE_PIXELS, (src + 1) * IMAGE_PIXELS), r * IMAGE_PIXELS));
  return { version, label, predicted, total: all.length, indices, pixels };
}
