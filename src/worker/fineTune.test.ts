import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fineTuneConfig, repeatsFor } from '../shared/fineTune';
import type { DigitSet } from '../shared/myDigits';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import type { MnistData, SplitData } from './dataset';
import { Engine, type EngineTiming } from './engine';
import { digitSetProblem, fineTuneMix, readDigits } from './fineTuneMix';
import { splitIndices } from './split';
import { mnistSplit } from '../../scripts/mnistSplit';

const data: MnistData = {
  train: mnistSplit('train', 2000),
  test: mnistSplit('test', 500),
};
const FAST: EngineTiming = { yieldMs: 8, batchEventMs: 0, firstLayerMs: 0, readEvery: 5 };
const small = (c: Partial<TrainConfig> = {}): TrainConfig => ({ ...DEFAULT_CONFIG, epochs: 3, trainSize: 1600, backend: 'cpu', ...c });

/** "Your handwriting": test digits 500.. shifted 5 px right and 4 down (MNIST digits are centred), correct labels. */
function yourDigits(n: number): DigitSet {
  const src = mnistSplit('test', 600);
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = 500 + i;
    labels[i] = src.labels[s]!;
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) if (y >= 4 && x >= 5) images[i * 784 + y * 28 + x] = src.images[s * 784 + (y - 4) * 28 + (x - 5)]!;
  }
  return { images, labels };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('the fine-tune mix', () => {
  it('holds the MNIST images, then each of yours `repeats` times', () => {
    const mnist: SplitData = {
      count: 3,
      images: new Uint8Array(3 * 784).map((_, i) => Math.floor(i / 784) + 1),
      labels: Uint8Array.from([7, 8, 9]),
    };
    const yours: DigitSet = { images: new Uint8Array(2 * 784).map((_, i) => 100 + Math.floor(i / 784)), labels: Uint8Array.from([1, 2]) };
    const mix = fineTuneMix(mnist, Int32Array.from([2, 0]), yours, 3);
    expect(mix.count).toBe(2 + 6);
    expect(Array.from(mix.labels)).toEqual([9, 7, 1, 2, 1, 2, 1, 2]);
    expect(Array.from({ length: 8 }, (_, r) => mix.images[r * 784 + 5])).toEqual([3, 1, 100, 101, 100, 101, 100, 101]);
  });

  it('repeats your digits to make up about a fifth of the mix', () => {
    expect(repeatsFor(0)).toBe(0);
    expect(repeatsFor(20, 6000)).toBe(75); // 1,500 of 7,500
    expect(repeatsFor(5000, 6000)).toBe(1);
  });

  it('refuses digit sets whose sizes or labels do not fit', () => {
    expect(digitSetProblem({ images: new Uint8Array(784), labels: Uint8Array.from([3]) })).toBeNull();
    expect(digitSetProblem({ images: new Uint8Array(700), labels: Uint8Array.from([3]) })).toMatch(/784/);
    expect(digitSetProblem({ images: new Uint8Array(784), labels: Uint8Array.from([10]) })).toMatch(/0 to 9/);
  });

  it('reads predictions and accuracy from probabilities', () => {
    const probs = new Float32Array(20);
    probs[3] = 0.9;
    probs[10 + 5] = 0.6;
    const r = readDigits(probs, Uint8Array.from([3, 4]), 7);
    expect(Array.from(r.predicted)).toEqual([3, 5]);
    expect(r.accuracy).toBe(0.5);
    expect(r.version).toBe(7);
    expect(readDigits(null, Uint8Array.from([1]), 0).accuracy).toBeNull();
  });
});

async function accuracy(e: Engine, set: DigitSet): Promise<number> {
  return readDigits(await e.classify(set.images, set.labels.length), set.labels, e.version).accuracy!;
}

/** Fine-tunes the engine's current model on `yours` as the worker's fineTune handler does. */
async function fineTune(e: Engine, yours: DigitSet) {
  const sizes = e.modelSizes!;
  const cfg = fineTuneConfig(small(), {
    hiddenUnits: sizes.slice(1, -1),
    activation: e.modelActivation!,
    normalization: e.info.config?.normalization ?? 'standardize',
  });
  const mnist = splitIndices(data.train.count, cfg.trainSize, cfg.seed).train;
  return e.train({ ...cfg, epochs: 2 }, true, fineTuneMix(data.train, mnist, yours, repeatsFor(yours.labels.length, mnist.length)));
}

describe('fine-tuning', () => {
  it('teaches a trained model your digits, keeps MNIST, and leaks no tensors', async () => {
    const e = new Engine(() => {}, FAST);
    e.setData(data);
    const first = await e.train(small());
    const yours = yourDigits(30);
    const before = await accuracy(e, yours);
    const tensors = tf.memory().numTensors;
    const run = await fineTune(e, yours);
    const after = await accuracy(e, yours);
    expect(run.outcome).toBe('completed');
    expect(after).toBeGreaterThan(before + 0.2);
    expect(after).toBeGreaterThanOrEqual(0.9);
    expect(run.report!.testAccuracy).toBeGreaterThan(first.report!.testAccuracy - 0.03);
    expect(tf.memory().numTensors).toBe(tensors);
    e.dispose();
  }, 60_000);

  it('continues a loaded model (raw pixels, normalisation folded) rather than starting afresh', async () => {
    const e = new Engine(() => {}, FAST);
    e.setData(data);
    await e.train(small());
    const layers = await e.toLayersModel();
    await e.loadLayersModel(layers, { source: 'bundled', description: 'shipped', config: null, testAccuracy: null });
    layers.dispose();
    const loadedReport = await e.evaluate();
    const yours = yourDigits(30);
    const before = await accuracy(e, yours);
    const run = await fineTune(e, yours);
    // Unfolded to standardised inputs: it learns like the trained model it was.
    expect(e.info.config?.normalization).toBe('standardize');
    // A fresh model after 2 short epochs would read far fewer test digits than the loaded one.
    expect(run.report!.testAccuracy).toBeGreaterThan(loadedReport.testAccuracy - 0.03);
    expect(await accuracy(e, yours)).toBeGreaterThan(before + 0.2);
    e.dispose();
  }, 60_000);
});

describe('inspect', () => {
  it('gives the probabilities of predict, every hidden layer, and a gradient that matches finite differences', async () => {
    const e = new Engine(() => {}, FAST);
    e.setData(data);
    expect((await e.inspect(new Float32Array(784))).probs).toBeNull();
    await e.train(small({ epochs: 1, hiddenUnits: [32, 16], activation: 'elu' }));
    const pixels = new Float32Array(784);
    for (let i = 0; i < 784; i++) pixels[i] = data.test.images[i]! / 255;
    const tensors = tf.memory().numTensors;
    const ins = await e.inspect(pixels);
    expect(tf.memory().numTensors).toBe(tensors);
    const pred = await e.predict(pixels);
    Array.from(pred.probs!).forEach((p, d) => expect(ins.probs![d]).toBeCloseTo(p, 4));
    expect(ins.predicted).toBe(Array.from(pred.probs!).indexOf(Math.max(...pred.probs!)));
    expect(ins.hidden.map((h) => h.length)).toEqual([32, 16]);
    // The inked pixel with the largest gradient: nudging it changes log p(predicted) by about gradient * step.
    const g = ins.gradient!;
    const inked = Array.from(pixels.keys()).filter((k) => pixels[k]! > 0.5);
    const i = inked.reduce((best, k) => (Math.abs(g[k]!) > Math.abs(g[best]!) ? k : best), inked[0]!);
    expect(Math.abs(g[i]!)).toBeGreaterThan(0);
    const step = 0.002;
    const nudged = pixels.slice();
    nudged[i]! -= step;
    const p2 = (await e.predict(nudged)).probs!;
    const change = Math.log(ins.probs![ins.predicted]!) - Math.log(p2[ins.predicted]!);
    expect(Math.abs(change / step - g[i]!)).toBeLessThan(0.1 * Math.abs(g[i]!) + 1e-3);
    e.dispose();
  }, 60_000);
});

describe('the test images behind a confusion-matrix cell', () => {
  it('are those the last evaluation of the current model counted there', async () => {
    const e = new Engine(() => {}, FAST);
    e.setData(data);
    await e.train(small({ epochs: 1 }));
    const report = await e.evaluate();
    for (const [t, p] of [
      [3, 3],
      [4, 9],
      [7, 2],
    ] as const) {
      const cell = e.cellImages(t, p, 5);
      expect(cell.total).toBe(report.confusion[t * 10 + p]);
      expect(cell.indices.length).toBe(Math.min(5, cell.total));
      cell.indices.forEach((i, r) => {
        expect(data.test.labels[i]).toBe(t);
        expect(cell.pixels.subarray(r * 784, (r + 1) * 784)).toEqual(data.test.images.subarray(i * 784, (i + 1) * 784));
      });
    }
    // A new model version (here: reset): its cells are unknown until it is evaluated.
    await e.train(small({ epochs: 1, seed: 7 }));
    e.clearModel();
    expect(() => e.cellImages(3, 3, 5)).toThrow(/Evaluate/);
    e.dispose();
  }, 60_000);
});

describe('augmentation in a run', () => {
  it('trains on warped copies (other curves than without), still learns, and leaks no tensors', async () => {
    const losses = async (augment: number) => {
      const events: { type: string; trainLoss?: number }[] = [];
      const e = new Engine((ev) => events.push(ev), FAST);
      e.setData(data);
      const before = tf.memory().numTensors;
      const run = await e.train(small({ epochs: 2, augment }));
      e.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return { acc: run.report!.testAccuracy, loss: events.filter((x) => x.type === 'epoch').map((x) => x.trainLoss!) };
    };
    const plain = await losses(0);
    const augmented = await losses(1);
    expect(augmented.loss).not.toEqual(plain.loss);
    // Harder training images: a higher training loss; the test digits are still read.
    expect(augmented.loss[1]!).toBeGreaterThan(plain.loss[1]!);
    expect(augmented.acc).toBeGreaterThan(0.6); // chance is 0.1; 2 short epochs on 1,600 images
  }, 60_000);
});
