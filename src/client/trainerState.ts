/**
 * What the UI knows about the worker, as a pure reducer over worker events
 * (plus a few UI actions). Unit-tested without a worker.
 */
import type { BackendName, ErrorCode, SavedModelInfo, TestReport, WorkerEvent } from '../shared/protocol';
import type { TrainConfig } from '../shared/trainConfig';

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
export type EpochMetrics = Omit<Extract<WorkerEvent, { type: 'epoch' }>, 'type'>;

export interface TrainerState {
  status: AppStatus;
  /** Status to return to when an error is dismissed. */
  statusBeforeError: AppStatus;
  dataProgress: { loadedBytes: number; totalBytes: number };
  dataset: { trainCount: number; testCount: number; samplePixels: Uint8Array; sampleLabels: number[]; elapsedMs: number } | null;
  backend: { name: BackendName; renderer: string; note: string | null; softwareRenderer: boolean } | null;
  /** Training curve, down-sampled to at most MAX_BATCH_POINTS. */
  batches: BatchPoint[];
  /** Latest batch event (step, throughput, ETA). */
  lastBatch: Extract<WorkerEvent, { type: 'batch' }> | null;
  epochs: EpochMetrics[];
  /** Epochs in the run under way (or last run). */
  totalEpochs: number;
  /** Test-set evaluation of the current model. */
  report: TestReport | null;
  run: { stoppedEarly: boolean; epochsRun: number; elapsedMs: number } | null;
  error: { code: ErrorCode; message: string; request?: string } | null;
  model: { source: 'trained' | 'saved' | 'imported' | 'bundled' | 'none'; description: string; config: TrainConfig | null };
  firstLayer: { units: number; weights: Float32Array } | null;
  savedModels: SavedModelInfo[];
}

/** Curve points kept before halving the resolution. */
export const MAX_BATCH_POINTS = 1000;

export const initialTrainerState: TrainerState = {
  status: 'loading-data',
  statusBeforeError: 'loading-data',
  dataProgress: { loadedBytes: 0, totalBytes: 0 },
  dataset: null,
  backend: null,
  batches: [],
  lastBatch: null,
  epochs: [],
  totalEpochs: 0,
  report: null,
  run: null,
  error: null,
  model: { source: 'none', description: '', config: null },
  firstLayer: null,
  savedModels: [],
};

export type TrainerAction =
  | { type: 'event'; event: WorkerEvent }
  /** The user pressed Train with this many epochs: clear the curves. */
  | { type: 'trainStarted'; epochs: number; keepCurves: boolean }
  /** The user dismissed the error message. */
  | { type: 'dismissError' }
  /** The worker is being restarted: back to loading the data. */
  | { type: 'restarting' };

/** Halves a long curve by averaging neighbouring pairs, so the chart stays light. */
export function downsample(points: BatchPoint[]): BatchPoint[] {
  const out: BatchPoint[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const a = points[i]!;
    const b = points[i + 1]!;
    out.push({ epoch: b.epoch, loss: (a.loss + b.loss) / 2, accuracy: (a.accuracy + b.accuracy) / 2, rawLoss: (a.rawLoss + b.rawLoss) / 2 });
  }
  if (points.length % 2) out.push(points[points.length - 1]!);
  return out;
}

function onEvent(state: TrainerState, e: WorkerEvent): TrainerState {
  switch (e.type) {
    case 'ready':
      return { ...state, backend: { name: e.backend, renderer: e.renderer, note: e.note, softwareRenderer: e.softwareRenderer } };
    case 'dataProgress':
      return { ...state, dataProgress: { loadedBytes: e.loadedBytes, totalBytes: e.totalBytes } };
    case 'dataReady':
      return {
        ...state,
        status: state.status === 'loading-data' ? 'ready' : state.status,
        statusBeforeError: state.statusBeforeError === 'loading-data' ? 'ready' : state.statusBeforeError,
        dataset: { trainCount: e.trainCount, testCount: e.testCount, samplePixels: e.samplePixels, sampleLabels: e.sampleLabels, elapsedMs: e.elapsedMs },
      };
    case 'phase': {
      const status: AppStatus =
        e.phase === 'training' ? 'training' : e.phase === 'paused' ? 'paused' : e.phase === 'done' ? 'done' : state.dataset ? 'ready' : 'loading-data';
      if (state.status === 'error') return { ...state, statusBeforeError: status };
      return { ...state, status };
    }
    case 'batch': {
      const point: BatchPoint = { epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, rawLoss: e.rawLoss };
      let batches = [...state.batches, point];
      if (batches.length > MAX_BATCH_POINTS) batches = downsample(batches);
      return { ...state, batches, lastBatch: e };
    }
    case 'epoch': {
      const { type: _type, ...metrics } = e;
      return { ...state, epochs: [...state.epochs, metrics], totalEpochs: e.epochs };
    }
    case 'done':
      return { ...state, report: e.report, run: { stoppedEarly: e.stoppedEarly, epochsRun: e.epochsRun, elapsedMs: e.elapsedMs } };
    case 'report':
      return { ...state, report: e.report };
    case 'prediction':
    case 'dreams':
    case 'exported':
      return state; // answered through the client's promises
    case 'firstLayer':
      return { ...state, firstLayer: { units: e.units, weights: e.weights } };
    case 'modelInfo':
      return { ...state, model: { source: e.source, description: e.description, config: e.config } };
    case 'models':
      return { ...state, savedModels: e.models };
    case 'error': {
      const statusBeforeError = state.status === 'error' ? state.statusBeforeError : state.status;
      // A crash means the data is loading again in a fresh worker.
      const error = { code: e.code, message: e.message, request: e.request };
      if (e.code === 'crash') {
        // A fresh worker is loading the data again and holds no model: forget what the dead one had.
        return {
          ...state,
          status: 'error',
          statusBeforeError: 'loading-data',
          error,
          dataset: null,
          dataProgress: { loadedBytes: 0, totalBytes: 0 },
          backend: null,
          lastBatch: null,
          model: initialTrainerState.model,
          firstLayer: null,
        };
      }
      const back = statusBeforeError === 'training' || statusBeforeError === 'paused' ? 'ready' : statusBeforeError;
      return { ...state, status: 'error', statusBeforeError: back, error };
    }
  }
}

export function trainerReducer(state: TrainerState, action: TrainerAction): TrainerState {
  switch (action.type) {
    case 'event':
      return onEvent(state, action.event);
    case 'trainStarted':
      return {
        ...state,
        batches: action.keepCurves ? state.batches : [],
        epochs: action.keepCurves ? state.epochs : [],
        lastBatch: null,
        report: null,
        run: null,
        totalEpochs: action.epochs,
      };
    case 'dismissError':
      return { ...state, status: state.status === 'error' ? state.statusBeforeError : state.status, error: null };
    case 'restarting':
      return { ...initialTrainerState, savedModels: state.savedModels };
  }
}
