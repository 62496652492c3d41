/**
 * Conversion between our model (a flat parameter vector of dense layers with a
 * normaliser in front) and a TF.js layers model that takes pixels in [0, 1]
 * (the format saved, exported, imported and shipped).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { Activation } from '../shared/trainConfig';
import { EngineError } from './errors';
import { flatFromArrays, layout, type LayerSlot } from './mlp';
import type { Normalizer } from './split';

/** What a layers model holds, in our terms. */
export interface DenseStack {
  /** Layer widths, 784 first, 10 last. */
  sizes: number[];
  slots: LayerSlot[];
  activation: Activation;
  /** [P] all kernels and biases (layout of mlp.ts). */
  flat: Float32Array;
  /** Identity for raw pixels: mean 0, 1/255 per pixel. */
  norm: Normalizer;
}

/**
 * A tf.Sequential of dense layers taking pixels in [0, 1] ([batch, 784]) and
 * giving softmax probabilities. The normalisation is folded into the first layer:
 * x_norm = (255·p − mean)·invStd, so W1' = W1 · 255·invStd (per input row)
 * and b1' = b1 − Σ_i mean_i·invStd_i·W1[i, :].
 * @param flat [P] parameters (layout of mlp.ts).
 */
export function toLayersModel(slots: readonly LayerSlot[], activation: Activation, flat: Float32Array, norm: Normalizer): tf.Sequential {
  const model = tf.sequential();
  slots.forEach((s, l) => {
    const last = l === slots.length - 1;
    let kernel = flat.slice(s.kernelOffset, s.kernelOffset + s.inputs * s.units);
    let bias = flat.slice(s.biasOffset, s.biasOffset + s.units);
    if (l === 0) {
      const k2 = new Float32Array(kernel.length);
      const b2 = Float64Array.from(bias);
      for (let i = 0; i < s.inputs; i++) {
        const scale = 255 * norm.invStd[i]!;
        const shift = norm.mean[i]! * norm.invStd[i]!;
        for (let u = 0; u < s.units; u++) {
          const w = kernel[i * s.units + u]!;
          k2[i * s.units + u] = w * scale;
          b2[u]! -= shift * w;
        }
      }
      kernel = k2;
      bias = Float32Array.from(b2);
    }
    const layer = tf.layers.dense({
      units: s.units,
      activation: last ? 'softmax' : activation,
      inputShape: l === 0 ? [s.inputs] : undefined,
      name: `dense_${l + 1}`,
    });
    model.add(layer);
    const kt = tf.tensor2d(kernel, [s.inputs, s.units]);
    const bt = tf.tensor1d(bias);
    layer.setWeights([kt, bt]);
    kt.dispose();
    bt.dispose();
  });
  return model;
}

/** Index of the first value that is NaN or ±Infinity, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/**
 * Reads a layers model of dense layers 784 → … → 10 (softmax), taking pixels in [0, 1].
 * @throws EngineError 'model' when the shape, the activations or the numbers do not fit.
 */
export async function fromLayersModel(source: tf.LayersModel): Promise<DenseStack> {
  const dense = source.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (!dense.length) throw new EngineError('model', 'The model has no layers.');
  const sizes = [IMAGE_PIXELS];
  let activation: Activation | null = null;
  const arrays: Float32Array[] = [];
  for (const [i, layer] of dense.entries()) {
    if (layer.getClassName() !== 'Dense')
      throw new EngineError('model', `Layer ${layer.name} is a ${layer.getClassName()}: only Dense layers are supported.`);
    const cfg = layer.getConfig() as { activation?: string };
    const [kernel, bias] = layer.getWeights();
    if (!kernel || kernel.shape.length !== 2 || kernel.shape[0] !== sizes[sizes.length - 1]) {
      throw new EngineError('model', `Layer ${layer.name} has the wrong input size: expected ${sizes[sizes.length - 1]}.`);
    }
    const units = kernel.shape[1]!;
    const act = cfg.activation ?? 'linear';
    if (i === dense.length - 1) {
      if (units !== NUM_CLASSES || act !== 'softmax')
        throw new EngineError('model', `The last layer must be Dense(${NUM_CLASSES}, softmax).`);
    } else {
      if (!['relu', 'tanh', 'sigmoid', 'elu'].includes(act))
        throw new EngineError('model', `Unsupported activation ${act} in ${layer.name}.`);
      if (activation && activation !== act) throw new EngineError('model', 'All hidden layers must use the same activation.');
      activation = act as Activation;
    }
    for (const [what, t] of [
      ['kernel', kernel],
      ['bias', bias],
    ] as const) {
      const values = t ? ((await t.data()) as Float32Array) : new Float32Array(units);
      if (firstNonFinite(values) >= 0)
        throw new EngineError('model', `The ${what} of layer ${layer.name} holds NaN or infinite numbers: the model cannot be used.`);
      arrays.push(values);
    }
    sizes.push(units);
  }
  const { slots } = layout(sizes);
  return {
    sizes,
    slots,
    activation: activation ?? 'relu',
    flat: flatFromArrays(arrays),
    norm: { mean: new Float32Array(IMAGE_PIXELS), invStd: new Float32Array(IMAGE_PIXELS).fill(1 / 255) },
  };
}
