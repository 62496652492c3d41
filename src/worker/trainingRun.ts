/**
 * One training run: its loop, its metrics (EMA curves, epoch sums), the
 * snapshots kept for NaN recovery, early stopping, and the events it streams.
 * The engine creates one per `train` and reads its summary when it ends.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../shared/constants';
import type { RunOutcome, WorkerEvent } from '../shared/protocol';
import type { TrainConfig } from '../shared/trainConfig';
import type { BatchAugmenter } from './augment';
import type { DeviceSplit } from './deviceData';
import { EngineError } from './errors';
import { backwardPass, forward, type Optimizer } from './mlp';
import type { Model } from './model';
import { permutation, rngFor } from './split';
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
  /** Steps between asynchronous reads of the loss (and NaN checks). */
  readEvery: number;
  /** When set (bench), each step's busy time is added here by phase. */
  phases?: PhaseTimes;
}

/**
 * Busy time of a run's steps by phase, ms. Exact on the CPU backends (kernels
 * run synchronously); on GPUs it is the time to enqueue the work.
 */
export interface PhaseTimes {
  steps: number;
  batch: number;
  forward: number;
  backward: number;
  optimizer: number;
  /** Reading the losses back (every `readEvery` steps) and the NaN checks. */
  reads: number;
  /** Validation passes at the ends of epochs: their count and total time, ms. */
  validations?: number;
  validationMs?: number;
}

export const DEFAULT_TIMING: EngineTiming = { yieldMs: 8, batchEventMs: 50, firstLayerMs: 500, readEvery: 25 };

/** EMA factor of the smoothed training curve, per step. */
const EMA = 0.98;

/** What the run may ask of its owner: control flags, validation, weight pictures. */
export interface RunHost {
  readonly post: Post;
  readonly timing: EngineTiming;
  /** Version of the model being trained (every event carries it). */
  readonly version: number;
  /** 'stop' ends with evaluation, 'cancel' without, an EngineError aborts; null goes on. */
  interruption(): 'stop' | 'cancel' | EngineError | null;
  /** Rejects when the run is aborted, so an await on a dead device cannot hang the loop. */
  readonly aborted: Promise<never>;
  /** Resolves at once, or when a pause ends; returns the ms spent paused. */
  waitWhilePaused(): Promise<number>;
  /** An error when the device became unusable (e.g. a lost WebGL context). */
  healthCheck(): EngineError | null;
  /** Mean loss and accuracy of the current weights on a split. */
  lossAndAccuracy(split: DeviceSplit): Promise<{ loss: number; accuracy: number }>;
  postFirstLayer(): Promise<void>;
}

/** How a run ended, before the test evaluation. */
export interface RunResult {
  outcome: Exclude<RunOutcome, 'cancelled'> | 'cancelled';
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
  private readonly dropoutRng;
  private readonly hostBatch: { x: Float32Array; y: Int32Array } | null;

  private t0 = 0;
  private pausedMs = 0;
  private step = 0;
  private samplesDone = 0;
  // Smoothed curve (EMA with bias correction through emaWeight) and raw losses since the last event.
  private emaLoss = 0;
  private emaAcc = 0;
  private emaWeight = 0;
  private rawLossSum = 0;
  private rawLossCount = 0;
  // This epoch's sums.
  private epochLoss = 0;
  private epochCorrect = 0;
  private epochSeen = 0;
  /** Per-step [lossSum, correct] not read yet (numbers on the CPU backends), and their batch sizes. */
  private pending: (tf.Tensor1D | readonly [number, number])[] = [];
  private pendingSizes: number[] = [];
  /** Weights at the last two reads (the last good weights after a NaN). */
  private snapshot: tf.Tensor[] = [];
  private prevSnapshot: tf.Tensor[] | null = null;
  /** Early stopping: the best validation loss and its weights. */
  private best: { loss: number; params: tf.Tensor[] } | null = null;
  private sinceBest = 0;

  constructor(
    private readonly host: RunHost,
    private readonly model: Model,
    private readonly params: tf.Variable[],
    private readonly optimizer: Optimizer,
    private readonly config: TrainConfig,
    private readonly trainData: DeviceSplit,
    private readonly valData: DeviceSplit,
    /** With `augment` > 0: makes each batch from warped copies (augment.ts), on the host for every backend. */
    private readonly augmenter: BatchAugmenter | null = null,
  ) {
    this.n = trainData.count;
    this.bs = Math.min(config.batchSize, this.n);
    this.stepsPerEpoch = Math.ceil(this.n / this.bs);
    this.totalSteps = this.stepsPerEpoch * config.epochs;
    this.epochsBefore = model.epochsTrained;
    this.shuffleRng = rngFor(config.seed, 'shuffle');
    this.dropoutRng = rngFor(config.seed, 'dropout');
    this.hostBatch = trainData.hostX || augmenter ? { x: new Float32Array(this.bs * IMAGE_PIXELS), y: new Int32Array(this.bs) } : null;
  }

  /**
   * Runs the epochs (or until stopped), streaming batch/epoch/firstLayer events.
   * @throws EngineError ('nan', 'context-lost', ...) with the last good weights restored.
   */
  async execute(): Promise<RunResult> {
    this.t0 = performance.now();
    this.snapshot = this.clone();
    let outcome: RunResult['outcome'] = 'completed';
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
      this.pending.forEach((p) => p instanceof tf.Tensor && p.dispose());
      tf.dispose(this.snapshot);
      tf.dispose(this.prevSnapshot ?? []);
      tf.dispose(this.best?.params ?? []);
    }
    return { outcome, steps: this.step, stepsPerEpoch: this.stepsPerEpoch, elapsedMs: this.activeMs() };
  }

  private activeMs(): number {
    return performance.now() - this.t0 - this.pausedMs;
  }

  private rate(): number {
    return (this.samplesDone / Math.max(1, this.activeMs())) * 1000;
  }

  private clone(): tf.Tensor[] {
    return this.params.map((p) => p.clone());
  }

  /** One pass over the shuffled training split; returns 'stop' or 'cancel' when interrupted. */
  private async runEpoch(epoch: number): Promise<'stop' | 'cancel' | null> {
    const { timing } = this.host;
    this.epochLoss = this.epochCorrect = this.epochSeen = 0;
    const order = permutation(this.n, this.shuffleRng);
    if (epoch > 0) this.augmenter?.newEpoch();
    let lastBatchEvent = -Infinity;
    let lastFirstLayer = -Infinity;
    let lastYield = performance.now();
    for (let s = 0; s < this.stepsPerEpoch; s++) {
      const why = this.host.interruption();
      if (why instanceof EngineError) throw why;
      if (why) return why;
      this.trainStep(order, s * this.bs);
      if (this.pending.length >= timing.readEvery || s === this.stepsPerEpoch - 1) {
        const r0 = timing.phases ? performance.now() : 0;
        await this.drain();
        if (timing.phases) timing.phases.reads += performance.now() - r0;
      }
      const now = performance.now();
      if (now - lastBatchEvent >= timing.batchEventMs && this.rawLossCount) {
        lastBatchEvent = now;
        this.postBatch(epoch + (s + 1) / this.stepsPerEpoch);
      }
      if (now - lastFirstLayer >= timing.firstLayerMs) {
        lastFirstLayer = now;
        void this.host.postFirstLayer();
      }
      if (now - lastYield >= timing.yieldMs) {
        await yieldNow();
        this.pausedMs += await this.host.waitWhilePaused();
        lastYield = performance.now();
      }
    }
    return null;
  }

  /** One gradient step on the batch starting at `start` of `order`; its stats are read later. */
  private trainStep(order: Int32Array, start: number): void {
    const { config, trainData, hostBatch } = this;
    const size = Math.min(this.bs, this.n - start);
    const masks = config.dropout > 0 ? config.hiddenUnits.map(() => this.dropoutRng()) : null;
    const phases = this.host.timing.phases;
    let t = phases ? performance.now() : 0;
    const lap = (key: 'batch' | 'forward' | 'backward' | 'optimizer') => {
      if (!phases) return;
      const now = performance.now();
      phases[key] += now - t;
      t = now;
    };
    let hostStats: readonly [number, number] = [NaN, NaN];
    const deviceStats = tf.tidy(() => {
      let xb: tf.Tensor2D;
      let yb: tf.Tensor1D | null;
      if (hostBatch && this.augmenter) {
        this.augmenter.fill(order, start, size, hostBatch.x, hostBatch.y);
        xb = tf.tensor2d(hostBatch.x.subarray(0, size * IMAGE_PIXELS), [size, IMAGE_PIXELS]);
        yb = null;
      } else if (hostBatch) {
        for (let r = 0; r < size; r++) {
          const i = order[start + r]!;
          hostBatch.x.set(trainData.hostX!.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), r * IMAGE_PIXELS);
          hostBatch.y[r] = trainData.hostY![i]!;
        }
        xb = tf.tensor2d(hostBatch.x.subarray(0, size * IMAGE_PIXELS), [size, IMAGE_PIXELS]);
        // The labels stay on the host: the CPU backends' loss head reads them there.
        yb = null;
      } else {
        // One small upload of this step's shuffled indices; the rows are gathered on the device.
        const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
        xb = tf.gather(trainData.x!, idx) as tf.Tensor2D;
        yb = tf.gather(trainData.y!, idx) as tf.Tensor1D;
      }
      const dropMasks = masks?.map((seed, l) => {
        const keepP = 1 - config.dropout;
        const u = tf.randomUniform([size, config.hiddenUnits[l]!], 0, 1, 'float32', Math.floor(seed * 2 ** 31));
        return tf.div(tf.cast(tf.less(u, keepP), 'float32'), keepP) as tf.Tensor2D;
      });
      lap('batch');
      const fwd = forward(this.params, this.model.activation, xb, dropMasks);
      lap('forward');
      const { grads, stats } = backwardPass(
        this.params,
        this.model.activation,
        xb,
        fwd,
        yb,
        hostBatch && hostBatch.y.subarray(0, size),
        dropMasks,
      );
      lap('backward');
      this.optimizer.apply(this.params, grads);
      if (stats instanceof tf.Tensor) return stats;
      hostStats = stats;
      return undefined;
    });
    lap('optimizer');
    if (phases) phases.steps++;
    this.pending.push(deviceStats ?? hostStats);
    this.pendingSizes.push(size);
    this.step++;
    this.samplesDone += size;
  }

  /** Reads the per-step stats gathered since the last read; NaN → restore the last good weights and throw. */
  private async drain(): Promise<void> {
    if (!this.pending.length) return;
    const pending = this.pending;
    const onDevice = pending.filter((p): p is tf.Tensor1D => p instanceof tf.Tensor);
    const packed = onDevice.length ? tf.concat(onDevice) : null;
    onDevice.forEach((p) => p.dispose());
    const sizes = this.pendingSizes;
    this.pending = [];
    this.pendingSizes = [];
    const health = this.host.healthCheck();
    if (health) {
      packed?.dispose();
      throw health;
    }
    const values = packed ? await Promise.race([packed.data(), this.host.aborted]).finally(() => packed.dispose()) : null;
    let read = 0;
    for (let i = 0; i < sizes.length; i++) {
      const p = pending[i]!;
      const [lossSum, correct] = p instanceof tf.Tensor ? [values![2 * read]!, values![2 * read++ + 1]!] : p;
      const b = sizes[i]!;
      if (!Number.isFinite(lossSum)) {
        const k = this.step - sizes.length + i; // 0-based step of this run
        const what = Number.isNaN(lossSum) ? 'NaN' : 'infinite';
        await this.diverged(
          `stopped at epoch ${this.epochsBefore + Math.floor(k / this.stepsPerEpoch) + 1} step ${(k % this.stepsPerEpoch) + 1} (loss became ${what})`,
          `The loss became ${what} at step ${k + 1}: the learning rate (${this.config.learningRate}) is probably too high. Try a lower one (e.g. ${this.config.learningRate / 10}). The last good weights were kept.`,
        );
      }
      const loss = lossSum / b;
      this.emaLoss = EMA * this.emaLoss + (1 - EMA) * loss;
      this.emaAcc = EMA * this.emaAcc + (1 - EMA) * (correct / b);
      this.emaWeight = EMA * this.emaWeight + (1 - EMA);
      this.rawLossSum += loss;
      this.rawLossCount++;
      this.epochLoss += lossSum;
      this.epochCorrect += correct;
      this.epochSeen += b;
    }
    tf.dispose(this.prevSnapshot ?? []);
    this.prevSnapshot = this.snapshot;
    this.snapshot = this.clone();
  }

  /** Restores the last finite weights, forgets the optimizer state (its moments are not finite either) and throws 'nan'. */
  private async diverged(stoppedAt: string, message: string): Promise<never> {
    this.model.stoppedAt = stoppedAt;
    this.model.optimizer?.dispose();
    this.model.optimizer = null;
    for (const c of [this.snapshot, this.prevSnapshot]) {
      if (!c) continue;
      const ok = tf.tidy(() => tf.stack(c.map((t) => tf.all(tf.isFinite(t)))).all());
      const finite = (await ok.data())[0] === 1;
      ok.dispose();
      if (finite) {
        this.params.forEach((p, i) => p.assign(c[i]!));
        break;
      }
    }
    throw new EngineError('nan', message);
  }

  private postBatch(epochFloat: number): void {
    if (!this.rawLossCount) return;
    const sps = this.rate();
    this.host.post({
      type: 'batch',
      version: this.host.version,
      step: this.step,
      stepsPerEpoch: this.stepsPerEpoch,
      epoch: epochFloat,
      loss: this.emaLoss / this.emaWeight,
      accuracy: this.emaAcc / this.emaWeight,
      rawLoss: this.rawLossSum / this.rawLossCount,
      samplesPerSec: sps,
      etaMs: ((this.totalSteps - this.step) * this.bs * 1000) / Math.max(1, sps),
    });
    this.rawLossSum = 0;
    this.rawLossCount = 0;
  }

  /** Validation, the epoch event and early stopping; true when early stopping ends the run. */
  private async endEpoch(epoch: number): Promise<boolean> {
    const { config } = this;
    await this.drain();
    this.postBatch(epoch + 1);
    const v0 = performance.now();
    const val = await Promise.race([this.host.lossAndAccuracy(this.valData), this.host.aborted]);
    const phases = this.host.timing.phases;
    if (phases) {
      phases.validations = (phases.validations ?? 0) + 1;
      phases.validationMs = (phases.validationMs ?? 0) + performance.now() - v0;
    }
    this.model.epochsTrained++;
    const sps = this.rate();
    this.host.post({
      type: 'epoch',
      version: this.host.version,
      epoch: epoch + 1,
      epochs: config.epochs,
      trainLoss: this.epochSeen ? this.epochLoss / this.epochSeen : NaN,
      trainAccuracy: this.epochSeen ? this.epochCorrect / this.epochSeen : NaN,
      valLoss: val.loss,
      valAccuracy: val.accuracy,
      elapsedMs: this.activeMs(),
      samplesPerSec: sps,
      etaMs: ((this.totalSteps - this.step) * this.bs * 1000) / Math.max(1, sps),
    });
    if (!Number.isFinite(val.loss)) {
      await this.diverged(
        `stopped after epoch ${this.epochsBefore + epoch + 1} (validation loss became ${val.loss})`,
        `The validation loss became ${val.loss}: the learning rate (${config.learningRate}) is probably too high. Try a lower one.`,
      );
    }
    if (config.patience <= 0) return false;
    if (!this.best || val.loss < this.best.loss) {
      tf.dispose(this.best?.params ?? []);
      this.best = { loss: val.loss, params: this.clone() };
      this.sinceBest = 0;
      return false;
    }
    if (++this.sinceBest < config.patience) return false;
    // Keras' EarlyStopping(restore_best_weights=True).
    this.params.forEach((p, i) => p.assign(this.best!.params[i]!));
    return true;
  }
}
