import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KerasWeights } from '../shared/protocol';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import { mnistSplit } from '../../scripts/mnistSplit';
import { decide } from '../shared/commands';
import type { MnistData } from './dataset';
import { Engine, type EngineTiming } from './engine';
import { kerasWeightsOf } from './kerasExport';
import { fitNormalizer, splitIndices } from './split';

const FAST: EngineTiming = { yieldMs: 8, batchEventMs: 0, firstLayerMs: 0, readEvery: 5 };
const small = (c: Partial<TrainConfig> = {}): TrainConfig => ({ ...DEFAULT_CONFIG, epochs: 1, trainSize: 800, backend: 'cpu', ...c });
const test = mnistSplit('test', 200);

/** The forward pass Keras would run on `set_weights(...)` after StandardScaler, in float64: [n * 10] probabilities. */
function kerasForward(w: KerasWeights, pixels: Uint8Array, n: number): Float64Array {
  const out = new Float64Array(n * 10);
  for (let r = 0; r < n; r++) {
    let x = Float64Array.from({ length: 784 }, (_, i) => (pixels[r * 784 + i]! - w.mean[i]!) / w.scale[i]!);
    let off = 0;
    for (let l = 0; l + 1 < w.sizes.length; l++) {
      const [inputs, units] = [w.sizes[l]!, w.sizes[l + 1]!];
      const y = new Float64Array(units);
      for (let u = 0; u < units; u++) y[u] = w.params[off + inputs * units + u]!;
      for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) y[u]! += x[i]! * w.params[off + i * units + u]!;
      off += inputs * units + units;
      if (l + 2 < w.sizes.length) x = y.map((v) => (w.activation === 'relu' ? Math.max(0, v) : Math.tanh(v)));
      else {
        const m = Math.max(...y);
        const e = y.map((v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        e.forEach((v, d) => (out[r * 10 + d] = v / s));
      }
    }
  }
  return out;
}

const data: MnistData = { train: mnistSplit('train', 1200), test };

function setup(): Engine {
  const engine = new Engine(() => {}, FAST);
  engine.setData(data);
  return engine;
}

/** What the `exportWeights` handler answers (commands.ts): the current model, its info, the training images. */
async function exportWeights(engine: Engine): Promise<KerasWeights> {
  const model = await engine.toLayersModel();
  try {
    return await kerasWeightsOf(model, engine.info, engine.modelActivation!, data.train);
  } finally {
    model.dispose();
  }
}

async function maxDifference(engine: Engine, w: KerasWeights): Promise<number> {
  const page = (await engine.classify(test.images, test.count))!;
  const ours = kerasForward(w, test.images, test.count);
  return Math.max(...ours.map((v, i) => Math.abs(v - page[i]!)));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('exportWeights: the model in Keras terms', () => {
  it('gives a standardised model StandardScaler mean_/scale_ in 0..255 units and weights that reproduce its probabilities', async () => {
    const engine = setup();
    const config = small();
    await engine.train(config);
    const w = await exportWeights(engine);
    expect(w.sizes).toEqual([784, 64, 64, 10]);
    expect(w.activation).toBe('relu');
    expect(w.params.length).toBe(784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10);
    const norm = fitNormalizer(data.train.images, splitIndices(1200, config.trainSize, config.seed).train, 'standardize');
    expect(w.mean).toEqual(norm.mean);
    expect(Math.max(...w.mean)).toBeGreaterThan(100); // 0..255 units, not 0..1
    expect(w.scale[0]).toBe(1); // a pixel that never varies: StandardScaler's scale_ is 1
    expect(await maxDifference(engine, w)).toBeLessThan(1e-5);
    engine.dispose();
  });

  it('gives the 0-to-1 normalisation mean 0 and scale 255', async () => {
    const engine = setup();
    await engine.train(small({ normalization: 'unit', activation: 'tanh', hiddenUnits: [32] }));
    const w = await exportWeights(engine);
    expect(w.sizes).toEqual([784, 32, 10]);
    expect(w.activation).toBe('tanh');
    expect(w.mean.every((v) => v === 0)).toBe(true);
    expect(w.scale.every((v) => v === 255)).toBe(true);
    expect(await maxDifference(engine, w)).toBeLessThan(1e-5);
    engine.dispose();
  });

  it('stays exact for a model continued with another split (its normaliser is the first run’s)', async () => {
    const engine = setup();
    await engine.train(small({ seed: 1 }));
    await engine.train(small({ seed: 7, trainSize: 400 }), true);
    const w = await exportWeights(engine);
    expect(w.config?.seed).toBe(7);
    expect(await maxDifference(engine, w)).toBeLessThan(1e-5);
    engine.dispose();
  });

  it('refuses without a model, and is refused while training', async () => {
    await expect(exportWeights(setup())).rejects.toThrow(/no model/i);
    const idle = { run: 'none', loading: false, busy: false, data: true, model: true } as const;
    expect(decide('exportWeights', { ...idle, run: 'running' })).toEqual({ kind: 'refuse', key: 'stopToExport' });
    expect(decide('exportWeights', { ...idle, model: false })).toEqual({ kind: 'refuse', key: 'noModel' });
    expect(decide('exportWeights', idle)).toEqual({ kind: 'now' });
  });
});
