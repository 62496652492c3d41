/**
 * The one owner of order in the worker: every request gets exactly one reply;
 * the policy (commandPolicy.ts) says whether it runs now, waits its turn, or
 * is refused; exclusive commands run one at a time, so no two commands touch
 * the model's tensors at once. The scheduler posts the worker's phase.
 */
import type { ReplyError, RequestOf, RequestType, ReplyValue, WorkerMessage, WorkerPhase, WorkerRequest } from '../shared/protocol';
import { decide, IMMEDIATE, RUNS, supersededBy } from './commandPolicy';
import { toReplyError } from './errors';

/** One handler per request type: resolves with the reply's value, or throws (→ an error reply). */
export type Handlers = { [K in RequestType]: (req: RequestOf<K>) => Promise<ReplyValue<K>> };

export type PostMessage = (msg: WorkerMessage, transfer?: Transferable[]) => void;

interface Job {
  req: WorkerRequest;
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

export class Scheduler {
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private lastPhase = '';

  constructor(
    private readonly handlers: Handlers,
    private readonly postMessage: PostMessage,
    /** Whether a run is paused (the phase while `train` runs). */
    private readonly isPaused: () => boolean,
    /** Called as a command arrives, before it is scheduled (e.g. Reset cancels the running run). */
    private readonly onArrival: (req: WorkerRequest) => void = () => {},
  ) {}

  /** Takes one request from the page. */
  submit(req: WorkerRequest): void {
    this.onArrival(req);
    const superseded = supersededBy(req.type);
    if (superseded.size) {
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const job = this.queue[i]!;
        if (!superseded.has(job.req.type)) continue;
        this.queue.splice(i, 1);
        this.replyError(job.req.id, { code: 'cancelled', message: `Cancelled by ${req.type} before it started.` });
      }
    }
    const decision = decide(req.type, { running: this.running?.req.type ?? null, queued: this.queue.map((j) => j.req.type) });
    if (decision.kind === 'refuse') {
      this.replyError(req.id, { code: 'refused', message: decision.message });
    } else if (IMMEDIATE.has(req.type)) {
      void this.execute(req);
    } else {
      this.queue.push({ req });
      this.pump();
    }
    this.postPhase();
  }

  /** The phase: what runs, as the page's buttons need to know it. */
  phase(): WorkerPhase {
    const type = this.running?.req.type;
    if (!type) return 'idle';
    if (type === 'loadData') return 'loading-data';
    if (RUNS.has(type)) return this.isPaused() ? 'paused' : 'training';
    return 'busy';
  }

  /** Posts the phase when it (or the queue length) changed. */
  postPhase(): void {
    const phase = this.phase();
    const activity = phase === 'busy' ? (this.running?.req.type ?? null) : null;
    const key = `${phase}/${activity}/${this.queue.length}`;
    if (key === this.lastPhase) return;
    this.lastPhase = key;
    this.postMessage({ type: 'phase', phase, activity, queued: this.queue.length });
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    this.postPhase();
    void this.execute(job.req).finally(() => {
      this.running = null;
      this.postPhase();
      this.pump();
    });
  }

  private async execute(req: WorkerRequest): Promise<void> {
    const handler = this.handlers[req.type] as (r: WorkerRequest) => Promise<unknown>;
    try {
      const value = await handler(req);
      this.postMessage({ type: 'reply', id: req.id, ok: true, value }, transferablesOf(value));
    } catch (e) {
      this.replyError(req.id, toReplyError(e));
    }
  }

  private replyError(id: number, error: ReplyError): void {
    this.postMessage({ type: 'reply', id, ok: false, error });
  }
}
