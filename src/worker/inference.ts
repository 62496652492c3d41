/**
 * Reading with a model's weights through tf.js (on every backend, the kernel's
 * weights committed first by the engine): class probabilities of one drawn
 * digit or of many images, and of a whole labelled split in chunks.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { Activation } from '../shared/trainConfig';
import { disposeSplit, uploadSplit, type DeviceDataCache, type DeviceSplit } from './deviceData';
import type { SplitData } from './dataset';
import { forward, predictProbs, type Params } from './mlp';
import { normalizeRows, normalizeUnitPixels, type Normalizer } from './split';
import { yieldNow } from './yieldNow';

/** The index of the largest of each row of `probs` [rows * 10]. */
export function argmaxRows(probs: Float32Array, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let d = 1; d < NUM_CLASSES; d++) if (probs[r * NUM_CLASSES + d]! > probs[r * NUM_CLASSES + best]!) best = d;
    out[r] = best;
  }
  return out;
}

/** [10] probabilities of one input given as 0..1 pixels [784]. */
export async function probsOfPixels(params: Params, activation: Activation, norm: Normalizer, pixels: Float32Array): Promise<Float32Array> {
  const probs = tf.tidy(() => predictProbs(params, activation, tf.tensor2d(normalizeUnitPixels(pixels, norm), [1, IMAGE_PIXELS])));
  const out = (await probs.data()) as Float32Array;
  probs.dispose();
  return out;
}

/** The ten logits (the output layer's sums, before softmax) of one input ([784] 0..1): predict's forward pass without its softmax. */
export async function logitsOfPixels(
  params: Params,
  activation: Activation,
  norm: Normalizer,
  pixels: Float32Array,
): Promise<Float32Array> {
  const z = tf.tidy(() => forward(params, activation, tf.tensor2d(normalizeUnitPixels(pixels, norm), [1, IMAGE_PIXELS])).logits);
  const out = (await z.data()) as Float32Array;
  z.dispose();
  return out;
}

/** [count * 10] probabilities of images given as bytes 0..255 [count * 784]. */
export async function probsOfImages(
  params: Params,
  activation: Activation,
  norm: Normalizer,
  images: Uint8Array,
  count: number,
): Promise<Float32Array> {
  if (!count) return new Float32Array(0);
  const rows = Int32Array.from({ length: count }, (_, i) => i);
  const probs = tf.tidy(() => predictProbs(params, activation, tf.tensor2d(normalizeRows(images, rows, norm), [count, IMAGE_PIXELS])));
  const out = (await probs.data()) as Float32Array;
  probs.dispose();
  return out;
}

/** [count * 10] probabilities of a split on the device, a chunk at a time (a predict request waits for one chunk). */
export async function probsOfSplit(params: Params, activation: Activation, split: DeviceSplit): Promise<Float32Array> {
  const probs = new Float32Array(split.count * NUM_CLASSES);
  let row = 0;
  for (const { x } of split.chunks) {
    const p = tf.tidy(() => predictProbs(params, activation, x));
    probs.set(await p.data(), row * NUM_CLASSES);
    row += x.shape[0];
    p.dispose();
    await yieldNow();
  }
  return probs;
}

/** The first dense layer's kernel [784, units] as [units * 784], unit-major (the weight pictures). */
export async function firstLayerUnitMajor(params: Params): Promise<Float32Array> {
  const t = tf.tidy(() => tf.transpose(params[0]!));
  const weights = (await t.data()) as Float32Array;
  t.dispose();
  return weights;
}

/**
 * [count * 10] probabilities of a labelled split (the test set), uploaded for the occasion or, with
 * `cache`, kept there for the next evaluation.
 */
export async function probsOfLabelled(
  params: Params,
  activation: Activation,
  norm: Normalizer,
  test: SplitData,
  cache: DeviceDataCache | null,
): Promise<Float32Array> {
  const all = Int32Array.from({ length: test.count }, (_, i) => i);
  const split = cache ? cache.get('test', test, all, norm, 'test') : uploadSplit(test, all, norm);
  try {
    return await probsOfSplit(params, activation, split);
  } finally {
    if (!cache) disposeSplit(split);
  }
}
