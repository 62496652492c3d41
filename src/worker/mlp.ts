/**
 * The multi-layer perceptron as plain tf ops: parameter layout, Glorot
 * initialisation, forward pass, a hand-written backward pass (no gradient
 * tape) and the optimizers. No DOM: runs in
 * Node for the unit tests.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { Activation, Optimizer as OptimizerKind } from '../shared/trainConfig';
import { hostMemoryBackend, hostView, hostViewInt, updateTarget } from './hostMemory';
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
function activationGrad(a: tf.Tensor2D, activation: Activation): tf.Tensor2D {
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
 * The training step's gradient. On the CPU backends (`hostMemoryBackend`) the
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

/** Scratch arrays reused across steps (no per-step allocation), by purpose and size. */
const scratch = new Map<string, Float32Array>();
function scratchF32(key: string, n: number): Float32Array {
  let a = scratch.get(key);
  if (!a || a.length !== n) scratch.set(key, (a = new Float32Array(n)));
  return a;
}

/**
 * Softmax cross-entropy on the host: returns [lossSum, correct] of the batch and
 * writes d(mean loss)/d(logits) = (softmax - onehot) / batch into `dz` [batch * classes]
 * and its column sums (the last bias' gradient) into `db` [classes].
 * Float32 throughout, in the device path's order (logSoftmax, exp, minus the
 * one-hot, times 1/batch), so both take the same steps: in double precision the
 * recipe's 15,000 steps drift to another minimum (test 97.26% vs 97.08%).
 */
export function softmaxHead(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  batch: number,
  classes: number,
  dz: Float32Array,
  db: Float32Array,
): [number, number] {
  let lossSum = 0;
  let correct = 0;
  db.fill(0);
  for (let r = 0; r < batch; r++) {
    const o = r * classes;
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < classes; c++) {
      const z = logits[o + c]!;
      if (z > max) {
        max = z;
        arg = c;
      }
    }
    const f = Math.fround;
    let sum = 0;
    for (let c = 0; c < classes; c++) sum = f(sum + f(Math.exp(f(logits[o + c]! - max))));
    const lse = f(Math.log(sum));
    const label = labels[r]!;
    lossSum += -f(f(logits[o + label]! - max) - lse);
    if (arg === label) correct++;
    for (let c = 0; c < classes; c++) {
      const logp = f(f(logits[o + c]! - max) - lse);
      const d = f(f(f(Math.exp(logp)) - (c === label ? 1 : 0)) * f(1 / batch));
      dz[o + c] = d;
      db[c]! += d;
    }
  }
  // NaN logits make a NaN loss (the run's divergence check), as on the device path.
  return [lossSum, correct];
}

/** dh <- dh * mask * f'(a), in place (dh is a buffer this step made), where a = f(z) is the unmasked output. */
function activationGradInPlace(dh: Float32Array, a: Float32Array, mask: Float32Array | null, activation: Activation): void {
  const n = dh.length;
  if (mask) for (let i = 0; i < n; i++) dh[i]! *= mask[i]!;
  switch (activation) {
    case 'relu':
      for (let i = 0; i < n; i++) if (!(a[i]! > 0)) dh[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) dh[i]! *= 1 - a[i]! * a[i]!;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) dh[i]! *= a[i]! * (1 - a[i]!);
      return;
    case 'elu':
      for (let i = 0; i < n; i++) if (!(a[i]! > 0)) dh[i]! *= a[i]! + 1;
  }
}

/** Column sums of m [rows, cols] into out [cols]. */
function columnSums(m: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c]! += m[o + c]!;
  }
  return out;
}

function backwardHost(
  params: Params,
  activation: Activation,
  x: tf.Tensor2D,
  fwd: ForwardPass,
  labels: Int32Array,
  masks?: readonly tf.Tensor2D[],
): BatchGradient {
  const batch = x.shape[0];
  const layers = params.length / 2;
  const { logits, hidden, unmasked } = fwd;
  const classes = logits.shape[1];
  const dzHead = scratchF32('dz', batch * classes);
  const grads: (tf.Tensor | Float32Array)[] = new Array(layers * 2);
  const dbLast = scratchF32(`db${layers - 1}`, classes);
  const stats = softmaxHead(hostView(logits), labels, batch, classes, dzHead, dbLast);
  grads[2 * layers - 1] = dbLast;
  let dz: tf.Tensor2D = tf.tensor2d(dzHead, [batch, classes]);
  // WASM's matMul with transposeA/B is 2-4x slower than a transpose and a plain
  // matMul (measured); the cpu backend's flags are free.
  const explicit = tf.getBackend() === 'wasm';
  for (let l = layers - 1; l >= 0; l--) {
    const input = l === 0 ? x : hidden[l - 1]!;
    grads[2 * l] = explicit ? tf.matMul(tf.transpose(input), dz) : tf.matMul(input, dz, true, false);
    if (l < layers - 1) grads[2 * l + 1] = columnSums(hostView(dz), batch, dz.shape[1], scratchF32(`db${l}`, dz.shape[1]));
    if (l > 0) {
      const dh = explicit ? tf.matMul(dz, tf.transpose(params[2 * l]!)) : tf.matMul(dz, params[2 * l]!, false, true);
      activationGradInPlace(hostView(dh), hostView(unmasked[l - 1]!), masks?.[l - 1] ? hostView(masks[l - 1]!) : null, activation);
      dz = dh as tf.Tensor2D;
    }
  }
  return { grads, stats };
}

/** Values below this are flushed to zero in the optimizer state (see Optimizer). */
export const FLUSH_BELOW = 1e-30;

/** The slice of the WebGL backend's API used to run our own fused shaders (no import of the backend). */
interface ShaderBackend {
  compileAndRun(
    program: ShaderProgram,
    inputs: tf.TensorInfo[],
    outputDtype?: tf.DataType,
    customUniformValues?: number[][],
  ): tf.TensorInfo;
}
interface ShaderProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs: boolean;
  packedOutput: boolean;
  customUniforms: { name: string; type: 'float' }[];
}

/**
 * One packed WebGL program computing one of Adam's three outputs (m, v or the
 * parameter) per texel of 4 values, with the constants as uniforms. Why: on
 * WebGL the cost is per kernel (SwiftShader: ~0.1 ms each), and tf ops spend
 * 12 kernels (plus pack/unpack conversions) per parameter tensor; these spend 3.
 * The texels' padding is kept at 0, as tf's own packed element-wise programs do.
 */
function adamProgram(which: 'm' | 'v' | 'p', shape: readonly number[]): ShaderProgram {
  const rank = shape.length;
  let pad = '';
  if (rank === 1) {
    pad = `int c = getOutputCoords(); r.y = c + 1 >= ${shape[0]} ? 0. : r.y; r.z = 0.; r.w = 0.;`;
  } else if (rank === 2) {
    pad = `ivec2 c = getOutputCoords();
      bool row = c.x + 1 >= ${shape[0]}; bool col = c.y + 1 >= ${shape[1]};
      r.y = col ? 0. : r.y; r.z = row ? 0. : r.z; r.w = row || col ? 0. : r.w;`;
  }
  const body =
    which === 'm'
      ? 'vec4 r = b1 * getMAtOutCoords() + (1. - b1) * g;'
      : which === 'v'
        ? 'vec4 r = b2 * getVAtOutCoords() + (1. - b2) * g * g;'
        : `vec4 m = b1 * getMAtOutCoords() + (1. - b1) * g;
           vec4 v = b2 * getVAtOutCoords() + (1. - b2) * g * g;
           vec4 r = getPAtOutCoords() - lr * m / (sqrt(v) + eps);`;
  return {
    variableNames: ['G', 'M', 'V', 'P'],
    outputShape: [...shape],
    packedInputs: true,
    packedOutput: true,
    customUniforms: [
      { name: 'lr', type: 'float' },
      { name: 'b1', type: 'float' },
      { name: 'b2', type: 'float' },
      { name: 'eps', type: 'float' },
      { name: 'tiny', type: 'float' },
    ],
    userCode: `
      void main() {
        vec4 g = getGAtOutCoords();
        ${body}
        ${which === 'p' ? '' : 'r = mix(r, vec4(0.), lessThan(abs(r), vec4(tiny)));'}
        ${pad}
        setOutput(r);
      }`,
  };
}

/**
 * One Adam update of n weights: w (read) -> out (may be w), moments m and v in
 * place; every `flush` step moments below FLUSH_BELOW become 0. A function of
 * its own with plain typed arrays, so the engine compiles one tight loop.
 */
function adamHost(
  w: Float32Array,
  out: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  lrT: number,
  b2: number,
  flush: boolean,
): void {
  const n = w.length;
  const c2 = 1 - b2;
  for (let j = 0; j < n; j++) {
    const gj = g[j]!;
    const mj = Math.fround(0.9 * m[j]! + 0.1 * gj);
    const vj = Math.fround(b2 * v[j]! + c2 * gj * gj);
    m[j] = mj;
    v[j] = vj;
    out[j] = w[j]! - (lrT * mj) / (Math.sqrt(vj) + 1e-7);
  }
  if (!flush) return;
  for (let j = 0; j < n; j++) {
    if (Math.abs(m[j]!) < FLUSH_BELOW) m[j] = 0;
    if (Math.abs(v[j]!) < FLUSH_BELOW) v[j] = 0;
  }
}

/** How the update runs on the active backend. */
type OptimizerPath = 'host' | 'shader' | 'ops';

function pathFor(backend: string, kind: OptimizerKind): OptimizerPath {
  // cpu and WASM: tensors live where JS reaches them (a JS array, the module's
  // heap), so one plain loop updating the weights in place beats ~12 kernels per tensor.
  // (WASM: see hostMemoryBackend; its heap is not written by JS.)
  if (backend === 'cpu') return 'host';
  if (backend === 'webgl' && kind === 'adam') return 'shader';
  return 'ops';
}

/**
 * Adam, SGD or RMSprop with Keras' formulas and defaults (Adam: beta1 0.9,
 * beta2 0.999, epsilon 1e-7; RMSprop: rho 0.9, epsilon 1e-7), no gradient tape.
 * Three ways to run the same arithmetic, by backend (see pathFor): a JS loop
 * on the cpu backend, fused shaders for Adam on WebGL, tf ops elsewhere.
 *
 * Why the flush: moments of parameters whose gradient is (almost) always zero
 * (background pixels under 'unit' normalisation, dead ReLU units) decay
 * geometrically into the subnormal range, where arithmetic is slow on CPUs
 * without flush-to-zero; every `flushEvery` steps values below FLUSH_BELOW
 * become 0 (the WebGL shader flushes every step: it costs nothing there).
 *
 * The state (moments, step count) lives as long as the optimizer: the engine
 * keeps it across "continue training" runs with the same optimizer and model.
 */
export class Optimizer {
  private readonly m: tf.Variable[] = [];
  private readonly v: tf.Variable[] = [];
  /** Host path: first and second moments of all parameters, flat [P]. */
  private readonly hostM: Float32Array | null = null;
  private readonly hostV: Float32Array | null = null;
  private t = 0;
  readonly flushEvery = 100;
  /** The backend the state lives on. */
  readonly backend: string;
  private readonly path: OptimizerPath;
  private programs = new Map<string, ShaderProgram>();
  /** Constants made once: a JS number in an op is a fresh upload per call (a texture on WebGL). */
  private readonly c: Record<'lr' | 'b1' | 'b1c' | 'b2' | 'b2c' | 'eps' | 'tiny', tf.Scalar> | null = null;
  private readonly rho: number;

  constructor(
    readonly kind: OptimizerKind,
    private learningRate: number,
    params: readonly tf.Tensor[],
  ) {
    this.rho = kind === 'rmsprop' ? 0.9 : 0.999;
    this.backend = tf.getBackend();
    this.path = pathFor(this.backend, kind);
    if (this.path === 'host') {
      // One flat buffer per moment over all parameters, in the params' order.
      const total = params.reduce((a, p) => a + p.size, 0);
      this.hostM = kind === 'adam' ? new Float32Array(total) : null;
      this.hostV = kind !== 'sgd' ? new Float32Array(total) : null;
      return;
    }
    if (this.path === 'ops') {
      this.c = {
        lr: tf.scalar(learningRate),
        b1: tf.scalar(0.9),
        b1c: tf.scalar(0.1),
        b2: tf.scalar(this.rho),
        b2c: tf.scalar(1 - this.rho),
        eps: tf.scalar(1e-7),
        tiny: tf.scalar(FLUSH_BELOW),
      };
    }
    for (const p of params) {
      // Inside tidy the temporary zeros are freed; the variables hold their own reference.
      if (kind === 'adam') this.m.push(tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
      if (kind !== 'sgd') this.v.push(tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
  }

  /** A new learning rate for the next steps (a continued run); the moments stay. */
  setLearningRate(lr: number): void {
    if (lr === this.learningRate) return;
    this.learningRate = lr;
    if (this.c) {
      this.c.lr.dispose();
      this.c.lr = tf.scalar(lr);
    }
  }

  /** Steps taken so far (Adam's t). */
  get steps(): number {
    return this.t;
  }

  /**
   * Applies one update to each of `params` with its gradient. Call inside tidy.
   * @param grads one per parameter tensor, same shape: tensors, or host arrays
   *   (from batchGradient on the CPU backends; tensors are read in place there).
   */
  apply(params: readonly tf.Variable[], grads: readonly (tf.Tensor | Float32Array)[]): void {
    this.t++;
    // Adam's bias correction folded into the step size (Keras).
    const lrT = this.kind === 'adam' ? (this.learningRate * Math.sqrt(1 - 0.999 ** this.t)) / (1 - 0.9 ** this.t) : this.learningRate;
    if (this.path === 'host') this.applyHost(params, grads, lrT);
    else if (this.path === 'shader') this.applyShader(params, grads as readonly tf.Tensor[], lrT);
    else this.applyOps(params, grads as readonly tf.Tensor[], lrT);
  }

  /**
   * One pass per parameter tensor over the flat moments, reading the weights
   * where they live (a JS array on cpu, the WASM heap) and writing them in place
   * (cpu) or into a fresh heap buffer (WASM, see updateTarget): no kernel
   * launch. Float32 rounding as in the tf-ops path.
   */
  private applyHost(params: readonly tf.Variable[], grads: readonly (tf.Tensor | Float32Array)[], lrT: number): void {
    const flush = this.t % this.flushEvery === 0;
    const b2 = this.rho;
    const m = this.hostM;
    const v = this.hostV;
    let off = 0;
    for (let i = 0; i < params.length; i++) {
      const gi = grads[i]!;
      const g = gi instanceof Float32Array ? gi : hostView(gi);
      const target = updateTarget(params[i]!);
      const { src: w, dst: out } = target;
      const n = w.length;
      if (this.kind === 'sgd') {
        for (let j = 0; j < n; j++) out[j] = w[j]! - lrT * g[j]!;
      } else if (this.kind === 'rmsprop') {
        for (let j = 0; j < n; j++) {
          const gj = g[j]!;
          let vj = Math.fround(b2 * v![off + j]! + (1 - b2) * gj * gj);
          if (flush && Math.abs(vj) < FLUSH_BELOW) vj = 0;
          v![off + j] = vj;
          out[j] = w[j]! - (lrT * gj) / (Math.sqrt(vj) + 1e-7);
        }
      } else {
        adamHost(w, out, g, m!.subarray(off, off + n), v!.subarray(off, off + n), lrT, b2, flush);
      }
      target.commit();
      off += n;
    }
  }

  private applyShader(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lrT: number): void {
    const backend = tf.backend() as unknown as ShaderBackend;
    const uniforms = [[lrT], [0.9], [this.rho], [1e-7], [FLUSH_BELOW]];
    const run = (which: 'm' | 'v' | 'p', i: number): tf.Tensor => {
      const p = params[i]!;
      const key = `${which}:${p.shape.join('x')}`;
      let program = this.programs.get(key);
      if (!program) this.programs.set(key, (program = adamProgram(which, p.shape)));
      const info = backend.compileAndRun(program, [grads[i]!, this.m[i]!, this.v[i]!, p], 'float32', uniforms);
      return tf.engine().makeTensorFromTensorInfo(info);
    };
    params.forEach((p, i) => {
      // All three read the old m and v: compute them before assigning any.
      const m = run('m', i);
      const v = run('v', i);
      const next = run('p', i);
      this.m[i]!.assign(m);
      this.v[i]!.assign(v);
      p.assign(next);
    });
  }

  private applyOps(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lrT: number): void {
    const c = this.c!;
    const flush = this.t % this.flushEvery === 0;
    const flushed = (x: tf.Tensor): tf.Tensor => (flush ? tf.mul(x, tf.cast(tf.greaterEqual(tf.abs(x), c.tiny), 'float32')) : x);
    // Adam's step size changes every step: one scalar upload; SGD and RMSprop use the constant.
    const lr = this.kind === 'adam' ? tf.scalar(lrT) : c.lr;
    params.forEach((p, i) => {
      const g = grads[i]!;
      if (this.kind === 'sgd') {
        p.assign(tf.sub(p, tf.mul(g, lr)));
      } else if (this.kind === 'rmsprop') {
        const v = flushed(tf.add(tf.mul(this.v[i]!, c.b2), tf.mul(tf.square(g), c.b2c)));
        this.v[i]!.assign(v);
        p.assign(tf.sub(p, tf.div(tf.mul(g, lr), tf.add(tf.sqrt(v), c.eps))));
      } else {
        const m = flushed(tf.add(tf.mul(this.m[i]!, c.b1), tf.mul(g, c.b1c)));
        const v = flushed(tf.add(tf.mul(this.v[i]!, c.b2), tf.mul(tf.square(g), c.b2c)));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        p.assign(tf.sub(p, tf.div(tf.mul(m, lr), tf.add(tf.sqrt(v), c.eps))));
      }
    });
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v, ...Object.values(this.c ?? {})]);
  }
}
