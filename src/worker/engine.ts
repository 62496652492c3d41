/**
 * The training engine: owns the model (a kernel and a bias variable per dense layer), the data on
 * the device, the training loop, prediction and test evaluation. It talks to
 * the outside only through `post` (protocol events). No DOM, no WebGL: the
 * backend is chosen by backend.ts; this module runs in Node for the tests.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { ErrorCode, Mistake, TestReport, WorkerEvent } from '../shared/protocol';
import { validateConfig, type Activation, type TrainConfig } from '../shared/trainConfig';
import type { MnistData, SplitData } from './dataset';
import { flatFromArrays, forward, initParams, layerSizes, layout, lossAndGradient, Optimizer, paramsFromFlat, predictProbs, type LayerSlot } from './mlp';
import { fitNormalizer, normalizeRows, normalizeUnitPixels, permutation, rngFor, splitIndices, type Normalizer } from './split';
import { yieldNow } from './yieldNow';

/** An error with the protocol's error code. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

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
}

export const DEFAULT_TIMING: EngineTiming = { yieldMs: 8, batchEventMs: 50, firstLayerMs: 500, readEvery: 25 };

/** Mistakes kept in a TestReport. */
export const MISTAKES_KEPT = 30;
/** Rows per forward pass when evaluating (bounds device memory). */
const EVAL_CHUNK = 1000;
/** EMA factor of the smoothed training curve, per step. */
const EMA = 0.98;

interface Model {
  sizes: number[];
  slots: LayerSlot[];
  activation: Activation;
  /** Kernel and bias per layer on the device; null while parked on the host (backend switch). */
  params: tf.Variable[] | null;
  /** [P] host copy while params is null. */
  hostParams: Float32Array | null;
  norm: Normalizer;
  /** The config it was trained with; null for a loaded model. */
  config: TrainConfig | null;
  epochsTrained: number;
  /** The optimizer and its state (Adam's moments), kept for a continued run; null for a loaded or parked model. */
  optimizer: Optimizer | null;
  /** Why the last run ended early with an error, e.g. "stopped at epoch 1 step 12 (loss became NaN)"; null otherwise. */
  stoppedAt: string | null;
}

/** A normalised split: on the device in chunks (evaluation, and training batches gathered on a GPU), or on the host. */
interface DeviceSplit {
  key: string;
  count: number;
  /** Chunks of up to EVAL_CHUNK rows: x [rows, 784] normalised inputs, y [rows] int32 labels. */
  chunks: { x: tf.Tensor2D; y: tf.Tensor1D }[];
  /** For training on a GPU: all rows as one tensor [count, 784] to gather batches from. */
  x: tf.Tensor2D | null;
  y: tf.Tensor1D | null;
  /** For training on WASM/cpu: the rows on the host [count * 784] and labels [count]. */
  hostX: Float32Array | null;
  hostY: Int32Array | null;
}

/**
 * Where training batches are assembled. On WASM and cpu the "device" memory is
 * host memory anyway, and there a JS copy of 32 rows plus a 100 KB upload
 * (~20 µs) is ~30x cheaper than the Gather kernel (~650 µs); on a GPU the
 * dataset stays in textures and batches are gathered there.
 */
function batchesOnHost(): boolean {
  const b = tf.getBackend();
  return b === 'wasm' || b === 'cpu';
}

function disposeSplit(s: DeviceSplit | null): void {
  if (!s) return;
  for (const c of s.chunks) tf.dispose([c.x, c.y]);
  s.x?.dispose();
  s.y?.dispose();
}

const OOM = /out of memory|oom\b|allocation failed|failed to allocate|cannot allocate|memory access out of bounds|Array buffer allocation|exceeds .*memory|texture size/i;

/** Classifies an exception from tf into a protocol error. */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (OOM.test(message)) return new EngineError('oom', `Out of memory: ${message}. Try fewer hidden units, a smaller batch or fewer training images.`);
  return new EngineError('internal', message);
}

/**
 * A readable one-line summary, e.g. "784-64-64-10, trained 10 epochs, test accuracy 96.9%",
 * or with `stoppedAt` "784-64-64-10, stopped at epoch 1 step 12 (loss became NaN)".
 */
export function describeModel(sizes: readonly number[], epochs: number, testAccuracy: number | null, stoppedAt: string | null = null): string {
  const acc = testAccuracy === null ? '' : `, test accuracy ${(testAccuracy * 100).toFixed(1)}%`;
  const trained = `trained ${epochs} epoch${epochs === 1 ? '' : 's'}`;
  if (stoppedAt) return `${sizes.join('-')}, ${epochs ? `${trained}, then ` : ''}${stoppedAt}${acc}`;
  return `${sizes.join('-')}, ${trained}${acc}`;
}

export class Engine {
  private data: MnistData | null = null;
  private model: Model | null = null;
  private trainSplit: DeviceSplit | null = null;
  private valSplit: DeviceSplit | null = null;
  private testSplit: DeviceSplit | null = null;
  private running = false;
  private stopRequested = false;
  private cancelRequested = false;
  private abortError: EngineError | null = null;
  /** Rejects when the run is aborted, so an await on a dead device (lost context) cannot hang the loop. */
  private aborted: Promise<never> = new Promise<never>(() => {});
  private rejectAborted: (e: EngineError) => void = () => {};
  /** Checked at every loss read: returns an error when the device is unusable (e.g. a lost WebGL context). */
  healthCheck: () => EngineError | null = () => null;
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private loopDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly post: Post,
    readonly timing: EngineTiming = DEFAULT_TIMING,
  ) {}

  /** The decoded dataset (kept on the host; uploaded per run). */
  setData(data: MnistData): void {
    this.data = data;
    this.disposeSplits();
  }

  get isTraining(): boolean {
    return this.running;
  }

  get hasModel(): boolean {
    return this.model !== null;
  }

  /** A host copy of the flat parameter vector [P] (layout of mlp.ts), or null without a model. */
  async weights(): Promise<Float32Array | null> {
    const m = this.model;
    if (!m) return null;
    if (!m.params) return m.hostParams!.slice();
    return flatFromArrays(await Promise.all(m.params.map(async (p) => (await p.data()) as Float32Array)));
  }

  /** Layer widths of the current model, or null. */
  get modelSizes(): number[] | null {
    return this.model ? [...this.model.sizes] : null;
  }

  // ------------------------------------------------------------- commands

  pause(): void {
    if (!this.running || this.paused) return;
    this.paused = true;
    this.post({ type: 'phase', phase: 'paused' });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.post({ type: 'phase', phase: 'training' });
    for (const w of this.resumeWaiters.splice(0)) w();
  }

  /** Stops after the current step; the run then evaluates the test set and sends `done`. */
  stop(): void {
    if (!this.running) return;
    this.stopRequested = true;
    this.resume();
  }

  /** Stops the run with an error (e.g. a lost WebGL context). */
  abort(error: EngineError): void {
    if (!this.running || this.abortError) return;
    this.abortError = error;
    this.rejectAborted(error);
    this.resume();
  }

  /** Stops any run without evaluating, forgets the weights; phase idle. */
  async reset(): Promise<void> {
    if (this.running) {
      this.cancelRequested = true;
      this.resume();
      await this.loopDone;
    }
    this.disposeModel();
    this.post({ type: 'modelInfo', source: 'none', description: '', config: null });
    this.post({ type: 'phase', phase: 'idle' });
  }

  /** Waits until a run (if any) has ended. */
  whenIdle(): Promise<void> {
    return this.loopDone;
  }

  // ------------------------------------------------------------ training

  /**
   * Trains with `config`, streaming phase/batch/epoch/firstLayer events, then
   * evaluates the test set and sends `done`, `modelInfo` and phase 'done'.
   * @throws EngineError ('config', 'nan', 'context-lost', 'oom', 'internal'); the caller posts it.
   */
  async train(config: TrainConfig, continueTraining = false): Promise<void> {
    const errors = validateConfig(config);
    const messages = Object.values(errors);
    if (messages.length) throw new EngineError('config', messages.join('; '));
    if (this.running) throw new EngineError('internal', 'Training is already running: stop it first.');
    if (!this.data) throw new EngineError('data', 'The dataset is not loaded yet.');
    this.running = true;
    this.stopRequested = false;
    this.cancelRequested = false;
    this.abortError = null;
    this.aborted = new Promise<never>((_, reject) => (this.rejectAborted = reject));
    this.aborted.catch(() => {});
    this.paused = false;
    let finish!: () => void;
    this.loopDone = new Promise((r) => (finish = r));
    try {
      await this.run(config, continueTraining, this.data);
    } catch (e) {
      const err = toEngineError(e);
      // After a failed run (NaN, lost context, out of memory) the optimizer state is not trusted.
      this.model?.optimizer?.dispose();
      if (this.model) this.model.optimizer = null;
      this.post({ type: 'phase', phase: 'idle' });
      if (this.model) this.postModelInfo(null);
      throw err;
    } finally {
      this.running = false;
      this.paused = false;
      finish();
    }
  }

  private async run(config: TrainConfig, continueTraining: boolean, data: MnistData): Promise<void> {
    const sizes = layerSizes(config.hiddenUnits);
    const keep =
      continueTraining &&
      this.model !== null &&
      this.model.sizes.join() === sizes.join() &&
      this.model.activation === config.activation &&
      (this.model.config === null || this.model.config.normalization === config.normalization);
    const split = splitIndices(data.train.count, config.trainSize, config.seed);
    if (!keep) {
      this.disposeModel();
      const norm = fitNormalizer(data.train.images, split.train, config.normalization);
      const { slots } = layout(sizes);
      this.model = {
        sizes,
        slots,
        activation: config.activation,
        params: paramsFromFlat(initParams(sizes, rngFor(config.seed, 'init')), slots),
        hostParams: null,
        norm,
        config: { ...config, hiddenUnits: [...config.hiddenUnits] },
        epochsTrained: 0,
        optimizer: null,
        stoppedAt: null,
      };
    }
    const model = this.model!;
    const params = this.paramsOnDevice(model);
    model.config = { ...config, hiddenUnits: [...config.hiddenUnits] };
    model.stoppedAt = null;
    const trainData = this.upload('train', data.train, split.train, model.norm, `${config.seed}/${config.trainSize}`);
    const valData = this.upload('val', data.train, split.validation, model.norm, `${config.seed}/${config.trainSize}`);

    // A continued run with the same optimizer keeps its moments and step count (as Keras' fit would).
    let optimizer = model.optimizer;
    if (optimizer && optimizer.kind === config.optimizer && optimizer.backend === tf.getBackend()) {
      optimizer.setLearningRate(config.learningRate);
    } else {
      optimizer?.dispose();
      optimizer = model.optimizer = new Optimizer(config.optimizer, config.learningRate, params);
    }
    const epochsBefore = model.epochsTrained;
    /** Forgets the optimizer state after a NaN: its moments are not finite either. */
    const dropOptimizer = () => {
      model.optimizer?.dispose();
      model.optimizer = null;
    };
    const n = trainData.count;
    const bs = Math.min(config.batchSize, n);
    const stepsPerEpoch = Math.ceil(n / bs);
    const totalSteps = stepsPerEpoch * config.epochs;
    const shuffleRng = rngFor(config.seed, 'shuffle');
    const dropoutRng = rngFor(config.seed, 'dropout');
    const t = this.timing;

    this.post({ type: 'phase', phase: 'training' });
    const t0 = performance.now();
    let pausedMs = 0;
    let step = 0;
    let samplesDone = 0;
    let emaLoss = 0;
    let emaAcc = 0;
    let emaWeight = 0;
    let rawLossSum = 0;
    let rawLossCount = 0;
    let lastBatchEvent = -Infinity;
    let lastFirstLayer = -Infinity;
    let lastYield = performance.now();
    let pending: tf.Tensor1D[] = [];
    let pendingSizes: number[] = [];
    const clone = () => params.map((p) => p.clone());
    let snapshot = clone();
    let prevSnapshot: tf.Tensor[] | null = null;
    let best: { loss: number; params: tf.Tensor[]; epoch: number } | null = null;
    const hostBatch = trainData.hostX ? { x: new Float32Array(bs * IMAGE_PIXELS), y: new Int32Array(bs) } : null;
    let sinceBest = 0;
    let stoppedEarly = false;
    let epochsRun = 0;
    let epochLoss = 0;
    let epochCorrect = 0;
    let epochSeen = 0;

    const activeMs = () => performance.now() - t0 - pausedMs;
    const rate = () => (samplesDone / Math.max(1, activeMs())) * 1000;

    /** Reads the per-step stats gathered since the last read; NaN → restore and throw. */
    const drain = async (): Promise<void> => {
      if (!pending.length) return;
      const packed = tf.concat(pending);
      pending.forEach((p) => p.dispose());
      const sizesNow = pendingSizes;
      pending = [];
      pendingSizes = [];
      const health = this.healthCheck();
      if (health) throw health;
      const values = await Promise.race([packed.data(), this.aborted]);
      packed.dispose();
      for (let i = 0; i < sizesNow.length; i++) {
        const lossSum = values[2 * i]!;
        const correct = values[2 * i + 1]!;
        const b = sizesNow[i]!;
        if (!Number.isFinite(lossSum)) {
          const k = step - sizesNow.length + i; // 0-based step of this run
          model.stoppedAt = `stopped at epoch ${epochsBefore + Math.floor(k / stepsPerEpoch) + 1} step ${(k % stepsPerEpoch) + 1} (loss became ${Number.isNaN(lossSum) ? 'NaN' : 'infinite'})`;
          dropOptimizer();
          await this.restoreFinite(params, [snapshot, prevSnapshot]);
          throw new EngineError(
            'nan',
            `The loss became ${Number.isNaN(lossSum) ? 'NaN' : 'infinite'} at step ${step - sizesNow.length + i + 1}: the learning rate (${config.learningRate}) is probably too high. Try a lower one (e.g. ${config.learningRate / 10}). The last good weights were kept.`,
          );
        }
        const loss = lossSum / b;
        emaLoss = EMA * emaLoss + (1 - EMA) * loss;
        emaAcc = EMA * emaAcc + (1 - EMA) * (correct / b);
        emaWeight = EMA * emaWeight + (1 - EMA);
        rawLossSum += loss;
        rawLossCount++;
        epochLoss += lossSum;
        epochCorrect += correct;
        epochSeen += b;
      }
      tf.dispose(prevSnapshot ?? []);
      prevSnapshot = snapshot;
      snapshot = clone();
    };

    const postBatch = (epochFloat: number) => {
      if (!rawLossCount) return;
      const sps = rate();
      this.post({
        type: 'batch',
        step,
        stepsPerEpoch,
        epoch: epochFloat,
        loss: emaLoss / emaWeight,
        accuracy: emaAcc / emaWeight,
        rawLoss: rawLossSum / rawLossCount,
        samplesPerSec: sps,
        etaMs: ((totalSteps - step) * bs * 1000) / Math.max(1, sps),
      });
      rawLossSum = 0;
      rawLossCount = 0;
    };

    try {
      outer: for (let epoch = 0; epoch < config.epochs; epoch++) {
        epochLoss = 0;
        epochCorrect = 0;
        epochSeen = 0;
        const order = permutation(n, shuffleRng);
        {
          for (let s = 0; s < stepsPerEpoch; s++) {
            if (this.abortError) throw this.abortError;
            if (this.stopRequested || this.cancelRequested) break outer;
            const start = s * bs;
            const size = Math.min(bs, n - start);
            const masks = config.dropout > 0 ? config.hiddenUnits.map(() => dropoutRng()) : null;
            const stats = tf.tidy(() => {
              let xb: tf.Tensor2D;
              let yb: tf.Tensor1D;
              if (hostBatch) {
                for (let r = 0; r < size; r++) {
                  const i = order[start + r]!;
                  hostBatch.x.set(trainData.hostX!.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), r * IMAGE_PIXELS);
                  hostBatch.y[r] = trainData.hostY![i]!;
                }
                xb = tf.tensor2d(hostBatch.x.subarray(0, size * IMAGE_PIXELS), [size, IMAGE_PIXELS]);
                yb = tf.tensor1d(hostBatch.y.subarray(0, size), 'int32');
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
              const { grads, lossSum, correct } = lossAndGradient(params, model.activation, xb, yb, dropMasks);
              optimizer.apply(params, grads);
              return tf.stack([lossSum, correct]) as tf.Tensor1D;
            });
            pending.push(stats);
            pendingSizes.push(size);
            step++;
            samplesDone += size;
            if (pending.length >= t.readEvery || s === stepsPerEpoch - 1) await drain();
            const now = performance.now();
            if (now - lastBatchEvent >= t.batchEventMs && rawLossCount) {
              lastBatchEvent = now;
              postBatch(epoch + (s + 1) / stepsPerEpoch);
            }
            if (now - lastFirstLayer >= t.firstLayerMs) {
              lastFirstLayer = now;
              void this.postFirstLayer();
            }
            if (now - lastYield >= t.yieldMs) {
              await yieldNow();
              if (this.paused) {
                const p0 = performance.now();
                await new Promise<void>((r) => this.resumeWaiters.push(r));
                pausedMs += performance.now() - p0;
              }
              lastYield = performance.now();
            }
          }
        }
        await drain();
        postBatch(epoch + 1);
        const val = await Promise.race([this.lossAndAccuracy(valData), this.aborted]);
        epochsRun++;
        model.epochsTrained++;
        const sps = rate();
        this.post({
          type: 'epoch',
          epoch: epoch + 1,
          epochs: config.epochs,
          trainLoss: epochSeen ? epochLoss / epochSeen : NaN,
          trainAccuracy: epochSeen ? epochCorrect / epochSeen : NaN,
          valLoss: val.loss,
          valAccuracy: val.accuracy,
          elapsedMs: performance.now() - t0,
          samplesPerSec: sps,
          etaMs: ((totalSteps - step) * bs * 1000) / Math.max(1, sps),
        });
        if (!Number.isFinite(val.loss)) {
          model.stoppedAt = `stopped after epoch ${epoch + 1} (validation loss became ${val.loss})`;
          dropOptimizer();
          await this.restoreFinite(params, [snapshot, prevSnapshot]);
          throw new EngineError('nan', `The validation loss became ${val.loss}: the learning rate (${config.learningRate}) is probably too high. Try a lower one.`);
        }
        if (config.patience > 0) {
          if (!best || val.loss < best.loss) {
            tf.dispose(best?.params ?? []);
            best = { loss: val.loss, params: clone(), epoch: epoch + 1 };
            sinceBest = 0;
          } else if (++sinceBest >= config.patience) {
            // Keras' EarlyStopping(restore_best_weights=True).
            params.forEach((p, i) => p.assign(best!.params[i]!));
            stoppedEarly = true;
            break;
          }
        }
      }
      await drain();
    } finally {
      pending.forEach((p) => p.dispose());
      tf.dispose(snapshot);
      tf.dispose((prevSnapshot as tf.Tensor[] | null) ?? []);
      tf.dispose((best as { params: tf.Tensor[] } | null)?.params ?? []);
    }
    if (this.cancelRequested) return;
    await this.postFirstLayer();
    const report = await this.evaluate(data.test);
    const elapsedMs = performance.now() - t0;
    this.post({ type: 'done', report, stoppedEarly, epochsRun, elapsedMs });
    this.postModelInfo(report.testAccuracy);
    this.post({ type: 'phase', phase: 'done' });
  }

  /** Puts the first finite candidate back into params (the last good weights). */
  private async restoreFinite(params: tf.Variable[], candidates: (tf.Tensor[] | null)[]): Promise<void> {
    for (const c of candidates) {
      if (!c) continue;
      const ok = tf.tidy(() => tf.stack(c.map((t) => tf.all(tf.isFinite(t)))).all());
      const finite = (await ok.data())[0] === 1;
      ok.dispose();
      if (finite) {
        params.forEach((p, i) => p.assign(c[i]!));
        return;
      }
    }
  }

  private postModelInfo(testAccuracy: number | null): void {
    const m = this.model;
    if (!m) return;
    this.post({ type: 'modelInfo', source: 'trained', description: describeModel(m.sizes, m.epochsTrained, testAccuracy, m.stoppedAt), config: m.config });
  }

  /** Sends the first dense layer's kernel as [units * 784], unit-major. */
  async postFirstLayer(): Promise<void> {
    const m = this.model;
    if (!m?.params) return;
    const s = m.slots[0]!;
    const t = tf.tidy(() => tf.transpose(m.params![0]!));
    const weights = (await t.data()) as Float32Array;
    t.dispose();
    this.post({ type: 'firstLayer', units: s.units, weights }, [weights.buffer]);
  }

  // ---------------------------------------------------------- inference

  /**
   * Classifies one digit with the current weights.
   * @param pixels [784] 0..1, white ink on black.
   * @returns [10] probabilities, or null when there is no model.
   */
  async predict(pixels: Float32Array): Promise<Float32Array | null> {
    const m = this.model;
    if (!m) return null;
    if (pixels.length !== IMAGE_PIXELS) throw new EngineError('internal', `predict needs ${IMAGE_PIXELS} pixels, got ${pixels.length}`);
    const params = this.paramsOnDevice(m);
    const probs = tf.tidy(() => predictProbs(params, m.activation, tf.tensor2d(normalizeUnitPixels(pixels, m.norm), [1, IMAGE_PIXELS])));
    const out = (await probs.data()) as Float32Array;
    probs.dispose();
    return out;
  }

  /** Mean cross-entropy and accuracy on a split already on the device. */
  private async lossAndAccuracy(split: DeviceSplit): Promise<{ loss: number; accuracy: number }> {
    const m = this.model!;
    const params = this.paramsOnDevice(m);
    let lossSum = 0;
    let correct = 0;
    for (const { x, y } of split.chunks) {
      const sums = tf.tidy(() => {
        const logits = forward(params, m.activation, x).logits;
        const loss = tf.neg(tf.sum(tf.mul(tf.oneHot(y, NUM_CLASSES).asType('float32'), tf.logSoftmax(logits))));
        return tf.stack([loss, tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'))]);
      });
      const [l, c] = await sums.data();
      sums.dispose();
      lossSum += l!;
      correct += c!;
      // A chunk at a time, so a predict request waits for one chunk, not for the whole split.
      await yieldNow();
    }
    return { loss: lossSum / split.count, accuracy: correct / split.count };
  }

  /**
   * Evaluates the current model (trained or loaded) on a labelled split (the 10,000 test images).
   * @returns loss, accuracy, the 10x10 confusion counts and the most confident mistakes.
   */
  async evaluate(test: SplitData | null = this.data?.test ?? null): Promise<TestReport> {
    const m = this.model;
    if (!m) throw new EngineError('model', 'Train a model first, or load one.');
    if (!test) throw new EngineError('data', 'The dataset is not loaded yet.');
    const all = new Int32Array(test.count).map((_, i) => i);
    const split = test === this.data?.test ? this.upload('test', test, all, m.norm, 'test') : this.uploadTemp(test, all, m.norm);
    const params = this.paramsOnDevice(m);
    const probs = new Float32Array(test.count * NUM_CLASSES);
    try {
      let row = 0;
      for (const { x } of split.chunks) {
        const p = tf.tidy(() => predictProbs(params, m.activation, x));
        probs.set(await p.data(), row * NUM_CLASSES);
        row += x.shape[0];
        p.dispose();
        await yieldNow();
      }
    } finally {
      if (split !== this.testSplit) disposeSplit(split);
    }
    return reportFromProbs(probs, test);
  }

  // ------------------------------------------------- export and import

  /**
   * The current model as a tf.Sequential of dense layers that takes pixels in
   * [0, 1] (white ink on black, [batch, 784]) and outputs softmax probabilities.
   * The normalisation is folded into the first layer:
   * x_norm = (255·p − mean)·invStd, so W1' = W1 · 255·invStd (per input row)
   * and b1' = b1 − Σ_i mean_i·invStd_i·W1[i, :].
   */
  async toLayersModel(): Promise<tf.Sequential> {
    const m = this.model;
    if (!m) throw new EngineError('model', 'There is no model to export.');
    const flat = (await this.weights())!;
    const model = tf.sequential();
    m.slots.forEach((s, l) => {
      const last = l === m.slots.length - 1;
      let kernel = flat.slice(s.kernelOffset, s.kernelOffset + s.inputs * s.units);
      let bias = flat.slice(s.biasOffset, s.biasOffset + s.units);
      if (l === 0) {
        const k2 = new Float32Array(kernel.length);
        const b2 = Float64Array.from(bias);
        for (let i = 0; i < s.inputs; i++) {
          const scale = 255 * m.norm.invStd[i]!;
          const shift = m.norm.mean[i]! * m.norm.invStd[i]!;
          for (let u = 0; u < s.units; u++) {
            const w = kernel[i * s.units + u]!;
            k2[i * s.units + u] = w * scale;
            b2[u]! -= shift * w;
          }
        }
        kernel = k2;
        bias = Float32Array.from(b2);
      }
      const layer = tf.layers.dense({
        units: s.units,
        activation: last ? 'softmax' : m.activation,
        inputShape: l === 0 ? [s.inputs] : undefined,
        name: `dense_${l + 1}`,
      });
      model.add(layer);
      const kt = tf.tensor2d(kernel, [s.inputs, s.units]);
      const bt = tf.tensor1d(bias);
      layer.setWeights([kt, bt]);
      kt.dispose();
      bt.dispose();
    });
    return model;
  }

  /**
   * Replaces the model by a loaded one: dense layers 784 → … → 10 with a
   * softmax output, taking pixels in [0, 1] (as toLayersModel exports).
   * @throws EngineError 'model' when the shape or activations do not fit.
   */
  async fromLayersModel(source: tf.LayersModel, config: TrainConfig | null = null): Promise<void> {
    if (this.running) throw new EngineError('model', 'Stop training before loading a model.');
    const dense = source.layers.filter((l) => l.getClassName() !== 'InputLayer');
    if (!dense.length) throw new EngineError('model', 'The model has no layers.');
    const sizes = [IMAGE_PIXELS];
    let activation: Activation | null = null;
    const arrays: Float32Array[] = [];
    for (const [i, layer] of dense.entries()) {
      if (layer.getClassName() !== 'Dense') throw new EngineError('model', `Layer ${layer.name} is a ${layer.getClassName()}: only Dense layers are supported.`);
      const cfg = layer.getConfig() as { activation?: string; useBias?: boolean };
      const weights = layer.getWeights();
      const [kernel, bias] = weights;
      if (!kernel || kernel.shape.length !== 2 || kernel.shape[0] !== sizes[sizes.length - 1]) {
        throw new EngineError('model', `Layer ${layer.name} has the wrong input size: expected ${sizes[sizes.length - 1]}.`);
      }
      const units = kernel.shape[1]!;
      const last = i === dense.length - 1;
      const act = cfg.activation ?? 'linear';
      if (last) {
        if (units !== NUM_CLASSES || act !== 'softmax') throw new EngineError('model', `The last layer must be Dense(${NUM_CLASSES}, softmax).`);
      } else {
        if (!['relu', 'tanh', 'sigmoid', 'elu'].includes(act)) throw new EngineError('model', `Unsupported activation ${act} in ${layer.name}.`);
        if (activation && activation !== act) throw new EngineError('model', 'All hidden layers must use the same activation.');
        activation = act as Activation;
      }
      arrays.push((await kernel.data()) as Float32Array);
      arrays.push(bias ? ((await bias.data()) as Float32Array) : new Float32Array(units));
      sizes.push(units);
    }
    const { slots } = layout(sizes);
    const flat = flatFromArrays(arrays);
    this.disposeModel();
    const mean = new Float32Array(IMAGE_PIXELS);
    const invStd = new Float32Array(IMAGE_PIXELS).fill(1 / 255);
    this.model = {
      sizes,
      slots,
      activation: activation ?? 'relu',
      params: paramsFromFlat(flat, slots),
      hostParams: null,
      norm: { mean, invStd },
      config,
      epochsTrained: 0,
      optimizer: null,
      stoppedAt: null,
    };
  }

  // ----------------------------------------------------- device memory

  /** Before a backend switch: parks the weights on the host and frees every tensor. */
  async releaseDevice(): Promise<void> {
    const m = this.model;
    if (m?.params) {
      m.hostParams = (await this.weights())!;
      tf.dispose(m.params);
      m.params = null;
    }
    // The optimizer state lives on the old backend; a continued run after the switch starts it afresh.
    m?.optimizer?.dispose();
    if (m) m.optimizer = null;
    this.disposeSplits();
  }

  /** Frees everything (worker shutdown, tests). */
  dispose(): void {
    this.disposeModel();
    this.disposeSplits();
  }

  private paramsOnDevice(m: Model): tf.Variable[] {
    if (!m.params) {
      m.params = paramsFromFlat(m.hostParams!, m.slots);
      m.hostParams = null;
    }
    return m.params;
  }

  private disposeModel(): void {
    tf.dispose(this.model?.params ?? []);
    this.model?.optimizer?.dispose();
    this.model = null;
    // The cached splits were normalised for that model.
    this.disposeSplits();
  }

  private disposeSplits(): void {
    for (const s of [this.trainSplit, this.valSplit, this.testSplit]) disposeSplit(s);
    this.trainSplit = this.valSplit = this.testSplit = null;
  }

  private uploadTemp(split: SplitData, indices: Int32Array, norm: Normalizer, forTraining = false): DeviceSplit {
    const n = indices.length;
    const xs = normalizeRows(split.images, indices, norm);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = split.labels[indices[i]!]!;
    const out: DeviceSplit = { key: '', count: n, chunks: [], x: null, y: null, hostX: null, hostY: null };
    if (forTraining && batchesOnHost()) {
      out.hostX = xs;
      out.hostY = labels;
    } else if (forTraining) {
      out.x = tf.tensor2d(xs, [n, IMAGE_PIXELS]);
      out.y = tf.tensor1d(labels, 'int32');
    } else {
      for (let s = 0; s < n; s += EVAL_CHUNK) {
        const e = Math.min(n, s + EVAL_CHUNK);
        out.chunks.push({ x: tf.tensor2d(xs.subarray(s * IMAGE_PIXELS, e * IMAGE_PIXELS), [e - s, IMAGE_PIXELS]), y: tf.tensor1d(labels.subarray(s, e), 'int32') });
      }
    }
    return out;
  }

  /** Uploads (once per key, normaliser and backend) a normalised split as one float32 tensor. */
  private upload(which: 'train' | 'val' | 'test', split: SplitData, indices: Int32Array, norm: Normalizer, key: string): DeviceSplit {
    const fullKey = `${key}/${tf.getBackend()}/${normId(norm)}`;
    const field = which === 'train' ? 'trainSplit' : which === 'val' ? 'valSplit' : 'testSplit';
    const cached = this[field];
    if (cached?.key === fullKey) return cached;
    disposeSplit(cached);
    const fresh = { ...this.uploadTemp(split, indices, norm, which === 'train'), key: fullKey };
    this[field] = fresh;
    return fresh;
  }
}

const normIds = new WeakMap<Normalizer, number>();
let nextNormId = 1;
function normId(n: Normalizer): number {
  let id = normIds.get(n);
  if (!id) normIds.set(n, (id = nextNormId++));
  return id;
}

/**
 * Builds a TestReport from the model's probabilities.
 * @param probs [count * 10] probabilities, row per image.
 */
export function reportFromProbs(probs: Float32Array, test: SplitData): TestReport {
  const confusion = new Array<number>(NUM_CLASSES * NUM_CLASSES).fill(0);
  const wrong: { index: number; label: number; predicted: number; confidence: number }[] = [];
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    const row = probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    let pred = 0;
    for (let c = 1; c < NUM_CLASSES; c++) if (row[c]! > row[pred]!) pred = c;
    const label = test.labels[i]!;
    lossSum -= Math.log(Math.max(row[label]!, 1e-30));
    confusion[label * NUM_CLASSES + pred]!++;
    if (pred === label) correct++;
    else wrong.push({ index: i, label, predicted: pred, confidence: row[pred]! });
  }
  wrong.sort((a, b) => b.confidence - a.confidence);
  const mistakes: Mistake[] = wrong.slice(0, MISTAKES_KEPT).map((w) => ({
    ...w,
    pixels: test.images.slice(w.index * IMAGE_PIXELS, (w.index + 1) * IMAGE_PIXELS),
    probs: probs.slice(w.index * NUM_CLASSES, (w.index + 1) * NUM_CLASSES),
  }));
  return { testLoss: lossSum / Math.max(1, test.count), testAccuracy: correct / Math.max(1, test.count), confusion, mistakes };
}
