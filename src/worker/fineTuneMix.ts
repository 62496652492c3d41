/**
 * The training set of a fine-tune run: MNIST training images and your digits,
 * each of yours repeated so they matter (the run shuffles the mix). Pure: no tf.
 */
import { argmax } from '../shared/argmax';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { MyDigitsReport } from '../shared/protocol';
import { accuracyOf, type DigitSet } from '../shared/myDigits';
import { digitSet } from '../shared/validate';
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

/** Checks a digit set's sizes and labels (the door's check, shared/validate.ts); returns what is wrong, or null. */
export function digitSetProblem(set: DigitSet): string | null {
  return digitSet.test(set, 'digits');
}

/** What the model read for each digit, from its probabilities [n * 10]. */
export function readDigits(probs: Float32Array | null, labels: Uint8Array, version: number): MyDigitsReport {
  const n = labels.length;
  const predicted = new Uint8Array(n);
  const confidence = new Float32Array(n);
  if (!probs) return { version, predicted, confidence, accuracy: null };
  for (let i = 0; i < n; i++) {
    const best = argmax(probs, i * NUM_CLASSES, NUM_CLASSES);
    predicted[i] = best;
    confidence[i] = probs[i * NUM_CLASSES + best]!;
  }
  return { version, predicted, confidence, accuracy: accuracyOf(labels, predicted) };
}
