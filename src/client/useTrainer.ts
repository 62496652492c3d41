/**
 * The one hook React uses to talk to the training worker: it owns a
 * TrainerClient for the component's lifetime and reduces its events to state.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { ModelFiles, WorkerRequest } from '../shared/protocol';
import { DATA_BASE_PATH } from '../shared/constants';
import type { TrainConfig } from '../shared/trainConfig';
import { TrainerClient } from './trainerClient';
import { initialTrainerState, trainerReducer, type TrainerState } from './trainerState';

export interface TrainerApi {
  state: TrainerState;
  train(config: TrainConfig, continueTraining?: boolean): void;
  send(req: WorkerRequest): void;
  predict(pixels: Float32Array): Promise<{ probs: Float32Array | null; reason?: string }>;
  /** The ten "dream" images of the current model. */
  dream(steps?: number): ReturnType<TrainerClient['dream']> | Promise<null>;
  /** The current model as TF.js layers-format files, or null. */
  exportModel(): Promise<ModelFiles | null>;
  dismissError(): void;
  /** Restarts the worker (after a fatal error) and reloads the data. */
  restart(): void;
}

/** Absolute URL of the data folder (workers resolve relative URLs against their own script). */
export function dataBaseUrl(): string {
  return new URL(DATA_BASE_PATH, document.baseURI).href;
}

export function useTrainer(): TrainerApi {
  const [state, dispatch] = useReducer(trainerReducer, initialTrainerState);
  const clientRef = useRef<TrainerClient | null>(null);

  useEffect(() => {
    const client = new TrainerClient();
    clientRef.current = client;
    const unsubscribe = client.subscribe((event) => dispatch({ type: 'event', event }));
    client.send({ type: 'loadData', baseUrl: dataBaseUrl() });
    // Children's effects (e.g. the model library's) run before this one, so the list is asked for here.
    client.send({ type: 'listModels' });
    // `?debug` exposes the raw request channel, so tests can simulate faults (e.g. a lost WebGL context).
    if (new URLSearchParams(location.search).has('debug')) {
      (window as unknown as { __playground?: unknown }).__playground = { send: (req: WorkerRequest) => client.send(req) };
    }
    return () => {
      unsubscribe();
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  const send = useCallback((req: WorkerRequest) => clientRef.current?.send(req), []);
  const train = useCallback((config: TrainConfig, continueTraining = false) => {
    dispatch({ type: 'trainStarted', epochs: config.epochs, keepCurves: continueTraining });
    clientRef.current?.send({ type: 'train', config, continueTraining });
  }, []);
  const predict = useCallback(
    (pixels: Float32Array) => clientRef.current?.predict(pixels) ?? Promise.resolve({ probs: null, reason: 'The worker is not running.' }),
    [],
  );
  const dream = useCallback((steps?: number) => clientRef.current?.dream(steps) ?? Promise.resolve(null), []);
  const exportModel = useCallback(() => clientRef.current?.exportModel() ?? Promise.resolve(null), []);
  const dismissError = useCallback(() => dispatch({ type: 'dismissError' }), []);
  const restart = useCallback(() => {
    dispatch({ type: 'restarting' });
    clientRef.current?.restart();
  }, []);

  return useMemo(
    () => ({ state, train, send, predict, dream, exportModel, dismissError, restart }),
    [state, train, send, predict, dream, exportModel, dismissError, restart],
  );
}
