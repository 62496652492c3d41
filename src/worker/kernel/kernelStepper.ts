/**
 * The step interface (../stepper.ts) on the WASM SIMD kernel: the run's
 * training and validation images live in the kernel's memory as bytes, the
 * epoch's order is written once per epoch, and each step is one call. With
 * augmentation the host warps the batch into the kernel's byte buffer first
 * (augment.ts, table lookups in JS, about 0.1 ms a batch of 32) and the kernel
 * takes it from there. The weights go back to the model's tensors on
 * `commit` (the engine commits before every prediction, weight picture and at
 * the run's end), so nothing reads stale weights.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from '../../shared/constants';
import type { Activation, TrainConfig } from '../../shared/trainConfig';
import type { BatchAugmenter } from '../augment';
import { FLUSH_EVERY, secondMomentDecay, stepSize } from '../optimizer';
import { rngFor, type Normalizer } from '../split';
import type { ExplicitBatch, KeptOptimizer, LayerTrace, Stepper, StepTrace, TrainPath, WeightSnapshot } from '../stepper';
import { yieldNow } from '../yieldNow';
import { flatCount, Kernel, SOURCE } from './kernel';
import { padFrom, unpadInto, type KernelShape } from './layout';

/** Rows of images for the kernel: `rows` of `images`/`labels` (all `count` in order when null). */
export interface KernelRows {
  images: Uint8Array;
  labels: Uint8Array;
  rows: Int32Array | null;
  count: number;
}

/** Rows the inference chunks take at least (validation), whatever the batch size. */
const INFER_ROWS = 256;
/** Rows between yields while validating, so a predict request waits for one chunk. */
const VALIDATE_YIELD_ROWS = 2048;

/** The optimizer state of a kernel run in the flat layout, kept on the model for a continued run. */
export class KernelOptimizerState implements KeptOptimizer {
  readonly backend = 'kernel';
  constructor(
    readonly kind: TrainConfig['optimizer'],
    public steps: number,
    public m: Float32Array | null,
    public v: Float32Array | null,
  ) {}
  clone(): KernelOptimizerState {
    return new KernelOptimizerState(this.kind, this.steps, this.m?.slice() ?? null, this.v?.slice() ?? null);
  }
  dispose(): void {}
}

class KernelSnapshot implements WeightSnapshot {
  constructor(readonly params: Float32Array) {}
  async finite(): Promise<boolean> {
    return this.params.every(Number.isFinite);
  }
  dispose(): void {}
}

export interface KernelStepperOptions {
  module: WebAssembly.Module;
  sizes: readonly number[];
  activation: Activation;
  norm: Normalizer;
  config: Pick<TrainConfig, 'optimizer' | 'learningRate' | 'dropout' | 'batchSize' | 'seed'>;
  sparse: boolean;
  /** Initial weights, flat layout. */
  weights: Float32Array;
  /** A kept state of the same optimizer to continue from, or null. */
  optimizer: KernelOptimizerState | null;
  train: KernelRows | null;
  validation: KernelRows | null;
  augmenter: BatchAugmenter | null;
  /** Writes weights (flat layout) into the model's tensors. */
  commit: (flat: Float32Array) => void;
  /** Adds busy time by phase (bench). */
  phases?: { steps: number; batch: number; kernel?: number };
}

/** Copies rows of a split into the kernel's image and label regions. */
function copyRows(src: KernelRows, images: Uint8Array, labels: Uint8Array): void {
  if (!src.rows) {
    images.set(src.images.subarray(0, src.count * IMAGE_PIXELS));
    labels.set(src.labels.subarray(0, src.count));
    return;
  }
  src.rows.forEach((i, r) => {
    images.set(src.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), r * IMAGE_PIXELS);
    labels[r] = src.labels[i]!;
  });
}

export class KernelStepper implements Stepper {
  readonly path: TrainPath;
  readonly description: string;
  readonly trainCount: number;
  private readonly kernel: Kernel;
  private readonly shape: KernelShape;
  private readonly state: KernelOptimizerState;
  private readonly rho: number;
  private readonly keep: number;
  private order: Int32Array = new Int32Array(0);
  private stats: number[] = [];
  private dirty = false;

  /** @throws Error when the kernel's memory cannot be allocated. */
  constructor(private readonly o: KernelStepperOptions) {
    const { config, train, validation } = o;
    this.path = o.sparse ? 'kernel-sparse' : 'kernel-dense';
    this.description = `WASM SIMD kernel, ${o.sparse ? 'sparse' : 'dense'} first layer`;
    this.trainCount = train?.count ?? 0;
    this.shape = {
      sizes: o.sizes,
      activation: o.activation,
      optimizer: config.optimizer,
      batchCap: Math.max(config.batchSize, INFER_ROWS),
      trainRows: train?.count ?? 0,
      evalRows: validation?.count ?? 0,
      sparse: o.sparse,
      dropout: config.dropout > 0,
      keepAll: false,
    };
    this.kernel = new Kernel(o.module, this.shape, o.norm);
    this.kernel.writeWeights(o.weights);
    this.rho = secondMomentDecay(config.optimizer);
    this.keep = 1 - config.dropout;
    this.kernel.rngState = Math.floor(rngFor(config.seed, 'dropout')() * 2 ** 32);
    const kept = o.optimizer?.kind === config.optimizer ? o.optimizer : null;
    this.state = kept ?? new KernelOptimizerState(config.optimizer, 0, null, null);
    if (kept?.m && this.kernel.m) padFrom(this.kernel.layers, kept.m, this.kernel.m);
    if (kept?.v && this.kernel.v) padFrom(this.kernel.layers, kept.v, this.kernel.v);
    if (train) copyRows(train, this.kernel.images, this.kernel.labels);
    if (validation) copyRows(validation, this.kernel.evalImages, this.kernel.evalLabels);
  }

  get optimizer(): KernelOptimizerState {
    const n = flatCount(this.kernel.layers);
    const k = this.kernel;
    this.state.m = k.m ? unpadInto(k.layers, k.m, this.state.m ?? new Float32Array(n)) : null;
    this.state.v = k.v ? unpadInto(k.layers, k.v, this.state.v ?? new Float32Array(n)) : null;
    return this.state;
  }

  startEpoch(order: Int32Array, epoch: number): void {
    this.order = order;
    this.kernel.order.set(order);
    if (epoch > 0) this.o.augmenter?.newEpoch();
  }

  step(start: number, size: number): void {
    const { kernel, o } = this;
    const t = ++this.state.steps;
    const lr = stepSize(o.config.optimizer, o.config.learningRate, t);
    const phases = o.phases;
    const t0 = phases ? performance.now() : 0;
    let t1 = t0;
    if (o.augmenter) {
      o.augmenter.fillBytes(this.order, start, size, kernel.batchBytes, kernel.batchLabels);
      if (phases) phases.batch += (t1 = performance.now()) - t0;
      kernel.train(SOURCE.BYTES, 0, size, lr, this.rho, this.keep, t % FLUSH_EVERY === 0);
    } else {
      kernel.train(SOURCE.ROWS, start, size, lr, this.rho, this.keep, t % FLUSH_EVERY === 0);
    }
    if (phases) {
      phases.kernel = (phases.kernel ?? 0) + performance.now() - t1;
      phases.steps++;
    }
    this.stats.push(kernel.stats[0]!, kernel.stats[1]!);
    this.dirty = true;
  }

  async readStats(): Promise<Float64Array> {
    const out = Float64Array.from(this.stats);
    this.stats = [];
    return out;
  }

  async validate(): Promise<{ loss: number; accuracy: number }> {
    const { kernel } = this;
    const n = this.shape.evalRows;
    const cap = this.shape.batchCap;
    let lossSum = 0;
    let correct = 0;
    let sinceYield = 0;
    for (let start = 0; start < n; start += cap) {
      const rows = Math.min(cap, n - start);
      kernel.infer(SOURCE.ROWS, start, rows);
      lossSum += kernel.stats[0]!;
      correct += kernel.stats[1]!;
      if ((sinceYield += rows) >= VALIDATE_YIELD_ROWS) {
        sinceYield = 0;
        await yieldNow();
      }
    }
    return { loss: lossSum / Math.max(1, n), accuracy: correct / Math.max(1, n) };
  }

  snapshot(): WeightSnapshot {
    return new KernelSnapshot(this.kernel.params.slice());
  }

  restore(s: WeightSnapshot): void {
    this.kernel.params.set((s as KernelSnapshot).params);
    this.dirty = true;
  }

  async readWeights(): Promise<Float32Array> {
    return this.kernel.readWeights();
  }

  writeWeights(flat: Float32Array): void {
    this.kernel.writeWeights(flat);
    this.dirty = true;
  }

  commit(): void {
    if (!this.dirty) return;
    this.o.commit(this.kernel.readWeights());
    this.dirty = false;
  }

  /**
   * One step on `batch` in a kernel instance of its own that keeps every layer's sums and deltas,
   * from this kernel's weights, moments and dropout stream; the result is copied back, so the step
   * counts as one of this stepper's steps.
   */
  async traceStep(batch: ExplicitBatch): Promise<StepTrace> {
    const rows = batch.labels.length;
    if (!rows || batch.pixels.length !== rows * IMAGE_PIXELS)
      throw new Error(`traceStep needs ${IMAGE_PIXELS} pixels per label, got ${batch.pixels.length} for ${rows}`);
    const main = this.kernel;
    const k = new Kernel(this.o.module, { ...this.shape, batchCap: rows, trainRows: 0, evalRows: 0, keepAll: true }, this.o.norm);
    k.params.set(main.params);
    if (k.m && main.m) k.m.set(main.m);
    if (k.v && main.v) k.v.set(main.v);
    k.rngState = main.rngState;
    k.batchPixels.set(batch.pixels);
    for (let r = 0; r < rows; r++) k.batchLabels[r] = batch.labels[r]!;
    const before = k.params.slice();
    const t = ++this.state.steps;
    const lr = stepSize(this.o.config.optimizer, this.o.config.learningRate, t);
    k.train(SOURCE.PIXELS, 0, rows, lr, this.rho, this.keep, t % FLUSH_EVERY === 0);
    const trace = readTrace(k, rows, Array.from(batch.labels, Number), before, this.o.norm, batch.pixels);
    main.params.set(k.params);
    if (k.m && main.m) main.m.set(k.m);
    if (k.v && main.v) main.v.set(k.v);
    main.rngState = k.rngState;
    this.dirty = true;
    return { ...trace, stepSize: lr, optimizerSteps: t, path: this.path };
  }

  dispose(): void {
    this.stats = [];
  }
}

/** The traced step's values out of a keepAll kernel, unpadded. */
function readTrace(
  k: Kernel,
  rows: number,
  labels: number[],
  before: Float32Array,
  norm: Normalizer,
  pixels: Float32Array,
): Omit<StepTrace, 'stepSize' | 'optimizerSteps' | 'path'> {
  const unpad = (buf: Float32Array | null, units: number, padded: number): Float32Array => {
    const out = new Float32Array(rows * units);
    if (buf) for (let r = 0; r < rows; r++) out.set(buf.subarray(r * padded, r * padded + units), r * units);
    return out;
  };
  const change = k.params.map((w, i) => w - before[i]!);
  const gradFlat = unpadInto(k.layers, k.grads, new Float32Array(flatCount(k.layers)));
  const changeFlat = unpadInto(k.layers, change, new Float32Array(gradFlat.length));
  const standardised = Float32Array.from(pixels, (p, i) => (p * 255 - norm.mean[i % IMAGE_PIXELS]!) * norm.invStd[i % IMAGE_PIXELS]!);
  const dropout = k.layout.shape.dropout;
  const layers: LayerTrace[] = [];
  let off = 0;
  let input: Float32Array = standardised;
  k.layers.forEach((p, l) => {
    const last = l === k.layers.length - 1;
    const nw = p.inputs * p.units;
    const sums = unpad(k.layerBuffer(l, 'z', rows), p.units, p.padded);
    const outputs = last ? unpad(k.probs, p.units, p.padded) : unpad(k.layerBuffer(l, 'a', rows), p.units, p.padded);
    const mask = !last && dropout ? unpad(k.layerBuffer(l, 'mask', rows), p.units, p.padded) : null;
    layers.push({
      inputs: p.inputs,
      units: p.units,
      input,
      sums,
      outputs,
      mask,
      deltas: unpad(k.layerBuffer(l, 'd', rows), p.units, p.padded),
      weightGradient: gradFlat.slice(off, off + nw),
      biasGradient: gradFlat.slice(off + nw, off + nw + p.units),
      weightChange: changeFlat.slice(off, off + nw),
      biasChange: changeFlat.slice(off + nw, off + nw + p.units),
    });
    off += nw + p.units;
    input = mask ? outputs.map((a, i) => a * mask[i]!) : outputs;
  });
  const probs = layers.at(-1)!.outputs;
  const outputError = probs.map((p, i) => p - (labels[Math.floor(i / NUM_CLASSES)] === i % NUM_CLASSES ? 1 : 0));
  return { rows, labels, layers, outputError, loss: k.stats[0]! / rows, correct: k.stats[1]! };
}
