import { describe, expect, it } from 'vitest';
import {
  availability,
  downsample,
  initialTrainerState,
  MAX_BATCH_POINTS,
  trainerReducer,
  type TrainerAction,
  type TrainerState,
} from './trainerState';
import type { ClientEvent } from './trainerClient';
import type { ModelInfo, RunSummary, TestReport, WorkerPhase } from '../shared/protocol';

const ev = (state: TrainerState, event: ClientEvent) => trainerReducer(state, { type: 'event', event });
const act = (state: TrainerState, ...actions: TrainerAction[]) => actions.reduce(trainerReducer, state);
const phase = (p: WorkerPhase): ClientEvent => ({ type: 'phase', phase: p, activity: null, queued: 0, quietMs: 0, stepQuietMs: 0 });
const model = (version: number, source: ModelInfo['source'] = 'trained'): ClientEvent => ({
  type: 'model',
  version,
  source,
  description: source,
  config: null,
  testAccuracy: null,
});
const batch = (step: number, version = 1): ClientEvent => ({
  type: 'batch',
  version,
  step,
  stepsPerEpoch: 100,
  epoch: step / 100,
  loss: 1 / step,
  accuracy: 0.5,
  rawLoss: 1 / step,
  samplesPerSec: 1000,
  etaMs: 10,
});
const report = (version: number): TestReport => ({ version, testLoss: 0.1, testAccuracy: 0.9, confusion: [], mistakes: [] });
const summary = (version: number, outcome: RunSummary['outcome'] = 'completed'): RunSummary => ({
  version,
  outcome,
  steps: 300,
  stepsPerEpoch: 100,
  epochsRun: 3,
  elapsedMs: 1000,
  report: outcome === 'cancelled' ? null : report(version),
});
const loaded: TrainerAction = {
  type: 'dataLoaded',
  data: { trainCount: 60000, testCount: 10000, samplePixels: new Uint8Array(784), sampleLabels: [7], elapsedMs: 1 },
};

/** Data loaded, the shipped model (version 1) in place, worker idle. */
function readyWithBundled(): TrainerState {
  return act(ev(ev(initialTrainerState, phase('idle')), model(1, 'bundled')), loaded);
}

/** A completed run of model version 2 with curves and a report. */
function afterRun(): TrainerState {
  let s = act(readyWithBundled(), { type: 'trainRequested' });
  s = ev(s, { type: 'runStarted', version: 2, epochs: 3, stepsPerEpoch: 100, continued: false });
  s = ev(s, model(2));
  s = ev(s, phase('training'));
  s = ev(s, batch(1, 2));
  s = ev(s, {
    type: 'epoch',
    version: 2,
    epoch: 1,
    epochs: 3,
    trainLoss: 1,
    trainAccuracy: 0.5,
    valLoss: 1,
    valAccuracy: 0.5,
    elapsedMs: 1,
    samplesPerSec: 1,
    etaMs: 1,
  });
  s = act(s, { type: 'trainSettled', summary: summary(2) });
  return ev(s, phase('idle'));
}

describe('trainerReducer', () => {
  it('goes loading-data -> ready -> training -> paused -> done, the status derived from facts', () => {
    let s = initialTrainerState;
    expect(s.status).toBe('loading-data');
    s = ev(s, { type: 'dataProgress', loadedBytes: 5, totalBytes: 10 });
    expect(s.dataProgress).toEqual({ loadedBytes: 5, totalBytes: 10 });
    s = act(s, loaded);
    s = ev(s, phase('idle'));
    expect(s.status).toBe('ready');
    s = act(s, { type: 'trainRequested' });
    expect(s.trainPending).toBe(true);
    expect(availability(s).train).not.toBeNull(); // no second Train while one waits
    s = ev(s, { type: 'runStarted', version: 1, epochs: 3, stepsPerEpoch: 100, continued: false });
    s = ev(s, phase('training'));
    expect(s.status).toBe('training');
    s = ev(s, batch(1));
    s = ev(s, phase('paused'));
    expect(s.status).toBe('paused');
    s = ev(s, model(1));
    s = act(s, { type: 'trainSettled', summary: summary(1) });
    s = ev(s, phase('idle'));
    expect(s.status).toBe('done');
    expect(s.trainPending).toBe(false);
    expect(s.batches).toHaveLength(1);
    expect(s.totalEpochs).toBe(3);
    expect(s.report?.version).toBe(1);
  });

  it('keeps the curve light by halving it past MAX_BATCH_POINTS', () => {
    let s = ev(initialTrainerState, { type: 'runStarted', version: 1, epochs: 30, stepsPerEpoch: 100, continued: false });
    for (let i = 1; i <= MAX_BATCH_POINTS * 3; i++) s = ev(s, batch(i));
    expect(s.batches.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(s.batches.length).toBeGreaterThan(MAX_BATCH_POINTS / 2);
    expect(s.batches.at(-1)!.epoch).toBeCloseTo(30);
    const xs = s.batches.map((p) => p.epoch);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(
      downsample([
        { epoch: 1, loss: 2, accuracy: 0, rawLoss: 2 },
        { epoch: 2, loss: 4, accuracy: 1, rawLoss: 4 },
        { epoch: 3, loss: 9, accuracy: 1, rawLoss: 9 },
      ]),
    ).toEqual([
      { epoch: 2, loss: 3, accuracy: 0.5, rawLoss: 3 },
      { epoch: 3, loss: 9, accuracy: 1, rawLoss: 9 },
    ]);
  });

  it('drops results that belong to another model version', () => {
    let s = afterRun();
    expect(s.status).toBe('done');
    // late stream events of an older run, a report of an older model: ignored
    s = ev(s, batch(5, 1));
    expect(s.batches).toHaveLength(1);
    s = act(s, { type: 'report', report: report(1) });
    expect(s.report?.version).toBe(2);
    s = ev(s, { type: 'firstLayer', version: 1, units: 1, weights: new Float32Array(784) });
    expect(s.firstLayer).toBeNull();
    s = ev(s, { type: 'firstLayer', version: 2, units: 1, weights: new Float32Array(784) });
    expect(s.firstLayer?.version).toBe(2);
  });

  it('Reset: a new model version clears the run, its curves and its report; the shipped model reads again', () => {
    let s = afterRun();
    s = ev(s, model(3, 'none'));
    s = ev(s, model(4, 'bundled'));
    expect(s.report).toBeNull();
    expect(s.run).toBeNull();
    expect(s.batches).toEqual([]);
    expect(s.epochs).toEqual([]);
    expect(s.firstLayer).toBeNull();
    expect(s.model).toMatchObject({ version: 4, source: 'bundled' });
    expect(s.status).toBe('ready');
    // a late word about an older model does not bring it back
    s = ev(s, model(2));
    expect(s.model.version).toBe(4);
  });

  it('a continued run keeps the curves and continues their x axis', () => {
    let s = afterRun();
    s = ev(s, { type: 'runStarted', version: 3, epochs: 2, stepsPerEpoch: 100, continued: true });
    s = ev(s, model(3));
    expect(s.batches).toHaveLength(1);
    s = ev(s, batch(50, 3));
    expect(s.batches.at(-1)!.epoch).toBeCloseTo(0.01 + 0.5);
    expect(s.totalEpochs).toBeCloseTo(2.01);
  });

  it('a cancelled run reports no result; refusals are a notice, never the error state', () => {
    let s = act(readyWithBundled(), { type: 'trainRequested' });
    s = ev(s, { type: 'runStarted', version: 2, epochs: 3, stepsPerEpoch: 100, continued: false });
    s = ev(s, model(2));
    s = act(s, { type: 'trainSettled', summary: summary(2, 'cancelled') });
    expect(s.report).toBeNull();
    s = act(s, { type: 'failed', error: { code: 'refused', message: 'Stop training to load a model.' } });
    expect(s.status).not.toBe('error');
    expect(s.notice).toMatchObject({ code: 'refused', message: 'Stop training to load a model.' });
    s = act(s, { type: 'failed', error: { code: 'cancelled', message: 'Cancelled by reset.' }, train: true });
    expect(s.status).not.toBe('error');
    expect(s.trainPending).toBe(false);
  });

  it('shows an error and returns to a usable state when it is dismissed', () => {
    let s = act(readyWithBundled(), { type: 'trainRequested' });
    s = ev(s, phase('training'));
    s = act(s, { type: 'failed', error: { code: 'nan', message: 'loss is NaN' }, train: true });
    expect(s.status).toBe('error');
    expect(s.error).toMatchObject({ code: 'nan' });
    expect(availability(s).train).toMatch(/Dismiss/);
    s = ev(s, phase('idle'));
    expect(s.status).toBe('error');
    s = trainerReducer(s, { type: 'dismissError' });
    expect(s.status).toBe('ready');
    expect(availability(s).train).toBeNull();
  });

  it("after a crash mid-run the fresh worker's shipped model is shown, though its version starts again from 1", () => {
    let s = afterRun(); // model version 2
    s = ev(s, { type: 'crashed', restarted: true, message: 'boom' });
    expect(s.batches).toEqual([]);
    s = ev(s, model(1, 'bundled'));
    s = act(s, loaded);
    expect(s.model).toMatchObject({ version: 1, source: 'bundled' });
    expect(trainerReducer(s, { type: 'dismissError' }).status).toBe('ready');
    // The same after Retry.
    s = trainerReducer(afterRun(), { type: 'restarting' });
    expect(ev(s, model(1, 'bundled')).model.source).toBe('bundled');
  });

  it('a crashed worker sends the page back to loading the data', () => {
    let s = readyWithBundled();
    s = ev(s, { type: 'crashed', restarted: true, message: 'boom' });
    expect(s.status).toBe('error');
    expect(s.dataset).toBeNull();
    expect(s.model.source).toBe('none');
    s = trainerReducer(s, { type: 'dismissError' });
    expect(s.status).toBe('loading-data');
    s = ev(s, { type: 'crashed', restarted: true, message: 'boom' });
    // the fresh worker finishes loading while the message is still shown
    s = act(s, loaded);
    expect(s.status).toBe('error');
    expect(trainerReducer(s, { type: 'dismissError' }).status).toBe('ready');
  });
});

describe('availability', () => {
  it('disables with a reason what cannot apply, as the worker would refuse it', () => {
    expect(availability(initialTrainerState)).toMatchObject({ train: 'Wait for the data to load.', reset: 'Wait for the data to load.' });
    const ready = readyWithBundled();
    expect(availability(ready)).toMatchObject({
      train: null,
      evaluate: null,
      dream: null,
      load: null,
      pause: 'Nothing is training.',
      stop: 'Nothing is training.',
    });
    const training = ev(act(ready, { type: 'trainRequested' }), phase('training'));
    expect(availability(training)).toMatchObject({
      train: 'Training is running.',
      pause: null,
      stop: null,
      reset: null,
      load: 'Stop training to load a model.',
      evaluate: 'Stop training to evaluate now.',
      save: 'Stop training to save the model.',
    });
    const none = ev(ready, model(2, 'none'));
    expect(availability(none)).toMatchObject({
      evaluate: 'Train a model or load one first.',
      dream: 'Train a model or load one first.',
      export: 'Train a model or load one first.',
    });
  });
});

describe('availability from the command table', () => {
  it('gives each reason its stable key, the words the worker would use', () => {
    const training = ev(act(readyWithBundled(), { type: 'trainRequested' }), phase('training'));
    const can = availability(training);
    expect(can.keys).toMatchObject({ load: 'stopToLoad', evaluate: 'stopToEvaluate', train: 'training', pause: null, stop: null });
    // A Train waiting its turn (no phase yet) already blocks what a run blocks, and Stop can cancel it.
    const waiting = act(readyWithBundled(), { type: 'trainRequested' });
    expect(availability(waiting)).toMatchObject({ stop: null, pause: 'Nothing is training.', load: 'Stop training to load a model.' });
    // The data failed (message dismissed): not "wait", but what is wrong.
    const failed = trainerReducer(ev(act(initialTrainerState, { type: 'failed', error: { code: 'data', message: 'x' } }), phase('idle')), {
      type: 'dismissError',
    });
    expect(availability(failed).train).toBe('The dataset is not loaded: retry loading it first.');
  });
});

describe('faults the client reports', () => {
  it('a request the worker could not read is a notice, never the error state', () => {
    let s = readyWithBundled();
    s = act(s, { type: 'failed', error: { code: 'invalid', key: 'invalidRequest', message: 'The dream request cannot be read: steps …' } });
    expect(s.status).toBe('ready');
    expect(s.notice).toMatchObject({
      code: 'invalid',
      key: 'invalidRequest',
      message: expect.stringMatching(/dream request cannot be read/),
    });
    s = ev(s, { type: 'fault', code: 'invalid', key: 'invalidRequest', message: 'The worker got a message it cannot read: …' });
    expect(s.status).toBe('ready');
    expect(s.notice?.message).toMatch(/cannot read/);
  });

  it('a refusal keeps the key of its sentence (the page words it, noticeText.test.ts)', () => {
    const s = act(readyWithBundled(), { type: 'failed', error: { code: 'refused', key: 'stopToLoad', message: 'anything' } });
    expect(s.notice).toMatchObject({ code: 'refused', key: 'stopToLoad' });
  });

  it("a lost worker is told once, by the client's own words; its pending Train's rejection only clears the pending flag", () => {
    let s = act(readyWithBundled(), { type: 'trainRequested' });
    s = ev(s, { type: 'crashed', restarted: true, message: 'The training worker stopped answering. … Lost: the training run under way.' });
    s = act(s, {
      type: 'failed',
      error: { code: 'crash', message: 'The training worker stopped answering: the worker restarted.' },
      train: true,
    });
    expect(s.error?.message).toMatch(/Lost: the training run under way/);
    expect(s.trainPending).toBe(false);
  });

  it('a worker script that cannot be downloaded is a network error, cleared when a worker starts after all', () => {
    let s = ev(initialTrainerState, { type: 'unreachable', message: 'The training worker could not be downloaded: …' });
    expect(s.status).toBe('error');
    expect(s.error).toMatchObject({ code: 'network' });
    s = ev(s, { type: 'reachable' });
    expect(s.error).toBeNull();
    expect(s.status).toBe('loading-data');
    // Another error is not cleared by it.
    s = ev(ev(s, { type: 'fault', code: 'model', message: 'm' }), { type: 'reachable' });
    expect(s.error).toMatchObject({ code: 'model' });
  });
});
