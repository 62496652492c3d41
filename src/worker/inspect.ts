/**
 * "See it think": how the model reads one input. A forward pass that keeps
 * every hidden layer's output, and the gradient of the predicted digit's
 * log-probability with respect to the input pixels (saliency). Plain tf ops
 * (not the fused ones of mlp.ts, whose gradients cover only linear and relu),
 * with the normalisation in the graph so the gradient is per 0..1 pixel.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../shared/constants';
import type { Inspection } from '../shared/protocol';
import type { Activation } from '../shared/trainConfig';
import { argmaxRows } from './inference';
import type { Params } from './mlp';
import type { Normalizer } from './split';

function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'elu':
      return tf.elu(z);
  }
}

/** Forward pass from 0..1 pixels [1, 784]: each hidden layer's output and the logits [1, 10]. */
function layersOf(
  params: Params,
  activation: Activation,
  scale: tf.Tensor1D,
  shift: tf.Tensor1D,
  pixels: tf.Tensor2D,
): { hidden: tf.Tensor2D[]; logits: tf.Tensor2D } {
  const layers = params.length / 2;
  let h: tf.Tensor2D = tf.sub(tf.mul(pixels, scale), shift);
  const hidden: tf.Tensor2D[] = [];
  for (let l = 0; l < layers; l++) {
    const z = tf.add(tf.matMul(h, params[2 * l] as tf.Tensor2D), params[2 * l + 1]!) as tf.Tensor2D;
    if (l === layers - 1) return { hidden, logits: z };
    h = activate(z, activation);
    hidden.push(h);
  }
  throw new Error('a model has at least one layer');
}

/**
 * Reads one input with the model's parameters.
 * @param pixels [784] 0..1, white ink on black.
 * @returns probabilities [10], the predicted digit, each hidden layer's activations, and
 *   d log p(predicted) / d pixel [784].
 */
export async function inspectInput(
  params: Params,
  activation: Activation,
  norm: Normalizer,
  pixels: Float32Array,
): Promise<Omit<Inspection, 'version'>> {
  // x = (255 p - mean) invStd = p * (255 invStd) - mean invStd.
  const scaleArr = new Float32Array(IMAGE_PIXELS);
  const shiftArr = new Float32Array(IMAGE_PIXELS);
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    scaleArr[i] = 255 * norm.invStd[i]!;
    shiftArr[i] = norm.mean[i]! * norm.invStd[i]!;
  }
  const outs = tf.tidy(() => {
    const scale = tf.tensor1d(scaleArr);
    const shift = tf.tensor1d(shiftArr);
    const input = tf.tensor2d(pixels, [1, IMAGE_PIXELS]);
    const { hidden, logits } = layersOf(params, activation, scale, shift, input);
    const probs = tf.softmax(logits);
    const predicted = tf.argMax(logits, 1);
    const mask = tf.oneHot(predicted, logits.shape[1]).asType('float32');
    const gradient = tf.grad((p: tf.Tensor) =>
      tf.sum(tf.mul(tf.logSoftmax(layersOf(params, activation, scale, shift, p as tf.Tensor2D).logits), mask)),
    )(input);
    return [probs, gradient, ...hidden];
  });
  try {
    const [probs, gradient, ...hidden] = (await Promise.all(outs.map((t) => t.data()))) as Float32Array[];
    return { probs: probs!, predicted: argmaxRows(probs!, 1)[0]!, gradient: gradient!, hidden };
  } finally {
    tf.dispose(outs);
  }
}
