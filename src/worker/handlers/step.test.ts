/**
 * The step view's numbers tied to the training maths, for every activation and optimizer, on the
 * WASM SIMD kernel (tf.js's wasm backend) and on tf.js (its cpu backend): the forward pass against
 * a float64 forward pass of the weights and against `predict`, the loss, the backward pass and the
 * gradient against finite differences, the update against the optimizer's formula, and Undo.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { mnistSplit } from '../../../scripts/mnistSplit';
import { useNodeKernel } from '../../../scripts/kernelNode';
import type { StepResult } from '../../shared/step';
import { DEFAULT_CONFIG, type Activation, type Optimizer } from '../../shared/trainConfig';
import type { MnistData } from '../dataset';
import { stepSize } from '../optimizer';
import { WorkerSession } from '../session';
import { stepHandlers } from './step';

const data: MnistData = { train: mnistSplit('train', 2000), test: mnistSplit('test', 200) };
const HIDDEN = [16, 12];
const SIZES = [784, ...HIDDEN, 10];
// RMSprop's first step from a zero state moves every weight by about 3.2 × lr, so its rate is smaller for the loss to fall.
const RATE: Record<Optimizer, number> = { adam: 0.001, rmsprop: 0.0001, sgd: 0.05 };

const f: Record<Activation, (z: number) => number> = {
  relu: (z) => Math.max(0, z),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
};
const df: Record<Activation, (z: number) => number> = {
  relu: (z) => (z > 0 ? 1 : 0),
  tanh: (z) => 1 - Math.tanh(z) ** 2,
  sigmoid: (z) => f.sigmoid(z) * (1 - f.sigmoid(z)),
  elu: (z) => (z > 0 ? 1 : Math.exp(z)),
};

/** Offsets of W and b of each layer in the flat layout (per layer W [in, out] row-major, then b). */
function offsets(): { w: number; b: number }[] {
  let off = 0;
  return SIZES.slice(1).map((out, l) => {
    const w = off;
    off += SIZES[l]! * out;
    const b = off;
    off += out;
    return { w, b };
  });
}
const OFF = offsets();

/** A float64 forward pass: each layer's sums and outputs, the probabilities. */
function forward64(flat: ArrayLike<number>, act: Activation, x: ArrayLike<number>) {
  const sums: number[][] = [];
  const outs: number[][] = [];
  let h = Array.from(x);
  SIZES.slice(1).forEach((units, l) => {
    const inputs = SIZES[l]!;
    const z = Array.from({ length: units }, (_, u) => {
      let s = flat[OFF[l]!.b + u]!;
      for (let i = 0; i < inputs; i++) s += h[i]! * flat[OFF[l]!.w + i * units + u]!;
      return s;
    });
    sums.push(z);
    const last = l === SIZES.length - 2;
    if (last) {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const total = e.reduce((a, b) => a + b);
      h = e.map((v) => v / total);
    } else h = z.map(f[act]);
    outs.push(h);
  });
  return { sums, outs, probs: h };
}

const loss64 = (flat: ArrayLike<number>, act: Activation, x: ArrayLike<number>, label: number) =>
  -Math.log(forward64(flat, act, x).probs[label]!);

/** Largest |a − b| over the largest |b| (an element that cancels to nearly zero carries the rounding of its terms). */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** The optimizer's formula (Keras' defaults, optimizer.ts): the change of each parameter, updating the state in place. */
function expectedChange(kind: Optimizer, lr: number, t: number, g: ArrayLike<number>, m: number[], v: number[]): number[] {
  const lrT = stepSize(kind, lr, t);
  return Array.from(g, (gi, i) => {
    if (kind === 'sgd') return -lr * gi;
    if (kind === 'rmsprop') {
      v[i] = 0.9 * v[i]! + 0.1 * gi * gi;
      return (-lr * gi) / (Math.sqrt(v[i]!) + 1e-7);
    }
    m[i] = 0.9 * m[i]! + 0.1 * gi;
    v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
    return (-lrT * m[i]!) / (Math.sqrt(v[i]!) + 1e-7);
  });
}

/** A session with a briefly trained model of `activation` and `optimizer`, its optimizer state cleared (so the formula starts from zero). */
async function sessionWith(activation: Activation, optimizer: Optimizer) {
  const s = new WorkerSession(() => {});
  s.setData(data);
  const config = {
    ...DEFAULT_CONFIG,
    epochs: 1,
    trainSize: 100,
    hiddenUnits: HIDDEN,
    activation,
    optimizer,
    learningRate: RATE[optimizer],
  };
  await s.engine.train(config);
  const model = (s.engine as unknown as { model: { optimizer: { dispose(): void } | null } }).model;
  model.optimizer?.dispose();
  model.optimizer = null;
  return s;
}

const example = (i: number) => ({
  pixels: Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255),
  label: data.test.labels[i]!,
});

const step = (s: WorkerSession, pixels: Float32Array, label: number, times: number, session: number): Promise<StepResult> =>
  stepHandlers.traceStep(s, { type: 'traceStep', id: 1, pixels, label, times, session });

const cases = (['relu', 'tanh', 'sigmoid', 'elu'] as const).flatMap((a) =>
  (['adam', 'sgd', 'rmsprop'] as const).map((o) => [a, o] as const),
);

describe.each([
  ['wasm', 'kernel-sparse'],
  ['cpu', 'tfjs'],
] as const)('the step view on %s', (backend, path) => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(cases)(
    '%s, %s: forward, loss, backward, gradient, update and Undo are the training maths',
    { timeout: 60_000 },
    async (act, opt) => {
      if (backend === 'wasm') await useNodeKernel();
      await tf.setBackend(backend);
      await tf.ready();
      const s = await sessionWith(act, opt);
      const e = s.engine;
      const { pixels, label } = example(3);
      const w0 = (await e.weights())!;
      const probs0 = (await e.predict(pixels)).probs!;

      const r = await step(s, pixels, label, 1, 7);
      expect(r.path).toBe(path);
      expect([r.activation, r.optimizer, r.learningRate, r.optimizerSteps]).toEqual([act, opt, RATE[opt], 1]);
      const x = r.input;

      // Forward: the step's sums and outputs are the weights' forward pass, and its probabilities are predict's.
      const ref = forward64(w0, act, x);
      r.layers.forEach((l, i) => {
        expect(relError(l.sums, ref.sums[i]!), `sums of layer ${i}`).toBeLessThan(1e-4);
        expect(relError(l.outputs, ref.outs[i]!), `outputs of layer ${i}`).toBeLessThan(1e-4);
      });
      expect(relError(r.probsBefore, ref.probs)).toBeLessThan(1e-4);
      expect(relError(r.probsBefore, probs0)).toBeLessThan(1e-5);
      expect(relError(r.layers.at(-1)!.outputs, r.probsBefore)).toBeLessThan(1e-4);

      // Loss: −log p(label), as the step computed it too.
      expect(r.lossBefore).toBeCloseTo(-Math.log(ref.probs[label]!), 4);
      expect(r.stepLoss).toBeCloseTo(r.lossBefore, 4);

      // Backward: p − onehot at the output, then through Wᵀ and f′(z) to each hidden layer.
      const onehot = (c: number) => (c === label ? 1 : 0);
      expect(
        relError(
          r.outputError,
          ref.probs.map((p, c) => p - onehot(c)),
        ),
      ).toBeLessThan(1e-4);
      let delta = ref.probs.map((p, c) => p - onehot(c));
      for (let l = SIZES.length - 3; l >= 0; l--) {
        const units = SIZES[l + 1]!;
        const above = SIZES[l + 2]!;
        delta = Array.from({ length: units }, (_, u) => {
          let sum = 0;
          for (let k = 0; k < above; k++) sum += w0[OFF[l + 1]!.w + u * above + k]! * delta[k]!;
          return sum * df[act](ref.sums[l]![u]!);
        });
        expect(relError(r.layers[l]!.deltas, delta), `deltas of layer ${l}`).toBeLessThan(1e-3);
      }

      // Gradient: finite differences of the float64 loss, for every bias and the first layer's weights on the most inked pixels.
      const fd = (i: number, h = 1e-4) => {
        const up = Float64Array.from(w0);
        const down = Float64Array.from(w0);
        up[i]! += h;
        down[i]! -= h;
        return (loss64(up, act, x, label) - loss64(down, act, x, label)) / (2 * h);
      };
      r.layers.forEach((l, i) => {
        const numeric = Array.from({ length: l.units }, (_, u) => fd(OFF[i]!.b + u));
        expect(relError(l.biasGradient, numeric), `bias gradient of layer ${i}`).toBeLessThan(2e-3);
      });
      const inked = Array.from(pixels.keys())
        .sort((a, b) => pixels[b]! - pixels[a]!)
        .slice(0, 6);
      const picks = inked.flatMap((p) => [0, 5, 11].map((u) => p * HIDDEN[0]! + u));
      const numericW = picks.map((i) => fd(i));
      expect(
        relError(
          picks.map((i) => r.firstLayer.gradient[i]!),
          numericW,
        ),
      ).toBeLessThan(2e-3);
      expect(Array.from(r.firstLayer.before)).toEqual(Array.from(w0.subarray(0, 784 * HIDDEN[0]!)));

      // Update: the optimizer's formula from a fresh state, step 1 then step 2, and what the model's weights did.
      const n = w0.length;
      const m = new Array<number>(n).fill(0);
      const v = new Array<number>(n).fill(0);
      const gradOf = (res: StepResult) => {
        const g = new Float64Array(n);
        g.set(res.firstLayer.gradient, 0);
        res.layers.forEach((l, i) => g.set(l.biasGradient, OFF[i]!.b));
        return g;
      };
      const checkUpdate = async (res: StepResult, t: number, before: Float32Array) => {
        const want = expectedChange(opt, RATE[opt], t, gradOf(res), m, v);
        const firstN = 784 * HIDDEN[0]!;
        expect(relError(res.firstLayer.change, want.slice(0, firstN)), `first layer change, step ${t}`).toBeLessThan(2e-3);
        res.layers.forEach((l, i) =>
          expect(relError(l.biasChange, want.slice(OFF[i]!.b, OFF[i]!.b + l.units)), `bias change ${i}, step ${t}`).toBeLessThan(2e-3),
        );
        const after = (await e.weights())!;
        expect(
          relError(
            after.subarray(0, firstN).map((w, i) => w - before[i]!),
            res.firstLayer.change,
          ),
        ).toBeLessThan(1e-5);
        // The new probabilities are the new weights' forward pass, as predict reads them.
        expect(relError(res.probsAfter, forward64(after, act, x).probs)).toBeLessThan(1e-4);
        expect(res.lossAfter).toBeCloseTo(-Math.log(res.probsAfter[label]!), 5);
        return after;
      };
      const w1 = await checkUpdate(r, 1, w0);
      expect(r.lossAfter).toBeLessThan(r.lossBefore);
      const r2 = await step(s, pixels, label, 1, 7);
      expect([r2.optimizerSteps, r2.sessionSteps]).toEqual([2, 2]);
      expect(r2.lossBefore).toBeCloseTo(r.lossAfter, 5);
      await checkUpdate(r2, 2, w1);

      // ×3: three more real steps; the curve is each step's loss and the loss after the last.
      const r3 = await step(s, pixels, label, 3, 7);
      expect(r3.curve).toHaveLength(4);
      expect(r3.curve[0]).toBeCloseTo(r2.lossAfter, 4);
      expect(r3.curve.at(-2)).toBeCloseTo(r3.lossBefore, 4);
      expect(r3.curve.at(-1)).toBe(r3.lossAfter);
      expect(r3.lossAfter).toBeLessThan(r.lossBefore);
      expect([r3.optimizerSteps, r3.sessionSteps]).toEqual([5, 5]);

      // Undo: the exact weights and reading of before, and the optimizer as it was (the same first step again).
      const undo = await stepHandlers.undoSteps(s, { type: 'undoSteps', id: 2, session: 7 });
      expect(undo).toMatchObject({ undone: 5, reason: null, version: e.version });
      expect(Array.from((await e.weights())!)).toEqual(Array.from(w0));
      expect(Array.from((await e.predict(pixels)).probs!)).toEqual(Array.from(probs0));
      expect(Array.from((await step(s, pixels, label, 1, 11)).probsBefore)).toEqual(r.probsBefore);
      await stepHandlers.undoSteps(s, { type: 'undoSteps', id: 5, session: 11 });
      const again = await step(s, pixels, label, 1, 8);
      expect(again.optimizerSteps).toBe(1);
      expect(relError(again.firstLayer.change, r.firstLayer.change)).toBeLessThan(1e-6);
      expect(await stepHandlers.undoSteps(s, { type: 'undoSteps', id: 3, session: 7 })).toMatchObject({
        undone: 0,
        reason: 'nothingToUndo',
      });
      // A session that starts from a kept optimizer state (step 1 above): Undo brings that state back too.
      const kept = await step(s, pixels, label, 1, 9);
      expect(kept.optimizerSteps).toBe(2);
      await stepHandlers.undoSteps(s, { type: 'undoSteps', id: 4, session: 9 });
      const retaken = await step(s, pixels, label, 1, 10);
      expect(retaken.optimizerSteps).toBe(2);
      expect(relError(retaken.firstLayer.change, kept.firstLayer.change)).toBeLessThan(1e-6);
      e.dispose();
    },
  );
});

describe('the step view around other commands', () => {
  it('forgets its Undo when the model changes, and gives a training example with its label', { timeout: 60_000 }, async () => {
    await tf.setBackend('cpu');
    const s = await sessionWith('relu', 'adam');
    const { pixels, label } = example(5);
    await step(s, pixels, label, 1, 1);
    // Train again: a new version that the steps did not make.
    await s.engine.train({ ...DEFAULT_CONFIG, epochs: 1, trainSize: 100, hiddenUnits: HIDDEN });
    expect(await stepHandlers.undoSteps(s, { type: 'undoSteps', id: 1, session: 1 })).toMatchObject({ undone: 0, reason: 'modelChanged' });
    expect(await stepHandlers.undoSteps(s, { type: 'undoSteps', id: 2, session: 2 })).toMatchObject({ undone: 0, reason: 'nothingToUndo' });
    const ex = await stepHandlers.trainingExample(s, { type: 'trainingExample', id: 3, index: 2000 + 17 });
    expect(ex.index).toBe(17);
    expect(ex.label).toBe(data.train.labels[17]);
    expect(Array.from(ex.pixels.slice(0, 784), (p) => Math.round(p * 255))).toEqual(
      Array.from(data.train.images.subarray(17 * 784, 18 * 784)),
    );
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await step(s, pixels, label, 2, 9);
    await stepHandlers.undoSteps(s, { type: 'undoSteps', id: 4, session: 9 });
    expect(tf.memory().numTensors).toBe(tensors);
    s.engine.dispose();
  });
});
