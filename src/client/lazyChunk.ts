/**
 * A part of the page loaded in its own chunk (the curves, the insight views, the experiments, the
 * step view), fetched with retries: a network blip while the page loads (or a flaky connection)
 * costs a moment, not the view. A chunk that still fails is a {@link ChunkLoadError} (a network
 * problem, shown with Retry beside the view), never a crash of the page.
 *
 * Why a retry cannot simply call `import()` again: a browser remembers a module whose fetch failed
 * for the document's life (Chromium 150 answers a second `import()` of the same URL with the same
 * error, without asking the network), and Vite's preload helper never adds a stylesheet it tried
 * once again, loaded or not. So a retry loads a stylesheet that failed itself (a new `<link>` in
 * place of the dead one), and a module that failed is imported again under a fresh URL
 * (`?retry=N`: the same file, a new entry in the module map; its own imports resolve to the same
 * modules as before).
 */
import { english, msg, type Msg, type Words } from '../i18n/message';

/** A chunk that could not be fetched. */
export class ChunkLoadError extends Error {
  override name = 'ChunkLoadError';
}

/** Waits between tries, ms: the first retries are quick, then once the browser says it is online again. */
export const RETRY_DELAYS_MS = [300, 1000, 3000];

/** The URL of the module (`module`) or stylesheet (`css`) a chunk error names, where the browser names it. */
export function failedUrl(e: unknown): { module?: string; css?: string } {
  const m = e instanceof Error ? e.message : String(e);
  const css = /Unable to preload CSS for (\S+)/.exec(m)?.[1];
  if (css) return { css };
  // Chrome: "Failed to fetch dynamically imported module: URL"; Firefox: "error loading dynamically imported module: URL".
  const module = /dynamically imported module:?\s+(\S+)/i.exec(m)?.[1];
  return module ? { module: module.replace(/\?retry=\d+$/, '') } : {};
}

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
  /** Imports a module by its URL (a fresh one, past the module map's memory of a failure). */
  importUrl?: (url: string) => Promise<unknown>;
  /** Loads a stylesheet that failed again, in place of its dead `<link>`; rejects as the preload helper does. */
  reloadStylesheet?: (href: string) => Promise<void>;
}

function importUrl(url: string): Promise<unknown> {
  return import(/* @vite-ignore */ url);
}

function reloadStylesheet(href: string): Promise<void> {
  if (typeof document === 'undefined') return Promise.resolve();
  const dead = Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')).filter((l) => l.href === href);
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.crossOrigin = '';
  link.href = href;
  return new Promise((resolve, reject) => {
    link.addEventListener('load', () => {
      for (const l of dead) l.remove();
      resolve();
    });
    link.addEventListener('error', () => {
      link.remove();
      reject(new Error(`Unable to preload CSS for ${href}`)); // i18n-ignore: Vite's own words, which isChunkLoadError knows
    });
    document.head.appendChild(link);
  });
}

function whenOnline(): Promise<void> {
  if (typeof navigator === 'undefined' || navigator.onLine !== false) return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('online', () => resolve(), { once: true }));
}

/**
 * A chunk fetched by `importer` (e.g. `() => import('./Curves')`), its value taken by `pick`
 * (`(m) => m.Curves`), tried once and then after each of `delays` (waiting for the browser to be
 * online first); `what` names it for the message ("the training curves").
 */
export function lazyChunk<M, T>(importer: () => Promise<M>, pick: (m: M) => T, what: Words, options: ChunkOptions = {}): Chunk<T> {
  const {
    delays = RETRY_DELAYS_MS,
    online = whenOnline,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
    importUrl: importByUrl = importUrl,
    reloadStylesheet: reloadCss = reloadStylesheet,
  } = options;
  let state: ChunkState<T> = { status: 'loading' };
  let running = false;
  let fresh = 0;
  /** What failed before: stylesheets to load again; modules whose fetch failed once (the browser remembers). */
  const failedCss = new Set<string>();
  const failedModules = new Set<string>();
  const tryOnce = async (): Promise<M> => {
    for (const href of failedCss) {
      await reloadCss(href);
      failedCss.delete(href);
    }
    try {
      return await importer();
    } catch (e) {
      if (!isChunkLoadError(e)) throw e;
      const { css, module } = failedUrl(e);
      if (css) failedCss.add(css);
      if (!module) throw e;
      if (!failedModules.has(module)) {
        failedModules.add(module);
        throw e;
      }
      // Failed before, so the module map's memory answered: the same file under a new URL is fetched again.
      return (await importByUrl(`${module}?retry=${++fresh}`)) as M;
    }
  };
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
            const value = pick(await tryOnce());
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
