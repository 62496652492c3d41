import { describe, expect, it } from 'vitest';
import { downsample, initialTrainerState, MAX_BATCH_POINTS, trainerReducer, type TrainerState } from './trainerState';
import type { WorkerEvent } from '../shared/protocol';

const ev = (state: TrainerState, event: WorkerEvent) => trainerReducer(state, { type: 'event', event });
const batch = (step: number): WorkerEvent => ({
  type: 'batch', step, stepsPerEpoch: 100, epoch: step / 100, loss: 1 / step, accuracy: 0.5, rawLoss: 1 / step, samplesPerSec: 1000, etaMs: 10,
});

describe('trainerReducer', () => {
  it('goes loading-data -> ready -> training -> done', () => {
    let s = initialTrainerState;
    expect(s.status).toBe('loading-data');
    s = ev(s, { type: 'dataProgress', loadedBytes: 5, totalBytes: 10 });
    expect(s.dataProgress).toEqual({ loadedBytes: 5, totalBytes: 10 });
    s = ev(s, { type: 'dataReady', trainCount: 60000, testCount: 10000, samplePixels: new Uint8Array(784), sampleLabels: [7], elapsedMs: 1 });
    expect(s.status).toBe('ready');
    s = trainerReducer(s, { type: 'trainStarted', epochs: 3, keepCurves: false });
    s = ev(s, { type: 'phase', phase: 'training' });
    expect(s.status).toBe('training');
    s = ev(s, batch(1));
    s = ev(s, { type: 'phase', phase: 'paused' });
    expect(s.status).toBe('paused');
    s = ev(s, { type: 'phase', phase: 'done' });
    expect(s.status).toBe('done');
    expect(s.batches).toHaveLength(1);
    expect(s.totalEpochs).toBe(3);
  });

  it('keeps the curve light by halving it past MAX_BATCH_POINTS', () => {
    let s = initialTrainerState;
    for (let i = 1; i <= MAX_BATCH_POINTS * 3; i++) s = ev(s, batch(i));
    expect(s.batches.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(s.batches.length).toBeGreaterThan(MAX_BATCH_POINTS / 2);
    expect(s.batches.at(-1)!.epoch).toBeCloseTo(30);
    const xs = s.batches.map((p) => p.epoch);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(downsample([{ epoch: 1, loss: 2, accuracy: 0, rawLoss: 2 }, { epoch: 2, loss: 4, accuracy: 1, rawLoss: 4 }, { epoch: 3, loss: 9, accuracy: 1, rawLoss: 9 }])).toEqual([
      { epoch: 2, loss: 3, accuracy: 0.5, rawLoss: 3 },
      { epoch: 3, loss: 9, accuracy: 1, rawLoss: 9 },
    ]);
  });

  it('shows an error and returns to a usable state when it is dismissed', () => {
    let s = ev(initialTrainerState, { type: 'dataReady', trainCount: 1, testCount: 1, samplePixels: new Uint8Array(0), sampleLabels: [], elapsedMs: 1 });
    s = ev(s, { type: 'phase', phase: 'training' });
    s = ev(s, { type: 'error', code: 'nan', message: 'loss is NaN' });
    expect(s.status).toBe('error');
    expect(s.error).toMatchObject({ code: 'nan' });
    // the worker reports its phase after the error: remembered, not shown over the error
    s = ev(s, { type: 'phase', phase: 'done' });
    expect(s.status).toBe('error');
    s = trainerReducer(s, { type: 'dismissError' });
    expect(s.status).toBe('done');
    expect(s.error).toBeNull();
  });

  it('a crashed worker sends the page back to loading the data', () => {
    let s = ev(initialTrainerState, { type: 'dataReady', trainCount: 1, testCount: 1, samplePixels: new Uint8Array(0), sampleLabels: [], elapsedMs: 1 });
    s = ev(s, { type: 'modelInfo', source: 'bundled', description: 'pre-trained', config: null });
    s = ev(s, { type: 'error', code: 'crash', message: 'boom' });
    expect(s.status).toBe('error');
    expect(s.dataset).toBeNull();
    expect(s.model.source).toBe('none');
    s = trainerReducer(s, { type: 'dismissError' });
    expect(s.status).toBe('loading-data');
    s = ev(s, { type: 'error', code: 'crash', message: 'boom' });
    // the fresh worker finishes loading while the message is still shown
    s = ev(s, { type: 'dataReady', trainCount: 1, testCount: 1, samplePixels: new Uint8Array(0), sampleLabels: [], elapsedMs: 1 });
    expect(s.status).toBe('error');
    expect(trainerReducer(s, { type: 'dismissError' }).status).toBe('ready');
  });
});
