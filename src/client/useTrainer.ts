/**
 * The one hook React uses to talk to the training worker: it owns a
 * TrainerClient for the component's lifetime, reduces its events and the
 * outcomes of its requests to state, and exposes each command as a method.
 * Commands that fail with a refusal become a notice; real failures the error state;
 * methods whose caller shows the outcome itself (evaluate, dream, library) return promises.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { DigitSet } from '../shared/myDigits';
import type {
  CellImages,
  Dreams,
  FineTuneSummary,
  Inspection,
  ModelFiles,
  ModelInfo,
  MyDigitsReport,
  Prediction,
  RequestParams,
  RequestType,
  TestReport,
} from '../shared/protocol';
import { DATA_BASE_PATH } from '../shared/constants';
import type { TrainConfig } from '../shared/trainConfig';
import { TrainerClient, WorkerError } from './trainerClient';
import { EventCoalescer } from './eventCoalescer';
import { availability, initialTrainerState, trainerReducer, type Availability, type ShownError, type TrainerState } from './trainerState';

/** The model shipped with the app, trained with the reference recipe by scripts/trainReference.ts. */
export const BUNDLED_MODEL_PATH = 'models/reference/model.json';

export interface TrainerApi {
  state: TrainerState;
  /** Which commands can apply now, and why not. */
  can: Availability;
  train(config: TrainConfig, continueTraining?: boolean): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Back to a fresh start: clears the run and loads the shipped model again. */
  reset(): void;
  predict(pixels: Float32Array): Promise<{ probs: Float32Array | null; reason?: string }>;
  evaluate(): Promise<TestReport>;
  dream(steps?: number): Promise<Dreams>;
  saveModel(name: string): Promise<void>;
  loadModel(id: string): Promise<ModelInfo>;
  deleteModel(id: string): Promise<void>;
  exportModel(): Promise<ModelFiles>;
  importModel(files: ModelFiles): Promise<ModelInfo>;
  /** Loads the shipped model, or (`robust`) the one trained on augmented images. */
  loadBundledModel(robust?: boolean): Promise<ModelInfo>;
  /** Continues the current model on MNIST mixed with your digits; settles with both accuracies before and after. */
  fineTune(config: TrainConfig, digits: DigitSet): Promise<FineTuneSummary>;
  /** The current model's reading of your digits. */
  evaluateMine(digits: DigitSet): Promise<MyDigitsReport>;
  /** How the current model reads one input ([784] 0..1): activations and saliency. */
  inspect(pixels: Float32Array): Promise<Inspection>;
  /** The test images the current model's last evaluation put in one confusion-matrix cell. */
  testImages(label: number, predicted: number, limit: number): Promise<CellImages>;
  dismissError(): void;
  dismissNotice(): void;
  /** Restarts the worker (after a fatal error) and reloads the data. */
  restart(): void;
}

/** Absolute URL of a path next to the page (workers resolve relative URLs against their own script). */
export function pageUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

function shown(e: unknown): ShownError {
  if (e instanceof WorkerError)
    return e.backend ? { code: e.code, message: e.message, backend: e.backend } : { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export function useTrainer(): TrainerApi {
  const [state, dispatch] = useReducer(trainerReducer, initialTrainerState);
  const clientRef = useRef<TrainerClient | null>(null);

  useEffect(() => {
    const client = new TrainerClient({
      // On every fresh worker: load the data (and with it the shipped model), list the saved models.
      onSpawn: (c) => {
        c.request('loadData', { baseUrl: pageUrl(DATA_BASE_PATH), bundledModelUrl: pageUrl(BUNDLED_MODEL_PATH) }).then(
          (data) => dispatch({ type: 'dataLoaded', data }),
          (e: unknown) => {
            if (!(e instanceof WorkerError && (e.code === 'cancelled' || e.code === 'crash')))
              dispatch({ type: 'failed', error: shown(e) });
          },
        );
        c.request('listModels', {}).then(
          (models) => dispatch({ type: 'savedModels', models }),
          () => {}, // no IndexedDB (private mode): the library says so when used
        );
      },
    });
    clientRef.current = client;
    // The stream is handed on a few times a second, so one render draws many events (eventCoalescer.ts).
    const coalescer = new EventCoalescer((events) => events.forEach((event) => dispatch({ type: 'event', event })));
    const unsubscribe = client.subscribe(coalescer.push);
    // `?debug` exposes the raw request channel, so tests can simulate faults (e.g. a lost WebGL context).
    if (new URLSearchParams(location.search).has('debug')) {
      (window as unknown as { __playground?: unknown }).__playground = {
        send: ({ type, ...params }: { type: RequestType } & Record<string, unknown>) =>
          client.request(type, params as RequestParams<RequestType>).catch((e: unknown) => ({ error: shown(e) })),
      };
    }
    return () => {
      unsubscribe();
      coalescer.dispose();
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  /** Sends a request whose failure only the page-level state shows. */
  const fire = useCallback(<K extends RequestType>(type: K, params: RequestParams<K>) => {
    const c = clientRef.current;
    if (!c) return;
    c.request(type, params).catch((e: unknown) => dispatch({ type: 'failed', error: shown(e) }));
  }, []);

  /** Sends a request whose caller shows its outcome; the client's absence is a rejection too. */
  const ask = useCallback(<K extends RequestType>(type: K, params: RequestParams<K>) => {
    const c = clientRef.current;
    return c ? c.request(type, params) : Promise.reject(new WorkerError('crash', 'The training worker is not running.'));
  }, []);

  const train = useCallback((config: TrainConfig, continueTraining = false) => {
    const c = clientRef.current;
    if (!c) return;
    dispatch({ type: 'trainRequested' });
    c.request('train', { config, continueTraining }).then(
      (summary) => dispatch({ type: 'trainSettled', summary }),
      (e: unknown) => dispatch({ type: 'failed', error: shown(e), train: true }),
    );
  }, []);
  const fineTune = useCallback(async (config: TrainConfig, digits: DigitSet) => {
    const c = clientRef.current;
    if (!c) throw new WorkerError('crash', 'The training worker is not running.');
    // A run like Train: the same pending flag, curves and summary.
    dispatch({ type: 'trainRequested' });
    try {
      const result = await c.request('fineTune', { config, digits });
      dispatch({ type: 'trainSettled', summary: result.run });
      return result;
    } catch (e) {
      dispatch({ type: 'failed', error: shown(e), train: true });
      throw e;
    }
  }, []);
  const evaluateMine = useCallback((digits: DigitSet) => ask('evaluateMine', { digits }), [ask]);
  const inspect = useCallback((pixels: Float32Array) => ask('inspect', { pixels: pixels.slice() }), [ask]);
  const testImages = useCallback(
    (label: number, predicted: number, limit: number) => ask('testImages', { label, predicted, limit }),
    [ask],
  );
  const pause = useCallback(() => fire('pause', {}), [fire]);
  const resume = useCallback(() => fire('resume', {}), [fire]);
  const stop = useCallback(() => fire('stop', {}), [fire]);
  const reset = useCallback(() => fire('reset', {}), [fire]);
  const predict = useCallback(async (pixels: Float32Array) => {
    const c = clientRef.current;
    if (!c) return { probs: null, reason: 'The worker is not running.' };
    try {
      const p: Prediction = await c.predict(pixels);
      return p.reason === undefined ? { probs: p.probs } : { probs: p.probs, reason: p.reason };
    } catch (e) {
      return { probs: null, reason: e instanceof Error ? e.message : String(e) };
    }
  }, []);
  const evaluate = useCallback(async () => {
    const report = await ask('evaluate', {});
    dispatch({ type: 'report', report });
    return report;
  }, [ask]);
  const dream = useCallback((steps?: number) => ask('dream', steps ? { steps } : {}), [ask]);
  const saveModel = useCallback(
    async (name: string) => {
      dispatch({ type: 'savedModels', models: await ask('saveModel', { name }) });
    },
    [ask],
  );
  const deleteModel = useCallback(
    async (id: string) => {
      dispatch({ type: 'savedModels', models: await ask('deleteModel', { modelId: id }) });
    },
    [ask],
  );
  const loaded = useCallback(async (p: Promise<ModelInfo>) => {
    const model = await p;
    dispatch({ type: 'model', model });
    return model;
  }, []);
  const loadModel = useCallback((id: string) => loaded(ask('loadModel', { modelId: id })), [ask, loaded]);
  const importModel = useCallback((files: ModelFiles) => loaded(ask('importModel', { files })), [ask, loaded]);
  const loadBundledModel = useCallback((robust = false) => loaded(ask('loadBundledModel', robust ? { robust } : {})), [ask, loaded]);
  const exportModel = useCallback(() => ask('exportModel', {}), [ask]);
  const dismissError = useCallback(() => dispatch({ type: 'dismissError' }), []);
  const dismissNotice = useCallback(() => dispatch({ type: 'dismissNotice' }), []);
  const restart = useCallback(() => {
    dispatch({ type: 'restarting' });
    clientRef.current?.restart();
  }, []);

  const can = useMemo(() => availability(state), [state]);
  return useMemo(
    () => ({
      state,
      can,
      train,
      pause,
      resume,
      stop,
      reset,
      predict,
      evaluate,
      dream,
      saveModel,
      loadModel,
      deleteModel,
      exportModel,
      importModel,
      loadBundledModel,
      fineTune,
      evaluateMine,
      inspect,
      testImages,
      dismissError,
      dismissNotice,
      restart,
    }),
    [
      state,
      can,
      train,
      pause,
      resume,
      stop,
      reset,
      predict,
      evaluate,
      dream,
      saveModel,
      loadModel,
      deleteModel,
      exportModel,
      importModel,
      loadBundledModel,
      fineTune,
      evaluateMine,
      inspect,
      testImages,
      dismissError,
      dismissNotice,
      restart,
    ],
  );
}
