/**
 * The one owner of order in the worker: every request gets exactly one reply;
 * the command table (shared/commands.ts) says whether it runs now, waits its
 * turn, or is refused, and what it cancels; exclusive commands run one at a
 * time, so no two commands touch the model's tensors at once. The scheduler
 * posts the worker's phase.
 */
import { COMMANDS, decide, isRun, quietOf, refusalAtStart, REFUSALS, type CommandState, type RefusalKey } from '../shared/commands';
import type { ReplyError, RequestOf, RequestType, ReplyValue, WorkerMessage, WorkerPhase, WorkerRequest } from '../shared/protocol';
import { toReplyError } from './errors';

/** One handler per request type: resolves with the reply's value, or throws (→ an error reply). */
export type Handlers = { [K in RequestType]: (req: RequestOf<K>) => Promise<ReplyValue<K>> };

export type PostMessage = (msg: WorkerMessage, transfer?: Transferable[]) => void;

/** What the scheduler asks of the worker around it: the facts the table decides on, and how to end a running command. */
export interface SchedulerHost {
  /** Whether the running training run is paused. */
  isPaused(): boolean;
  /** The dataset is loaded. */
  hasData(): boolean;
  /** There is a current model. */
  hasModel(): boolean;
  /** Ends the running command of `type` at once, without its result (the table's `cancelsRunning`: Reset ends a run). */
  cancelRunning(type: RequestType): void;
}

interface Job {
  req: WorkerRequest;
  done: Promise<void>;
  /** Answered already (abandoned): its handler's late outcome is dropped. */
  answered?: true;
}

/** Typed arrays and buffers at the top level of a reply that own their whole buffer (safe to transfer). */
export function transferablesOf(value: unknown): Transferable[] {
  if (!value || typeof value !== 'object') return [];
  const out: Transferable[] = [];
  for (const v of Object.values(value)) {
    if (v instanceof ArrayBuffer) out.push(v);
    else if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength)
      out.push(v.buffer);
  }
  return [...new Set(out)];
}

/** A refusal as the reply's error: its key and its sentence. */
export function refusalError(key: RefusalKey): ReplyError {
  return { code: 'refused', key, message: REFUSALS[key] };
}

export class Scheduler {
  private readonly queue: WorkerRequest[] = [];
  private running: Job | null = null;
  private lastPhase = '';

  constructor(
    private readonly handlers: Handlers,
    private readonly postMessage: PostMessage,
    private readonly host: SchedulerHost,
  ) {}

  /** The state the table decides on, as the worker sees it. */
  state(): CommandState {
    const running = this.running?.req.type ?? null;
    const queued = this.queue.map((r) => r.type);
    const loading = running === 'loadData' || queued.includes('loadData');
    return {
      run: isRun(running) ? (this.host.isPaused() ? 'paused' : 'running') : queued.some(isRun) ? 'queued' : 'none',
      loading,
      busy: running !== null || queued.length > 0,
      data: this.host.hasData() && !loading,
      model: this.host.hasModel(),
    };
  }

  /** Takes one request from the page (already checked by the door). */
  submit(req: WorkerRequest): void {
    const row = COMMANDS[req.type];
    // Decided on the state it arrives in (Stop with only a queued run applies: it cancels that run).
    const decision = decide(req.type, this.state());
    if (decision.kind === 'refuse') {
      this.replyError(req.id, refusalError(decision.key));
    } else {
      for (const type of row.cancelsQueued ?? []) this.cancelQueued(type, req.type);
      const running = this.running?.req.type;
      if (running && row.cancelsRunning?.includes(running)) this.host.cancelRunning(running);
      if (row.mode === 'immediate') void this.execute({ req, done: Promise.resolve() });
      else {
        this.queue.push(req);
        this.pump();
      }
    }
    this.postPhase();
  }

  /** Resolves when the exclusive command running now (if any) has ended. */
  runningSettled(): Promise<void> {
    return this.running?.done ?? Promise.resolve();
  }

  /**
   * Answers the running exclusive command with `error` now and goes on to the next one; its
   * handler's late outcome, if it ever comes, is dropped. For a command stuck on a dead device.
   */
  abandonRunning(error: ReplyError): void {
    const job = this.running;
    if (!job) return;
    job.answered = true;
    this.running = null;
    this.replyError(job.req.id, error);
    this.postPhase();
    this.pump();
  }

  /** The phase: what runs, as the page's buttons need to know it. */
  phase(): WorkerPhase {
    const type = this.running?.req.type;
    if (!type) return 'idle';
    if (type === 'loadData') return 'loading-data';
    if (isRun(type)) return this.host.isPaused() ? 'paused' : 'training';
    return 'busy';
  }

  /** Posts the phase when it (or the queue length) changed. */
  postPhase(): void {
    const phase = this.phase();
    const activity = phase === 'busy' ? (this.running?.req.type ?? null) : null;
    const quiet = this.running ? quietOf(this.running.req) : { startMs: 0, stepMs: 0 };
    const key = `${phase}/${activity}/${this.queue.length}/${quiet.startMs}/${quiet.stepMs}`;
    if (key === this.lastPhase) return;
    this.lastPhase = key;
    this.postMessage({ type: 'phase', phase, activity, queued: this.queue.length, quietMs: quiet.startMs, stepQuietMs: quiet.stepMs });
  }

  private cancelQueued(type: RequestType, by: RequestType): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const req = this.queue[i]!;
      if (req.type !== type) continue;
      this.queue.splice(i, 1);
      this.replyError(req.id, { code: 'cancelled', message: `Cancelled by ${by} before it started.` });
    }
  }

  private pump(): void {
    while (!this.running) {
      const req = this.queue.shift();
      if (!req) return;
      // Its needs may have changed while it waited (a failed load, a Reset before it).
      const key = refusalAtStart(req.type, { data: this.host.hasData(), model: this.host.hasModel() });
      if (key) {
        this.replyError(req.id, refusalError(key));
        this.postPhase();
        continue;
      }
      const job: Job = { req, done: Promise.resolve() };
      this.running = job;
      this.postPhase();
      job.done = this.execute(job).finally(() => {
        if (this.running !== job) return; // abandoned: the queue went on without it
        this.running = null;
        this.postPhase();
        this.pump();
      });
    }
  }

  private async execute(job: Job): Promise<void> {
    const { req } = job;
    const handler = this.handlers[req.type] as (r: WorkerRequest) => Promise<unknown>;
    try {
      const value = await handler(req);
      if (!job.answered) this.postMessage({ type: 'reply', id: req.id, ok: true, value }, transferablesOf(value));
    } catch (e) {
      if (!job.answered) this.replyError(req.id, toReplyError(e));
    }
  }

  private replyError(id: number, error: ReplyError): void {
    this.postMessage({ type: 'reply', id, ok: false, error });
  }
}
