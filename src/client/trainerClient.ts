/**
 * The main thread's only door to the training worker. It creates the worker,
 * turns every request into a promise that settles with the worker's one reply,
 * fans the event stream out to listeners, restarts the worker after a crash
 * (rejecting what was pending) and terminates it on dispose. Components use it
 * through `useTrainer`; nobody else calls postMessage.
 */
import type {
  BackendName,
  ErrorCode,
  ReplyValue,
  RequestParams,
  RequestType,
  WorkerEvent,
  WorkerMessage,
  WorkerRequest,
} from '../shared/protocol';

/** A rejected request: the worker's error code and message. */
export class WorkerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For 'backend' errors: the backend that failed. */
    readonly backend?: BackendName | 'auto',
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

/** What listeners hear: the worker's events, and the client's own news about the worker's life. */
export type ClientEvent =
  | WorkerEvent
  /** The worker died; `restarted` says whether a fresh one was started (it is loading the data again). */
  | { type: 'crashed'; message: string; restarted: boolean }
  /** A fresh worker replaced the old one on request (e.g. Retry). */
  | { type: 'restarted' };

export type ClientListener = (event: ClientEvent) => void;

/** The part of a Worker the client uses (a fake one in tests). */
export interface WorkerLike extends Pick<Worker, 'terminate' | 'onmessage' | 'onerror' | 'onmessageerror'> {
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
}

/** Creates the worker; replaceable in tests. */
export type WorkerFactory = () => WorkerLike;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });

/** Crashes within CRASH_WINDOW_MS beyond which the worker is not restarted automatically. */
const MAX_AUTO_RESTARTS = 2;
const CRASH_WINDOW_MS = 60_000;

interface Pending {
  type: RequestType;
  resolve: (value: unknown) => void;
  reject: (error: WorkerError) => void;
}

export interface TrainerClientOptions {
  factory?: WorkerFactory;
  /** Called with every fresh worker (first start and restarts), e.g. to load the data. */
  onSpawn?: (client: TrainerClient) => void;
  /** For tests: the clock of the crash-loop guard. */
  now?: () => number;
}

export class TrainerClient {
  private worker: WorkerLike | null = null;
  private readonly listeners = new Set<ClientListener>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  /** Times of recent crashes, to stop restarting a worker that dies at once every time. */
  private crashTimes: number[] = [];
  private readonly factory: WorkerFactory;
  private readonly onSpawn: (client: TrainerClient) => void;
  private readonly now: () => number;

  constructor(options: TrainerClientOptions = {}) {
    this.factory = options.factory ?? defaultFactory;
    this.onSpawn = options.onSpawn ?? (() => {});
    this.now = options.now ?? Date.now;
    this.spawn();
  }

  /** Whether a worker is running (false after it crashed too often, or after dispose). */
  get alive(): boolean {
    return this.worker !== null;
  }

  /** Requests waiting for their reply (tests, diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private spawn(): void {
    const w = this.factory();
    w.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(w, ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      if (w === this.worker) this.crashed(ev.message || 'the training worker crashed');
    };
    w.onmessageerror = () => {
      if (w === this.worker) this.crashed('a message from the training worker could not be read');
    };
    this.worker = w;
    this.onSpawn(this);
  }

  private receive(from: WorkerLike, msg: WorkerMessage): void {
    if (from !== this.worker) return; // a late message from a terminated worker
    if (msg.type === 'reply') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new WorkerError(msg.error.code, msg.error.message, msg.error.backend));
      return;
    }
    this.emit(msg);
  }

  private emit(event: ClientEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  /** Replaces a dead worker with a fresh one (unless it keeps dying) and tells listeners. */
  private crashed(why: string): void {
    if (this.disposed) return;
    this.worker?.terminate();
    this.worker = null;
    this.rejectPending(new WorkerError('crash', `${why}: the worker restarted.`));
    const now = this.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashTimes.length > MAX_AUTO_RESTARTS) {
      this.emit({
        type: 'crashed',
        restarted: false,
        message: `${why}. It crashed ${this.crashTimes.length} times in a row, so it was not restarted again: reload the page, or try another backend.`,
      });
      return;
    }
    this.emit({ type: 'crashed', restarted: true, message: `${why}. It was restarted; the data is loading again.` });
    this.spawn();
  }

  private rejectPending(error: WorkerError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: ClientListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends one request; settles with the worker's one reply (rejects with a WorkerError).
   * Buffers listed in `transfer` move to the worker.
   */
  request<K extends RequestType>(type: K, params: RequestParams<K>, transfer: Transferable[] = []): Promise<ReplyValue<K>> {
    if (!this.worker)
      return Promise.reject(
        new WorkerError('crash', this.disposed ? 'The page is closing.' : 'The training worker is not running: reload the page.'),
      );
    const id = this.nextId++;
    const req = { ...params, type, id } as WorkerRequest;
    return new Promise<ReplyValue<K>>((resolve, reject) => {
      this.pending.set(id, { type, resolve: resolve as (v: unknown) => void, reject });
      try {
        this.worker!.postMessage(req, transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(new WorkerError('internal', `The request could not be sent: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  /** Classifies [784] pixels (0..1, white on black); the caller keeps its array (a copy is transferred). */
  predict(pixels: Float32Array): Promise<ReplyValue<'predict'>> {
    const copy = pixels.slice();
    return this.request('predict', { pixels: copy }, [copy.buffer]);
  }

  /** Kills the worker and starts a fresh one (Retry after an error); pending requests are rejected. */
  restart(): void {
    if (this.disposed) return;
    this.crashTimes = [];
    this.worker?.terminate();
    this.worker = null;
    this.rejectPending(new WorkerError('cancelled', 'The worker was restarted.'));
    this.emit({ type: 'restarted' });
    this.spawn();
  }

  /** Terminates the worker for good (unmount). */
  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
    this.rejectPending(new WorkerError('cancelled', 'The page is closing.'));
    this.listeners.clear();
  }
}
