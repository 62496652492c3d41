/**
 * A run's control, as one object the engine hands the run: pause and resume,
 * stop (then evaluate), cancel (Reset: no evaluation) and abort with an error
 * (e.g. a lost WebGL context). The run polls `interruption()` between steps and
 * races its device reads against `aborted`, so a dead device cannot hang it.
 */
import { EngineError } from './errors';

export type Interruption = 'stop' | 'cancel' | EngineError;

export class RunControl {
  private paused = false;
  private why: Interruption | null = null;
  private waiters: (() => void)[] = [];
  private rejectAborted: (e: EngineError) => void = () => {};
  /** Rejects when the run is aborted. */
  readonly aborted: Promise<never>;

  /** @param onPauseChange called when the run pauses or resumes (the scheduler re-posts its phase). */
  constructor(private readonly onPauseChange: () => void = () => {}) {
    this.aborted = new Promise<never>((_, reject) => (this.rejectAborted = reject));
    this.aborted.catch(() => {});
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** 'stop' ends with evaluation, 'cancel' without, an EngineError aborts; null goes on. */
  interruption(): Interruption | null {
    return this.why;
  }

  pause(): void {
    if (this.paused || this.why) return;
    this.paused = true;
    this.onPauseChange();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.onPauseChange();
    for (const w of this.waiters.splice(0)) w();
  }

  /** Stops after the current step; the run then evaluates the test set. */
  stop(): void {
    this.interrupt('stop');
  }

  /** Ends the run without evaluating (Reset). */
  cancel(): void {
    this.interrupt('cancel');
  }

  /** Ends the run with an error; reads waiting on the device reject with it at once. */
  abort(error: EngineError): void {
    if (!(this.why instanceof EngineError)) this.rejectAborted(error);
    this.interrupt(error);
  }

  /** Resolves at once, or when a pause ends; returns the ms spent paused. */
  async waitWhilePaused(): Promise<number> {
    if (!this.paused) return 0;
    const t0 = performance.now();
    await new Promise<void>((r) => this.waiters.push(r));
    return performance.now() - t0;
  }

  private interrupt(why: Interruption): void {
    // An error wins over a cancel, a cancel over a stop.
    const rank = (w: Interruption | null) => (w instanceof EngineError ? 3 : w === 'cancel' ? 2 : w === 'stop' ? 1 : 0);
    if (rank(why) > rank(this.why)) this.why = why;
    this.resume();
  }
}
