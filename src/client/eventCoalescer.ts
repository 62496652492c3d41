/**
 * Coalesces the worker's event stream to what the page draws: the stream events
 * (batches ~20/s, first-layer weights ~2/s, data progress) are held and handed on
 * together at most once per `intervalMs`, so React renders a few times a second
 * however fast they come (STYLE item 12). Every other event (phase, model, run
 * start, epoch, faults, ...) is handed on at once, after whatever was held, so the
 * order of events is never changed. Pure of React and the DOM: timers are injected.
 */
import type { ClientEvent } from './trainerClient';

/** Longest a held stream event waits, ms (~4 updates a second). */
export const COALESCE_INTERVAL_MS = 250;

/** Events that only feed a live view and may wait for the next flush. */
const STREAM_TYPES = new Set<ClientEvent['type']>(['batch', 'firstLayer', 'dataProgress']);
/** Stream events of which only the latest matters (the state keeps just the last one). */
const LATEST_ONLY = new Set<ClientEvent['type']>(['firstLayer', 'dataProgress']);

export interface CoalescerTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

const DEFAULT_TIMERS: CoalescerTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

export class EventCoalescer {
  private held: ClientEvent[] = [];
  private timer: unknown = null;
  /** When the last batch of events was handed on (-Infinity: never, so the first goes at once). */
  private lastFlush = -Infinity;

  /**
   * @param deliver receives events in arrival order, several per call (dispatch them in one go:
   *   React batches the updates into one render).
   */
  constructor(
    private readonly deliver: (events: ClientEvent[]) => void,
    private readonly intervalMs = COALESCE_INTERVAL_MS,
    private readonly timers: CoalescerTimers = DEFAULT_TIMERS,
  ) {}

  /** Give to TrainerClient.subscribe. */
  readonly push = (event: ClientEvent): void => {
    if (!STREAM_TYPES.has(event.type)) {
      this.held.push(event);
      this.flush();
      return;
    }
    if (LATEST_ONLY.has(event.type)) {
      const i = this.held.findIndex((e) => e.type === event.type);
      // Superseded: only the newest first-layer picture or byte count is ever shown.
      if (i >= 0) this.held.splice(i, 1);
    }
    this.held.push(event);
    if (this.timer !== null) return;
    const wait = this.lastFlush + this.intervalMs - this.timers.now();
    if (wait <= 0) this.flush();
    else this.timer = this.timers.setTimeout(() => this.flush(), wait);
  };

  /** Hands on everything held now. */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.held.length === 0) return;
    const events = this.held;
    this.held = [];
    this.lastFlush = this.timers.now();
    this.deliver(events);
  }

  /** Drops what is held and stops the timer (on unmount). */
  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.held = [];
  }
}
