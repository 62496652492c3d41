/**
 * Whether a worker is alive, as a pure state machine the client feeds with what
 * it hears and with its clock's ticks: a worker quiet for `pingAfterMs` is
 * pinged; one that then says nothing for `deadAfterMs` (or the longer silence
 * its phase announced: shared/quiet.ts) is dead. A worker that has not spoken
 * yet is never judged (its script may still be downloading), nor is anything
 * judged on a tick that comes late (the page itself slept: a laptop lid, a
 * throttled background tab).
 */
import type { WorkerMessage } from '../shared/protocol';

/** How the client watches a worker's life. */
export interface Liveness {
  /** A worker quiet for this long is pinged, ms. */
  pingAfterMs: number;
  /** A ping unanswered for this long (and nothing else heard) means the worker is dead, ms. */
  deadAfterMs: number;
}

/**
 * A ping is answered at once by an idle worker, and between two steps of a run (a few ms); 6 s
 * is more than the longest pause measured between two messages of a streaming run (2.4 s).
 * Heavy commands announce longer allowances with their phase (shared/quiet.ts).
 */
export const DEFAULT_LIVENESS: Liveness = { pingAfterMs: 1000, deadAfterMs: 6000 };

export type Verdict = { kind: 'ping' } | { kind: 'dead'; silentMs: number } | null;

export class LivenessCheck {
  private spoke = false;
  private lastHeardAt: number;
  private lastTickAt: number;
  /** When the unanswered ping was sent (null: none outstanding). */
  private pingSentAt: number | null = null;
  /** How long the worker said it may be silent in its current phase, ms; and once the phase's run streams batches. */
  private quietMs = 0;
  private stepQuietMs = 0;
  private streaming = false;
  /** The longest silence heard from this worker before it spoke again, ms (diagnostics: the margin). */
  longestSilenceMs = 0;

  constructor(
    private readonly timing: Liveness,
    now: number,
  ) {
    this.lastHeardAt = this.lastTickAt = now;
  }

  /** Whether the worker has said anything yet. */
  get hasSpoken(): boolean {
    return this.spoke;
  }

  /** Takes in one message from the worker. */
  heard(msg: WorkerMessage, now: number): void {
    if (this.spoke) this.longestSilenceMs = Math.max(this.longestSilenceMs, now - this.lastHeardAt);
    this.spoke = true;
    this.lastHeardAt = now;
    this.pingSentAt = null;
    if (msg.type === 'phase') {
      this.quietMs = msg.quietMs;
      this.stepQuietMs = msg.stepQuietMs;
      this.streaming = false;
    } else if (msg.type === 'batch') this.streaming = true;
  }

  /** One tick of the page's clock: whether to ping, or the worker is dead. */
  tick(now: number): Verdict {
    const sinceTick = now - this.lastTickAt;
    this.lastTickAt = now;
    if (!this.spoke) return null;
    if (sinceTick > this.timing.deadAfterMs / 2) {
      // The page itself was asleep: judge nothing on this tick.
      this.pingSentAt = null;
      return null;
    }
    if (this.pingSentAt !== null) {
      const allowed = Math.max(this.timing.deadAfterMs, this.streaming ? this.stepQuietMs : this.quietMs);
      return now - this.pingSentAt >= allowed ? { kind: 'dead', silentMs: now - this.lastHeardAt } : null;
    }
    if (now - this.lastHeardAt < this.timing.pingAfterMs) return null;
    this.pingSentAt = now;
    return { kind: 'ping' };
  }
}
