/**
 * A run's numbers: active time (pauses excluded), samples per second, the
 * smoothed training curve (EMA with bias correction), this epoch's sums, and
 * the time left, from the rate measured after the warm-up.
 */

/** EMA factor of the smoothed training curve, per step. */
const EMA = 0.98;
/** Steps before the time left is estimated (the first steps warm up: shader compilation, caches, the JIT). */
const ETA_WARMUP_STEPS = 200;

export class RunMetrics {
  step = 0;
  private samplesDone = 0;
  private t0 = performance.now();
  private pausedMs = 0;
  private readonly etaWarmup: number;
  /** Active time and samples when the warm-up ended. */
  private warm: { ms: number; samples: number } | null = null;
  private emaLoss = 0;
  private emaAcc = 0;
  private emaWeight = 0;
  private rawLossSum = 0;
  private rawLossCount = 0;
  private epochLoss = 0;
  private epochCorrect = 0;
  private epochSeen = 0;

  /** @param totalSteps the run's steps; @param batchSize samples per step. */
  constructor(
    private readonly totalSteps: number,
    private readonly batchSize: number,
  ) {
    // A short run estimates after a tenth of its steps.
    this.etaWarmup = Math.max(1, Math.min(ETA_WARMUP_STEPS, Math.ceil(totalSteps / 10)));
  }

  /** Time spent training, ms (pauses excluded). */
  activeMs(): number {
    return performance.now() - this.t0 - this.pausedMs;
  }

  addPaused(ms: number): void {
    this.pausedMs += ms;
  }

  /** Samples per second since the start. */
  rate(): number {
    return (this.samplesDone / Math.max(1, this.activeMs())) * 1000;
  }

  /** Time left at the rate measured since the warm-up, ms; NaN until the warm-up is over (never a 0/0). */
  etaMs(): number {
    const w = this.warm;
    if (!w) return NaN;
    const ms = this.activeMs() - w.ms;
    const samples = this.samplesDone - w.samples;
    if (!(ms > 0) || !(samples > 0)) return NaN;
    return ((this.totalSteps - this.step) * this.batchSize * ms) / samples;
  }

  /** A step of `size` samples was taken (its stats come later). */
  stepped(size: number): void {
    this.step++;
    this.samplesDone += size;
    if (this.step === this.etaWarmup) this.warm = { ms: this.activeMs(), samples: this.samplesDone };
  }

  startEpoch(): void {
    this.epochLoss = this.epochCorrect = this.epochSeen = 0;
  }

  /** One step's stats: its batch's loss sum and correct count out of `size`. */
  record(lossSum: number, correct: number, size: number): void {
    const loss = lossSum / size;
    this.emaLoss = EMA * this.emaLoss + (1 - EMA) * loss;
    this.emaAcc = EMA * this.emaAcc + (1 - EMA) * (correct / size);
    this.emaWeight = EMA * this.emaWeight + (1 - EMA);
    this.rawLossSum += loss;
    this.rawLossCount++;
    this.epochLoss += lossSum;
    this.epochCorrect += correct;
    this.epochSeen += size;
  }

  /** True when steps were recorded since the last `batchFields`. */
  get hasNews(): boolean {
    return this.rawLossCount > 0;
  }

  /** The `batch` event's numbers (smoothed curve, the raw losses since the last call). */
  batchFields(): { loss: number; accuracy: number; rawLoss: number; samplesPerSec: number; etaMs: number } {
    const out = {
      loss: this.emaLoss / this.emaWeight,
      accuracy: this.emaAcc / this.emaWeight,
      rawLoss: this.rawLossSum / this.rawLossCount,
      samplesPerSec: this.rate(),
      etaMs: this.etaMs(),
    };
    this.rawLossSum = 0;
    this.rawLossCount = 0;
    return out;
  }

  /** The `epoch` event's training numbers. */
  epochFields(last: boolean): { trainLoss: number; trainAccuracy: number; elapsedMs: number; samplesPerSec: number; etaMs: number } {
    return {
      trainLoss: this.epochSeen ? this.epochLoss / this.epochSeen : NaN,
      trainAccuracy: this.epochSeen ? this.epochCorrect / this.epochSeen : NaN,
      elapsedMs: this.activeMs(),
      samplesPerSec: this.rate(),
      etaMs: last ? 0 : this.etaMs(),
    };
  }
}
