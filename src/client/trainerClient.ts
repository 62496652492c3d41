/**
 * The main thread's only door to the training worker. It creates the worker,
 * restarts it after a crash, routes answers to pending requests and fans the
 * event stream out to listeners. Components use it through `useTrainer`.
 */
import type { ModelFiles, WorkerEvent, WorkerRequest } from '../shared/protocol';

export type EventListener = (event: WorkerEvent) => void;

/** Creates the worker; replaceable in tests. */
export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });

/** Crashes within CRASH_WINDOW_MS beyond which the worker is not restarted automatically. */
const MAX_AUTO_RESTARTS = 2;
const CRASH_WINDOW_MS = 60_000;

interface Pending<T> {
  resolve: (value: T) => void;
}

export class TrainerClient {
  private worker: Worker;
  private readonly listeners = new Set<EventListener>();
  private nextId = 1;
  private readonly pendingPredictions = new Map<number, Pending<Extract<WorkerEvent, { type: 'prediction' }>>>();
  private readonly pendingDreams = new Map<number, Pending<Extract<WorkerEvent, { type: 'dreams' }> | null>>();
  private pendingExport: Pending<ModelFiles | null> | null = null;
  /** Requests replayed on a fresh worker after a crash (the dataset load). */
  private bootRequests: WorkerRequest[] = [];
  private disposed = false;
  /** Times of recent crashes, to stop restarting a worker that dies at once every time. */
  private crashTimes: number[] = [];

  constructor(private readonly factory: WorkerFactory = defaultFactory) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const w = this.factory();
    w.onmessage = (ev: MessageEvent<WorkerEvent>) => this.dispatch(ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.crashed(ev.message || 'the training worker crashed');
    };
    w.onmessageerror = () => this.crashed('a message from the training worker could not be read');
    return w;
  }

  /** Replaces a dead worker with a fresh one and tells listeners what happened. */
  private crashed(why: string): void {
    if (this.disposed) return;
    this.worker.terminate();
    this.failPending();
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashTimes.length > MAX_AUTO_RESTARTS) {
      this.dispatch({ type: 'error', code: 'crash', message: `${why}. It crashed ${this.crashTimes.length} times in a row, so it was not restarted again: reload the page, or try another backend.` });
      return;
    }
    this.dispatch({ type: 'error', code: 'crash', message: `${why}. It was restarted; the data is loading again.` });
    this.worker = this.spawn();
    for (const req of this.bootRequests) this.worker.postMessage(req);
  }

  private failPending(): void {
    for (const [id, p] of this.pendingPredictions) p.resolve({ type: 'prediction', id, probs: null, reason: 'The worker restarted.' });
    this.pendingPredictions.clear();
    for (const p of this.pendingDreams.values()) p.resolve(null);
    this.pendingDreams.clear();
    this.pendingExport?.resolve(null);
    this.pendingExport = null;
  }

  private dispatch(event: WorkerEvent): void {
    if (event.type === 'prediction') {
      this.pendingPredictions.get(event.id)?.resolve(event);
      this.pendingPredictions.delete(event.id);
    } else if (event.type === 'dreams') {
      this.pendingDreams.get(event.id)?.resolve(event);
      this.pendingDreams.delete(event.id);
    } else if (event.type === 'exported') {
      this.pendingExport?.resolve(event.files);
      this.pendingExport = null;
    } else if (event.type === 'error' && event.request === 'dream') {
      for (const p of this.pendingDreams.values()) p.resolve(null);
      this.pendingDreams.clear();
    } else if (event.type === 'error' && event.request === 'exportModel') {
      this.pendingExport?.resolve(null);
      this.pendingExport = null;
    }
    for (const l of this.listeners) l(event);
  }

  /** Subscribes to every worker event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a request; typed-array buffers listed in `transfer` move to the worker. */
  send(req: WorkerRequest, transfer: Transferable[] = []): void {
    // Replayed on a fresh worker after a crash or restart.
    if (req.type === 'loadData' || req.type === 'listModels') this.bootRequests = [...this.bootRequests.filter((r) => r.type !== req.type), req];
    this.worker.postMessage(req, transfer);
  }

  /** Classifies [784] pixels (0..1, white on black). Resolves with 10 probabilities, or null and a reason. */
  predict(pixels: Float32Array): Promise<{ probs: Float32Array | null; reason?: string }> {
    const id = this.nextId++;
    const copy = pixels.slice(); // the caller keeps its array; transfer a copy
    return new Promise((resolve) => {
      this.pendingPredictions.set(id, { resolve: (e) => resolve({ probs: e.probs, reason: e.reason }) });
      this.worker.postMessage({ type: 'predict', id, pixels: copy } satisfies WorkerRequest, [copy.buffer]);
    });
  }

  /** Asks for the ten "dream" images; null when the worker could not make them (its error event says why). */
  dream(steps?: number): Promise<Extract<WorkerEvent, { type: 'dreams' }> | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pendingDreams.set(id, { resolve });
      this.worker.postMessage({ type: 'dream', id, steps } satisfies WorkerRequest);
    });
  }

  /** Exports the current model as TF.js layers-format files, or null when there is none. */
  exportModel(): Promise<ModelFiles | null> {
    this.pendingExport?.resolve(null);
    return new Promise((resolve) => {
      this.pendingExport = { resolve };
      this.worker.postMessage({ type: 'exportModel' } satisfies WorkerRequest);
    });
  }

  /** Kills the worker and starts a fresh one (e.g. to retry after an error), replaying the data load. */
  restart(): void {
    this.crashTimes = [];
    this.worker.terminate();
    this.failPending();
    this.worker = this.spawn();
    for (const req of this.bootRequests) this.worker.postMessage(req);
  }

  dispose(): void {
    this.disposed = true;
    this.failPending();
    this.worker.terminate();
    this.listeners.clear();
  }
}
