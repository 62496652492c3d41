import { describe, expect, it } from 'vitest';
import { fineTuneConfig } from '../shared/fineTune';
import { FORM, model, ready, running, settled } from './runHistoryFixtures';

describe('watching runs in the trainer state', () => {
  it('keeps a finished run: its configuration, curves, test result and per-digit accuracy', () => {
    const s = running(ready(), 2).do(settled(2, 'completed'));
    expect(s.finished).toHaveLength(1);
    const r = s.finished[0]!;
    expect(r).toMatchObject({
      state: 'done',
      kind: 'train',
      config: FORM,
      epochsRun: 2,
      elapsedMs: 1234,
      backend: 'wasm',
      modelVersion: 2,
    });
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(r.epochs[1]!.valAccuracy).toBeCloseTo(0.9);
    expect(r.steps.map((p) => p.epoch)).toEqual([0.5, 1.5]);
    expect(r.samplesPerSec).toBe(5015);
    expect(r.test!.accuracy).toBe(0.55);
    expect(r.test!.perClass[0]).toBe(1);
    expect(r.test!.perClass[3]).toBeCloseTo(0.7);
    expect(Date.parse(r.endedAt) - Date.parse(r.startedAt)).toBeGreaterThan(0);
  });

  it('tells early-stopped, stopped and failed runs apart', () => {
    expect(running(ready(), 2).do(settled(2, 'early-stopped')).finished[0]!.state).toBe('early-stopped');
    expect(running(ready(), 2).do(settled(2, 'stopped', 1.5)).finished[0]!.state).toBe('stopped');
    const failed = running(ready(), 2).do({
      type: 'failed',
      train: true,
      error: { code: 'nan', message: 'The loss became NaN at epoch 2.' },
    }).finished[0]!;
    expect(failed).toMatchObject({ state: 'failed', note: 'The loss became NaN at epoch 2.', test: null });
    expect(failed.epochs).toHaveLength(2);
  });

  it('keeps the curves of a run cancelled by Reset, although Reset wipes them from the state', () => {
    const s = running(ready(), 2).do(settled(2, 'cancelled', 1.5), model(3, null, 'bundled'));
    expect(s.state.epochs).toEqual([]);
    expect(s.finished).toHaveLength(1);
    expect(s.finished[0]!).toMatchObject({ state: 'stopped', test: null });
    expect(s.finished[0]!.epochs).toHaveLength(2);
  });

  it('records a run whose worker crashed as failed', () => {
    const s = running(ready(), 2).do({ type: 'crashed', message: 'The training worker crashed.', restarted: true });
    expect(s.finished[0]).toMatchObject({ state: 'failed', note: 'The training worker crashed.' });
  });

  it('records nothing for a Train that was refused before a run started', () => {
    const s = ready().do(
      { type: 'trainRequested' },
      { type: 'failed', train: true, error: { code: 'refused', message: 'Training is running.' } },
    );
    expect(s.finished).toEqual([]);
  });

  it('keeps only a continued run’s own epochs, and calls it continued', () => {
    const s = running(ready(), 2).do(settled(2, 'completed'));
    running(s, 3, FORM, true).do(settled(3, 'completed'));
    expect(s.finished).toHaveLength(2);
    const r = s.finished[1]!;
    expect(r.kind).toBe('continued');
    expect(r.epochOffset).toBe(1.5);
    expect(r.epochs.every((e) => e.epoch > 1.5)).toBe(true);
  });

  it('knows a fine-tune by its configuration (derived from the form’s)', () => {
    const tuned = fineTuneConfig(FORM, { hiddenUnits: [64, 64], activation: 'relu', normalization: 'standardize' });
    const s = running(ready(), 2, tuned).do(settled(2, 'completed', 1));
    expect(s.finished[0]!.kind).toBe('fine-tune');
    expect(running(ready(), 2, { ...FORM, seed: 9 }).do(settled(2, 'completed')).finished[0]!.kind).toBe('train');
  });

  it('records each of two runs once', () => {
    const s = running(ready(), 2).do(settled(2, 'completed'));
    running(s, 3, { ...FORM, optimizer: 'adam' }).do(settled(3, 'completed'), model(3, { ...FORM, optimizer: 'adam' }));
    expect(s.finished.map((r) => [r.modelVersion, r.config?.optimizer])).toEqual([
      [2, 'sgd'],
      [3, 'adam'],
    ]);
  });
});
