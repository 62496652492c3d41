/**
 * The cpu backend's backward pass (tf.js path): the softmax cross-entropy head, the activation and
 * dropout derivatives and the bias sums as JS loops on the backend's own arrays (hostMemory.ts);
 * only the matrix products are kernels. Called by mlp.ts' backwardPass on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../shared/trainConfig';
import { hostView } from './hostMemory';
import type { BatchGradient, ForwardPass, Params } from './mlp';

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

export function backwardHost(
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
  // The cpu backend's matMul takes the transpose flags for free.
  for (let l = layers - 1; l >= 0; l--) {
    const input = l === 0 ? x : hidden[l - 1]!;
    grads[2 * l] = tf.matMul(input, dz, true, false);
    if (l < layers - 1) grads[2 * l + 1] = columnSums(hostView(dz), batch, dz.shape[1], scratchF32(`db${l}`, dz.shape[1]));
    if (l > 0) {
      const dh = tf.matMul(dz, params[2 * l]!, false, true);
      activationGradInPlace(hostView(dh), hostView(unmasked[l - 1]!), masks?.[l - 1] ? hostView(masks[l - 1]!) : null, activation);
      dz = dh as tf.Tensor2D;
    }
  }
  return { grads, stats };
}
