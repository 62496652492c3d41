/**
 * Test fixtures (imported by tests only): trainer states of whole runs, built with the real
 * reducer from the events and actions the worker and the hook produce.
 */
import type { RunSummary, TestReport } from '../shared/protocol';
import { DEFAULT_CONFIG, type TrainConfig } from '../shared/trainConfig';
import type { RunRecord } from './runHistoryRecord';
import type { ClientEvent } from './trainerClient';
import { initialWatch, watchRuns, type FinishedRun, type WatchState } from './runHistoryWatch';
import { initialTrainerState, trainerReducer, type TrainerAction, type TrainerState } from './trainerState';

export const FORM: TrainConfig = { ...DEFAULT_CONFIG, hiddenUnits: [64, 64], epochs: 2, trainSize: 600, optimizer: 'sgd' };

/** Feeds actions to the reducer one by one and the watcher after each, like the hook's effect; collects finished runs. */
export class Session {
  state: TrainerState = initialTrainerState;
  watch: WatchState = initialWatch;
  finished: FinishedRun[] = [];
  now = Date.parse('2027-01-01T00:00:00Z');
  /** Called with every new state (e.g. RunHistory.observe); by default the watcher alone. */
  onState: ((s: TrainerState, now: number) => void) | null = null;

  do(...actions: (TrainerAction | ClientEvent)[]): this {
    for (const a of actions) {
      const action: TrainerAction =
        'event' in a || ['dataLoaded', 'trainRequested', 'trainSettled', 'failed', 'report', 'restarting'].includes(a.type)
          ? (a as TrainerAction)
          : { type: 'event', event: a as ClientEvent };
      this.state = trainerReducer(this.state, action);
      this.now += 100;
      if (this.onState) {
        this.onState(this.state, this.now);
        continue;
      }
      const { watch, finished } = watchRuns(this.watch, this.state, FORM, this.now);
      this.watch = watch;
      if (finished) this.finished.push(finished);
    }
    return this;
  }
}

const loaded: TrainerAction = {
  type: 'dataLoaded',
  data: { trainCount: 60000, testCount: 10000, samplePixels: new Uint8Array(784), sampleLabels: [7], elapsedMs: 1 },
};
export const model = (version: number, config: TrainConfig | null, source: 'trained' | 'bundled' = 'trained'): ClientEvent => ({
  type: 'model',
  version,
  source,
  description: '',
  config,
  testAccuracy: null,
});
const started = (version: number, continued = false): ClientEvent => ({
  type: 'runStarted',
  version,
  epochs: 2,
  stepsPerEpoch: 10,
  continued,
});
const batch = (version: number, step: number): ClientEvent => ({
  type: 'batch',
  version,
  step,
  stepsPerEpoch: 10,
  epoch: step / 10,
  loss: 2 / step,
  accuracy: 0.5 + step / 100,
  rawLoss: 2 / step,
  samplesPerSec: 5000 + step,
  etaMs: 0,
});
const epoch = (version: number, n: number): ClientEvent => ({
  type: 'epoch',
  version,
  epoch: n,
  epochs: 2,
  trainLoss: 1 / n,
  trainAccuracy: 0.8,
  valLoss: 1.1 / n,
  valAccuracy: 0.7 + n / 10,
  elapsedMs: n * 100,
  samplesPerSec: 6000,
  etaMs: 0,
});
/** Confusion counts: digit d has 10 test images, d of them read as (d + 1) % 10. */
const confusion = Array.from({ length: 100 }, (_, i) => {
  const [t, p] = [Math.floor(i / 10), i % 10];
  return t === p ? 10 - t : p === (t + 1) % 10 ? t : 0;
});
const report = (version: number): TestReport => ({ version, testLoss: 0.3, testAccuracy: 0.55, confusion, mistakes: [] });
export const settled = (version: number, outcome: RunSummary['outcome'], epochsRun = 2): TrainerAction => ({
  type: 'trainSettled',
  summary: {
    version,
    outcome,
    steps: epochsRun * 10,
    stepsPerEpoch: 10,
    epochsRun,
    elapsedMs: 1234,
    report: outcome === 'cancelled' ? null : report(version),
  },
});

export function ready(): Session {
  return new Session().do(
    { type: 'phase', phase: 'idle', activity: null, queued: 0, quietMs: 0, stepQuietMs: 0 },
    model(1, null, 'bundled'),
    loaded,
    {
      type: 'ready',
      backend: 'wasm',
      renderer: 'cpu',
      note: null,
      softwareRenderer: false,
    },
  );
}

/** A two-epoch run of version `v` up to (not including) its answer. */
export function running(s: Session, v: number, config: TrainConfig = FORM, continued = false): Session {
  return s.do({ type: 'trainRequested' }, started(v, continued), model(v, config), batch(v, 5), epoch(v, 1), batch(v, 15), epoch(v, 2));
}

/** A kept run of the reference recipe that ended at second `id` of 2026-01-01 (one epoch, a test result), with `over` applied. */
export function runRecord(id: string, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: null,
    pinned: false,
    kind: 'train',
    state: 'done',
    config: { ...DEFAULT_CONFIG, hiddenUnits: [64, 64] },
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: `2026-01-01T00:00:${id.padStart(2, '0')}.000Z`,
    elapsedMs: 1000,
    samplesPerSec: 1,
    backend: 'wasm',
    epochsRun: 1,
    epochOffset: 0,
    epochs: [{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.6, valAccuracy: 0.75 }],
    steps: [],
    test: { loss: 0.5, accuracy: 0.8, perClass: new Array<number>(10).fill(0.8) },
    note: null,
    savedModel: null,
    ...over,
  };
}
