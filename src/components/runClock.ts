/**
 * Time left in a run, measured on the page: the step rate over the last seconds, once the first
 * few hundred steps (warm-up: compiling, caches, the first validation) are behind, times the
 * steps left, plus the validation and test passes still to come. Before there is such a rate,
 * the estimate made before the start, counted down. Pure.
 */
import { EVAL_COST, RUN_OVERHEAD_SAMPLES } from '../shared/runEstimate';

/** When the page saw a step count (page clock, ms). */
export interface ClockSample {
  atMs: number;
  step: number;
}

/** Steps before the rate is trusted. */
export const WARMUP_STEPS = 200;
/** The rate needs at least this much time after the warm-up, ms. */
export const MIN_WINDOW_MS = 1500;
/** The rate is over at most the last this many ms (a machine's load changes). */
export const WINDOW_MS = 15_000;
/** Samples kept (older ones are dropped; the window needs only the newest). */
export const MAX_SAMPLES = 120;

/** Steps per ms over the recent window after the warm-up, or null until that window is long enough. */
export function measuredRate(samples: readonly ClockSample[]): number | null {
  const last = samples.at(-1);
  if (!last) return null;
  const first = samples.find((s) => s.step >= WARMUP_STEPS && last.atMs - s.atMs <= WINDOW_MS);
  if (!first || last.atMs - first.atMs < MIN_WINDOW_MS || last.step <= first.step) return null;
  return (last.step - first.step) / (last.atMs - first.atMs);
}

/** Adds a sample (a new step count), keeping at most MAX_SAMPLES. Returns a new array. */
export function addSample(samples: readonly ClockSample[], sample: ClockSample): ClockSample[] {
  const last = samples.at(-1);
  if (last && sample.step <= last.step) return samples.slice();
  const next = [...samples, sample];
  return next.length > MAX_SAMPLES ? next.slice(next.length - MAX_SAMPLES) : next;
}

export interface EtaInput {
  samples: readonly ClockSample[];
  /** Steps of the whole run. */
  totalSteps: number;
  batchSize: number;
  /** Validation and test images still to evaluate (each ~EVAL_COST of a training sample). */
  evalImagesLeft: number;
  /** The estimate made before the start minus the time since, ms; null without one. */
  estimateLeftMs: number | null;
}

export interface Eta {
  ms: number;
  /** `measured`: from this run's own rate; `estimate`: the estimate before the start, counted down. */
  basis: 'measured' | 'estimate';
}

/** Time left, or null when there is neither a measured rate nor an estimate. */
export function runEta(input: EtaInput): Eta | null {
  const rate = measuredRate(input.samples);
  if (rate !== null) {
    const step = input.samples.at(-1)!.step;
    const stepsLeft = Math.max(0, input.totalSteps - step);
    const msPerSample = 1 / (rate * input.batchSize);
    const evalMs = input.evalImagesLeft * EVAL_COST * msPerSample;
    // Half the run's fixed cost (the test report) is still to come.
    return { ms: stepsLeft / rate + evalMs + (RUN_OVERHEAD_SAMPLES / 2) * msPerSample, basis: 'measured' };
  }
  if (input.estimateLeftMs === null) return null;
  return { ms: Math.max(0, input.estimateLeftMs), basis: 'estimate' };
}

/** What the page knows of the run under way, given to RunClockStore.update after each state change. */
export interface RunClockInput {
  /** Identifies the run (its model version); null when nothing trains. */
  run: number | null;
  paused: boolean;
  /** Latest step count seen, or null before the first. */
  step: number | null;
  totalSteps: number;
  batchSize: number;
  evalImagesLeft: number;
  /** The estimate before the start, ms, or null. */
  estimateMs: number | null;
}

/**
 * The page's clock of the run under way, as an external store (useSyncExternalStore): it stamps
 * each new step count with the page clock, leaves paused time out, and publishes the time left.
 */
export class RunClockStore {
  private run: number | null = null;
  private samples: ClockSample[] = [];
  private startedAt = 0;
  private pausedMs = 0;
  private pausedAt: number | null = null;
  private eta: Eta | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): Eta | null => this.eta;

  update(input: RunClockInput): void {
    const t = this.now();
    if (input.run !== this.run) {
      this.run = input.run;
      this.samples = [];
      this.startedAt = t;
      this.pausedMs = 0;
      this.pausedAt = null;
    }
    if (input.run === null) return this.publish(null);
    if (input.paused) {
      this.pausedAt ??= t;
    } else if (this.pausedAt !== null) {
      this.pausedMs += t - this.pausedAt;
      this.pausedAt = null;
    }
    // Samples are stamped on a clock that stops while paused, so a pause does not slow the rate.
    if (!input.paused && input.step !== null) this.samples = addSample(this.samples, { atMs: t - this.pausedMs, step: input.step });
    const elapsed = (this.pausedAt ?? t) - this.startedAt - this.pausedMs;
    const eta = runEta({
      samples: this.samples,
      totalSteps: input.totalSteps,
      batchSize: input.batchSize,
      evalImagesLeft: input.evalImagesLeft,
      estimateLeftMs: input.estimateMs === null ? null : input.estimateMs - elapsed,
    });
    this.publish(eta);
  }

  private publish(eta: Eta | null): void {
    // Shown in whole seconds: a change below that is not news (and would cost a render).
    const same =
      eta === this.eta || (eta && this.eta && Math.round(eta.ms / 1000) === Math.round(this.eta.ms / 1000) && eta.basis === this.eta.basis);
    if (same) return;
    this.eta = eta;
    for (const l of this.listeners) l();
  }
}
