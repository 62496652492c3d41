/**
 * One training run: its loop over epochs and steps (through the step interface,
 * stepper.ts, whatever trains), its metrics (EMA curves, epoch sums, rate and
 * time left), the snapshots kept for NaN recovery, early stopping, and the
 * events it streams. The engine creates one per `train` and reads its result.
 */
import type { RunOutcome, WorkerEvent } from '../shared/protocol';
import type { TrainConfig } from '../shared/trainConfig';
import { EngineError } from './errors';
import type { Model } from './model';
import { RunMetrics } from './runMetrics';
import type { RunControl } from './runControl';
import { permutation, rngFor } from './split';
import type { Stepper, WeightSnapshot } from './stepper';
import { yieldNow } from './yieldNow';

export type Post = (event: WorkerEvent, transfer?: Transferable[]) => void;

/** Tuning of the loop's cadence; tests shorten them. */
export interface EngineTiming {
  /** Yield to the event loop after this much busy time, ms. */
  yieldMs: number;
  /** Minimum gap between `batch` events, ms (<= 20 a second). */
  batchEventMs: number;
  /** Minimum gap between `firstLayer` events, ms. */
  firstLayerMs: number;
  /** Steps between reads of the steps' loss (and NaN checks). */
  readEvery: number;
  /** When set (bench), each step's busy time is added here by phase. */
  phases?: PhaseTimes;
}

/**
 * Busy time of a run's steps by phase, ms. Exact on the CPU (work runs synchronously); on GPUs
 * it is the time to enqueue the work. The kernel's step is one call: `batch` (augmentation's
 * warps, in JS) and `kernel` (everything else).
 */
export interface PhaseTimes {
  steps: number;
  batch: number;
  forward: number;
  backward: number;
  optimizer: number;
  /** The kernel's fused step (forward, backward and update in one call). */
  kernel?: number;
  /** Reading the steps' stats back (every `readEvery` steps) and the NaN checks. */
  reads: number;
  /** Validation passes at the ends of epochs: their count and total time, ms. */
  validations?: number;
  validationMs?: number;
}

export const DEFAULT_TIMING: EngineTiming = { yieldMs: 8, batchEventMs: 50, firstLayerMs: 500, readEvery: 25 };

/** What the run needs from its owner besides the stepper. */
export interface RunHost {
  readonly post: Post;
  readonly timing: EngineTiming;
  /** Version of the model being trained (every event carries it). */
  readonly version: number;
  readonly control: RunControl;
  /** An error when the device became unusable (e.g. a lost WebGL context). */
  healthCheck(): EngineError | null;
  /** Posts the first layer's weights (the engine commits the stepper's weights first). */
  postFirstLayer(): Promise<void>;
}

/** How a run ended, before the test evaluation. */
export interface RunResult {
  outcome: RunOutcome;
  steps: number;
  stepsPerEpoch: number;
  elapsedMs: number;
}

export class TrainingRun {
  private readonly n: number;
  private readonly bs: number;
  readonly stepsPerEpoch: number;
  private readonly totalSteps: number;
  private readonly epochsBefore: number;
  private readonly shuffleRng;
  private metrics: RunMetrics;
  /** Batch sizes of the steps whose stats are not read yet. */
  private pendingSizes: number[] = [];
  /** Weights at the last two reads (the last good weights after a NaN). */
  private snapshot: WeightSnapshot | null = null;
  private prevSnapshot: WeightSnapshot | null = null;
  /** Early stopping: the best validation loss and its weights. */
  private best: { loss: number; weights: WeightSnapshot } | null = null;
  private sinceBest = 0;

  constructor(
    private readonly host: RunHost,
    private readonly model: Model,
    private readonly stepper: Stepper,
    private readonly config: TrainConfig,
  ) {
    this.n = stepper.trainCount;
    this.bs = Math.min(config.batchSize, this.n);
    this.stepsPerEpoch = Math.ceil(this.n / this.bs);
    this.totalSteps = this.stepsPerEpoch * config.epochs;
    this.epochsBefore = model.epochsTrained;
    this.shuffleRng = rngFor(config.seed, 'shuffle');
    this.metrics = new RunMetrics(this.totalSteps, this.bs);
  }

  /**
   * Runs the epochs (or until stopped), streaming batch/epoch/firstLayer events.
   * @throws EngineError ('nan', 'context-lost', ...) with the last good weights restored.
   */
  async execute(): Promise<RunResult> {
    this.metrics = new RunMetrics(this.totalSteps, this.bs);
    this.snapshot = this.stepper.snapshot();
    let outcome: RunOutcome = 'completed';
    try {
      for (let epoch = 0; epoch < this.config.epochs && outcome === 'completed'; epoch++) {
        const interrupted = await this.runEpoch(epoch);
        if (interrupted) {
          outcome = interrupted === 'cancel' ? 'cancelled' : 'stopped';
          break;
        }
        if (await this.endEpoch(epoch)) outcome = 'early-stopped';
      }
      await this.drain();
    } finally {
      this.snapshot?.dispose();
      this.prevSnapshot?.dispose();
      this.best?.weights.dispose();
    }
    return { outcome, steps: this.metrics.step, stepsPerEpoch: this.stepsPerEpoch, elapsedMs: this.metrics.activeMs() };
  }

  /** One pass over the shuffled training split; returns 'stop' or 'cancel' when interrupted. */
  private async runEpoch(epoch: number): Promise<'stop' | 'cancel' | null> {
    const { timing, control } = this.host;
    const { metrics } = this;
    metrics.startEpoch();
    this.stepper.startEpoch(permutation(this.n, this.shuffleRng), epoch);
    let lastBatchEvent = -Infinity;
    let lastFirstLayer = -Infinity;
    let lastYield = performance.now();
    for (let s = 0; s < this.stepsPerEpoch; s++) {
      const why = control.interruption();
      if (why instanceof EngineError) throw why;
      if (why) return why;
      const start = s * this.bs;
      const size = Math.min(this.bs, this.n - start);
      this.stepper.step(start, size);
      this.pendingSizes.push(size);
      metrics.stepped(size);
      if (this.pendingSizes.length >= timing.readEvery || s === this.stepsPerEpoch - 1) {
        const r0 = timing.phases ? performance.now() : 0;
        await this.drain();
        if (timing.phases) timing.phases.reads += performance.now() - r0;
      }
      const now = performance.now();
      if (now - lastBatchEvent >= timing.batchEventMs && metrics.hasNews) {
        lastBatchEvent = now;
        this.postBatch(epoch + (s + 1) / this.stepsPerEpoch);
      }
      if (now - lastFirstLayer >= timing.firstLayerMs) {
        lastFirstLayer = now;
        void this.host.postFirstLayer();
      }
      if (now - lastYield >= timing.yieldMs) {
        await yieldNow();
        metrics.addPaused(await control.waitWhilePaused());
        lastYield = performance.now();
      }
    }
    return null;
  }

  /** Reads the stats of the steps since the last read; NaN → restore the last good weights and throw. */
  private async drain(): Promise<void> {
    if (!this.pendingSizes.length) return;
    const sizes = this.pendingSizes;
    this.pendingSizes = [];
    const health = this.host.healthCheck();
    if (health) {
      await this.stepper.readStats().catch(() => null);
      throw health;
    }
    const values = await Promise.race([this.stepper.readStats(), this.host.control.aborted]);
    for (let i = 0; i < sizes.length; i++) {
      const lossSum = values[2 * i]!;
      const correct = values[2 * i + 1]!;
      const b = sizes[i]!;
      if (!Number.isFinite(lossSum)) {
        const k = this.metrics.step - sizes.length + i; // 0-based step of this run
        const what = Number.isNaN(lossSum) ? 'NaN' : 'infinite';
        await this.diverged(
          `stopped at epoch ${this.epochsBefore + Math.floor(k / this.stepsPerEpoch) + 1} step ${(k % this.stepsPerEpoch) + 1} (loss became ${what})`,
          `The loss became ${what} at step ${k + 1}: the learning rate (${this.config.learningRate}) is probably too high. Try a lower one (e.g. ${this.config.learningRate / 10}). The last good weights were kept.`,
        );
      }
      this.metrics.record(lossSum, correct, b);
    }
    this.prevSnapshot?.dispose();
    this.prevSnapshot = this.snapshot;
    this.snapshot = this.stepper.snapshot();
  }

  /** Restores the last finite weights, forgets the optimizer state (its moments are not finite either) and throws 'nan'. */
  private async diverged(stoppedAt: string, message: string): Promise<never> {
    this.model.stoppedAt = stoppedAt;
    for (const s of [this.snapshot, this.prevSnapshot]) {
      if (s && (await s.finite())) {
        this.stepper.restore(s);
        break;
      }
    }
    throw new EngineError('nan', message);
  }

  private postBatch(epochFloat: number): void {
    if (!this.metrics.hasNews) return;
    const { version } = this.host;
    this.host.post({
      type: 'batch',
      version,
      step: this.metrics.step,
      stepsPerEpoch: this.stepsPerEpoch,
      epoch: epochFloat,
      ...this.metrics.batchFields(),
    });
  }

  /** Validation, the epoch event and early stopping; true when early stopping ends the run. */
  private async endEpoch(epoch: number): Promise<boolean> {
    const { config, stepper } = this;
    await this.drain();
    this.postBatch(epoch + 1);
    const v0 = performance.now();
    const val = await Promise.race([stepper.validate(), this.host.control.aborted]);
    const phases = this.host.timing.phases;
    if (phases) {
      phases.validations = (phases.validations ?? 0) + 1;
      phases.validationMs = (phases.validationMs ?? 0) + performance.now() - v0;
    }
    this.model.epochsTrained++;
    const { version } = this.host;
    const train = this.metrics.epochFields(epoch + 1 === config.epochs);
    this.host.post({
      type: 'epoch',
      version,
      epoch: epoch + 1,
      epochs: config.epochs,
      ...train,
      valLoss: val.loss,
      valAccuracy: val.accuracy,
    });
    if (!Number.isFinite(val.loss)) {
      await this.diverged(
        `stopped after epoch ${this.epochsBefore + epoch + 1} (validation loss became ${val.loss})`,
        `The validation loss became ${val.loss}: the learning rate (${config.learningRate}) is probably too high. Try a lower one.`,
      );
    }
    if (config.patience <= 0) return false;
    if (!this.best || val.loss < this.best.loss) {
      this.best?.weights.dispose();
      this.best = { loss: val.loss, weights: stepper.snapshot() };
      this.sinceBest = 0;
      return false;
    }
    if (++this.sinceBest < config.patience) return false;
    // Keras' EarlyStopping(restore_best_weights=True).
    stepper.restore(this.best.weights);
    return true;
  }
}
