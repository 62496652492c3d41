/// <reference lib="webworker" />
/**
 * Benchmark worker (bench.html only, not part of the app): measures the
 * engine's training throughput, a plain model.fit baseline and a naive
 * custom loop on one backend, on the real data.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES } from '../shared/constants';
import { DEFAULT_CONFIG, type BackendChoice } from '../shared/trainConfig';
import { selectBackend, setWasmThreads } from './backend';
import { loadMnist } from './dataset';
import { Engine } from './engine';
import type { TrainPath } from './stepper';
import type { KernelMode } from './trainPath';
import type { PhaseTimes } from './trainingRun';
import { DEFAULT_TIMING } from './trainingRun';
import { fitNormalizer, normalizeRows, splitIndices } from './split';

declare const self: DedicatedWorkerGlobalScope;

/** One measurement request from the bench page. */
export type BenchRequest =
  /**
   * The engine's loop; `threads` sets the WASM thread count (default: one per core); `kernel` how the
   * wasm backend trains: the WASM SIMD kernel with a sparse or dense first layer, or tf.js ('off').
   */
  | { kind: 'engine'; baseUrl: string; backend: BackendChoice; steps: number; warmup: number; threads?: number; kernel?: KernelMode }
  | { kind: 'fit'; baseUrl: string; backend: BackendChoice; steps: number; warmup: number }
  /**
   * A naive custom loop (tf.train.adam + minimize) taking batches by `batches`:
   * 'slice' of the whole real training tensor, 'gather' from it, or 'random' data made per batch.
   */
  | { kind: 'naive'; baseUrl: string; backend: BackendChoice; steps: number; warmup: number; batches: 'slice' | 'gather' | 'random' }
  | { kind: 'agreement'; baseUrl: string; backend: BackendChoice; trainSize: number };

export interface BenchResult {
  backend: string;
  renderer: string;
  /** Which code trained (engine only). */
  path?: TrainPath;
  samplesPerSec?: number;
  steps?: number;
  valAccuracy?: number;
  /** Subnormal floats in the optimizer state at the end (naive loop only). */
  subnormals?: number;
  /** Kernels launched (engine.runKernel calls) and tensors made from host data, per training step (engine only). */
  kernelsPerStep?: number;
  uploadsPerStep?: number;
  /** The kernels of the measured steps by name, most frequent first, per step. */
  kernels?: [string, number][];
  /** Busy time per step by phase, ms (engine only; exact on CPU backends, enqueue time on GPUs; the kernel's step is one call). */
  phasesMs?: Omit<PhaseTimes, 'steps' | 'validations' | 'validationMs'>;
  /** One validation pass (the epoch's end, 12,000 images), ms: what a second worker could take off the training thread. */
  validationMs?: number | null;
  /** XNNPACK threads of the WASM backend. */
  threads?: number;
  error?: string;
}

const B = DEFAULT_CONFIG.batchSize;

/** Counts kernel launches and tensor uploads while `on` (patches the engine instance, bench worker only). */
function kernelCounter() {
  const eng = tf.engine() as unknown as {
    runKernel: (name: string, ...rest: unknown[]) => unknown;
    makeTensor: (...a: unknown[]) => unknown;
  };
  const c = { on: false, kernels: 0, uploads: 0, byName: new Map<string, number>() };
  const runKernel = eng.runKernel;
  const makeTensor = eng.makeTensor;
  eng.runKernel = function (name: string, ...rest: unknown[]) {
    if (c.on) {
      c.kernels++;
      c.byName.set(name, (c.byName.get(name) ?? 0) + 1);
    }
    return runKernel.call(this, name, ...rest);
  };
  eng.makeTensor = function (...a: unknown[]) {
    if (c.on) c.uploads++;
    return makeTensor.apply(this, a);
  };
  return c;
}

async function run(req: BenchRequest): Promise<BenchResult> {
  if (req.kind === 'engine' && req.threads) setWasmThreads(req.threads);
  const { ready } = await selectBackend(req.backend, () => {});
  const threadsMatch = /, (\d+) threads?$/.exec(ready.renderer);
  const base = { backend: ready.backend, renderer: ready.renderer, ...(threadsMatch ? { threads: Number(threadsMatch[1]) } : {}) };
  const data = await loadMnist(req.baseUrl);
  if (req.kind === 'engine' || req.kind === 'agreement') {
    let t0 = 0;
    let s0 = 0;
    let result: BenchResult = base;
    const phases: PhaseTimes = { steps: 0, batch: 0, forward: 0, backward: 0, optimizer: 0, kernel: 0, reads: 0 };
    const counter = kernelCounter();
    const engine = new Engine(
      (ev) => {
        if (ev.type === 'epoch' && req.kind === 'agreement') result = { ...base, valAccuracy: ev.valAccuracy };
        if (ev.type !== 'batch' || req.kind !== 'engine') return;
        if (!t0 && ev.step >= req.warmup) {
          t0 = performance.now();
          s0 = ev.step;
          Object.assign(phases, { steps: 0, batch: 0, forward: 0, backward: 0, optimizer: 0, kernel: 0, reads: 0 });
          counter.on = true;
        } else if (t0 && ev.step - s0 >= req.steps) {
          counter.on = false;
          const per = (x: number) => x / Math.max(1, phases.steps);
          const perStep = (x: number) => x / (ev.step - s0);
          result = {
            ...base,
            path: engine.trainPath,
            steps: ev.step - s0,
            samplesPerSec: ((ev.step - s0) * B * 1000) / (performance.now() - t0),
            kernelsPerStep: perStep(counter.kernels),
            uploadsPerStep: perStep(counter.uploads),
            kernels: [...counter.byName].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, perStep(v)]),
            phasesMs: {
              batch: per(phases.batch),
              forward: per(phases.forward),
              backward: per(phases.backward),
              optimizer: per(phases.optimizer),
              kernel: per(phases.kernel ?? 0),
              reads: per(phases.reads),
            },
            validationMs: phases.validations ? phases.validationMs! / phases.validations : null,
          };
          engine.stop();
        }
      },
      req.kind === 'engine' ? { ...DEFAULT_TIMING, phases } : undefined,
    );
    engine.setData(data);
    if (req.kind === 'engine' && req.kernel) engine.kernelMode = req.kernel;
    const config =
      req.kind === 'agreement'
        ? { ...DEFAULT_CONFIG, epochs: 1, trainSize: req.trainSize, backend: req.backend }
        : { ...DEFAULT_CONFIG, backend: req.backend };
    await engine.train(config);
    engine.dispose();
    return result;
  }
  // model.fit baseline and the naive loop: the same architecture, normalisation and batch, on 48,000 training images.
  const split = splitIndices(data.train.count, 48000, DEFAULT_CONFIG.seed);
  const n = split.train.length;
  const norm = fitNormalizer(data.train.images, split.train, 'standardize');
  const xs = tf.tensor2d(normalizeRows(data.train.images, split.train, norm), [n, IMAGE_PIXELS]);
  const labels = Int32Array.from(split.train, (i) => data.train.labels[i]!);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), NUM_CLASSES).asType('float32'));
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, activation: 'relu', inputShape: [IMAGE_PIXELS] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax' }),
    ],
  });
  const optimizer = tf.train.adam(0.001, 0.9, 0.999, 1e-7);
  let t0 = 0;
  let result: BenchResult = base;
  if (req.kind === 'fit') {
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    let step = 0;
    await model.fit(xs, ys, {
      batchSize: B,
      epochs: Math.ceil(((req.warmup + req.steps) * B) / n),
      shuffle: true,
      verbose: 0,
      callbacks: {
        onBatchEnd: async () => {
          step++;
          if (step === req.warmup) t0 = performance.now();
          if (step === req.warmup + req.steps) {
            result = { ...base, steps: req.steps, samplesPerSec: (req.steps * B * 1000) / (performance.now() - t0) };
            model.stopTraining = true;
          }
        },
      },
    });
  } else {
    const steps = req.warmup + req.steps;
    const perm = tf.tensor1d(
      Int32Array.from({ length: n }, (_, i) => (i * 7919) % n),
      'int32',
    );
    for (let s = 0; s < steps; s++) {
      if (s === req.warmup) t0 = performance.now();
      const row = (s * B) % (n - B);
      tf.tidy(() => {
        const xb =
          req.batches === 'slice'
            ? xs.slice(row, B)
            : req.batches === 'gather'
              ? tf.gather(xs, perm.slice(row, B))
              : tf.randomNormal([B, IMAGE_PIXELS], 0, 1, 'float32', s);
        const yb =
          req.batches === 'random' ? tf.oneHot(tf.randomUniform([B], 0, 10, 'int32', s), NUM_CLASSES).asType('float32') : ys.slice(row, B);
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor), false);
      });
      if (s % 25 === 24) await new Promise((r) => setTimeout(r, 0));
    }
    await model.getWeights()[0]!.data();
    result = { ...base, steps: req.steps, samplesPerSec: (req.steps * B * 1000) / (performance.now() - t0) };
    let subnormals = 0;
    for (const w of await optimizer.getWeights())
      for (const v of await w.tensor.data()) if (v !== 0 && Math.abs(v) < 1.1754944e-38) subnormals++;
    result.subnormals = subnormals;
    perm.dispose();
  }
  tf.dispose([xs, ys]);
  model.dispose();
  return result;
}

self.onmessage = (ev: MessageEvent<BenchRequest>) => {
  run(ev.data).then(
    (r) => self.postMessage(r),
    (e: unknown) =>
      self.postMessage({ backend: ev.data.backend, renderer: '', error: e instanceof Error ? e.message : String(e) } satisfies BenchResult),
  );
};
