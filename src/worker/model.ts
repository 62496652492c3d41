/**
 * The model the engine owns: dense layers as device variables (or parked on the
 * host during a backend switch), the normaliser in front, and what the page is told about it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelFacts, ModelSource } from '../shared/protocol';
import type { Activation, TrainConfig } from '../shared/trainConfig';
import { paramsFromFlat, type LayerSlot } from './mlp';
import type { Normalizer } from './split';
import type { KeptOptimizer } from './stepper';

export interface Model {
  sizes: number[];
  slots: LayerSlot[];
  activation: Activation;
  /** Kernel and bias per layer on the device; null while parked on the host (backend switch). */
  params: tf.Variable[] | null;
  /** [P] host copy while params is null. */
  hostParams: Float32Array | null;
  norm: Normalizer;
  /** The config it was (last) trained with; null for a loaded model. */
  config: TrainConfig | null;
  epochsTrained: number;
  /** The optimizer's state (Adam's moments, step count) where the last run kept it, for a continued run; null for a loaded or parked model. */
  optimizer: KeptOptimizer | null;
  /** Why the last run ended early with an error, e.g. "stopped at epoch 1 step 12 (loss became NaN)"; null otherwise. */
  stoppedAt: string | null;
  source: Exclude<ModelSource, 'none'>;
  /** For loaded models: their one-line description. */
  loadedDescription: string | null;
  /** For loaded models: the description as data, when there is one (the shipped models). */
  loadedFacts: ModelFacts | null;
  /** 0..1 once evaluated (or as stored with a loaded model). */
  testAccuracy: number | null;
}

/**
 * A readable one-line summary, e.g. "784-64-64-10, trained 10 epochs, test accuracy 96.9%",
 * or with `stoppedAt` "784-64-64-10, stopped at epoch 1 step 12 (loss became NaN)".
 */
export function describeModel(
  sizes: readonly number[],
  epochs: number,
  testAccuracy: number | null,
  stoppedAt: string | null = null,
): string {
  const acc = testAccuracy === null ? '' : `, test accuracy ${(testAccuracy * 100).toFixed(1)}%`;
  const ep = Number.isInteger(epochs) ? String(epochs) : epochs.toFixed(2);
  const trained = `trained ${ep} epoch${epochs === 1 ? '' : 's'}`;
  if (stoppedAt) return `${sizes.join('-')}, ${epochs ? `${trained}, then ` : ''}${stoppedAt}${acc}`;
  return `${sizes.join('-')}, ${trained}${acc}`;
}

/** How a loaded model is described to the page. */
export interface LoadedModelInfo {
  source: 'saved' | 'imported' | 'bundled';
  description: string;
  config: TrainConfig | null;
  testAccuracy: number | null;
  /** The description as data (the shipped models), for the page to word. */
  facts?: ModelFacts;
}

/** A loaded model (dense layers from a layers-format file, taking raw pixels), on the device. */
export function loadedModel(
  stack: { sizes: number[]; slots: LayerSlot[]; activation: Activation; flat: Float32Array; norm: Normalizer },
  info: LoadedModelInfo,
): Model {
  return {
    sizes: stack.sizes,
    slots: stack.slots,
    activation: stack.activation,
    params: paramsFromFlat(stack.flat, stack.slots),
    hostParams: null,
    norm: stack.norm,
    config: info.config,
    epochsTrained: 0,
    optimizer: null,
    stoppedAt: null,
    source: info.source,
    loadedDescription: info.description,
    loadedFacts: info.facts ?? null,
    testAccuracy: info.testAccuracy,
  };
}
