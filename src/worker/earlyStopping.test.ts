/**
 * Early stopping, as a person relies on it: a run with patience that stops by
 * itself once the validation loss has not improved for `patience` epochs, says
 * so, and ends with the weights of its best epoch (Keras'
 * EarlyStopping(restore_best_weights=True)). Only the engine's public methods.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../shared/protocol';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import { Engine } from './engine';
import { mnistSplit } from '../../scripts/mnistSplit';

/** 400 training images (and 100 for validation) of the first 1,000 MNIST ones: small enough to overfit within a few epochs. */
const data = { train: mnistSplit('train', 1000), test: mnistSplit('test', 500) };
const FAST = { yieldMs: 8, batchEventMs: 0, firstLayerMs: 1e9, readEvery: 5 };
const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  backend: 'cpu',
  trainSize: 400,
  hiddenUnits: [32],
  learningRate: 0.01,
  epochs: 40,
  patience: 2,
};

/** Trains a fresh engine with `cfg`; returns the summary, the epoch events and the engine. */
async function run(cfg: TrainConfig) {
  const epochs: Extract<WorkerEvent, { type: 'epoch' }>[] = [];
  const engine = new Engine((e) => {
    if (e.type === 'epoch') epochs.push(e);
  }, FAST);
  engine.setData(data);
  const summary = await engine.train(cfg);
  return { summary, epochs, engine };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('early stopping', () => {
  it('stops once the validation loss has not improved for `patience` epochs, says so, and keeps the best epoch’s weights', async () => {
    const stopped = await run(config);
    const losses = stopped.epochs.map((e) => e.valLoss);
    const best = losses.indexOf(Math.min(...losses)); // 0-based epoch with the lowest validation loss

    // It stopped by itself, long before its 40 epochs, exactly `patience` epochs after the best one.
    expect(stopped.summary.outcome).toBe('early-stopped');
    expect(losses.length).toBeLessThan(config.epochs);
    expect(losses.length).toBe(best + 1 + config.patience);
    expect(stopped.summary.epochsRun).toBeCloseTo(losses.length, 6);
    // The epochs after the best were all worse: the reason it stopped.
    for (const later of losses.slice(best + 1)) expect(later).toBeGreaterThanOrEqual(losses[best]!);

    // The same run cut at its best epoch (same seed: the same steps) ends with the same weights.
    const cut = await run({ ...config, epochs: best + 1, patience: 0 });
    expect(cut.summary.outcome).toBe('completed');
    expect(cut.epochs.map((e) => e.valLoss)).toEqual(losses.slice(0, best + 1));
    const kept = (await stopped.engine.weights())!;
    const atBest = (await cut.engine.weights())!;
    expect(kept.length).toBe(atBest.length);
    let maxDiff = 0;
    for (let i = 0; i < kept.length; i++) maxDiff = Math.max(maxDiff, Math.abs(kept[i]! - atBest[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
    // And so the test report describes the best epoch's model, not the last epoch's.
    expect(stopped.summary.report!.testAccuracy).toBeCloseTo(cut.summary.report!.testAccuracy, 6);
    expect(stopped.summary.report!.testLoss).toBeCloseTo(cut.summary.report!.testLoss, 5);
    stopped.engine.dispose();
    cut.engine.dispose();
  });
});
