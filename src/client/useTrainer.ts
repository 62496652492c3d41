/**
 * The one hook React uses to talk to the training worker: it owns a
 * TrainerClient for the component's lifetime, reduces its events and the
 * outcomes of its requests to state, and exposes the commands as methods
 * generated from the command table (commandApi.ts): `commands.X(params)` for
 * every request, and the page's own methods (`dream(steps)`, `saveModel(name)`, …).
 * Refusals become a notice; real failures the error state; methods whose caller
 * shows the outcome itself (evaluate, dream, library) return promises.
 */
import { msg, type Words } from '../i18n/message';
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { onStoreChange } from '../shared/browserStorage';
import { DATA_BASE_PATH } from '../shared/constants';
import { parseConfig } from '../shared/trainConfig';
import { bindPageMethods, ClientSlot, commandProxy, shown, type CommandProxy, type PageMethods } from './commandApi';
import { TrainerClient, WorkerError } from './trainerClient';
import { EventCoalescer } from './eventCoalescer';
import { availability, type Availability } from './availability';
import { initialTrainerState, trainerReducer, type TrainerState } from './trainerState';

/** The model shipped with the app, trained with the reference recipe by scripts/trainReference.ts. */
export const BUNDLED_MODEL_PATH = 'models/reference/model.json';

export type TrainerApi = PageMethods & {
  state: TrainerState;
  /** Which commands can apply now, and why not (the command table's words). */
  can: Availability;
  /** Every command of the protocol as a typed method taking its params. */
  commands: CommandProxy;
  /** Classifies [784] pixels (0..1); never rejects: without a model or worker, `probs` is null and `reason` says why. */
  predict(pixels: Float32Array): Promise<{ probs: Float32Array | null; reason?: Words }>;
  dismissError(): void;
  dismissNotice(): void;
  /** Restarts the worker (after a fatal error, or Retry) and reloads the data. */
  restart(): void;
};

/** Absolute URL of a path next to the page (workers resolve relative URLs against their own script). */
export function pageUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

/** Failures of the first requests that the client reports itself (crash, network) or that a restart made moot. */
const REPORTED_BY_CLIENT = new Set(['cancelled', 'crash', 'network']);

/** `window.__playground` with `?debug`: the raw request channel, so tests can send faults and malformed messages. */
interface DebugHook {
  /** Sends `{ type, ...params }` as a request; resolves with its value, or `{ error }`. */
  send(message: Record<string, unknown>): Promise<unknown>;
  /** Posts anything to the worker as it is (no id, no reply). */
  post(message: unknown): void;
  /** The liveness check's figures: the longest silence heard from the worker, ms. */
  health(): { longestSilenceMs: number };
}

export function useTrainer(): TrainerApi {
  const [state, dispatch] = useReducer(trainerReducer, initialTrainerState);
  const [slot] = useState(() => new ClientSlot());

  useEffect(() => {
    const client = new TrainerClient({
      // On every fresh worker: load the data (and with it the shipped model), list the saved models.
      onSpawn: (c) => {
        // The backend the link or the form asks for (the form keeps the URL in step), so a named one is not raced.
        const backend = parseConfig({ backend: new URLSearchParams(location.search).get('backend') ?? undefined }).config.backend;
        c.request('loadData', { baseUrl: pageUrl(DATA_BASE_PATH), bundledModelUrl: pageUrl(BUNDLED_MODEL_PATH), backend }).then(
          (data) => dispatch({ type: 'dataLoaded', data }),
          (e: unknown) => {
            if (!(e instanceof WorkerError && REPORTED_BY_CLIENT.has(e.code))) dispatch({ type: 'failed', error: shown(e) });
          },
        );
        c.request('listModels', {}).then(
          (models) => dispatch({ type: 'savedModels', models }),
          () => {}, // no IndexedDB (private mode): the library says so when used
        );
      },
    });
    slot.attach(client);
    // The stream is handed on a few times a second, so one render draws many events (eventCoalescer.ts).
    const coalescer = new EventCoalescer((events) => events.forEach((event) => dispatch({ type: 'event', event })));
    const unsubscribe = client.subscribe(coalescer.push);
    // Another tab (or this one's worker) saved or deleted a model: list them again.
    const stopModelSync = onStoreChange('models', () =>
      client.request('listModels', {}).then(
        (models) => dispatch({ type: 'savedModels', models }),
        () => {},
      ),
    );
    if (new URLSearchParams(location.search).has('debug')) {
      const hook: DebugHook = {
        send: (message) => client.requestRaw(message).catch((e: unknown) => ({ error: shown(e) })),
        post: (message) => client.postRaw(message),
        health: () => ({ longestSilenceMs: client.longestSilenceMs }),
      };
      (window as unknown as { __playground?: DebugHook }).__playground = hook;
    }
    return () => {
      unsubscribe();
      stopModelSync();
      coalescer.dispose();
      client.dispose();
      slot.attach(null);
    };
  }, [slot]);

  // Bound once: they read the client when called, so their identities never change.
  const methods = useMemo(() => {
    const ctx = { client: slot.get, dispatch };
    return { commands: commandProxy(ctx), ...bindPageMethods(ctx) };
  }, [slot]);

  const predict = useCallback(
    async (pixels: Float32Array) => {
      const c = slot.get();
      if (!c) return { probs: null, reason: msg('errors.worker.notRunning') };
      try {
        const p = await c.predict(pixels);
        return p.reason === undefined ? { probs: p.probs } : { probs: p.probs, reason: p.reason };
      } catch (e) {
        const s = shown(e);
        return { probs: null, reason: s.key ? msg(`refusals.${s.key}`) : s.text ? s.text[0]! : s.message };
      }
    },
    [slot],
  );
  const dismissError = useCallback(() => dispatch({ type: 'dismissError' }), []);
  const dismissNotice = useCallback(() => dispatch({ type: 'dismissNotice' }), []);
  const restart = useCallback(() => {
    dispatch({ type: 'restarting' });
    slot.get()?.restart();
  }, [slot]);

  const can = useMemo(() => availability(state), [state]);
  return useMemo(
    () => ({ ...methods, state, can, predict, dismissError, dismissNotice, restart }),
    [methods, state, can, predict, dismissError, dismissNotice, restart],
  );
}
