/**
 * How long a configured run should take here, and how much memory it needs, before it starts
 * (the line under Train). Time comes from a measured training speed (the backend race's, or
 * an earlier run's) scaled to the configuration's shape; memory from the parameter count, the
 * batch's activations and the data the worker keeps. Pure: no DOM, no tf.
 */
import { IMAGE_PIXELS, NUM_CLASSES } from './constants';
import { validationSizeFor, type TrainConfig } from './trainConfig';

/** What of a configuration decides the cost of one training step. */
export type StepShape = Pick<TrainConfig, 'hiddenUnits' | 'batchSize' | 'optimizer'>;

/** A measured training speed: samples/s of training steps of `shape`. */
export interface SpeedSample {
  shape: StepShape;
  samplesPerSec: number;
}

/** Test images evaluated at the end of every run. */
export const TEST_IMAGES = 10_000;
/**
 * A forward pass over an image (validation, test) costs about this share of a training sample
 * (forward + backward + update, in batches of 32): measured 74 ms for 12,000 validation images
 * against 15,000 samples/s of training (0.09), rounded up.
 */
export const EVAL_COST = 0.15;
/**
 * Per run, in training-sample equivalents: building the model, splitting and scaling the data, the
 * test report and its messages. Measured 0.4–0.55 s on tiny runs with the race at 5.6k–9.4k samples/s;
 * counted in samples so it slows down with the machine as the training does.
 */
export const RUN_OVERHEAD_SAMPLES = 4000;
/**
 * ...but never less than this, s: since training runs on the WASM SIMD kernel (~5x the tf.js speed the
 * samples above were measured at), the start and the test report (tf.js) no longer shrink with the
 * training speed. Measured in the page here, a 3,000-image, 2-epoch run from Train to done: 0.68 s on
 * the quiet machine (CI), estimated 0.3 s without this floor; 2.6–3.0 s with four other jobs on the 2
 * cores, while the race's own speed swung 14k–53k samples/s.
 */
export const RUN_OVERHEAD_MIN_S = 0.5;
/**
 * Share of a step's time that does not grow with the matrices (kernel dispatch, batch assembly,
 * messages): a step of another shape takes `fixed + (1 - fixed) x its multiply-adds / the measured ones`.
 */
const FIXED_SHARE = 0.3;

/** Multiply-adds of one sample's forward pass (784 → hidden… → 10). */
export function multiplyAdds(hiddenUnits: readonly number[]): number {
  let inputs = IMAGE_PIXELS;
  let total = 0;
  for (const units of [...hiddenUnits, NUM_CLASSES]) {
    total += inputs * units;
    inputs = units;
  }
  return total;
}

/** Weights and biases of the network. */
export function parameterCount(hiddenUnits: readonly number[]): number {
  let inputs = IMAGE_PIXELS;
  let total = 0;
  for (const units of [...hiddenUnits, NUM_CLASSES]) {
    total += inputs * units + units;
    inputs = units;
  }
  return total;
}

/** Seconds one training step of `shape` takes, from a speed measured on another shape. */
export function stepSeconds(shape: StepShape, measured: SpeedSample): number {
  const measuredStep = measured.shape.batchSize / measured.samplesPerSec;
  const work = (shape.batchSize * multiplyAdds(shape.hiddenUnits)) / (measured.shape.batchSize * multiplyAdds(measured.shape.hiddenUnits));
  return measuredStep * (FIXED_SHARE + (1 - FIXED_SHARE) * work);
}

/** The same step cost: a speed measured on one is the speed of the other. */
export function sameShape(a: StepShape, b: StepShape): boolean {
  return a.batchSize === b.batchSize && a.optimizer === b.optimizer && a.hiddenUnits.join(',') === b.hiddenUnits.join(',');
}

/** Training samples/s for `shape`: an exact measurement if there is one, else the newest scaled. */
export function speedFor(shape: StepShape, speeds: readonly SpeedSample[]): number | null {
  const exact = [...speeds].reverse().find((s) => sameShape(s.shape, shape));
  if (exact) return exact.samplesPerSec;
  const newest = speeds.at(-1);
  return newest ? shape.batchSize / stepSeconds(shape, newest) : null;
}

export interface TimeEstimate {
  /** The whole run as a person waits for it: start, training, validation, test, s. */
  seconds: number;
  /** Of which training steps, s. */
  trainSeconds: number;
  /** Of which validation after each epoch and the final test pass, s. */
  evalSeconds: number;
  /** Training samples/s assumed. */
  samplesPerSec: number;
}

/**
 * The run's expected duration: trainSize x epochs training samples, a validation pass per epoch and
 * the test pass, at `samplesPerSec` training speed, plus the fixed start and report time. Null
 * without a speed. Early stopping can only make it shorter.
 */
export function estimateTime(config: TrainConfig, samplesPerSec: number | null): TimeEstimate | null {
  if (!samplesPerSec || !(samplesPerSec > 0)) return null;
  const trainSeconds = (config.trainSize * config.epochs) / samplesPerSec;
  const evalSamples = validationSizeFor(config.trainSize) * config.epochs + TEST_IMAGES;
  const evalSeconds = (evalSamples * EVAL_COST) / samplesPerSec;
  const overheadSeconds = Math.max(RUN_OVERHEAD_SAMPLES / samplesPerSec, RUN_OVERHEAD_MIN_S);
  return { seconds: overheadSeconds + trainSeconds + evalSeconds, trainSeconds, evalSeconds, samplesPerSec };
}

/** Timed part of each lane of `auto`'s race, s (plus two warm-up steps; at most 30 steps, at least one). */
const RACE_LANE_S = 0.15;

/**
 * Seconds `auto` spends racing the backends on a shape it has not raced before: per lane two
 * warm-up steps and up to 0.15 s of timed ones, each backend's step scaled from its own measured speed.
 * @param lanes each backend's samples/s on `measuredShape` (null: it did not start).
 */
export function raceSeconds(shape: StepShape, measuredShape: StepShape, lanes: readonly (number | null)[]): number {
  let total = 0;
  for (const sps of lanes) {
    if (!sps || !(sps > 0)) continue;
    const step = stepSeconds(shape, { shape: measuredShape, samplesPerSec: sps });
    total += 2 * step + Math.max(step, Math.min(30 * step, RACE_LANE_S));
  }
  return total;
}

/** Optimizer state per weight, in weights (Adam: two moments; RMSprop: one; SGD: none). */
const OPTIMIZER_SLOTS: Record<TrainConfig['optimizer'], number> = { adam: 2, rmsprop: 1, sgd: 0 };

export interface MemoryEstimate {
  /** Bytes the worker needs at the peak of the run. */
  bytes: number;
  /** Of which the weights, gradients, optimizer state and update temporaries (x2 for allocator slack). */
  modelBytes: number;
  /** Of which the batch's activations and their gradients (x2 for slack). */
  activationBytes: number;
  /** Of which the images: the decoded dataset, the scaled training and validation copies, the test pass. */
  dataBytes: number;
}

/**
 * Peak memory of a run (an estimate: TF.js allocates temporaries per operation, and a WASM heap
 * only grows, so the model's and activations' parts are doubled).
 */
export function estimateMemory(config: TrainConfig): MemoryEstimate {
  const params = parameterCount(config.hiddenUnits);
  // weights, gradients, optimizer slots, and about two weight-sized temporaries while updating
  const modelBytes = 2 * 4 * params * (2 + OPTIMIZER_SLOTS[config.optimizer] + 2);
  const units = config.hiddenUnits.reduce((a, b) => a + b, 0) + NUM_CLASSES;
  // per unit and sample: pre-activation, activation, their gradients (and a dropout mask)
  const activationBytes = 2 * 4 * config.batchSize * units * (config.dropout > 0 ? 5 : 4);
  const scaled = (config.trainSize + validationSizeFor(config.trainSize)) * IMAGE_PIXELS * 4;
  const decoded = 70_000 * IMAGE_PIXELS; // the whole MNIST, one byte a pixel
  // the scaled test images, and one evaluation chunk's activations (1,000 rows at a time)
  const testPass = TEST_IMAGES * IMAGE_PIXELS * 4 + 2 * 1000 * units * 4;
  const dataBytes = scaled + decoded + testPass;
  return { bytes: modelBytes + activationBytes + dataBytes, modelBytes, activationBytes, dataBytes };
}

/** Most a page should plan to use here: half the device's memory, at most 2 GiB (a WASM heap's practical limit). */
export function memoryBudget(deviceMemoryGiB: number | undefined): number {
  const cap = 2 * 2 ** 30;
  if (!deviceMemoryGiB || !(deviceMemoryGiB > 0)) return cap;
  return Math.min(cap, (deviceMemoryGiB * 2 ** 30) / 2);
}

/** "240 MB", "1.3 GB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

/**
 * Why the run cannot fit here (a sentence with what to change), or null when it fits.
 * @param budgetBytes from memoryBudget.
 */
export function memoryRefusal(config: TrainConfig, budgetBytes: number): string | null {
  const need = estimateMemory(config).bytes;
  if (need <= budgetBytes) return null;
  return `This network needs about ${formatBytes(need)} to train, more than this device can give the page (about ${formatBytes(budgetBytes)}): use fewer or narrower hidden layers, or a smaller batch.`;
}
