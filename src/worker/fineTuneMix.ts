/**
 * The training set of a fine-tune run: MNIST training images and your digits,
 * each of yours repeated so they matter (the run shuffles the mix). Pure: no tf.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { MyDigitsReport } from '../shared/protocol';
import { accuracyOf, type DigitSet } from '../shared/myDigits';
import type { SplitData } from './dataset';

/**
 * @param mnist the MNIST training file; @param indices the images of it to use.
 * @param yours your digits; @param repeats copies of each.
 * @returns [indices.length + repeats * yours] images with their labels.
 */
export function fineTuneMix(mnist: SplitData, indices: Int32Array, yours: DigitSet, repeats: number): SplitData {
  const n = yours.labels.length;
  const count = indices.length + n * repeats;
  const images = new Uint8Array(count * IMAGE_PIXELS);
  const labels = new Uint8Array(count);
  indices.forEach((src, r) => {
    images.set(mnist.images.subarray(src * IMAGE_PIXELS, (src + 1) * IMAGE_PIXELS), r * IMAGE_PIXELS);
    labels[r] = mnist.labels[src]!;
  });
  let r = indices.length;
  for (let k = 0; k < repeats; k++) {
    images.set(yours.images, r * IMAGE_PIXELS);
    labels.set(yours.labels, r);
    r += n;
  }
  return { count, images, labels };
}

/** Checks a digit set's sizes and labels; returns what is wrong, or null. */
export function digitSetProblem(set: DigitSet): string | null {
  if (!(set.images instanceof Uint8Array) || !(set.labels instanceof Uint8Array)) return 'digits must be byte arrays';
  if (set.images.length !== set.labels.length * IMAGE_PIXELS)
    return `${set.labels.length} digits need ${set.labels.length * IMAGE_PIXELS} pixels, got ${set.images.length}`;
  if (set.labels.some((l) => l >= NUM_CLASSES)) return 'labels must be digits 0 to 9';
  return null;
}

/** What the model read for each digit, from its probabilities [n * 10]. */
export function readDigits(probs: Float32Array | null, labels: Uint8Array, version: number): MyDigitsReport {
  const n = labels.length;
  const predicted = new Uint8Array(n);
  const confidence = new Float32Array(n);
  if (!probs) return { version, predicted, confidence, accuracy: null };
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let d = 1; d < NUM_CLASSES; d++) if (probs[i * NUM_CLASSES + d]! > probs[i * NUM_CLASSES + best]!) best = d;
    predicted[i] = best;
    confidence[i] = probs[i * NUM_CLASSES + best]!;
  }
  return { version, predicted, confidence, accuracy: accuracyOf(labels, predicted) };
}
