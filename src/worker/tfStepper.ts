/**
 * The step interface (stepper.ts) on tf.js: the path for WebGL and WebGPU, for
 * tf.js's plain JS `cpu` backend, and for WASM when the browser has no
 * WebAssembly SIMD (the kernel needs it). The model's variables are trained in
 * place. Batches are gathered on the device on GPUs, assembled on the host on
 * the CPU backends; on GPUs each step's [loss sum, correct] stays a tensor
 * until `readStats` reads them together.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import type { Activation, TrainConfig } from '../shared/trainConfig';
import type { BatchAugmenter } from './augment';
import type { DeviceSplit } from './deviceData';
import { activationGrad, assignFlat, backwardPass, forward, type Optimizer } from './mlp';
import { normalizeUnitPixels, rngFor, type Normalizer } from './split';
import type { ExplicitBatch, LayerTrace, Stepper, StepTrace, WeightSnapshot } from './stepper';
import { stepSize } from './optimizer';
import type { PhaseTimes } from './trainingRun';
import { yieldNow } from './yieldNow';

class TensorSnapshot implements WeightSnapshot {
  constructor(readonly tensors: tf.Tensor[]) {}
  async finite(): Promise<boolean> {
    const ok = tf.tidy(() => tf.stack(this.tensors.map((t) => tf.all(tf.isFinite(t)))).all());
    const finite = (await ok.data())[0] === 1;
    ok.dispose();
    return finite;
  }
  dispose(): void {
    tf.dispose(this.tensors);
  }
}

export interface TfStepperOptions {
  params: tf.Variable[];
  optimizer: Optimizer;
  activation: Activation;
  norm: Normalizer;
  config: Pick<TrainConfig, 'batchSize' | 'dropout' | 'hiddenUnits' | 'seed' | 'learningRate'>;
  /** The run's training and validation splits on the device (null for a stepper made only for traced steps). */
  train: DeviceSplit | null;
  validation: DeviceSplit | null;
  augmenter: BatchAugmenter | null;
  phases?: PhaseTimes;
}

export class TfStepper implements Stepper {
  readonly path = 'tfjs' as const;
  readonly description: string;
  readonly trainCount: number;
  private readonly dropoutRng;
  private readonly hostBatch: { x: Float32Array; y: Int32Array } | null;
  private order: Int32Array = new Int32Array(0);
  /** Per-step [lossSum, correct] not read yet (numbers on the CPU backends, tensors on GPUs). */
  private pending: (tf.Tensor1D | readonly [number, number])[] = [];

  constructor(private readonly o: TfStepperOptions) {
    this.description = `TensorFlow.js ${tf.getBackend()}`;
    this.trainCount = o.train?.count ?? 0;
    this.dropoutRng = rngFor(o.config.seed, 'dropout');
    const bs = o.config.batchSize;
    this.hostBatch = o.train?.hostX || o.augmenter ? { x: new Float32Array(bs * IMAGE_PIXELS), y: new Int32Array(bs) } : null;
  }

  get optimizer(): Optimizer {
    return this.o.optimizer;
  }

  startEpoch(order: Int32Array, epoch: number): void {
    this.order = order;
    if (epoch > 0) this.o.augmenter?.newEpoch();
  }

  step(start: number, size: number): void {
    const { config, augmenter, phases } = this.o;
    const train = this.o.train!;
    const { hostBatch, order } = this;
    const masks = config.dropout > 0 ? config.hiddenUnits.map(() => this.dropoutRng()) : null;
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
      let yb: tf.Tensor1D | null = null;
      if (hostBatch && augmenter) {
        augmenter.fill(order, start, size, hostBatch.x, hostBatch.y);
        xb = tf.tensor2d(hostBatch.x.subarray(0, size * IMAGE_PIXELS), [size, IMAGE_PIXELS]);
      } else if (hostBatch) {
        for (let r = 0; r < size; r++) {
          const i = order[start + r]!;
          hostBatch.x.set(train.hostX!.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), r * IMAGE_PIXELS);
          hostBatch.y[r] = train.hostY![i]!;
        }
        // The labels stay on the host: the CPU backends' loss head reads them there.
        xb = tf.tensor2d(hostBatch.x.subarray(0, size * IMAGE_PIXELS), [size, IMAGE_PIXELS]);
      } else {
        // One small upload of this step's shuffled indices; the rows are gathered on the device.
        const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
        xb = tf.gather(train.x!, idx) as tf.Tensor2D;
        yb = tf.gather(train.y!, idx) as tf.Tensor1D;
      }
      const dropMasks = masks?.map((seed, l) => {
        const keepP = 1 - config.dropout;
        const u = tf.randomUniform([size, config.hiddenUnits[l]!], 0, 1, 'float32', Math.floor(seed * 2 ** 31));
        return tf.div(tf.cast(tf.less(u, keepP), 'float32'), keepP) as tf.Tensor2D;
      });
      lap('batch');
      const fwd = forward(this.o.params, this.o.activation, xb, dropMasks);
      lap('forward');
      const { grads, stats } = backwardPass(
        this.o.params,
        this.o.activation,
        xb,
        fwd,
        yb,
        hostBatch && hostBatch.y.subarray(0, size),
        dropMasks,
      );
      lap('backward');
      this.o.optimizer.apply(this.o.params, grads);
      if (stats instanceof tf.Tensor) return stats;
      hostStats = stats;
      return undefined;
    });
    lap('optimizer');
    if (phases) phases.steps++;
    this.pending.push(deviceStats ?? hostStats);
  }

  async readStats(): Promise<Float64Array> {
    const pending = this.pending;
    this.pending = [];
    const onDevice = pending.filter((p): p is tf.Tensor1D => p instanceof tf.Tensor);
    const packed = onDevice.length ? tf.concat(onDevice) : null;
    onDevice.forEach((p) => p.dispose());
    const values = packed ? await packed.data().finally(() => packed.dispose()) : null;
    const out = new Float64Array(2 * pending.length);
    let read = 0;
    pending.forEach((p, i) => {
      const [loss, correct] = p instanceof tf.Tensor ? [values![2 * read]!, values![2 * read++ + 1]!] : p;
      out[2 * i] = loss;
      out[2 * i + 1] = correct;
    });
    return out;
  }

  async validate(): Promise<{ loss: number; accuracy: number }> {
    const split = this.o.validation!;
    let lossSum = 0;
    let correct = 0;
    for (const { x, y } of split.chunks) {
      const sums = tf.tidy(() => {
        const logits = forward(this.o.params, this.o.activation, x).logits;
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

  snapshot(): WeightSnapshot {
    return new TensorSnapshot(this.o.params.map((p) => p.clone()));
  }

  restore(s: WeightSnapshot): void {
    const { tensors } = s as TensorSnapshot;
    this.o.params.forEach((p, i) => p.assign(tensors[i]!));
  }

  async readWeights(): Promise<Float32Array> {
    const arrays = (await Promise.all(this.o.params.map((p) => p.data()))) as Float32Array[];
    const flat = new Float32Array(arrays.reduce((a, x) => a + x.length, 0));
    let off = 0;
    for (const a of arrays) {
      flat.set(a, off);
      off += a.length;
    }
    return flat;
  }

  writeWeights(flat: Float32Array): void {
    assignFlat(this.o.params, flat);
  }

  /** The model's variables are trained in place: nothing to hand back. */
  commit(): void {}

  /**
   * One step on `batch` with tf ops, the same forward, backward pass and optimizer as `step`
   * (dropout masks drawn as there), keeping each layer's sums and deltas.
   */
  async traceStep(batch: ExplicitBatch): Promise<StepTrace> {
    const rows = batch.labels.length;
    if (!rows || batch.pixels.length !== rows * IMAGE_PIXELS)
      throw new Error(`traceStep needs ${IMAGE_PIXELS} pixels per label, got ${batch.pixels.length} for ${rows}`);
    const { params, activation, config, norm, optimizer } = this.o;
    const x = new Float32Array(rows * IMAGE_PIXELS);
    for (let r = 0; r < rows; r++)
      x.set(normalizeUnitPixels(batch.pixels.subarray(r * IMAGE_PIXELS, (r + 1) * IMAGE_PIXELS), norm), r * IMAGE_PIXELS);
    const labels = Array.from(batch.labels, Number);
    const before = await this.readWeights();
    const seeds = config.dropout > 0 ? config.hiddenUnits.map(() => this.dropoutRng()) : null;
    const layers = params.length / 2;
    const kept = tf.tidy(() => {
      const xb = tf.tensor2d(x, [rows, IMAGE_PIXELS]);
      const masks = seeds?.map((seed, l) => {
        const keepP = 1 - config.dropout;
        const u = tf.randomUniform([rows, config.hiddenUnits[l]!], 0, 1, 'float32', Math.floor(seed * 2 ** 31));
        return tf.div(tf.cast(tf.less(u, keepP), 'float32'), keepP) as tf.Tensor2D;
      });
      const fwd = forward(params, activation, xb, masks);
      // z = h·W + b, recomputed from each layer's input (the fused ops keep only f(z)).
      const sums = Array.from({ length: layers }, (_, l) =>
        tf.add(tf.matMul(l === 0 ? xb : fwd.hidden[l - 1]!, params[2 * l] as tf.Tensor2D), params[2 * l + 1]!),
      );
      const probs = tf.softmax(fwd.logits);
      const yb = tf.tensor1d(labels, 'int32');
      const { grads, stats } = backwardPass(params, activation, xb, fwd, yb, Int32Array.from(labels), masks);
      // Deltas: the output's (p - onehot) / rows, then back through each layer as backwardPass does.
      const deltas: tf.Tensor2D[] = new Array<tf.Tensor2D>(layers);
      deltas[layers - 1] = tf.div(tf.sub(probs, tf.oneHot(yb, NUM_CLASSES).asType('float32')), rows);
      for (let l = layers - 1; l > 0; l--) {
        let dh = tf.matMul(deltas[l]!, params[2 * l] as tf.Tensor2D, false, true);
        if (masks?.[l - 1]) dh = tf.mul(dh, masks[l - 1]!);
        deltas[l - 1] = tf.mul(dh, activationGrad(fwd.unmasked[l - 1]!, activation));
      }
      const g = grads.map((t, i) => (t instanceof tf.Tensor ? t : tf.tensor(t.slice(), params[i]!.shape)));
      optimizer.apply(params, grads);
      return {
        inputs: [xb, ...fwd.hidden],
        sums,
        outputs: [...fwd.unmasked, probs],
        masks: masks ?? [],
        deltas,
        grads: g,
        stats: stats instanceof tf.Tensor ? stats : tf.tensor1d([stats[0], stats[1]]),
      };
    });
    const read = async (ts: tf.Tensor[]) => (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
    const [inputs, sums, outputs, masks, deltas, grads, statsOut] = await Promise.all(
      [kept.inputs, kept.sums, kept.outputs, kept.masks, kept.deltas, kept.grads, [kept.stats]].map(read),
    );
    const stats = statsOut![0]!;
    tf.dispose(Object.values(kept).flat());
    const after = await this.readWeights();
    const out: LayerTrace[] = [];
    let off = 0;
    for (let l = 0; l < layers; l++) {
      const inputsN = params[2 * l]!.shape[0]!;
      const units = params[2 * l]!.shape[1]!;
      const nw = inputsN * units;
      out.push({
        inputs: inputsN,
        units,
        input: inputs![l]!,
        sums: sums![l]!,
        outputs: outputs![l]!,
        mask: masks![l] ?? null,
        deltas: deltas![l]!,
        weightGradient: grads![2 * l]!,
        biasGradient: grads![2 * l + 1]!,
        weightChange: after.slice(off, off + nw).map((w, i) => w - before[off + i]!),
        biasChange: after.slice(off + nw, off + nw + units).map((w, i) => w - before[off + nw + i]!),
      });
      off += nw + units;
    }
    const probs = out.at(-1)!.outputs;
    return {
      rows,
      labels,
      layers: out,
      outputError: probs.map((p, i) => p - (labels[Math.floor(i / NUM_CLASSES)] === i % NUM_CLASSES ? 1 : 0)),
      loss: stats![0]! / rows,
      correct: stats![1]!,
      stepSize: stepSize(optimizer.kind, this.o.config.learningRate, optimizer.steps),
      optimizerSteps: optimizer.steps,
      path: 'tfjs',
    };
  }

  dispose(): void {
    this.pending.forEach((p) => p instanceof tf.Tensor && p.dispose());
    this.pending = [];
  }
}
