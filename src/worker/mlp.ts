/**
 * The multi-layer perceptron as plain tf ops (the tf.js path: WebGL, WebGPU, the
 * cpu backend, and WASM without SIMD; predictions and "see it think" on every
 * backend): parameter layout, Glorot initialisation, forward pass, a hand-written
 * backward pass (no gradient tape); the optimizers are in optimizer.ts, the WASM
 * SIMD training kernel in kernel/. No DOM: runs in Node for the unit tests.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { Activation } from '../shared/trainConfig';
import { backwardHost } from './hostBackward';
import { hostMemoryBackend, hostViewInt } from './hostMemory';
import type { Rng } from './split';

/** Where one dense layer's kernel and bias sit in the flat parameter vector. */
export interface LayerSlot {
  inputs: number;
  units: number;
  /** Offset of the kernel [inputs, units], row-major (input-major, as Keras stores it). */
  kernelOffset: number;
  /** Offset of the bias [units]. */
  biasOffset: number;
}

/** Layer widths input to output, e.g. [784, 64, 64, 10]. */
export function layerSizes(hiddenUnits: readonly number[]): number[] {
  return [IMAGE_PIXELS, ...hiddenUnits, NUM_CLASSES];
}

/** The flat layout: kernel then bias for each layer, input side first. */
export function layout(sizes: readonly number[]): { slots: LayerSlot[]; count: number } {
  const slots: LayerSlot[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l]!;
    const units = sizes[l + 1]!;
    slots.push({ inputs, units, kernelOffset: off, biasOffset: off + inputs * units });
    off += inputs * units + units;
  }
  return { slots, count: off };
}

/** Number of trainable parameters (784-64-64-10: 55,050). */
export function parameterCount(sizes: readonly number[]): number {
  return layout(sizes).count;
}

/** Glorot-uniform kernels, zero biases (Keras' Dense defaults), from a seeded stream. */
export function initParams(sizes: readonly number[], rng: Rng): Float32Array {
  const { slots, count } = layout(sizes);
  const p = new Float32Array(count);
  for (const s of slots) {
    const limit = Math.sqrt(6 / (s.inputs + s.units));
    for (let i = 0; i < s.inputs * s.units; i++) p[s.kernelOffset + i] = (rng() * 2 - 1) * limit;
  }
  return p;
}

/**
 * The parameters on the device: kernel [inputs, units] and bias [units] per
 * layer, alternating (kernel0, bias0, kernel1, ...). Separate tensors, not
 * slices of one vector: a Slice kernel costs ~100 µs on WASM, more than the
 * element-wise work it saves.
 */
export type Params = tf.Tensor[];

/** One variable per kernel and bias, filled from the flat layout. */
export function paramsFromFlat(flat: Float32Array, slots: readonly LayerSlot[]): tf.Variable[] {
  const out: tf.Variable[] = [];
  for (const s of slots) {
    const k = tf.tensor2d(flat.subarray(s.kernelOffset, s.kernelOffset + s.inputs * s.units), [s.inputs, s.units]);
    const b = tf.tensor1d(flat.subarray(s.biasOffset, s.biasOffset + s.units));
    out.push(tf.variable(k), tf.variable(b));
    tf.dispose([k, b]);
  }
  return out;
}

/** Writes the flat layout into the variables (kernel0, bias0, ...), e.g. the kernel's weights at a commit. */
export function assignFlat(params: readonly tf.Variable[], flat: Float32Array): void {
  let off = 0;
  tf.tidy(() => {
    for (const p of params) {
      p.assign(tf.tensor(flat.subarray(off, off + p.size), p.shape));
      off += p.size;
    }
  });
}

/** The flat layout [P] of per-layer host arrays (kernel0, bias0, ...). */
export function flatFromArrays(arrays: readonly Float32Array[]): Float32Array {
  const flat = new Float32Array(arrays.reduce((a, x) => a + x.length, 0));
  let off = 0;
  for (const a of arrays) {
    flat.set(a, off);
    off += a.length;
  }
  return flat;
}

/** tf.fused has no tanh: it is applied after a fused linear matMul. */
function dense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: Activation | 'linear'): tf.Tensor2D {
  if (activation === 'tanh') return tf.tanh(tf.fused.matMul({ a: x, b: kernel, bias })) as tf.Tensor2D;
  return tf.fused.matMul({ a: x, b: kernel, bias, activation }) as tf.Tensor2D;
}

/** Derivative of the activation, expressed through its output `a` (saves keeping z). */
export function activationGrad(a: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.step(a);
    case 'tanh':
      return tf.sub(1, tf.square(a));
    case 'sigmoid':
      return tf.mul(a, tf.sub(1, a));
    case 'elu':
      // a > 0: 1; a <= 0: a + 1 (= exp(z)).
      return tf.add(tf.minimum(a, 0), 1);
  }
}

/**
 * Forward pass to the logits.
 * @param x [batch, 784] normalised inputs.
 * @param masks optional inverted-dropout masks, one [batch, units] per hidden layer.
 * @returns the logits [batch, 10] and each hidden layer's (masked) output.
 */
export function forward(
  params: Params,
  activation: Activation,
  x: tf.Tensor2D,
  masks?: readonly tf.Tensor2D[],
): { logits: tf.Tensor2D; hidden: tf.Tensor2D[]; unmasked: tf.Tensor2D[] } {
  const layers = params.length / 2;
  const hidden: tf.Tensor2D[] = [];
  const unmasked: tf.Tensor2D[] = [];
  let h = x;
  for (let l = 0; l + 1 < layers; l++) {
    const a = dense(h, params[2 * l] as tf.Tensor2D, params[2 * l + 1] as tf.Tensor1D, activation);
    unmasked.push(a);
    h = masks?.[l] ? tf.mul(a, masks[l]!) : a;
    hidden.push(h);
  }
  const logits = dense(h, params[2 * layers - 2] as tf.Tensor2D, params[2 * layers - 1] as tf.Tensor1D, 'linear');
  return { logits, hidden, unmasked };
}

/** Class probabilities [batch, 10] for normalised inputs [batch, 784]. */
export function predictProbs(params: Params, activation: Activation, x: tf.Tensor2D): tf.Tensor2D {
  return tf.softmax(forward(params, activation, x).logits);
}

/** The gradient of one batch: one per parameter tensor (host arrays where computed on the host), and the batch's stats. */
export interface BatchGradient {
  grads: (tf.Tensor | Float32Array)[];
  /** [lossSum, correct] as numbers (CPU backends) or a [2] tensor to read later (GPUs). */
  stats: readonly [number, number] | tf.Tensor1D;
}

/**
 * Loss, accuracy count and the gradient of the mean sparse categorical
 * cross-entropy, by a hand-written backward pass. Call inside tidy.
 * @param x [batch, 784] normalised inputs; @param labels [batch] int32 digits.
 * @returns grads (one tensor per parameter tensor, same shapes), lossSum (sum over the batch, scalar), correct (count, scalar float32).
 */
export function lossAndGradient(
  params: Params,
  activation: Activation,
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
  masks?: readonly tf.Tensor2D[],
): { grads: tf.Tensor[]; lossSum: tf.Scalar; correct: tf.Scalar } {
  const { grads, stats } = batchGradient(params, activation, x, labels, null, masks);
  const asTensor = (g: tf.Tensor | Float32Array, i: number) => (g instanceof Float32Array ? tf.tensor(g.slice(), params[i]!.shape) : g);
  if (!(stats instanceof tf.Tensor)) return { grads: grads.map(asTensor), lossSum: tf.scalar(stats[0]), correct: tf.scalar(stats[1]) };
  return { grads: grads.map(asTensor), lossSum: tf.squeeze(tf.slice(stats, 0, 1)), correct: tf.squeeze(tf.slice(stats, 1, 1)) };
}

/**
 * The training step's gradient on the tf.js path. On the cpu backend (`hostMemoryBackend`) the
 * small element-wise parts run as JS loops on the tensors' own memory: the
 * softmax cross-entropy head (loss, accuracy, d logits), the activation and
 * dropout derivatives (in place, on buffers this step owns) and the bias
 * sums; only the matrix products are kernels (3 forward, 4-5 per layer
 * backward), instead of ~40 kernels of a few hundred elements each, each of
 * which costs more in dispatch than in arithmetic. On GPUs everything stays
 * on the device. Call inside tidy.
 * @param hostLabels the labels as a host array when the caller has one (saves reading `labels`).
 */
export function batchGradient(
  params: Params,
  activation: Activation,
  x: tf.Tensor2D,
  labels: tf.Tensor1D | null,
  hostLabels: Int32Array | null,
  masks?: readonly tf.Tensor2D[],
): BatchGradient {
  return backwardPass(params, activation, x, forward(params, activation, x, masks), labels, hostLabels, masks);
}

export type ForwardPass = ReturnType<typeof forward>;

/** The loss head and the backward pass of batchGradient, after its forward pass `fwd`. Call inside tidy. */
export function backwardPass(
  params: Params,
  activation: Activation,
  x: tf.Tensor2D,
  fwd: ForwardPass,
  labels: tf.Tensor1D | null,
  hostLabels: Int32Array | null,
  masks?: readonly tf.Tensor2D[],
): BatchGradient {
  if (hostMemoryBackend()) return backwardHost(params, activation, x, fwd, hostLabels ?? hostViewInt(labels!), masks);
  return backwardDevice(params, activation, x, fwd, labels ?? tf.tensor1d(hostLabels!, 'int32'), masks);
}

function backwardDevice(
  params: Params,
  activation: Activation,
  x: tf.Tensor2D,
  fwd: ForwardPass,
  labels: tf.Tensor1D,
  masks?: readonly tf.Tensor2D[],
): BatchGradient {
  const batch = x.shape[0];
  const layers = params.length / 2;
  const { logits, hidden, unmasked } = fwd;
  const logProbs = tf.logSoftmax(logits);
  const oneHot = tf.oneHot(labels, NUM_CLASSES).asType('float32') as tf.Tensor2D;
  const lossSum = tf.neg(tf.sum(tf.mul(oneHot, logProbs))) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar;
  // d(mean loss)/d(logits) = (softmax - onehot) / batch.
  let dz: tf.Tensor2D = tf.mul(tf.sub(tf.exp(logProbs), oneHot), 1 / batch);
  const grads: tf.Tensor[] = new Array<tf.Tensor>(layers * 2);
  // WASM's matMul with transposeA/B is 2-4x slower than a transpose and a plain
  // matMul (measured); on a GPU the flags are free and a transpose is one more pass.
  const explicit = tf.getBackend() === 'wasm';
  for (let l = layers - 1; l >= 0; l--) {
    const input = l === 0 ? x : hidden[l - 1]!;
    grads[2 * l] = explicit ? tf.matMul(tf.transpose(input), dz) : tf.matMul(input, dz, true, false);
    grads[2 * l + 1] = tf.sum(dz, 0);
    if (l > 0) {
      let dh = explicit ? tf.matMul(dz, tf.transpose(params[2 * l]!)) : tf.matMul(dz, params[2 * l]!, false, true);
      if (masks?.[l - 1]) dh = tf.mul(dh, masks[l - 1]!);
      dz = tf.mul(dh, activationGrad(unmasked[l - 1]!, activation));
    }
  }
  return { grads, stats: tf.stack([lossSum, correct]) as tf.Tensor1D };
}

export { FLUSH_BELOW, Optimizer } from './optimizer';
