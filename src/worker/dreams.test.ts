import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistSplit } from '../../scripts/mnistSplit';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import { dream, pixelStats } from './dreams';
import { useNodeKernel } from '../../scripts/kernelNode';
import { Engine } from './engine';
import { DEFAULT_TIMING } from './trainingRun';

/** What the worker has: the training images, and their per-pixel mean and spread (the dream's start and preconditioner). */
const data = { train: mnistSplit('train', 24000), test: mnistSplit('test', 500) };
const stats = pixelStats(data.train.images, 10000);
/** All 60,000, as the page has them (the split, and so the model, depends on the count). */
const allData = { train: mnistSplit('train', 60000), test: data.test };

// WASM, as most visitors without a GPU train (and 5x faster than cpu here); the e2e dreams on the page's backends.
beforeAll(async () => {
  setWasmPaths(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  expect(await tf.setBackend('wasm')).toBe(true);
  await useNodeKernel(); // a run on wasm trains on the WASM SIMD kernel, as in the page
});

/** Trains a model with the app's own engine, as the page does, and dreams with it as the worker does. */
async function dreamsOf(config: Partial<TrainConfig>, on: typeof data = data): Promise<number[]> {
  const e = new Engine(() => {}, { ...DEFAULT_TIMING, firstLayerMs: 1e9 });
  e.setData(on);
  await e.train({ ...DEFAULT_CONFIG, backend: tf.getBackend() as TrainConfig['backend'], ...config }, false);
  const model = await e.toLayersModel();
  try {
    return (await dream(model, { start: stats.mean, pixelScale: stats.spread })).confidences;
  } finally {
    model.dispose();
    e.dispose();
  }
}

describe('dreams are digits', () => {
  // Before the blur and the starting noise were preconditioned like the gradient, the first two
  // failed here (the recipe's 7 at 0.59; 128-64's 0 at 0.00, read as a 1), as in the page.
  // scripts/measureDreams.ts measures more shapes.
  const cases: [string, Partial<TrainConfig>][] = [
    ['the recipe, a short run', { trainSize: 6000, epochs: 1 }],
    ['128-64, two epochs on 24,000', { trainSize: 24000, epochs: 2, hiddenUnits: [128, 64] }],
    ['128-64, seed 7', { trainSize: 24000, epochs: 2, hiddenUnits: [128, 64], seed: 7 }],
    ['one layer of 32', { trainSize: 6000, epochs: 2, hiddenUnits: [32] }],
  ];
  for (const [name, config] of cases)
    it(`every class's dream is read as its own digit at 0.9 or more: ${name}`, async () => {
      const confidences = await dreamsOf(config);
      confidences.forEach((c, d) =>
        expect(c, `dream of ${d}: ${confidences.map((x) => x.toFixed(2)).join(' ')}`).toBeGreaterThanOrEqual(0.9),
      );
    });

  it("every class's dream is a digit on the cpu backend too (3,000 images, 1 epoch, as in the page)", async () => {
    // Before the polish kept its best image, this model's 1 flipped from 100% to 1% on the last step.
    await tf.setBackend('cpu');
    try {
      const confidences = await dreamsOf({ trainSize: 3000, epochs: 1 }, allData);
      confidences.forEach((c, d) =>
        expect(c, `dream of ${d}: ${confidences.map((x) => x.toFixed(2)).join(' ')}`).toBeGreaterThanOrEqual(0.9),
      );
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('the shipped model dreams every digit at 0.9 or more, without leaking a tensor; the start is not already a digit', async () => {
    const root = new URL('../../public/models/reference/', import.meta.url);
    const json = JSON.parse(readFileSync(new URL('model.json', root), 'utf8'));
    const w = readFileSync(new URL('model.weights.bin', root));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.length),
      }),
    );
    const before = tf.memory().numTensors;
    const start = await dream(model, { start: stats.mean, pixelScale: stats.spread, steps: 0 });
    const out = await dream(model, { start: stats.mean, pixelScale: stats.spread });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.images.length).toBe(7840);
    expect(Math.min(...out.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out.images)).toBeLessThanOrEqual(1);
    expect(Math.min(...out.confidences)).toBeGreaterThanOrEqual(0.9);
    expect(start.confidences.reduce((a, b) => a + b, 0) / 10).toBeLessThan(0.5);
    model.dispose();
  });
});
