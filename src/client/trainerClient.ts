/**
 * The main thread's only door to the training worker. It creates the worker,
 * turns every request into a promise that settles with the worker's one reply,
 * fans the event stream out to listeners, and owns the worker's life: a worker
 * that crashes, or goes silent (it answers a ping within seconds while alive,
 * whatever it runs), is restarted with what was pending rejected and what was
 * lost said; a worker whose script cannot be downloaded is retried and
 * reported as a network problem, never as a crash. Components use it through
 * `useTrainer`; nobody else calls postMessage.
 */
import { errorMessage } from '../shared/errorMessage';
import type { ReplyValue, RequestParams, RequestType, WorkerEvent, WorkerMessage, WorkerRequest } from '../shared/protocol';
import { DEFAULT_LIVENESS, LivenessCheck, type Liveness } from './liveness';
import { lostWork } from './lostWork';
import { english, msg, type Msg } from '../i18n/message';
import { createTrainerWorker, workerScriptReachable } from './trainerWorker';

import { clientError, WorkerError } from './workerError';

export { WorkerError } from './workerError';

/** What listeners hear: the worker's events, and the client's own news about the worker's life. */
export type ClientEvent =
  | WorkerEvent
  /** The worker died or stopped answering; `restarted` says whether a fresh one was started (it is loading the data again). */
  | { type: 'crashed'; message: string; text?: readonly Msg[]; restarted: boolean }
  /** The worker's script could not be downloaded (the network is down): the client retries by itself. */
  | { type: 'unreachable'; message: string; text?: readonly Msg[] }
  /** A fresh worker replaced the old one on request (e.g. Retry). */
  | { type: 'restarted' }
  /** After `unreachable`: a worker started after all. */
  | { type: 'reachable' };

export type ClientListener = (event: ClientEvent) => void;

/** The part of a Worker the client uses (a fake one in tests). */
export interface WorkerLike extends Pick<Worker, 'terminate' | 'onmessage' | 'onerror' | 'onmessageerror'> {
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
}

/** Creates the worker; replaceable in tests. */
export type WorkerFactory = () => WorkerLike;

/** Crashes within CRASH_WINDOW_MS beyond which the worker is not restarted automatically. */
const MAX_AUTO_RESTARTS = 2;
const CRASH_WINDOW_MS = 60_000;

/** Waits before retrying a worker whose script could not be downloaded, ms (then the last one, repeatedly). */
const RETRY_DELAYS_MS = [1000, 2000, 5000, 10_000];

interface Pending {
  type: RequestType;
  resolve: (value: unknown) => void;
  reject: (error: WorkerError) => void;
}

export interface TrainerClientOptions {
  factory?: WorkerFactory;
  /** Called with every fresh worker (first start and restarts), e.g. to load the data. */
  onSpawn?: (client: TrainerClient) => void;
  /** For tests: the clock of the crash-loop guard and the liveness check. */
  now?: () => number;
  /** The liveness check's timing; false turns it off. */
  liveness?: Liveness | false;
  /** Whether the worker's script can be downloaded now (a failed start is then a crash, not the network). */
  reachable?: () => Promise<boolean>;
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
  private readonly liveness: Liveness | false;
  private readonly reachable: () => Promise<boolean>;
  /** The current worker's liveness (and whether it has spoken: one that fails before it did failed to start). */
  private watch: LivenessCheck;
  /** The longest silence heard from a worker that then spoke again, ms (diagnostics: the liveness margin). */
  private longestSilence = 0;
  private livenessTimer: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;
  /** The last start failed on the network: the next worker that speaks clears it. */
  private unreachable = false;
  private readonly onOnline = () => {
    if (this.unreachable && !this.worker) this.retryNow();
  };

  constructor(options: TrainerClientOptions = {}) {
    this.factory = options.factory ?? createTrainerWorker;
    this.onSpawn = options.onSpawn ?? (() => {});
    this.now = options.now ?? (() => Date.now());
    this.liveness = options.liveness ?? DEFAULT_LIVENESS;
    this.reachable = options.reachable ?? workerScriptReachable;
    this.watch = new LivenessCheck(this.liveness || DEFAULT_LIVENESS, this.now());
    if (typeof addEventListener === 'function') addEventListener('online', this.onOnline);
    this.spawn();
    if (this.liveness) {
      const every = Math.max(50, Math.min(this.liveness.pingAfterMs, this.liveness.deadAfterMs / 4));
      this.livenessTimer = setInterval(() => this.checkLiveness(), every);
    }
  }

  /** The longest silence heard from a worker that then spoke again, ms (the liveness check's margin). */
  get longestSilenceMs(): number {
    return Math.max(this.longestSilence, this.watch.longestSilenceMs);
  }

  /** Whether a worker is running (false after it crashed too often, while its script cannot be fetched, or after dispose). */
  get alive(): boolean {
    return this.worker !== null;
  }

  /** Requests waiting for their reply (tests, diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private spawn(): void {
    let w: WorkerLike;
    try {
      w = this.factory();
    } catch (e) {
      // e.g. a Content-Security-Policy that forbids the worker: nothing to retry.
      this.worker = null;
      const text = [msg('errors.worker.notStarted', { why: errorMessage(e) })];
      this.emit({ type: 'crashed', restarted: false, message: english(text), text });
      return;
    }
    w.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(w, ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      if (w !== this.worker) return;
      const raw = ev.message ? msg('errors.worker.raw', { why: ev.message }) : null;
      if (this.watch.hasSpoken) this.crashed(raw ?? msg('errors.worker.crashed'));
      else void this.startFailed(raw ?? msg('errors.worker.didNotStart'));
    };
    w.onmessageerror = () => {
      if (w === this.worker) this.crashed(msg('errors.worker.unreadable'));
    };
    this.worker = w;
    this.longestSilence = this.longestSilenceMs;
    this.watch = new LivenessCheck(this.liveness || DEFAULT_LIVENESS, this.now());
    this.onSpawn(this);
  }

  private receive(from: WorkerLike, msg: WorkerMessage): void {
    if (from !== this.worker) return; // a late message from a terminated worker
    if (!this.watch.hasSpoken) {
      this.retries = 0;
      if (this.unreachable) {
        this.unreachable = false;
        this.emit({ type: 'reachable' });
      }
    }
    this.watch.heard(msg, this.now());
    if (msg.type === 'reply') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new WorkerError(msg.error.code, msg.error.message, msg.error.backend, msg.error.key));
      return;
    }
    this.emit(msg);
  }

  private emit(event: ClientEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  /** Pings a quiet worker, and restarts a dead one (liveness.ts). */
  private checkLiveness(): void {
    if (!this.worker || this.disposed) return;
    const verdict = this.watch.tick(this.now());
    if (verdict?.kind === 'ping') this.request('ping', {}).catch(() => {});
    else if (verdict?.kind === 'dead') this.crashed(msg('errors.worker.silent', { seconds: Math.round(verdict.silentMs / 1000) }));
  }

  /** Replaces a dead worker with a fresh one (unless it keeps dying) and tells listeners what was lost. */
  private crashed(why: Msg): void {
    if (this.disposed) return;
    const lost = lostWork([...this.pending.values()].map((p) => p.type));
    this.worker?.terminate();
    this.worker = null;
    const restartedText = [msg('errors.worker.restartedShort', { why })];
    this.rejectPending(new WorkerError('crash', english(restartedText), undefined, undefined, restartedText));
    const now = this.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    const kept = msg('errors.worker.kept');
    const tail = lost ? [lost, kept] : [kept];
    if (this.crashTimes.length > MAX_AUTO_RESTARTS) {
      const text = [msg('errors.worker.gaveUp', { why, count: this.crashTimes.length }), ...tail];
      this.emit({ type: 'crashed', restarted: false, message: english(text), text });
      return;
    }
    const text = [msg('errors.worker.restarted', { why }), ...tail];
    this.emit({ type: 'crashed', restarted: true, message: english(text), text });
    this.spawn();
  }

  /** A worker failed before it said anything: a network that is down (retried), or a crash at start. */
  private async startFailed(why: Msg): Promise<void> {
    const failed = this.worker;
    failed?.terminate();
    this.worker = null;
    const reachable = await this.reachable().catch(() => false);
    if (this.disposed || this.worker) return; // disposed, or restarted by hand meanwhile
    if (reachable) {
      this.worker = failed; // judged as the crash of a started worker
      this.crashed(why);
      return;
    }
    this.unreachable = true;
    this.rejectPending(clientError('network', 'errors.worker.notDownloaded'));
    const delay = RETRY_DELAYS_MS[Math.min(this.retries, RETRY_DELAYS_MS.length - 1)]!;
    this.retries++;
    const text = [msg('errors.worker.offline', { seconds: Math.round(delay / 1000) })];
    this.emit({ type: 'unreachable', message: english(text), text });
    this.retryTimer = setTimeout(() => this.retryNow(), delay);
  }

  private retryNow(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.disposed || this.worker) return;
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
    return this.send({ ...params, type } as Record<string, unknown>, transfer, type) as Promise<ReplyValue<K>>;
  }

  /**
   * Sends a raw message as a request (the `?debug=1` hook: tests send what the page never would).
   * The worker's door checks it; the reply settles the promise.
   */
  requestRaw(message: Record<string, unknown>, transfer: Transferable[] = []): Promise<unknown> {
    return this.send(message, transfer, (typeof message.type === 'string' ? message.type : 'ping') as RequestType);
  }

  /** Posts a message as it is, with no id and no reply (the `?debug=1` hook: what a stray postMessage would send). */
  postRaw(message: unknown): void {
    (this.worker as { postMessage(m: unknown, t: Transferable[]): void } | null)?.postMessage(message, []);
  }

  private send(message: Record<string, unknown>, transfer: Transferable[], type: RequestType): Promise<unknown> {
    if (!this.worker)
      return Promise.reject(
        clientError(
          this.unreachable ? 'network' : 'crash',
          this.disposed ? 'errors.worker.closing' : this.unreachable ? 'errors.worker.notDownloadedYet' : 'errors.worker.notRunningReload',
        ),
      );
    const id = this.nextId++;
    const req = { ...message, id } as unknown as WorkerRequest;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { type, resolve, reject });
      try {
        this.worker!.postMessage(req, transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(clientError('internal', 'errors.worker.notSent', { why: errorMessage(e) }));
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
    this.retries = 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.worker?.terminate();
    this.worker = null;
    this.rejectPending(clientError('cancelled', 'errors.worker.wasRestarted'));
    this.emit({ type: 'restarted' });
    this.spawn();
  }

  /** Terminates the worker for good (unmount). */
  dispose(): void {
    this.disposed = true;
    if (this.livenessTimer) clearInterval(this.livenessTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (typeof removeEventListener === 'function') removeEventListener('online', this.onOnline);
    this.worker?.terminate();
    this.worker = null;
    this.rejectPending(clientError('cancelled', 'errors.worker.closing'));
    this.listeners.clear();
  }
}
