/**
 * Noticing runs in the trainer's state: a pure observer fed every new TrainerState. It notices a
 * run start (a new curves version while a Train or Fine-tune request is pending), keeps a copy of
 * its curves and configuration while it runs (so a Reset or a crash that wipes the state loses
 * nothing), and when the request settles says how the run ended: done, early-stopped, stopped or
 * failed. The page's model state is never changed here.
 */
import { fineTuneConfig } from '../shared/fineTune';
import type { BackendName } from '../shared/protocol';
import { formatParam, PARAMS, type TrainConfig } from '../shared/trainConfig';
import {
  RUN_NOTES,
  decimateSteps,
  perClassAccuracy,
  type RunEpoch,
  type RunKind,
  type RunRecord,
  type RunState,
  type RunStep,
} from './runHistoryRecord';
import type { BatchPoint, EpochMetrics, TrainerState } from './trainerState';

/** A run under way, as last seen. */
interface LiveRun {
  version: number;
  startedAt: number;
  epochOffset: number;
  /** The form's configuration when the run started (tells a fine-tune from a run of the form's settings). */
  formConfig: TrainConfig;
  config: TrainConfig | null;
  /** The state's own arrays as last seen (copied only when the run ends: a look costs nothing). */
  epochs: readonly EpochMetrics[];
  batches: readonly BatchPoint[];
  samplesPerSec: number | null;
  backend: BackendName | null;
}

export interface WatchState {
  /** A Train or Fine-tune request was pending at the last look. */
  pending: boolean;
  /** The curves version at the last look (a run has started when it changes while a request is pending). */
  curves: number | null;
  live: LiveRun | null;
}

export const initialWatch: WatchState = { pending: false, curves: null, live: null };

/** A finished run, ready to store (the id is given by the caller). */
export type FinishedRun = Omit<RunRecord, 'id'> & {
  /** The model version the run trained (to link a later save of that model). */
  modelVersion: number;
};

const sameConfig = (a: TrainConfig, b: TrainConfig) => PARAMS.every((p) => formatParam(p.key, a[p.key]) === formatParam(p.key, b[p.key]));

/** Fine-tunes run `fineTuneConfig(form, the model's shape)`; a run of the form's own settings is a Train. */
function kindOf(live: LiveRun): RunKind {
  const c = live.config;
  if (c && !sameConfig(c, live.formConfig)) {
    const shape = { hiddenUnits: c.hiddenUnits, activation: c.activation, normalization: c.normalization };
    if (sameConfig(c, fineTuneConfig(live.formConfig, shape))) return 'fine-tune';
  }
  return live.epochOffset > 0 ? 'continued' : 'train';
}

/** What the state shows of the run now (its curves are the state's while they are this run's). */
function snapshot(live: LiveRun, s: TrainerState): LiveRun {
  if (s.curvesVersion !== live.version) return live;
  const config = s.model.version === live.version && s.model.config ? s.model.config : live.config;
  const samplesPerSec = s.lastBatch?.version === live.version ? s.lastBatch.samplesPerSec : live.samplesPerSec;
  const backend = s.backend?.name ?? live.backend;
  if (
    config === live.config &&
    s.epochs === live.epochs &&
    s.batches === live.batches &&
    samplesPerSec === live.samplesPerSec &&
    backend === live.backend
  )
    return live;
  return { ...live, config, epochs: s.epochs, batches: s.batches, samplesPerSec, backend };
}

/** This run's own epochs and steps (a continued run's curves also hold the earlier runs'). */
function ownCurves(live: LiveRun): { epochs: RunEpoch[]; steps: RunStep[] } {
  const own = (e: number) => e > live.epochOffset;
  return {
    epochs: live.epochs
      .filter((e) => own(e.epoch))
      .map((e) => ({
        epoch: e.epoch,
        trainLoss: e.trainLoss,
        trainAccuracy: e.trainAccuracy,
        valLoss: e.valLoss,
        valAccuracy: e.valAccuracy,
      })),
    steps: live.batches.filter((b) => own(b.epoch)).map((b) => ({ epoch: b.epoch, loss: b.loss, accuracy: b.accuracy })),
  };
}

const STATE_OF: Record<string, RunState> = {
  completed: 'done',
  'early-stopped': 'early-stopped',
  stopped: 'stopped',
  cancelled: 'stopped',
};

function finish(live: LiveRun, s: TrainerState, now: number): FinishedRun {
  const run = s.run && s.run.version === live.version ? s.run : null;
  const report = s.report && s.report.version === live.version ? s.report : null;
  let state: RunState;
  let note: string | null = null;
  if (run) {
    state = STATE_OF[run.outcome] ?? 'stopped';
    if (run.outcome === 'cancelled') note = RUN_NOTES.cancelled;
  } else if (s.error) {
    state = 'failed';
    note = s.error.message;
  } else {
    // The model was replaced before the run's answer was kept (Reset cancels a run).
    state = 'stopped';
    note = RUN_NOTES.reset;
  }
  const { epochs, steps } = ownCurves(live);
  const lastEpoch = epochs.at(-1);
  const lastStep = steps.at(-1);
  const reached = Math.max(lastEpoch?.epoch ?? 0, lastStep?.epoch ?? 0) - live.epochOffset;
  return {
    modelVersion: live.version,
    name: null,
    pinned: false,
    kind: kindOf(live),
    state,
    config: live.config,
    startedAt: new Date(live.startedAt).toISOString(),
    endedAt: new Date(now).toISOString(),
    elapsedMs: run ? run.elapsedMs : now - live.startedAt,
    samplesPerSec: live.samplesPerSec,
    backend: live.backend,
    epochsRun: run ? run.epochsRun : reached > 0 ? reached : null,
    epochOffset: live.epochOffset,
    epochs,
    steps: decimateSteps(steps),
    test: report ? { loss: report.testLoss, accuracy: report.testAccuracy, perClass: perClassAccuracy(report.confusion) } : null,
    note,
    savedModel: null,
  };
}

/**
 * One look at the trainer's state.
 * @param formConfig the form's configuration now (Train sends it; Fine-tune derives its own from it).
 * @param now ms since the epoch.
 * @returns the next watch state, and the run that just ended, if one did.
 */
export function watchRuns(
  w: WatchState,
  s: TrainerState,
  formConfig: TrainConfig,
  now: number,
): { watch: WatchState; finished: FinishedRun | null } {
  let { live } = w;
  if (s.trainPending && s.curvesVersion !== null && s.curvesVersion !== w.curves && live?.version !== s.curvesVersion) {
    live = {
      version: s.curvesVersion,
      startedAt: now,
      epochOffset: s.epochOffset,
      formConfig,
      config: null,
      epochs: [],
      batches: [],
      samplesPerSec: null,
      backend: s.backend?.name ?? null,
    };
  }
  if (live) live = snapshot(live, s);
  if (w.pending && !s.trainPending && live) {
    return { watch: { pending: false, curves: s.curvesVersion, live: null }, finished: finish(live, s, now) };
  }
  return { watch: { pending: s.trainPending, curves: s.curvesVersion, live }, finished: null };
}
