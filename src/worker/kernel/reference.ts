/**
 * The training step as plain loops anyone can read: the same maths as the WASM
 * kernel (assembly/index.ts) and the tf.js path, with a dense first layer on
 * standardised inputs, no padding, no SIMD. In float32 (`Float32Array`) it is
 * what the kernel is held to; in float64 (`Float64Array`) it is the reference
 * both are checked against (kernel.test.ts).
 *
 * Parameters use the flat layout of mlp.ts: per layer W [inputs, units]
 * row-major, then b [units].
 */
import type { Activation, Optimizer } from '../../shared/trainConfig';
import { FLUSH_BELOW } from '../optimizer';

export type FloatArray = Float32Array | Float64Array;
export type FloatArrayType = Float32ArrayConstructor | Float64ArrayConstructor;

/** The network and its optimizer. */
export interface ReferenceNet {
  sizes: readonly number[];
  activation: Activation;
  optimizer: Optimizer;
  learningRate: number;
  /** Dropout rate after each hidden layer (0 = off). */
  dropout: number;
}

/** What a step changes: the weights, the optimizer's moments and step count, dropout's generator. */
export interface ReferenceState {
  params: FloatArray;
  m: FloatArray | null;
  v: FloatArray | null;
  t: number;
  /** mulberry32 state (u32), advanced by every dropout draw. */
  rng: number;
}

/** Everything one step computed, per layer input side first. */
export interface ReferenceTrace {
  /** z = h·W + b, [rows * units] per layer. */
  z: FloatArray[];
  /** f(z) for hidden layers (unmasked). */
  a: FloatArray[];
  /** Dropout masks (null without dropout). */
  mask: (FloatArray | null)[];
  /** dL/dz of the mean loss, [rows * units] per layer. */
  d: FloatArray[];
  /** The gradient, flat layout. */
  grads: FloatArray;
  /** Softmax probabilities [rows * classes]. */
  probs: FloatArray;
  lossSum: number;
  correct: number;
}

/** Adam's beta1; beta2 is 0.999 (RMSprop's rho 0.9), epsilon 1e-7 (Keras' defaults, as optimizer.ts). */
const BETA1 = 0.9;
const EPSILON = 1e-7;
const FLUSH_EVERY = 100;

/** One draw of mulberry32 (split.ts) with explicit state: [u in [0, 1), next state]. */
export function mulberry32Step(state: number): [number, number] {
  const a = (state + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, a];
}

function activate(z: number, activation: Activation): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'elu':
      return z > 0 ? z : Math.exp(z) - 1;
  }
}

/** f'(z) from a = f(z). */
function slope(a: number, activation: Activation): number {
  switch (activation) {
    case 'relu':
      return a > 0 ? 1 : 0;
    case 'tanh':
      return 1 - a * a;
    case 'sigmoid':
      return a * (1 - a);
    case 'elu':
      return a > 0 ? 1 : a + 1;
  }
}

/** Where each layer's W and b start in the flat layout. */
function offsets(sizes: readonly number[]): { w: number; b: number }[] {
  const out: { w: number; b: number }[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    out.push({ w: off, b: off + sizes[l]! * sizes[l + 1]! });
    off += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  }
  return out;
}

/**
 * The forward pass and the softmax cross-entropy of `rows` standardised rows x [rows * 784].
 * @param dropout with a state, inverted dropout masks are drawn from it (training); null: none (inference).
 */
export function referenceForward(
  net: ReferenceNet,
  params: FloatArray,
  x: FloatArray,
  labels: ArrayLike<number>,
  rows: number,
  F: FloatArrayType,
  dropout: ReferenceState | null = null,
): Omit<ReferenceTrace, 'd' | 'grads'> {
  const { sizes, activation } = net;
  const at = offsets(sizes);
  const layers = sizes.length - 1;
  const z: FloatArray[] = [];
  const a: FloatArray[] = [];
  const mask: (FloatArray | null)[] = [];
  let h = x;
  for (let l = 0; l < layers; l++) {
    const inputs = sizes[l]!;
    const units = sizes[l + 1]!;
    const zl = new F(rows * units);
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < units; u++) {
        let s = params[at[l]!.b + u]!;
        for (let k = 0; k < inputs; k++) s += h[r * inputs + k]! * params[at[l]!.w + k * units + u]!;
        zl[r * units + u] = s;
      }
    }
    z.push(zl);
    if (l + 1 === layers) break;
    const al = zl.map((v) => activate(v, activation));
    a.push(al);
    if (dropout && net.dropout > 0) {
      const keep = 1 - net.dropout;
      const ml = new F(rows * units);
      for (let i = 0; i < ml.length; i++) {
        const [u, next] = mulberry32Step(dropout.rng);
        dropout.rng = next;
        ml[i] = u < keep ? 1 / keep : 0;
      }
      mask.push(ml);
      h = al.map((v, i) => v * ml[i]!);
    } else {
      mask.push(null);
      h = al;
    }
  }
  const classes = sizes.at(-1)!;
  const logits = z.at(-1)!;
  const probs = new F(rows * classes);
  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < classes; c++) {
      if (logits[r * classes + c]! > max) {
        max = logits[r * classes + c]!;
        arg = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[r * classes + c]! - max);
    const lse = Math.log(sum);
    for (let c = 0; c < classes; c++) probs[r * classes + c] = Math.exp(logits[r * classes + c]! - max - lse);
    lossSum -= logits[r * classes + labels[r]!]! - max - lse;
    if (arg === labels[r]) correct++;
  }
  return { z, a, mask, probs, lossSum, correct };
}

/**
 * One training step: forward, the mean cross-entropy's gradient by backpropagation, and the
 * optimizer's update of `state` (params, moments, t, rng) in place.
 */
export function referenceStep(
  net: ReferenceNet,
  state: ReferenceState,
  x: FloatArray,
  labels: ArrayLike<number>,
  rows: number,
  F: FloatArrayType,
): ReferenceTrace {
  const { sizes, activation } = net;
  const at = offsets(sizes);
  const layers = sizes.length - 1;
  const fwd = referenceForward(net, state.params, x, labels, rows, F, state);
  const grads = new F(state.params.length);
  const d: FloatArray[] = new Array<FloatArray>(layers);
  // Output layer: dL/dz = (p - onehot) / rows.
  const classes = sizes.at(-1)!;
  d[layers - 1] = fwd.probs.map((p, i) => (p - (labels[Math.floor(i / classes)] === i % classes ? 1 : 0)) / rows);
  for (let l = layers - 1; l >= 0; l--) {
    const inputs = sizes[l]!;
    const units = sizes[l + 1]!;
    const dl = d[l]!;
    const input = l === 0 ? x : fwd.mask[l - 1] ? fwd.a[l - 1]!.map((v, i) => v * fwd.mask[l - 1]![i]!) : fwd.a[l - 1]!;
    for (let k = 0; k < inputs; k++) {
      for (let u = 0; u < units; u++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += input[r * inputs + k]! * dl[r * units + u]!;
        grads[at[l]!.w + k * units + u] = s;
      }
    }
    for (let u = 0; u < units; u++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += dl[r * units + u]!;
      grads[at[l]!.b + u] = s;
    }
    if (l === 0) break;
    const prev = new F(rows * inputs);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < inputs; k++) {
        let s = 0;
        for (let u = 0; u < units; u++) s += dl[r * units + u]! * state.params[at[l]!.w + k * units + u]!;
        const i = r * inputs + k;
        prev[i] = s * (fwd.mask[l - 1] ? fwd.mask[l - 1]![i]! : 1) * slope(fwd.a[l - 1]![i]!, activation);
      }
    }
    d[l - 1] = prev;
  }
  referenceUpdate(net, state, grads);
  return { ...fwd, d, grads };
}

/** The optimizer's update of state.params with `grads` (Keras' formulas, as optimizer.ts). */
export function referenceUpdate(net: ReferenceNet, state: ReferenceState, grads: FloatArray): void {
  state.t++;
  const { learningRate: lr, optimizer } = net;
  const flush = state.t % FLUSH_EVERY === 0;
  const p = state.params;
  if (optimizer === 'sgd') {
    for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * grads[i]!;
    return;
  }
  const v = state.v!;
  if (optimizer === 'rmsprop') {
    const rho = 0.9;
    for (let i = 0; i < p.length; i++) {
      v[i] = rho * v[i]! + (1 - rho) * grads[i]! * grads[i]!;
      if (flush && Math.abs(v[i]!) < FLUSH_BELOW) v[i] = 0;
      p[i] = p[i]! - (lr * grads[i]!) / (Math.sqrt(v[i]!) + EPSILON);
    }
    return;
  }
  const m = state.m!;
  const beta2 = 0.999;
  // Adam's bias correction folded into the step size (Keras).
  const lrT = (lr * Math.sqrt(1 - beta2 ** state.t)) / (1 - BETA1 ** state.t);
  for (let i = 0; i < p.length; i++) {
    m[i] = BETA1 * m[i]! + (1 - BETA1) * grads[i]!;
    v[i] = beta2 * v[i]! + (1 - beta2) * grads[i]! * grads[i]!;
    p[i] = p[i]! - (lrT * m[i]!) / (Math.sqrt(v[i]!) + EPSILON);
  }
  if (!flush) return;
  for (let i = 0; i < p.length; i++) {
    if (Math.abs(m[i]!) < FLUSH_BELOW) m[i] = 0;
    if (Math.abs(v[i]!) < FLUSH_BELOW) v[i] = 0;
  }
}

/** A fresh optimizer state for `params` (zero moments). */
export function referenceState(net: ReferenceNet, params: FloatArray, F: FloatArrayType, rng = 0): ReferenceState {
  const n = params.length;
  return {
    params: F.from(params),
    m: net.optimizer === 'adam' ? new F(n) : null,
    v: net.optimizer === 'sgd' ? null : new F(n),
    t: 0,
    rng,
  };
}
