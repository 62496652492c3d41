/**
 * What the page knows about the worker, as a pure reducer over worker events
 * and request outcomes (unit-tested without a worker). Results are kept only
 * when they describe the current model (`version`); the app status is derived,
 * never guessed. Which commands can apply now, and why not: availability.ts.
 */
import type { RefusalKey } from '../shared/commands';
import type { Msg } from '../i18n/message';
import {
  assertNever,
  type BackendName,
  type DataInfo,
  type ErrorCode,
  type ModelInfo,
  type RaceEntry,
  type RunSummary,
  type SavedModelInfo,
  type TestReport,
  type WorkerEvent,
  type WorkerPhase,
} from '../shared/protocol';
import type { ClientEvent } from './trainerClient';

export { availability, type Availability } from './availability';

/** Mirrors `data-state` of the `app-status` element. */
export type AppStatus = 'loading-data' | 'ready' | 'training' | 'paused' | 'done' | 'error';

/** One point of the training curve (x in fractional epochs). */
export interface BatchPoint {
  epoch: number;
  /** Smoothed training loss and accuracy. */
  loss: number;
  accuracy: number;
  /** Mean raw batch loss over the interval. */
  rawLoss: number;
}

/** Per-epoch metrics (validation included). */
export type EpochMetrics = Omit<Extract<WorkerEvent, { type: 'epoch' }>, 'type' | 'version'>;

export interface TrainerState {
  /** Derived from the fields below by `deriveStatus`. */
  status: AppStatus;
  /** The worker scheduler's phase, what it runs and how many commands wait. */
  phase: WorkerPhase;
  activity: string | null;
  queued: number;
  dataProgress: { loadedBytes: number; totalBytes: number };
  dataset: DataInfo | null;
  backend: { name: BackendName; renderer: string; note: string | null; softwareRenderer: boolean; race?: RaceEntry[] | null } | null;
  /** The model the page shows results of. */
  model: ModelInfo;
  /** Version of the model the curves belong to (null: no curves). */
  curvesVersion: number | null;
  /** Epochs of earlier runs the curves continue (x of this run's points starts there). */
  epochOffset: number;
  /** Training curve, down-sampled to at most MAX_BATCH_POINTS. */
  batches: BatchPoint[];
  /** Latest batch event (step, throughput, ETA). */
  lastBatch: Extract<WorkerEvent, { type: 'batch' }> | null;
  epochs: EpochMetrics[];
  /** Epochs in the run under way (or last run). */
  totalEpochs: number;
  /** Test-set report of the current model. */
  report: TestReport | null;
  /** How the last run of the current model ended. */
  run: Omit<RunSummary, 'report'> | null;
  /** A Train request waits for its reply (queued or running). */
  trainPending: boolean;
  error: ShownError | null;
  /** A passing word (a refused or cancelled command), not an error; the page words it (NoticeLine). */
  notice: Notice | null;
  firstLayer: { version: number; units: number; weights: Float32Array } | null;
  savedModels: SavedModelInfo[];
}

/** Curve points kept before halving the resolution. */
export const MAX_BATCH_POINTS = 1000;

const NO_MODEL: ModelInfo = { version: 0, source: 'none', description: '', config: null, testAccuracy: null };

export const initialTrainerState: TrainerState = {
  status: 'loading-data',
  phase: 'loading-data',
  activity: null,
  queued: 0,
  dataProgress: { loadedBytes: 0, totalBytes: 0 },
  dataset: null,
  backend: null,
  model: NO_MODEL,
  curvesVersion: null,
  epochOffset: 0,
  batches: [],
  lastBatch: null,
  epochs: [],
  totalEpochs: 0,
  report: null,
  run: null,
  trainPending: false,
  error: null,
  notice: null,
  firstLayer: null,
  savedModels: [],
};

export interface ShownError {
  code: ErrorCode;
  message: string;
  backend?: BackendName | 'auto';
  /** For refusals and invalid requests: the sentence's key (commands.ts REFUSALS). */
  key?: RefusalKey;
  /** The page's own words for a failure it noticed itself (a crashed worker, a lost network), as messages. */
  text?: readonly Msg[];
}

/** A passing word: its code, the worker's English message, and the key of its sentence or the client's own words. */
export interface Notice {
  code: ErrorCode;
  message: string;
  key?: RefusalKey;
  text?: readonly Msg[];
}

/** Codes that are a passing word (a notice), never the error state: a refusal, a cancellation, a request the worker could not read. */
const NOTICE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['refused', 'cancelled', 'invalid']);

/** A notice from a failure: what the page needs to word it in the reader's language (NoticeLine). */
function noticeText(e: { code: ErrorCode; message: string; key?: RefusalKey | undefined; text?: readonly Msg[] | undefined }): Notice {
  return { code: e.code, message: e.message, ...(e.key ? { key: e.key } : {}), ...(e.text ? { text: e.text } : {}) };
}

/** The page before the worker has said anything, or after it was lost: loading the data, no model, no results. */
function withoutWorker(state: TrainerState, error: ShownError | null): TrainerState {
  return {
    ...state,
    error,
    phase: 'loading-data',
    activity: null,
    queued: 0,
    dataset: null,
    dataProgress: { loadedBytes: 0, totalBytes: 0 },
    backend: null,
    lastBatch: null,
    trainPending: false,
    // A fresh worker counts its models from 0 again: its first model must not look older than the lost one.
    model: NO_MODEL,
    report: null,
    run: null,
    firstLayer: null,
    curvesVersion: null,
    epochOffset: 0,
    batches: [],
    epochs: [],
    totalEpochs: 0,
  };
}

export type TrainerAction =
  | { type: 'event'; event: ClientEvent }
  | { type: 'dataLoaded'; data: DataInfo }
  | { type: 'trainRequested' }
  | { type: 'trainSettled'; summary: RunSummary }
  /** A request failed: refusals and cancellations become a notice, the rest the error state. */
  | { type: 'failed'; error: ShownError; train?: boolean }
  | { type: 'report'; report: TestReport }
  | { type: 'model'; model: ModelInfo }
  | { type: 'savedModels'; models: SavedModelInfo[] }
  | { type: 'dismissError' }
  | { type: 'dismissNotice' }
  /** The worker is being restarted on request (Retry): back to loading the data. */
  | { type: 'restarting' };

/** Halves a long curve by averaging neighbouring pairs, so the chart stays light. */
export function downsample(points: BatchPoint[]): BatchPoint[] {
  const out: BatchPoint[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const a = points[i]!;
    const b = points[i + 1]!;
    out.push({
      epoch: b.epoch,
      loss: (a.loss + b.loss) / 2,
      accuracy: (a.accuracy + b.accuracy) / 2,
      rawLoss: (a.rawLoss + b.rawLoss) / 2,
    });
  }
  if (points.length % 2) out.push(points[points.length - 1]!);
  return out;
}

/** The app status: error, loading, training/paused (as the worker says), done (the current model's run ended with a report), or ready. */
export function deriveStatus(s: Omit<TrainerState, 'status'>): AppStatus {
  if (s.error) return 'error';
  if (!s.dataset) return 'loading-data';
  if (s.phase === 'training' || s.phase === 'paused') return s.phase;
  if (s.run && s.run.version === s.model.version && s.report?.version === s.model.version) return 'done';
  return 'ready';
}

/** A new current model: results of other versions go. */
function withModel(s: TrainerState, model: ModelInfo): TrainerState {
  if (model.version < s.model.version) return s; // a late word about an older model
  const same = model.version === s.model.version;
  const curvesKept = s.curvesVersion === model.version;
  return {
    ...s,
    model,
    report: same ? s.report : null,
    run: same ? s.run : null,
    firstLayer: s.firstLayer && s.firstLayer.version === model.version ? s.firstLayer : same ? s.firstLayer : null,
    ...(curvesKept ? {} : { curvesVersion: null, batches: [], epochs: [], lastBatch: null, totalEpochs: 0 }),
  };
}

function onEvent(state: TrainerState, e: ClientEvent): TrainerState {
  switch (e.type) {
    case 'ready':
      return {
        ...state,
        backend: { name: e.backend, renderer: e.renderer, note: e.note, softwareRenderer: e.softwareRenderer, race: e.race ?? null },
      };
    case 'dataProgress':
      return { ...state, dataProgress: { loadedBytes: e.loadedBytes, totalBytes: e.totalBytes } };
    case 'phase':
      return { ...state, phase: e.phase, activity: e.activity, queued: e.queued };
    case 'model':
      return withModel(state, {
        version: e.version,
        source: e.source,
        description: e.description,
        config: e.config,
        testAccuracy: e.testAccuracy,
        ...(e.facts ? { facts: e.facts } : {}),
      });
    case 'runStarted': {
      const keep = e.continued && state.curvesVersion !== null;
      return {
        ...state,
        curvesVersion: e.version,
        epochOffset: keep ? (state.batches.at(-1)?.epoch ?? 0) : 0,
        batches: keep ? state.batches : [],
        epochs: keep ? state.epochs : [],
        lastBatch: null,
        totalEpochs: keep ? (state.batches.at(-1)?.epoch ?? 0) + e.epochs : e.epochs,
      };
    }
    case 'batch': {
      if (e.version !== state.curvesVersion) return state;
      const point: BatchPoint = { epoch: state.epochOffset + e.epoch, loss: e.loss, accuracy: e.accuracy, rawLoss: e.rawLoss };
      let batches = [...state.batches, point];
      if (batches.length > MAX_BATCH_POINTS) batches = downsample(batches);
      return { ...state, batches, lastBatch: e };
    }
    case 'epoch': {
      if (e.version !== state.curvesVersion) return state;
      const { type: _type, version: _version, ...metrics } = e;
      return {
        ...state,
        epochs: [...state.epochs, { ...metrics, epoch: state.epochOffset + e.epoch, epochs: state.epochOffset + e.epochs }],
      };
    }
    case 'firstLayer':
      if (e.version !== state.model.version) return state;
      return { ...state, firstLayer: { version: e.version, units: e.units, weights: e.weights } };
    case 'fault':
      // A message the worker could not read is its sender's slip: a notice, not the error state.
      if (NOTICE_CODES.has(e.code)) return { ...state, notice: noticeText(e) };
      return { ...state, error: { code: e.code, message: e.message } };
    case 'crashed':
      // A fresh worker is loading the data again and holds no model: forget what the dead one had.
      return withoutWorker(state, { code: 'crash', message: e.message, ...(e.text ? { text: e.text } : {}) });
    case 'unreachable':
      return withoutWorker(state, { code: 'network', message: e.message, ...(e.text ? { text: e.text } : {}) });
    case 'reachable':
      return state.error?.code === 'network' ? { ...state, error: null } : state;
    case 'restarted':
      return state;
    default:
      return assertNever(e);
  }
}

function reduce(state: TrainerState, action: TrainerAction): TrainerState {
  switch (action.type) {
    case 'event':
      return onEvent(state, action.event);
    case 'dataLoaded':
      return { ...state, dataset: action.data };
    case 'trainRequested':
      return { ...state, trainPending: true, notice: null };
    case 'trainSettled': {
      const s = { ...state, trainPending: false };
      const { report, ...run } = action.summary;
      if (run.version !== s.model.version) return s;
      return { ...s, run, report: report && report.version === s.model.version ? report : s.report };
    }
    case 'failed': {
      const s = action.train ? { ...state, trainPending: false } : state;
      if (NOTICE_CODES.has(action.error.code)) return { ...s, notice: noticeText(action.error) };
      // A lost worker is told once, by the client's own event (with what was lost): the rejections of its requests add nothing.
      if ((action.error.code === 'crash' || action.error.code === 'network') && s.error?.code === action.error.code) return s;
      return { ...s, error: action.error };
    }
    case 'report':
      return action.report.version === state.model.version ? { ...state, report: action.report } : state;
    case 'model':
      return withModel(state, action.model);
    case 'savedModels':
      return { ...state, savedModels: action.models };
    case 'dismissError':
      return { ...state, error: null };
    case 'dismissNotice':
      return { ...state, notice: null };
    case 'restarting':
      // A fresh worker counts its models from 0 again.
      return { ...initialTrainerState, savedModels: state.savedModels };
    default:
      return assertNever(action);
  }
}

export function trainerReducer(state: TrainerState, action: TrainerAction): TrainerState {
  const next = reduce(state, action);
  if (next === state) return state;
  const status = deriveStatus(next);
  return status === next.status ? next : { ...next, status };
}
