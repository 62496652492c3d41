/**
 * The run history as React state: one RunHistory (runHistory.ts) for the page's life, fed every
 * trainer state (a run that ends is recorded) and the saved models (a save is noted on its run),
 * shared with other tabs over a BroadcastChannel. IndexedDB (`idb`) loads with the store module
 * on first use, not with the page.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { TrainConfig } from '../shared/trainConfig';
import { RunHistory, type RunHistorySnapshot, type RunStore } from './runHistory';
import type { RunRecord } from './runHistoryRecord';
import type { TrainerState } from './trainerState';

/** Tabs of the page tell each other about changed runs here. */
export const RUNS_CHANNEL = 'mnist-playground-runs';

const loadStore = () => import('./runHistoryStore');
const lazyStore: RunStore = {
  list: async () => (await loadStore()).listRuns(),
  put: async (run) => (await loadStore()).putRun(run),
  remove: async (id) => (await loadStore()).deleteRun(id),
  seedOnce: async (run) => (await loadStore()).seedOnce(run),
};

const EMPTY: RunHistorySnapshot = { runs: [], loaded: false, unsaved: new Set(), problem: null, deleted: null, versions: new Map() };
const noSubscribe = () => () => {};

/**
 * @param trainer the trainer's state (useTrainer), watched for runs that end.
 * @param formConfig the form's configuration (tells a fine-tune from a Train of the form's settings).
 * @param shipped the shipped model's run, stored on a first visit.
 */
export function useRunHistory(
  trainer: TrainerState,
  formConfig: TrainConfig,
  shipped: () => Promise<RunRecord>,
): { history: RunHistory | null; snapshot: RunHistorySnapshot } {
  const [history, setHistory] = useState<RunHistory | null>(null);
  const shippedRef = useRef(shipped);
  const formRef = useRef(formConfig);
  useEffect(() => {
    formRef.current = formConfig;
  });

  useEffect(() => {
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(RUNS_CHANNEL);
    const h = new RunHistory(lazyStore, channel, () => shippedRef.current());
    setHistory(h);
    void h.start();
    return () => h.dispose();
  }, []);

  useEffect(() => {
    history?.observe(trainer, formRef.current);
  }, [history, trainer]);

  const { savedModels, model } = trainer;
  useEffect(() => {
    history?.linkSaved(savedModels, model.version);
  }, [history, savedModels, model.version]);

  const subscribe = useCallback((l: () => void) => (history ? history.subscribe(l) : noSubscribe()), [history]);
  const getSnapshot = useCallback(() => history?.snapshot ?? EMPTY, [history]);
  const snapshot = useSyncExternalStore(subscribe, getSnapshot);
  return { history, snapshot };
}
