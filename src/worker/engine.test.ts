import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../shared/protocol';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import type { MnistData } from './dataset';
import { Engine, EngineError, type EngineTiming } from './engine';
import { forward, initParams, layerSizes, layout, lossAndGradient, Optimizer, paramsFromFlat, parameterCount } from './mlp';
import { mulberry32 } from './split';
import { mnistSplit } from '../../scripts/mnistSplit';

/** The first 1,000 training and 500 test images of the real MNIST. */
const data: MnistData = {
  train: mnistSplit('train', 1000),
  test: mnistSplit('test', 500),
};
const FAST: EngineTiming = { yieldMs: 8, batchEventMs: 0, firstLayerMs: 0, readEvery: 5 };
/** 640 training images (the split's training part holds 800). */
const small = (c: Partial<TrainConfig> = {}): TrainConfig => ({ ...DEFAULT_CONFIG, epochs: 1, trainSize: 640, backend: 'cpu', ...c });

function engine(): { e: Engine; events: WorkerEvent[] } {
  const events: WorkerEvent[] = [];
  const e = new Engine((ev) => events.push(ev), FAST);
  e.setData(data);
  return { e, events };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('the MLP', () => {
  it('has the recipe layer shapes and 55,050 parameters', () => {
    const sizes = layerSizes([64, 64]);
    expect(sizes).toEqual([784, 64, 64, 10]);
    expect(parameterCount(sizes)).toBe(55050);
    const { slots } = layout(sizes);
    expect(slots.map((s) => [s.inputs, s.units])).toEqual([
      [784, 64],
      [64, 64],
      [64, 10],
    ]);
    expect(parameterCount(layerSizes([]))).toBe(7850);
  });

  it('initialises Glorot-uniform kernels and zero biases, the same for the same seed', () => {
    const sizes = layerSizes([64, 64]);
    const a = initParams(sizes, mulberry32(1));
    const b = initParams(sizes, mulberry32(1));
    expect(a).toEqual(b);
    const { slots } = layout(sizes);
    const limit = Math.sqrt(6 / (784 + 64));
    const k = a.subarray(slots[0]!.kernelOffset, slots[0]!.biasOffset);
    expect(Math.max(...k)).toBeLessThanOrEqual(limit);
    expect(Math.min(...k)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...k)).toBeGreaterThan(limit * 0.9);
    expect(Array.from(a.subarray(slots[0]!.biasOffset, slots[0]!.biasOffset + 64)).every((v) => v === 0)).toBe(true);
  });

  it.each(['relu', 'tanh', 'sigmoid', 'elu'] as const)('hand-written gradients equal tf.grad (%s, with dropout)', (activation) => {
    const sizes = [784, 5, 4, 10];
    const { slots } = layout(sizes);
    const rng = mulberry32(5);
    const p = initParams(sizes, rng);
    for (let i = 0; i < p.length; i++) p[i]! += (rng() - 0.5) * 0.1; // non-zero biases too
    const params = paramsFromFlat(p, slots);
    tf.tidy(() => {
      const x = tf.randomNormal([6, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
      const y = tf.tensor1d([0, 3, 9, 1, 1, 7], 'int32');
      const masks = [
        tf.mul(tf.cast(tf.greater(tf.randomUniform([6, 5], 0, 1, 'float32', 9), 0.3), 'float32'), 1 / 0.7) as tf.Tensor2D,
        tf.ones([6, 4]) as tf.Tensor2D,
      ];
      const ours = lossAndGradient(params, activation, x, y, masks);
      const reference = tf.grads((...q: tf.Tensor[]) =>
        tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), forward(q, activation, x, masks).logits),
      )(params);
      expect(ours.grads.map((g) => g.shape)).toEqual(reference.map((g) => g.shape));
      ours.grads.forEach((g, i) => {
        const diff = tf.max(tf.abs(tf.sub(g, reference[i]!))).dataSync()[0]!;
        const scale = tf.max(tf.abs(reference[i]!)).dataSync()[0]! + 1e-6;
        expect(diff / scale).toBeLessThan(1e-4);
      });
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), forward(params, activation, x, masks).logits).dataSync()[0]!;
      expect(ours.lossSum.dataSync()[0]! / 6).toBeCloseTo(loss, 4);
    });
    tf.dispose(params);
  });

  it('a few Adam steps lower the loss on a small batch', () => {
    const sizes = layerSizes([32]);
    const { slots } = layout(sizes);
    const params = paramsFromFlat(initParams(sizes, mulberry32(2)), slots);
    const opt = new Optimizer('adam', 0.01, params);
    const x = tf.tensor2d(
      Float32Array.from(data.train.images.subarray(0, 64 * 784), (v) => v / 255),
      [64, 784],
    );
    const y = tf.tensor1d(Int32Array.from(data.train.labels.subarray(0, 64)), 'int32');
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const l = tf.tidy(() => {
        const { grads, lossSum } = lossAndGradient(params, 'relu', x, y);
        opt.apply(params, grads);
        return lossSum;
      });
      losses.push(l.dataSync()[0]! / 64);
      l.dispose();
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
    tf.dispose([...params, x, y]);
    opt.dispose();
  });
});

describe('the engine', () => {
  it('answers null to predict before any training', async () => {
    const { e } = engine();
    expect(await e.predict(new Float32Array(784))).toMatchObject({ probs: null, version: 0 });
  });

  it('rejects an invalid config with code config', async () => {
    const { e } = engine();
    await expect(e.train(small({ learningRate: -1 }))).rejects.toMatchObject({ code: 'config' });
  });

  it('trains, streams events, evaluates and keeps tf.memory().numTensors flat', async () => {
    const { e, events } = engine();
    const counts: number[] = [];
    const post = (ev: WorkerEvent) => {
      events.push(ev);
      if (ev.type === 'batch' || ev.type === 'epoch') counts.push(tf.memory().numTensors);
    };
    // No weight pictures mid-run: their asynchronous reads would make the counts depend on timing.
    const e2 = new Engine(post, { ...FAST, firstLayerMs: 1e9 });
    e2.setData(data);
    const summary = await e2.train(small({ epochs: 3 }));
    const types = events.map((ev) => ev.type);
    expect(types.slice(0, 2)).toEqual(['runStarted', 'model']);
    expect(types.filter((t) => t === 'epoch')).toHaveLength(3);
    expect(types.at(-1)).toBe('model'); // the evaluated model's test accuracy
    expect(summary.outcome).toBe('completed');
    expect(summary.epochsRun).toBe(3);
    const version = summary.version;
    expect(events.every((ev) => !('version' in ev) || ev.version === version)).toBe(true);
    const done = { report: summary.report! };
    expect(done.report.version).toBe(version);
    expect(done.report.confusion.reduce((a, b) => a + b, 0)).toBe(500);
    expect(done.report.testAccuracy).toBeGreaterThan(0.7);
    expect(done.report.mistakes.length).toBeGreaterThan(0);
    expect(done.report.mistakes[0]!.confidence).toBeGreaterThanOrEqual(done.report.mistakes.at(-1)!.confidence);
    const first = events.find((ev) => ev.type === 'firstLayer');
    expect(first?.type === 'firstLayer' && first.weights.length).toBe(64 * 784);
    // Flat: the count during epoch 3 equals the count during epoch 1.
    const perEpoch = counts.length / 3;
    expect(Math.max(...counts.slice(-Math.floor(perEpoch)))).toBeLessThanOrEqual(Math.max(...counts.slice(0, Math.floor(perEpoch))));
    const { probs, version: predictedBy } = await e2.predict(new Float32Array(784).fill(0.1));
    expect(predictedBy).toBe(version);
    expect(probs).toHaveLength(10);
    expect(probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const before = tf.memory().numTensors;
    await e2.train(small({ epochs: 1 }), true);
    await e2.train(small({ epochs: 1 }), true);
    expect(tf.memory().numTensors).toBe(before);
    e2.dispose();
    e.dispose();
  });

  it('gives the same curves for the same seed and config', async () => {
    const run = async () => {
      const { e, events } = engine();
      await e.train(small({ dropout: 0.2, hiddenUnits: [16] }));
      e.dispose();
      return events.filter((ev) => ev.type === 'epoch').map((ev) => (ev.type === 'epoch' ? [ev.trainLoss, ev.valLoss] : []));
    };
    expect(await run()).toEqual(await run());
  });

  it('stops with a nan error for a huge learning rate and keeps finite weights', async () => {
    const { e } = engine();
    const err = await e.train(small({ learningRate: 10, optimizer: 'sgd', epochs: 2 })).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('nan');
    expect((err as EngineError).message).toMatch(/lower/i);
    const weights = await e.weights();
    expect(weights && weights.every(Number.isFinite)).toBe(true);
    e.dispose();
  });

  it('after a NaN on a fresh run, the model info says where it stopped', async () => {
    const { e, events } = engine();
    await e.train(small({ learningRate: 10, optimizer: 'sgd', epochs: 2 })).catch(() => {});
    const info = events.filter((ev) => ev.type === 'model').at(-1);
    expect(info?.type === 'model' && info.description).toMatch(
      /^784-64-64-10, stopped at epoch 1 step \d+ \(loss became (NaN|infinite)\)$/,
    );
    e.dispose();
  });

  it('continueTraining keeps the optimizer state; a new optimizer starts afresh', async () => {
    const { e } = engine();
    const steps = () => (e as unknown as { model: { optimizer: Optimizer | null } }).model.optimizer?.steps ?? 0;
    await e.train(small());
    const first = steps();
    expect(first).toBeGreaterThan(0);
    await e.train(small({ learningRate: 0.0005 }), true);
    expect(steps()).toBe(2 * first);
    await e.train(small({ optimizer: 'rmsprop' }), true);
    expect(steps()).toBe(first);
    await e.train(small());
    expect(steps()).toBe(first);
    e.dispose();
  });

  it('the host optimizer writes weights in place without touching a clone or the array they came from', () => {
    const sizes = [784, 4, 10];
    const { slots } = layout(sizes);
    const flat = initParams(sizes, mulberry32(7));
    const before = flat.slice();
    const params = paramsFromFlat(flat, slots);
    const snapshot = params.map((p) => p.clone());
    const kept = snapshot.map((s) => s.dataSync().slice());
    const opt = new Optimizer('adam', 0.01, params);
    const x = tf.randomNormal([8, 784], 0, 1, 'float32', 2) as tf.Tensor2D;
    const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.tidy(() => opt.apply(params, lossAndGradient(params, 'relu', x, y).grads));
    expect(tf.memory().numTensors).toBe(n);
    expect(flat).toEqual(before);
    snapshot.forEach((s, i) => expect(s.dataSync()).toEqual(kept[i]));
    expect(params[0]!.dataSync()).not.toEqual(kept[0]);
    tf.dispose([...params, ...snapshot, x, y]);
    opt.dispose();
  });

  it('the JS loop of the cpu backend takes the same steps as the tf-ops path (WASM, WebGPU)', () => {
    const sizes = [784, 8, 10];
    const { slots } = layout(sizes);
    const flat = initParams(sizes, mulberry32(4));
    const x = tf.randomNormal([16, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 10),
      'int32',
    );
    for (const kind of ['adam', 'rmsprop', 'sgd'] as const) {
      const host = paramsFromFlat(flat, slots);
      const opt = new Optimizer(kind, 0.01, host);
      // The tf-ops path, forced as on WASM.
      const ops = paramsFromFlat(flat, slots);
      const ref = new Optimizer(kind, 0.01, ops);
      (ref as unknown as { path: string }).path = 'ops';
      (ref as unknown as { c: unknown }).c = {
        lr: tf.scalar(0.01),
        b1: tf.scalar(0.9),
        b1c: tf.scalar(0.1),
        b2: tf.scalar(kind === 'rmsprop' ? 0.9 : 0.999),
        b2c: tf.scalar(kind === 'rmsprop' ? 0.1 : 0.001),
        eps: tf.scalar(1e-7),
        tiny: tf.scalar(1e-30),
      };
      (ref as unknown as { m: tf.Variable[] }).m.push(...ops.map((p) => tf.variable(tf.zerosLike(p))));
      (ref as unknown as { v: tf.Variable[] }).v.push(...ops.map((p) => tf.variable(tf.zerosLike(p))));
      for (let i = 0; i < 5; i++) {
        tf.tidy(() => opt.apply(host, lossAndGradient(host, 'relu', x, y).grads));
        tf.tidy(() => ref.apply(ops, lossAndGradient(ops, 'relu', x, y).grads));
      }
      host.forEach((p, i) => {
        const d = tf.tidy(() => tf.max(tf.abs(tf.sub(p, ops[i]!))).dataSync()[0]!);
        expect(d).toBeLessThan(1e-5);
      });
      tf.dispose([...host, ...ops]);
      opt.dispose();
      ref.dispose();
    }
    tf.dispose([x, y]);
  });

  it('supports softmax regression, sgd, rmsprop, tanh, unit scaling and early stopping', async () => {
    const { e } = engine();
    const a = await e.train(small({ hiddenUnits: [], optimizer: 'sgd', learningRate: 0.05, normalization: 'unit' }));
    const b = await e.train(
      small({ hiddenUnits: [8], optimizer: 'rmsprop', activation: 'tanh', epochs: 6, patience: 1, learningRate: 0.05 }),
    );
    for (const d of [a, b]) expect(d.report!.testAccuracy).toBeGreaterThan(0.5);
    expect(b.version).toBe(a.version + 1);
    e.dispose();
  });

  it('stop ends the run early with the steps it ran, evaluates and keeps the weights; clearModel forgets them', async () => {
    const events: WorkerEvent[] = [];
    const e: Engine = new Engine((ev) => {
      events.push(ev);
      if (ev.type === 'batch' && ev.step === 30) e.stop();
    }, FAST);
    e.setData(data);
    const summary = await e.train(small({ epochs: 50 }));
    expect(summary.outcome).toBe('stopped');
    expect(summary.steps).toBe(30);
    expect(summary.epochsRun).toBeCloseTo(30 / summary.stepsPerEpoch, 6);
    expect(summary.report?.version).toBe(summary.version);
    expect((await e.predict(new Float32Array(784))).probs).not.toBeNull();
    // A run stopped in its first epoch says so, not "0 epochs".
    expect(e.info.description).toMatch(/^784-64-64-10, trained 1\.50 epochs/);
    const cleared = e.clearModel();
    expect(cleared.version).toBe(summary.version + 1);
    expect(cleared.source).toBe('none');
    expect((await e.predict(new Float32Array(784))).probs).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'model', source: 'none', version: cleared.version });
  });

  it('cancel ends the run without evaluating; abort rejects with the error', async () => {
    const e: Engine = new Engine((ev) => {
      if (ev.type === 'batch' && ev.step === 10) e.cancel();
    }, FAST);
    e.setData(data);
    const summary = await e.train(small({ epochs: 50 }));
    expect(summary.outcome).toBe('cancelled');
    expect(summary.report).toBeNull();
    const f: Engine = new Engine((ev) => {
      if (ev.type === 'batch' && ev.step === 10) f.abort(new EngineError('context-lost', 'gone'));
    }, FAST);
    f.setData(data);
    const err = await f.train(small({ epochs: 50 })).catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'context-lost' });
    expect(f.isTraining).toBe(false);
    e.dispose();
    f.dispose();
  });

  it('exports a [0,1]-pixel LayersModel with the normalisation folded in, and loads it back', async () => {
    const { e } = engine();
    await e.train(small({ epochs: 1 }));
    const pixels = Float32Array.from(data.test.images.subarray(0, 784), (v) => v / 255);
    const ours = (await e.predict(pixels)).probs!;
    const model = await e.toLayersModel();
    const theirs = tf.tidy(() => (model.predict(tf.tensor2d(pixels, [1, 784])) as tf.Tensor).dataSync());
    for (let i = 0; i < 10; i++) expect(theirs[i]).toBeCloseTo(ours[i]!, 4);
    const before = await e.evaluate();
    const { e: fresh } = engine();
    const loaded = await fresh.loadLayersModel(model, { source: 'imported', description: 'x', config: null, testAccuracy: null });
    expect(loaded.version).toBeGreaterThan(0);
    const again = (await fresh.predict(pixels)).probs!;
    for (let i = 0; i < 10; i++) expect(again[i]).toBeCloseTo(ours[i]!, 4);
    const after = await fresh.evaluate();
    expect(after.testAccuracy).toBeCloseTo(before.testAccuracy, 3);
    model.dispose();
    e.dispose();
    fresh.dispose();
  });
});
