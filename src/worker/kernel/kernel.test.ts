/**
 * The WASM SIMD kernel against its plain TypeScript reference (reference.ts)
 * in float64 and float32: gradients, the optimizers' updates, dropout, the
 * sparse first layer against the dense one, several steps, inference, and
 * the memory that cannot grow. On real MNIST images (their sparsity matters).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistSplit } from '../../../scripts/mnistSplit';
import { useNodeKernel } from '../../../scripts/kernelNode';
import { ACTIVATIONS, OPTIMIZERS, type Activation, type Optimizer } from '../../shared/trainConfig';
import { initParams } from '../mlp';
import { fitNormalizer, mulberry32, type Normalizer } from '../split';
import { flatCount, Kernel, SOURCE } from './kernel';
import { LAYER, LAYER_BASE, LAYER_STRIDE, padFrom, SLOT, unpadInto, type KernelShape } from './layout';
import {
  referenceForward,
  referenceState,
  referenceStep,
  referenceUpdate,
  type FloatArray,
  type FloatArrayType,
  type ReferenceNet,
} from './reference';

const train = mnistSplit('train', 2000);
const ROWS = 8;
/** Odd widths, so the padding to 4 lanes is exercised. */
const SIZES = [784, 13, 7, 10];
let module: WebAssembly.Module;
let standardize: Normalizer;
let unit: Normalizer;

beforeAll(async () => {
  module = await useNodeKernel();
  const all = Int32Array.from({ length: 2000 }, (_, i) => i);
  standardize = fitNormalizer(train.images, all, 'standardize');
  unit = fitNormalizer(train.images, all, 'unit');
});

/** Initial weights with non-zero biases, so every term of the gradient matters. */
function weights(sizes: readonly number[], seed: number): Float32Array {
  const rng = mulberry32(seed);
  const p = initParams(sizes, rng);
  for (let i = 0; i < p.length; i++) p[i]! += (rng() - 0.5) * 0.05;
  return p;
}

/** Standardised rows [rows * 784] of images first .. first + rows, in precision F. */
function standardRows(first: number, rows: number, norm: Normalizer, F: FloatArrayType): FloatArray {
  const x = new F(rows * 784);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < 784; j++) x[r * 784 + j] = (train.images[(first + r) * 784 + j]! - norm.mean[j]!) * norm.invStd[j]!;
  return x;
}

/** Writes a flat-layout gradient into the kernel's padded gradient region. */
function padGrads(k: Kernel, g: Float32Array): void {
  padFrom(k.layers, g, k.grads);
}

/** Writes the reference optimizer's moments into the kernel's. */
function setMoments(k: Kernel, s: { m: FloatArray | null; v: FloatArray | null }): void {
  if (k.m && s.m) padFrom(k.layers, Float32Array.from(s.m), k.m);
  if (k.v && s.v) padFrom(k.layers, Float32Array.from(s.v), k.v);
}

const labelsOf = (first: number, rows: number) => Int32Array.from(train.labels.subarray(first, first + rows));

function shape(o: Partial<KernelShape> & Pick<KernelShape, 'activation' | 'optimizer'>): KernelShape {
  return { sizes: SIZES, batchCap: ROWS, trainRows: 0, evalRows: 0, sparse: true, dropout: false, keepAll: true, ...o };
}

/** Fills the kernel's batch with images first .. first + rows. */
function fillBatch(k: Kernel, first: number, rows: number): void {
  k.batchBytes.set(train.images.subarray(first * 784, (first + rows) * 784));
  k.batchLabels.set(labelsOf(first, rows));
}

/** Adam's step size with bias correction at step t, as optimizer.ts computes it (double). */
function stepSize(optimizer: Optimizer, lr: number, t: number): number {
  return optimizer === 'adam' ? (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t) : lr;
}
const rhoOf = (optimizer: Optimizer) => (optimizer === 'rmsprop' ? 0.9 : 0.999);

/**
 * Relative error of `ours` against `ref`, tensor by tensor (each layer's W and b): the largest
 * difference over the tensor's largest magnitude. That denominator is the guard: float32 sums of
 * hundreds of terms (standardised rare pixels reach 50) are exact to about an ulp of the terms, so
 * an element that cancels to nearly 0 carries that absolute error, which is tiny against the
 * tensor but not against itself.
 */
function relError(ours: ArrayLike<number>, ref: ArrayLike<number>, sizes: readonly number[] | null = null): number {
  const parts: [number, number][] = [];
  if (!sizes) parts.push([0, ref.length]);
  else {
    let off = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      parts.push(
        [off, off + sizes[l]! * sizes[l + 1]!],
        [off + sizes[l]! * sizes[l + 1]!, off + sizes[l]! * sizes[l + 1]! + sizes[l + 1]!],
      );
      off += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
    }
  }
  let worst = 0;
  for (const [a, b] of parts) {
    let scale = 0;
    let diff = 0;
    for (let i = a; i < b; i++) {
      scale = Math.max(scale, Math.abs(ref[i]!));
      diff = Math.max(diff, Math.abs(ours[i]! - ref[i]!));
    }
    worst = Math.max(worst, diff / Math.max(scale, 1e-30));
  }
  return worst;
}

describe('the kernel against the float64 reference', () => {
  const cases = ACTIVATIONS.flatMap((activation) => OPTIMIZERS.map((optimizer) => ({ activation, optimizer })));
  it.each(cases)('gradients of three $optimizer steps ($activation, sparse and dense first layer)', ({ activation, optimizer }) => {
    const net: ReferenceNet = { sizes: SIZES, activation, optimizer, learningRate: 0.01, dropout: 0 };
    const p0 = weights(SIZES, 3);
    for (const sparse of [true, false]) {
      const k = new Kernel(module, shape({ activation, optimizer, sparse }), standardize);
      k.writeWeights(p0);
      // The optimizer in float64, fed the kernel's own gradients (its arithmetic is checked on its own below).
      const opt = referenceState(net, p0, Float64Array);
      for (let t = 1; t <= 3; t++) {
        const first = 8 * t;
        const ref = referenceState(net, k.readWeights(), Float64Array);
        const trace = referenceStep(
          net,
          ref,
          standardRows(first, ROWS, standardize, Float64Array),
          labelsOf(first, ROWS),
          ROWS,
          Float64Array,
        );
        fillBatch(k, first, ROWS);
        k.train(SOURCE.BYTES, 0, ROWS, stepSize(optimizer, 0.01, t), rhoOf(optimizer), 1, false);
        const grads = unpadInto(k.layers, k.grads, new Float32Array(p0.length));
        expect(relError(grads, trace.grads, SIZES), `gradient, step ${t}, sparse=${sparse}`).toBeLessThanOrEqual(1e-5);
        expect(k.stats[0]!).toBeCloseTo(trace.lossSum, 4);
        expect(k.stats[1]!).toBe(trace.correct);
        referenceUpdate(net, opt, Float64Array.from(grads));
        // The weights after the update, to float32 storage (an ulp of a weight is ~1e-8).
        expect(relError(k.readWeights(), opt.params, SIZES), `weights after step ${t}, sparse=${sparse}`).toBeLessThanOrEqual(1e-6);
        opt.params.set(k.readWeights());
        if (t > 1) continue;
        // Every layer's sums and deltas, as the step-through view will show them.
        k.layers.forEach((p, l) => {
          const unpad = (b: Float32Array) =>
            Float32Array.from({ length: ROWS * p.units }, (_, i) => b[Math.floor(i / p.units) * p.padded + (i % p.units)]!);
          expect(relError(unpad(k.layerBuffer(l, 'z', ROWS)!), trace.z[l]!), `z of layer ${l}`).toBeLessThanOrEqual(1e-5);
          expect(relError(unpad(k.layerBuffer(l, 'd', ROWS)!), trace.d[l]!), `deltas of layer ${l}`).toBeLessThanOrEqual(1e-5);
        });
      }
    }
  });

  it.each(OPTIMIZERS)('%s: the update of the optimizer alone, its moments and its flush of tiny moments', (optimizer) => {
    const net: ReferenceNet = { sizes: SIZES, activation: 'relu', optimizer, learningRate: 0.003, dropout: 0 };
    const k = new Kernel(module, shape({ activation: 'relu', optimizer }), unit);
    const n = unpadInto(k.layers, k.params, new Float32Array(flatCount(k.layers))).length;
    // Gradients over 12 decades.
    const opt = referenceState(net, new Float32Array(n), Float64Array);
    const rng = mulberry32(8);
    for (let t = 1; t <= 4; t++) {
      const g = Float32Array.from({ length: n }, () => (rng() - 0.5) * 10 ** (-12 * rng()));
      if (t === 4) g.fill(0, 0, 50);
      k.grads.fill(0);
      padGrads(k, g);
      // Each update from weights at 0 (the moments carry over): the change is then exact to float32's precision.
      k.params.fill(0);
      opt.params.fill(0);
      const before = k.readWeights();
      const optBefore = Float64Array.from(opt.params);
      // Step 4 is a flush step (as the 100th would be): moments that decayed below 1e-30 become 0.
      if (t === 4) {
        if (opt.m) opt.m.fill(1e-31, 0, 50);
        if (opt.v) opt.v.fill(1e-31, 0, 50);
        setMoments(k, opt);
        opt.t = 99;
      }
      k.applyGradients(stepSize(optimizer, 0.003, opt.t + 1), rhoOf(optimizer), t === 4);
      referenceUpdate(net, opt, Float64Array.from(g));
      const change = k.readWeights().map((w, i) => w - before[i]!);
      const refChange = opt.params.map((w, i) => w - optBefore[i]!);
      expect(relError(change, refChange, SIZES), `step ${t}`).toBeLessThanOrEqual(1e-5);
      for (const [ours, ref] of [
        [k.m, opt.m],
        [k.v, opt.v],
      ] as const) {
        if (!ours || !ref) continue;
        const flat = unpadInto(k.layers, ours, new Float32Array(n));
        expect(relError(flat, ref, SIZES), `moments, step ${t}`).toBeLessThanOrEqual(1e-5);
        if (t === 4) expect(Array.from(flat.subarray(0, 50))).toEqual(new Array(50).fill(0));
      }
    }
  });

  it.each(ACTIVATIONS)('dropout masks and gradients match the reference (%s)', (activation: Activation) => {
    const net: ReferenceNet = { sizes: SIZES, activation, optimizer: 'sgd', learningRate: 0.05, dropout: 0.3 };
    const p0 = weights(SIZES, 5);
    const ref = referenceState(net, p0, Float64Array, 12345);
    const trace = referenceStep(net, ref, standardRows(8, ROWS, standardize, Float64Array), labelsOf(8, ROWS), ROWS, Float64Array);
    const k = new Kernel(module, shape({ activation, optimizer: 'sgd', dropout: true }), standardize);
    k.writeWeights(p0);
    k.rngState = 12345;
    fillBatch(k, 8, ROWS);
    k.train(SOURCE.BYTES, 0, ROWS, 0.05, 0.999, 0.7, false);
    expect(k.rngState).toBe(ref.rng);
    const mask = k.layerBuffer(0, 'mask', ROWS)!;
    const p = k.layers[0]!;
    const refMask = trace.mask[0]!;
    for (let i = 0; i < ROWS * p.units; i++) expect(mask[Math.floor(i / p.units) * p.padded + (i % p.units)]).toBeCloseTo(refMask[i]!, 5);
    expect(refMask.some((v) => v === 0) && refMask.some((v) => v > 1)).toBe(true);
    expect(relError(unpadInto(k.layers, k.grads, new Float32Array(p0.length)), trace.grads, SIZES)).toBeLessThanOrEqual(1e-5);
  });

  it('supports plain softmax regression (no hidden layer) and unit scaling', () => {
    const sizes = [784, 10];
    const net: ReferenceNet = { sizes, activation: 'relu', optimizer: 'adam', learningRate: 0.01, dropout: 0 };
    const p0 = weights(sizes, 9);
    const ref = referenceState(net, p0, Float64Array);
    const trace = referenceStep(net, ref, standardRows(16, ROWS, unit, Float64Array), labelsOf(16, ROWS), ROWS, Float64Array);
    const k = new Kernel(module, { ...shape({ activation: 'relu', optimizer: 'adam' }), sizes }, unit);
    k.writeWeights(p0);
    fillBatch(k, 16, ROWS);
    k.train(SOURCE.BYTES, 0, ROWS, stepSize('adam', 0.01, 1), 0.999, 1, false);
    expect(relError(unpadInto(k.layers, k.grads, new Float32Array(p0.length)), trace.grads)).toBeLessThanOrEqual(1e-5);
  });
});

describe('the kernel against the float32 reference over many steps', () => {
  it.each(['sparse', 'dense'] as const)('takes the same 50 Adam steps from the training set in memory (%s first layer)', (mode) => {
    const net: ReferenceNet = { sizes: [784, 32, 16, 10], activation: 'relu', optimizer: 'adam', learningRate: 0.002, dropout: 0 };
    const p0 = weights(net.sizes, 1);
    const n = 400;
    const k = new Kernel(
      module,
      {
        sizes: net.sizes,
        activation: 'relu',
        optimizer: 'adam',
        batchCap: 16,
        trainRows: n,
        evalRows: 0,
        sparse: mode === 'sparse',
        dropout: false,
        keepAll: false,
      },
      standardize,
    );
    k.writeWeights(p0);
    k.images.set(train.images.subarray(0, n * 784));
    k.labels.set(train.labels.subarray(0, n));
    const order = Int32Array.from({ length: n }, (_, i) => (i * 37) % n);
    k.order.set(order);
    const ref = referenceState(net, p0, Float32Array);
    const losses: number[] = [];
    for (let s = 0; s < 50; s++) {
      const start = (s * 16) % n;
      k.train(SOURCE.ROWS, start, 16, stepSize('adam', 0.002, s + 1), 0.999, 1, false);
      const idx = order.subarray(start, start + 16);
      const x = new Float32Array(16 * 784);
      idx.forEach((src, r) => x.set(standardRows(src, 1, standardize, Float32Array), r * 784));
      const t = referenceStep(
        net,
        ref,
        x,
        Int32Array.from(idx, (i) => train.labels[i]!),
        16,
        Float32Array,
      );
      expect(k.stats[0]! / 16).toBeCloseTo(t.lossSum / 16, 3);
      losses.push(k.stats[0]! / 16);
    }
    const ours = k.readWeights();
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - ref.params[i]!));
    expect(worst).toBeLessThan(2e-4);
    // The steps are real steps: the loss fell.
    expect(losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(losses.slice(0, 5).reduce((a, b) => a + b) / 5);
  });

  it('the sparse and dense first layers agree step for step', () => {
    const make = (sparse: boolean) =>
      new Kernel(module, { ...shape({ activation: 'tanh', optimizer: 'rmsprop', sparse }), keepAll: false, batchCap: 32 }, standardize);
    const a = make(true);
    const b = make(false);
    const p0 = weights(SIZES, 2);
    for (const k of [a, b]) k.writeWeights(p0);
    for (let s = 0; s < 20; s++) {
      for (const k of [a, b]) {
        fillBatch(k, s * 32, 32);
        k.train(SOURCE.BYTES, 0, 32, 0.001, 0.9, 1, false);
      }
      expect(a.stats[0]!).toBeCloseTo(b.stats[0]!, 3);
    }
    expect(relError(a.readWeights(), b.readWeights())).toBeLessThan(1e-3);
  });
});

describe('the kernel infers and keeps its memory', () => {
  it('infers the validation rows in memory as the reference does', () => {
    const net: ReferenceNet = { sizes: SIZES, activation: 'elu', optimizer: 'sgd', learningRate: 0, dropout: 0 };
    const p0 = weights(SIZES, 4);
    const k = new Kernel(
      module,
      { ...shape({ activation: 'elu', optimizer: 'sgd' }), evalRows: 100, batchCap: 50, keepAll: false },
      standardize,
    );
    k.writeWeights(p0);
    k.evalImages.set(train.images.subarray(0, 100 * 784));
    k.evalLabels.set(train.labels.subarray(0, 100));
    k.infer(SOURCE.ROWS, 50, 50);
    const ref = referenceForward(
      net,
      Float64Array.from(p0),
      standardRows(50, 50, standardize, Float64Array),
      labelsOf(50, 50),
      50,
      Float64Array,
    );
    expect(k.stats[0]!).toBeCloseTo(ref.lossSum, 3);
    expect(k.stats[1]!).toBe(ref.correct);
    const padded = k.layers.at(-1)!.padded;
    for (let r = 0; r < 50; r++) for (let c = 0; c < 10; c++) expect(k.probs[r * padded + c]).toBeCloseTo(ref.probs[r * 10 + c]!, 5);
  });

  it('allocates its memory once at its final size: it cannot grow, so no view goes stale', () => {
    const k = new Kernel(module, shape({ activation: 'relu', optimizer: 'adam' }), standardize);
    const buffer = k.memory.buffer;
    expect(() => k.memory.grow(1)).toThrow();
    fillBatch(k, 0, ROWS);
    for (let s = 0; s < 10; s++) k.train(SOURCE.BYTES, 0, ROWS, 0.001, 0.999, 1, s === 9);
    expect(k.memory.buffer).toBe(buffer);
    expect(k.params.buffer).toBe(buffer);
  });

  it('the compiled module has no memory.grow and its descriptor slots match layout.ts', () => {
    // 0x40 0x00 is memory.grow; it may appear inside other bytes, so check the code with the compiler's text output instead.
    const src = (f: string) => readFileSync(new URL(`./assembly/${f}`, import.meta.url), 'utf8');
    expect(src('index.ts') + src('linear.ts') + src('pointwise.ts') + src('optimizer.ts')).not.toMatch(
      /memory\.grow|heap\.alloc|new (Array|Float32Array)/,
    );
    const slots = src('slots.ts');
    const value = (name: string) => Number(new RegExp(`export const ${name} = (\\d+);`).exec(slots)?.[1]);
    for (const [name, v] of Object.entries(SLOT)) expect(value(`S_${name}`), name).toBe(v);
    for (const [name, v] of Object.entries(LAYER)) expect(value(`L_${name}`), name).toBe(v);
    expect(value('LAYER_BASE')).toBe(LAYER_BASE);
    expect(value('LAYER_STRIDE')).toBe(LAYER_STRIDE);
    expect(flatCount(new Kernel(module, shape({ activation: 'relu', optimizer: 'sgd' }), unit).layers)).toBe(
      784 * 13 + 13 + 13 * 7 + 7 + 7 * 10 + 10,
    );
  });
});
