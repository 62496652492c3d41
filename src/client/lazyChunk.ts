/**
 * A part of the page loaded in its own chunk (the curves, the insight views), fetched with
 * retries: a network blip while the page loads (or a flaky connection) costs a moment, not
 * the view. A chunk that still fails is a {@link ChunkLoadError} (a network problem, shown
 * with Retry beside the view), never a crash of the page.
 */
import { english, msg, type Msg, type Words } from '../i18n/message';

/** A chunk that could not be fetched. */
export class ChunkLoadError extends Error {
  override name = 'ChunkLoadError';
}

/** Waits between tries, ms: the first retries are quick, then once the browser says it is online again. */
export const RETRY_DELAYS_MS = [300, 1000, 3000];

/** True for the errors browsers and Vite's preload helper give for a module or CSS chunk that failed to load. */
export function isChunkLoadError(e: unknown): boolean {
  if (e instanceof ChunkLoadError) return true;
  const m = e instanceof Error ? e.message : String(e);
  return /dynamically imported module|Importing a module script failed|Unable to preload CSS|error loading dynamically imported|Loading (CSS )?chunk/i.test(
    m,
  );
}

/** What a view shows while its chunk loads, after it failed, or once it is here. */
export type ChunkState<T> =
  | { status: 'loading' }
  /** `message` in English; `text` the same as a message, for the reader's language. */
  | { status: 'failed'; message: string; text: Msg }
  | { status: 'loaded'; value: T };

export interface Chunk<T> {
  /** The current state (loaded once any try succeeded). */
  state(): ChunkState<T>;
  /** Starts loading (again, after a failure); idempotent while a load runs. */
  load(): void;
  /** Called whenever the state changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export interface ChunkOptions {
  delays?: readonly number[];
  /** Resolves when the browser is online (immediately when it says it is). */
  online?: () => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

function whenOnline(): Promise<void> {
  if (typeof navigator === 'undefined' || navigator.onLine !== false) return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('online', () => resolve(), { once: true }));
}

/**
 * A chunk fetched by `importer` (e.g. `() => import('./Curves').then((m) => m.Curves)`), tried
 * once and then after each of `delays` (waiting for the browser to be online first); `what`
 * names it for the message ("the training curves").
 */
export function lazyChunk<T>(importer: () => Promise<T>, what: Words, options: ChunkOptions = {}): Chunk<T> {
  const { delays = RETRY_DELAYS_MS, online = whenOnline, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = options;
  let state: ChunkState<T> = { status: 'loading' };
  let running = false;
  const listeners = new Set<() => void>();
  const set = (next: ChunkState<T>) => {
    state = next;
    for (const l of listeners) l();
  };
  return {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load() {
      if (running || state.status === 'loaded') return;
      running = true;
      if (state.status === 'failed') set({ status: 'loading' });
      void (async () => {
        let last: unknown = null;
        for (let attempt = 0; attempt <= delays.length; attempt++) {
          if (attempt > 0) {
            await sleep(delays[attempt - 1]!);
            await online();
          }
          try {
            const value = await importer();
            running = false;
            set({ status: 'loaded', value });
            return;
          } catch (e) {
            last = e;
          }
        }
        running = false;
        const why = isChunkLoadError(last)
          ? msg('errors.chunk.network')
          : msg('errors.chunk.other', { message: last instanceof Error ? last.message : String(last) });
        const text = msg('errors.chunk.failed', { what, why });
        set({ status: 'failed', message: english([text]), text });
      })();
    },
  };
}
