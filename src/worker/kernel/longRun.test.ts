/**
 * A 200-epoch run, as the soak: the worker's tensors, its kernel memory and its
 * JS heap stay flat from epoch 20 to epoch 200, and the events it streams per epoch do not
 * grow with the run (the page's side, charts decimated to 300 points, is
 * src/components/chart/ and `node scripts/benchUi.mjs --soak`).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistSplit } from '../../../scripts/mnistSplit';
import { useNodeKernel } from '../../../scripts/kernelNode';
import type { WorkerEvent } from '../../shared/protocol';
import { DEFAULT_CONFIG } from '../../shared/trainConfig';
import type { MnistData } from '../dataset';
import { Engine, type EngineTiming } from '../engine';

const data: MnistData = { train: mnistSplit('train', 2000), test: mnistSplit('test', 200) };
/** Batch events as often as they come, weight pictures every epoch: everything a page would get. */
const CHATTY: EngineTiming = { yieldMs: 8, batchEventMs: 0, firstLayerMs: 0, readEvery: 5 };
const EPOCHS = 200;

beforeAll(async () => {
  await useNodeKernel();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['wasm', 'cpu'] as const)('a %s run of 200 epochs', (backend) => {
  it('keeps tensors, heap and the per-epoch event stream flat', { timeout: 300_000 }, async () => {
    await tf.setBackend(backend);
    await tf.ready();
    const at: Record<number, { tensors: number; bytes: number; heap: number; events: number; eventBytes: number }> = {};
    let events = 0;
    let eventBytes = 0;
    const e = new Engine((ev: WorkerEvent) => {
      events++;
      // What the page would be sent (structured clone ~ JSON size for these plain events).
      eventBytes += ev.type === 'firstLayer' ? ev.weights.length * 4 : JSON.stringify(ev).length;
      if (ev.type === 'epoch')
        at[ev.epoch] = {
          tensors: tf.memory().numTensors,
          bytes: tf.memory().numBytes,
          heap: process.memoryUsage().heapUsed,
          events,
          eventBytes,
        };
    }, CHATTY);
    e.setData(data);
    // 100 training images, batch 32: 4 steps and a validation pass an epoch, 800 steps in all.
    const summary = await e.train({ ...DEFAULT_CONFIG, backend, trainSize: 125, epochs: EPOCHS });
    expect(summary.outcome).toBe('completed');
    expect(summary.epochsRun).toBe(EPOCHS);
    const early = at[20]!;
    const late = at[EPOCHS]!;
    expect(late.tensors).toBe(early.tensors);
    expect(late.bytes).toBe(early.bytes);
    // Events per epoch: the same in the last 20 epochs as in epochs 2-20 (none of them carries the whole history).
    const perEpoch = (from: number, to: number, key: 'events' | 'eventBytes') => (at[to]![key] - at[from]![key]) / (to - from);
    expect(perEpoch(EPOCHS - 20, EPOCHS, 'events')).toBeLessThanOrEqual(perEpoch(2, 20, 'events') * 1.1);
    expect(perEpoch(EPOCHS - 20, EPOCHS, 'eventBytes')).toBeLessThanOrEqual(perEpoch(2, 20, 'eventBytes') * 1.1);
    // The JS heap after 180 more epochs: within 20 MB of where it was (garbage comes and goes; a leak of one
    // batch's arrays per step would be 800 x 32 x 784 x 4 bytes = 80 MB).
    expect(late.heap - early.heap).toBeLessThan(20 * 2 ** 20);
    e.dispose();
  });
});
