/**
 * The optimizers (Adam, RMSprop, SGD) of the tf.js path over the MLP's per-layer parameter
 * tensors, run the way each backend runs them best: JS loops on the cpu backend's memory,
 * three fused shaders on WebGL, tf ops elsewhere (WebGPU, and WASM without SIMD). The WASM
 * SIMD kernel has the same formulas in its own code (kernel/assembly/optimizer.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer as OptimizerKind } from '../shared/trainConfig';
import { hostView, ownedStore } from './hostMemory';
/** Values below this are flushed to zero in the optimizer state (see Optimizer). */
export const FLUSH_BELOW = 1e-30;
/** Steps between flushes of the optimizer state. */
export const FLUSH_EVERY = 100;

/** The step size of update `t` (1-based): Adam's bias correction folded into the learning rate (Keras); lr otherwise. */
export function stepSize(kind: OptimizerKind, learningRate: number, t: number): number {
  return kind === 'adam' ? (learningRate * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t) : learningRate;
}

/** beta2 of Adam, rho of RMSprop (Keras' defaults). */
export function secondMomentDecay(kind: OptimizerKind): number {
  return kind === 'rmsprop' ? 0.9 : 0.999;
}

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
  // cpu: tensors are JS arrays, so one plain loop updating the weights in place beats ~12 kernels per tensor.
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
  readonly flushEvery = FLUSH_EVERY;
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
    this.rho = secondMomentDecay(kind);
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
    const lrT = stepSize(this.kind, this.learningRate, this.t);
    if (this.path === 'host') this.applyHost(params, grads, lrT);
    else if (this.path === 'shader') this.applyShader(params, grads as readonly tf.Tensor[], lrT);
    else this.applyOps(params, grads as readonly tf.Tensor[], lrT);
  }

  /**
   * One pass per parameter tensor over the flat moments, on the cpu backend's
   * own arrays, in place: no kernel launch. Float32 rounding as in the tf-ops path.
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
      // In place: the cpu backend's memory is a JS array (hostMemory.ts).
      const w = ownedStore(params[i]!);
      const out = w;
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

  /** An independent copy of the state (moments, step count) on the same backend, for the step view's Undo. */
  clone(params: readonly tf.Tensor[]): Optimizer {
    const o = new Optimizer(this.kind, this.learningRate, params);
    o.t = this.t;
    if (this.hostM) o.hostM!.set(this.hostM);
    if (this.hostV) o.hostV!.set(this.hostV);
    this.m.forEach((m, i) => o.m[i]!.assign(m));
    this.v.forEach((v, i) => o.v[i]!.assign(v));
    return o;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v, ...Object.values(this.c ?? {})]);
  }
}
