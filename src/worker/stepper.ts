/**
 * The one training-step interface a run talks to, with two implementations:
 * the WASM SIMD kernel on the CPU (kernel/kernelStepper.ts) and tf.js on
 * WebGL, WebGPU and its own CPU backends (tfStepper.ts). A run (trainingRun.ts)
 * starts epochs, steps, reads the steps' loss and accuracy, validates, keeps
 * snapshots of the weights, and hands the weights back to the model.
 *
 * `traceStep` runs one real step on an explicit batch (e.g. one drawn digit and
 * its label) and returns every value that step computed, from the same code
 * that trains: the "one training step, slowed down" view shows the very maths.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Optimizer as OptimizerKind } from '../shared/trainConfig';

/** Which code trains. */
export type TrainPath = 'kernel-sparse' | 'kernel-dense' | 'tfjs';

/** An explicit batch: pixels 0..1 [rows * 784] (white ink on black, as the pad and predict take them) and their digits. */
export interface ExplicitBatch {
  pixels: Float32Array;
  labels: ArrayLike<number>;
}

/** One dense layer of a traced step (input side first). All arrays are row-major, `rows` = the batch's rows. */
export interface LayerTrace {
  inputs: number;
  units: number;
  /** The layer's input h [rows * inputs]: the standardised pixels for the first layer, else the previous layer's output (after dropout). */
  input: Float32Array;
  /** Sums z = h·W + b [rows * units]. */
  sums: Float32Array;
  /** Outputs [rows * units]: f(z) for a hidden layer (before dropout), the softmax probabilities for the last. */
  outputs: Float32Array;
  /** Inverted dropout mask [rows * units] (0 or 1/keep), or null without dropout. */
  mask: Float32Array | null;
  /** Deltas dL/dz [rows * units] of the batch's mean loss. */
  deltas: Float32Array;
  /** dL/dW [inputs * units] (Keras' kernel layout) and dL/db [units]. */
  weightGradient: Float32Array;
  biasGradient: Float32Array;
  /** What the optimizer actually changed: W after - W before [inputs * units], b after - b before [units]. */
  weightChange: Float32Array;
  biasChange: Float32Array;
}

/** Everything one step computed. */
export interface StepTrace {
  rows: number;
  labels: number[];
  layers: LayerTrace[];
  /** The output error p - onehot [rows * 10] (the last layer's deltas are this over `rows`). */
  outputError: Float32Array;
  /** Mean cross-entropy of the batch before the update, and how many it read right. */
  loss: number;
  correct: number;
  /** The step size the optimizer used (Adam: with its bias correction), and the optimizer's step count after it. */
  stepSize: number;
  optimizerSteps: number;
  /** Which code computed it. */
  path: TrainPath;
}

/** A copy of the weights (the last good ones for a NaN, the best for early stopping). */
export interface WeightSnapshot {
  /** True when every weight is finite. */
  finite(): Promise<boolean>;
  dispose(): void;
}

/** The optimizer's state (moments, step count), kept on the model for a continued run. */
export interface KeptOptimizer {
  readonly kind: OptimizerKind;
  /** Where the state lives: 'kernel', or the tf.js backend's name. */
  readonly backend: string;
  /** Steps taken (Adam's t). */
  readonly steps: number;
  /** An independent copy of the state on the same backend (the step view's Undo); `params` gives the shapes. */
  clone(params: readonly tf.Tensor[]): KeptOptimizer;
  dispose(): void;
}

export interface Stepper {
  readonly path: TrainPath;
  /** For the page, e.g. "WASM SIMD kernel, sparse first layer". */
  readonly description: string;
  /** Rows of the run's training set (0 for a stepper made only for traced steps). */
  readonly trainCount: number;
  /** Starts an epoch: the order of the training rows in it (augmentation draws fresh warps from the second epoch on). */
  startEpoch(order: Int32Array, epoch: number): void;
  /** One training step on rows order[start .. start + size) of the training set; its stats are read later. */
  step(start: number, size: number): void;
  /** [lossSum, correct] of each step since the last read, in order ([2 * steps]); waits for the device on GPUs. */
  readStats(): Promise<Float64Array>;
  /** Mean cross-entropy and accuracy of the current weights on the run's validation split. */
  validate(): Promise<{ loss: number; accuracy: number }>;
  snapshot(): WeightSnapshot;
  /** Puts a snapshot's weights back. */
  restore(s: WeightSnapshot): void;
  /** The weights now, in the flat layout of mlp.ts (per layer W [inputs, units], b [units]). */
  readWeights(): Promise<Float32Array>;
  writeWeights(flat: Float32Array): void;
  /** One real step (forward, backward, optimizer update) on an explicit batch, returning what it computed. */
  traceStep(batch: ExplicitBatch): Promise<StepTrace>;
  /** Writes the weights into the model's tensors if they changed since the last commit (before predictions, at the run's end). */
  commit(): void;
  /** The optimizer state to keep for a continued run. */
  readonly optimizer: KeptOptimizer;
  /** Frees what the stepper made (not the model's tensors nor the kept optimizer). */
  dispose(): void;
}
