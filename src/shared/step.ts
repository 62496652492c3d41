/**
 * The "one step, slowed down" view's contract: what the worker answers for real training steps
 * taken by hand on one example (traceStep), their Undo, and a random training example. Every
 * number is computed in the worker by the code that trains on the current backend.
 */
import type { Activation, Optimizer } from './trainConfig';

/** Most steps one traceStep request takes (the view's ×100). */
export const MAX_STEP_TIMES = 100;
/** Largest session id the page may send (it counts up from 1 each time the view opens). */
export const MAX_STEP_SESSION = 2 ** 31 - 1;

/** One dense layer of the last step, for its one example (hidden layers first, the output layer last). */
export interface StepLayerView {
  units: number;
  /** Sums z = W·h + b [units]: for the output layer, the 10 logits. */
  sums: Float32Array;
  /** f(z) [units]: the activation for a hidden layer, the softmax probabilities for the output layer. */
  outputs: Float32Array;
  /** dL/dz [units]: p − onehot at the output, carried back through the weights and f′(z) below it. */
  deltas: Float32Array;
  /** dL/db [units] and what the optimizer changed in b [units]. */
  biasGradient: Float32Array;
  biasChange: Float32Array;
}

/** The first layer's weights around the last step, [784 * units] in Keras' layout (pixel-major: w[pixel * units + unit]). */
export interface FirstLayerStep {
  units: number;
  before: Float32Array;
  /** dL/dW. */
  gradient: Float32Array;
  /** After − before: the optimizer's actual change. */
  change: Float32Array;
}

/** The answer to `traceStep`: the last of the steps taken, the loss on the example around it, and the curve. */
export interface StepResult {
  /** The model's version after the steps. */
  version: number;
  session: number;
  /** Steps taken by hand in this session, Undo restores the model as it was before the first. */
  sessionSteps: number;
  /** Which code trained: 'kernel-sparse', 'kernel-dense' (the WASM SIMD kernel) or 'tfjs'. */
  path: string;
  /** The tf.js backend (wasm, webgl, webgpu, cpu). */
  backend: string;
  activation: Activation;
  optimizer: Optimizer;
  learningRate: number;
  /** The step size the optimizer used for the last step (Adam: with its bias correction) and its step count after it. */
  stepSize: number;
  optimizerSteps: number;
  dropout: number;
  label: number;
  /** The 784 inputs after normalisation (what the first layer reads) [784]. */
  input: Float32Array;
  layers: StepLayerView[];
  /** p − onehot [10]. */
  outputError: Float32Array;
  /** The step's own loss (its forward pass, before the update; with dropout, on the dropped-out network). */
  stepLoss: number;
  /** The model's probabilities on the example before and after the last step [10]: predict's forward pass, its softmax in float64. */
  probsBefore: number[];
  probsAfter: number[];
  /** −log p(label) before and after the last step, from the logits of predict's forward pass (float64 log-softmax). */
  lossBefore: number;
  lossAfter: number;
  /** The loss on the example before each step of this request (from that step's own logits), then after the last (times + 1 points). */
  curve: number[];
  firstLayer: FirstLayerStep;
}

/** The answer to `undoSteps`. */
export interface StepUndo {
  version: number;
  /** Steps undone (0: nothing to undo, `reason` says why: no steps in this session, or the model changed since them). */
  undone: number;
  reason: 'nothingToUndo' | 'modelChanged' | null;
}

/** The answer to `trainingExample`: one MNIST training image. */
export interface TrainingExample {
  index: number;
  /** [784] 0..1, white ink on black. */
  pixels: Float32Array;
  label: number;
}
